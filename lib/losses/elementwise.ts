import { getBackend } from '../backend/index';
import { Loss, type LossCode } from '../backend/types';
import type { LossFunction } from './types';
import { checkComputeArgs, checkTargetLength, checkTargetValues, type TargetDomain } from './target-checks';

/**
 * The losses computed by one elementwise kernel (see Loss in lib/backend/types.ts for ℓ and its
 * derivative), differing in what the sum is divided by:
 *  - 'elements': mean over all m·n elements (mse, mae, binary cross-entropies, hinge) — for a
 *    single output unit this is the usual mean over samples;
 *  - 'samples': sum over the n outputs of a sample, mean over the m samples (halfMse's
 *    ½‖y − ŷ‖², KL divergence Σ y log(y/ŷ)).
 */
export class ElementwiseLoss implements LossFunction {
  readonly acceptsLabels = false;

  constructor(readonly name: string, private readonly code: LossCode, private readonly per: 'elements' | 'samples',
    private readonly domain: TargetDomain) {}

  compute(dpred: Float32Array, pred: Float32Array, target: Float32Array, m: number, n: number): number {
    checkComputeArgs(this.name, dpred, pred, target, m, n, false);
    const scale = this.per === 'elements' ? 1 / (m * n) : 1 / m;
    return getBackend().loss(this.code, dpred, pred, target, m * n, scale) * scale;
  }

  checkTarget(fn: string, arg: string, target: Float32Array, m: number, n: number): void {
    checkTargetLength(fn, arg, target, m, n, this.name, false);
    checkTargetValues(fn, arg, target, this.domain, this.name);
  }
}

/** (y − ŷ)² averaged over all elements; gradient 2(ŷ − y)/(m·n). */
export const mse = (): LossFunction => new ElementwiseLoss('mse', Loss.mse, 'elements', 'real');
/** ½‖y − ŷ‖² per sample averaged over samples (the backprop-derivation form); gradient (ŷ − y)/m. */
export const halfMse = (): LossFunction => new ElementwiseLoss('halfMse', Loss.halfMse, 'samples', 'real');
/** |y − ŷ| averaged over all elements; gradient sign(ŷ − y)/(m·n). */
export const mae = (): LossFunction => new ElementwiseLoss('mae', Loss.mae, 'elements', 'real');
/** −[y log ŷ + (1−y) log(1−ŷ)] on probabilities ŷ (clamped to [1e-7, 1−1e-7]), mean over all elements. */
export const binaryCrossentropy = (): LossFunction => new ElementwiseLoss('binaryCrossentropy', Loss.bce, 'elements', 'probability');
/** The same on logits z, in the stable form max(z,0) − zy + log(1+e^{−|z|}); gradient (σ(z) − y)/(m·n). */
export const binaryCrossentropyFromLogits = (): LossFunction =>
  new ElementwiseLoss('binaryCrossentropyFromLogits', Loss.bceLogits, 'elements', 'probability');
/** max(0, 1 − yŷ) with y ∈ {−1, +1}, mean over all elements. */
export const hinge = (): LossFunction => new ElementwiseLoss('hinge', Loss.hinge, 'elements', 'pm1');
/** Σ_k y_k log(y_k/ŷ_k) per sample (terms with y_k = 0 vanish; ŷ clamped ≥ 1e-7), mean over samples. */
export const kl = (): LossFunction => new ElementwiseLoss('kl', Loss.kl, 'samples', 'nonNegative');
