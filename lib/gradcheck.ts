import { allocFloat32, allocInt32 } from './alloc';
import { getLoss, type LossName } from './losses/index';
import { applyPenalties, checkPenalties, penaltyValue, type Penalties } from './losses/penalties';
import type { LossFunction } from './losses/types';
import type { Sequential } from './model/sequential';
import { Random } from './random';
import { Tensor } from './tensor';
import { checkBoolean, checkFinite, checkInt, checkNumber, fail, isFloat32Array } from './validate';

/** Options of {@link gradCheck}. */
export interface GradCheckOptions {
  /** Finite-difference step (default 1e-2; see the note on float32 below). */
  eps?: number;
  /** Which gradients to check, by key: '0.weight', '1.bias', …, and 'input' for ∂L/∂x. Default:
   *  every parameter and the input. */
  params?: readonly string[];
  /** At most this many entries per parameter, sampled without replacement (default 64). */
  maxPerParam?: number;
  /** Seed of that sampling (default 0). */
  seed?: number;
  /** L1/L2 penalties to include in the objective (and in the analytic gradient via applyPenalties). */
  penalties?: Penalties;
  /** Forward in training mode (default false). Only deterministic layers can be checked that way. */
  training?: boolean;
  /** Smallest denominator of the relative error (default 1e-3), so that two gradients that are both
   *  about 0 compare by absolute difference instead of dividing noise by noise. */
  floor?: number;
}

/** One checked gradient entry: where it is and both values. */
export interface GradCheckEntry {
  /** '0.weight', 'input', … */
  param: string;
  index: number;
  numeric: number;
  analytic: number;
}

/** What {@link gradCheck} found: the largest relative error and the worst entries. */
export interface GradCheckResult {
  /** max over checked entries of |analytic − numeric| / max(|analytic|, |numeric|, floor). */
  maxRelError: number;
  /** The entry where it occurs. */
  worst: GradCheckEntry;
  /** How many entries were compared. */
  checked: number;
}

/**
 * Compares backpropagation with central differences, (L(θ+h) − L(θ−h)) / 2h, for every parameter
 * entry (or a sample of maxPerParam per parameter) and every input value, on one batch.
 *
 * Precision. The network runs in float32, so each L carries a rounding error of roughly 1e-7·|L|,
 * which the difference quotient divides by 2h: with h = 1e-2 that is ~1e-5 absolute, while the
 * truncation error of central differences is O(h²). The quotient itself is formed in double, with
 * the step actually stored (fl32(θ ± h) − θ, not h). With the default floor 1e-3 a correct gradient
 * gives a maxRelError of about 1e-5..6e-3 (measured on small networks with every layer, activation
 * and loss of the library); above 1e-2 something is wrong (a missing factor 2 gives ~0.5). Kinks
 * (relu at 0, mae, hinge, l1) within h of an evaluation point give isolated large errors: use a
 * smaller eps (1e-3) or other data there.
 *
 * The model's parameters are restored exactly; their grads are left holding the analytic gradient.
 *
 * @example
 *   const r = gradCheck(model, x, y, 'softmaxCrossentropy');
 *   if (r.maxRelError > 1e-2) console.log('suspicious gradient', r.worst);
 */
export function gradCheck(model: Sequential, x: Tensor | Float32Array, y: Tensor | Float32Array,
  loss: LossName | LossFunction, options: GradCheckOptions = {}): GradCheckResult {
  const fn = 'gradCheck';
  if (typeof model !== 'object' || model === null || typeof model.forwardBatch !== 'function') {
    fail(fn, 'model', 'a Sequential model', model, 'type');
  }
  if (typeof options !== 'object' || options === null) fail(fn, 'options', 'an object', options, 'type');
  const eps = options.eps === undefined ? 1e-2 : checkNumber(fn, 'options.eps', options.eps);
  if (eps <= 0 || eps > 1) fail(fn, 'options.eps', 'a number in (0, 1]', String(eps));
  const maxPerParam = options.maxPerParam === undefined ? 64 : checkInt(fn, 'options.maxPerParam', options.maxPerParam, 1);
  const floor = options.floor === undefined ? 1e-3 : checkNumber(fn, 'options.floor', options.floor);
  if (floor <= 0) fail(fn, 'options.floor', 'a number > 0', String(floor));
  const training = options.training === undefined ? false : checkBoolean(fn, 'options.training', options.training);
  const penalties = options.penalties === undefined ? undefined : checkPenalties(fn, 'options.penalties', options.penalties);
  const sampler = new Random(options.seed === undefined ? 0 : checkInt(fn, 'options.seed', options.seed, 0, 2 ** 32 - 1));
  const lossFn = getLoss(loss);

  const inSize = model.inputSize;
  const n = model.outputSize;
  const xData = x instanceof Tensor ? x.data : x;
  if (!isFloat32Array(xData)) fail(fn, 'x', 'a Tensor or a Float32Array', x, 'type');
  if (xData.length === 0 || xData.length % inSize !== 0) fail(fn, 'x', `whole rows of ${inSize} floats`, `${xData.length} floats`);
  const m = xData.length / inSize;
  const yData = y instanceof Tensor ? y.data : y;
  if (!isFloat32Array(yData)) fail(fn, 'y', 'a Tensor or a Float32Array', y, 'type');
  checkFinite(fn, 'x', xData);
  lossFn.checkTarget(fn, 'y', yData, m, n);

  const entries = model.paramEntries();
  if (options.params !== undefined && (!Array.isArray(options.params) || options.params.length === 0)) {
    fail(fn, 'options.params', 'a non-empty array of keys', options.params, 'type');
  }
  const keys = options.params === undefined ? [...entries.map((e) => e.key), 'input'] : [...options.params];
  const known = new Map(entries.map((e) => [e.key, e.param] as const));
  for (const key of keys) {
    if (key !== 'input' && !known.has(key)) {
      fail(fn, 'options.params', `keys among ${[...known.keys(), 'input'].join(', ')}`, JSON.stringify(key));
    }
  }

  // Perturbing the input must not touch the caller's array.
  const xs = allocFloat32(m * inSize);
  xs.set(xData.subarray(0, m * inSize));
  const params = entries.map((e) => e.param);
  const dpred = allocFloat32(m * n);
  const objective = (): number => {
    const out = model.forwardBatch(xs, m, training);
    let value = lossFn.compute(dpred, out, yData, m, n);
    if (penalties !== undefined) value += penaltyValue(params, penalties);
    return value;
  };

  const out = model.forwardBatch(xs, m, training);
  lossFn.compute(dpred, out, yData, m, n);
  const dx = model.backwardBatch(dpred, m, keys.includes('input'));
  if (penalties !== undefined) applyPenalties(params, penalties);

  const targets = keys.map((key) => {
    const value = key === 'input' ? xs : known.get(key)!.value;
    const grad = key === 'input' ? dx : known.get(key)!.grad;
    const analytic = allocFloat32(value.length);
    analytic.set(grad.subarray(0, value.length));
    return { key, value, analytic };
  });

  let worst: GradCheckEntry = { param: '', index: -1, numeric: 0, analytic: 0 };
  let maxRelError = 0;
  let checked = 0;
  for (const { key, value, analytic } of targets) {
    for (const index of sampleIndices(value.length, maxPerParam, sampler)) {
      const original = value[index];
      value[index] = original + eps;
      const up = value[index] - original;
      const lossUp = objective();
      value[index] = original - eps;
      const down = original - value[index];
      const lossDown = objective();
      value[index] = original;
      const numeric = (lossUp - lossDown) / (up + down);
      const a = analytic[index];
      const rel = Math.abs(a - numeric) / Math.max(Math.abs(a), Math.abs(numeric), floor);
      checked++;
      if (rel > maxRelError || worst.index < 0) {
        maxRelError = Math.max(rel, maxRelError);
        worst = { param: key, index, numeric, analytic: a };
      }
    }
  }
  return { maxRelError, worst, checked };
}

/** All of 0..size−1 when size ≤ k, else k distinct indices (a partial Fisher–Yates shuffle). */
function sampleIndices(size: number, k: number, rng: Random): Int32Array {
  const all = allocInt32(size);
  for (let i = 0; i < size; i++) all[i] = i;
  if (size <= k) return all;
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng.next() * (size - i));
    const t = all[i];
    all[i] = all[j];
    all[j] = t;
  }
  return all.subarray(0, k);
}
