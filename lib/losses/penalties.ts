import { getBackend } from '../backend/index';
import type { Param } from '../layers/layer';
import { checkFloat32Array, checkNumber, checkOptions, fail } from '../validate';

/**
 * Weight penalties, added to the objective L(W) = E(W) + R(W) for params with decay = true only
 * (weights; biases and normalisation parameters are not decayed):
 *  l1(λ): R = λ Σ|W|,    ∂R/∂W = λ sign(W)   (sign(0) = 0)
 *  l2(λ): R = ½ λ Σ W²,  ∂R/∂W = λ W         (the ½ makes the gradient exactly the weight-decay
 *         term λW; texts that write λ Σ W² with gradient λW give the same update, their λ
 *         standing for our λ/2 in the value)
 * R is not divided by the batch size: it is added as is to the batch-mean loss.
 */
export interface Penalties {
  readonly l1?: number;
  readonly l2?: number;
}

/** An L1 penalty λ·Σ|w| on the weights, for compile({ penalties }). */
export function l1(lambda: number): Penalties {
  return { l1: checkLambda('l1', 'lambda', lambda) };
}

/** An L2 penalty λ·Σw² on the weights, for compile({ penalties }). */
export function l2(lambda: number): Penalties {
  return { l2: checkLambda('l2', 'lambda', lambda) };
}

/** Both at once (elastic net). */
export function l1l2(lambda1: number, lambda2: number): Penalties {
  return { l1: checkLambda('l1l2', 'lambda1', lambda1), l2: checkLambda('l1l2', 'lambda2', lambda2) };
}

function checkLambda(fn: string, arg: string, value: unknown): number {
  checkNumber(fn, arg, value);
  if ((value as number) < 0) fail(fn, arg, 'a number ≥ 0', String(value));
  return value as number;
}

/** Validates { l1?, l2? } (both λ ≥ 0 and finite). */
export function checkPenalties(fn: string, arg: string, penalties: unknown): Penalties {
  if (typeof penalties !== 'object' || penalties === null) fail(fn, arg, 'an object { l1?, l2? }', penalties, 'type');
  checkOptions(fn, arg, penalties, ['l1', 'l2'], 'key');
  const { l1: a, l2: b } = penalties as Record<string, unknown>;
  return {
    l1: a === undefined ? 0 : checkLambda(fn, `${arg}.l1`, a),
    l2: b === undefined ? 0 : checkLambda(fn, `${arg}.l2`, b),
  };
}

// The per-call form of checkPenalties: two number checks, no objects created.
function lambdaOf(fn: string, penalties: Penalties, key: 'l1' | 'l2'): number {
  if (typeof penalties !== 'object' || penalties === null) fail(fn, 'penalties', 'an object { l1?, l2? }', penalties, 'type');
  const value = penalties[key];
  return value === undefined ? 0 : checkLambda(fn, `penalties.${key}`, value);
}

// One look at each parameter per call: the kernels below index value (and grad) up to value.length.
function checkParamList(fn: string, params: unknown, withGrad: boolean): asserts params is readonly Param[] {
  if (!Array.isArray(params)) fail(fn, 'params', 'an array of parameters { value, grad, decay }', params, 'type');
  for (let i = 0; i < params.length; i++) {
    const p: unknown = params[i];
    if (typeof p !== 'object' || p === null) fail(fn, `params[${i}]`, 'a parameter { value, grad, decay }', p, 'type');
    const value = checkFloat32Array(fn, `params[${i}].value`, (p as { value?: unknown }).value);
    if (withGrad) {
      const grad = checkFloat32Array(fn, `params[${i}].grad`, (p as { grad?: unknown }).grad);
      if (grad.length !== value.length) fail(fn, `params[${i}].grad`, `length ${value.length} (as its value)`, `length ${grad.length}`);
    }
  }
}

/** R(W) for the current weights, without touching gradients. */
export function penaltyValue(params: readonly Param[], penalties: Penalties): number {
  checkParamList('penaltyValue', params, false);
  return penaltyValueUnchecked(params, lambdaOf('penaltyValue', penalties, 'l1'), lambdaOf('penaltyValue', penalties, 'l2'));
}

/** penaltyValue for callers that checked params and both λ ≥ 0 once, up front (the fit loop). */
export function penaltyValueUnchecked(params: readonly Param[], l1: number, l2: number): number {
  if (l1 === 0 && l2 === 0) return 0;
  const backend = getBackend();
  let value = 0;
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if (!p.decay) continue;
    const n = p.value.length;
    if (l1 !== 0) value += l1 * backend.sumAbs(p.value, n);
    if (l2 !== 0) value += 0.5 * l2 * backend.sumSquares(p.value, n);
  }
  return value;
}

/**
 * Call after backward: adds ∂R/∂W to each decayed param's grad and returns R(W), to be added to
 * the loss value. Allocates nothing.
 */
export function applyPenalties(params: readonly Param[], penalties: Penalties): number {
  checkParamList('applyPenalties', params, true);
  return applyPenaltiesUnchecked(params, lambdaOf('applyPenalties', penalties, 'l1'), lambdaOf('applyPenalties', penalties, 'l2'));
}

/** applyPenalties for the training step: params and both λ ≥ 0 were checked when the model was
 *  compiled, so nothing is checked again here. Allocates nothing. */
export function applyPenaltiesUnchecked(params: readonly Param[], l1: number, l2: number): number {
  if (l1 === 0 && l2 === 0) return 0;
  const backend = getBackend();
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if (!p.decay) continue;
    const n = p.value.length;
    if (l1 !== 0) backend.addSign(p.grad, l1, p.value, n);
    if (l2 !== 0) backend.axpy(p.grad, l2, p.value, n);
  }
  return penaltyValueUnchecked(params, l1, l2);
}
