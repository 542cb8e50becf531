import { getBackend } from '../backend/index';
import type { Param } from '../layers/layer';
import { checkPositive, fail, isFloat32Array } from '../validate';

// Gradient clipping, the usual remedy for exploding gradients (Pascanu et al. 2013). The checked
// functions are the public ones; the fit loop validates its limits once in compile() and calls the
// unchecked pair.

function checkParams(fn: string, params: unknown): readonly Param[] {
  if (!Array.isArray(params)) fail(fn, 'params', 'an array of parameters', params, 'type');
  params.forEach((p, i) => {
    if (p === null || typeof p !== 'object' || !isFloat32Array(p.grad)) {
      fail(fn, `params[${i}]`, 'a parameter with a Float32Array grad', p, 'type');
    }
  });
  return params as Param[];
}

/** The L2 norm of all gradients taken together, √(Σ_params Σ g²). */
export function globalGradNorm(params: readonly Param[]): number {
  return gradNormUnchecked(checkParams('globalGradNorm', params));
}

/** Clamps every gradient element to [−limit, limit]. */
export function clipGradsByValue(params: readonly Param[], limit: number): void {
  checkParams('clipGradsByValue', params);
  clipByValueUnchecked(params, checkPositive('clipGradsByValue', 'limit', limit));
}

/** Rescales all gradients together so that their global L2 norm is at most maxNorm (direction kept).
 *  Returns the norm before clipping. */
export function clipGradsByNorm(params: readonly Param[], maxNorm: number): number {
  checkParams('clipGradsByNorm', params);
  return clipByNormUnchecked(params, checkPositive('clipGradsByNorm', 'maxNorm', maxNorm));
}

function gradNormUnchecked(params: readonly Param[]): number {
  const backend = getBackend();
  let sum = 0;
  for (let i = 0; i < params.length; i++) sum += backend.sumSquares(params[i].grad, params[i].grad.length);
  return Math.sqrt(sum);
}

export function clipByValueUnchecked(params: readonly Param[], limit: number): void {
  const backend = getBackend();
  for (let i = 0; i < params.length; i++) backend.clip(params[i].grad, -limit, limit, params[i].grad.length);
}

export function clipByNormUnchecked(params: readonly Param[], maxNorm: number): number {
  const norm = gradNormUnchecked(params);
  // A non-finite norm is left alone: scaling by 0 or NaN would hide the problem from the NaN check.
  if (norm > maxNorm && Number.isFinite(norm)) {
    const backend = getBackend();
    const factor = maxNorm / norm;
    for (let i = 0; i < params.length; i++) backend.scale(params[i].grad, factor, params[i].grad.length);
  }
  return norm;
}
