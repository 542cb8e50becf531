import { Loss, type LossCode } from '../types';

// Elementwise losses: ℓ(p, t) and g = ∂ℓ/∂p per Loss in types.ts. The returned sum is a double;
// the clamps are applied in double, so 1 − 1e-7 is exact to double precision, not rounded to float32.

const PROB_MIN = 1e-7;
const PROB_MAX = 1 - 1e-7;

/** Writes dpred = scale·g and returns Σ ℓ (unscaled) over n elements. */
export function loss(kind: LossCode, dpred: Float32Array, pred: Float32Array, target: Float32Array, n: number,
  scale: number): number {
  let total = 0;
  switch (kind) {
    case Loss.mse:
      for (let i = 0; i < n; i++) {
        const d = pred[i] - target[i];
        total += d * d;
        dpred[i] = scale * 2 * d;
      }
      return total;
    case Loss.halfMse:
      for (let i = 0; i < n; i++) {
        const d = pred[i] - target[i];
        total += 0.5 * d * d;
        dpred[i] = scale * d;
      }
      return total;
    case Loss.mae:
      for (let i = 0; i < n; i++) {
        const d = pred[i] - target[i];
        total += Math.abs(d);
        dpred[i] = d > 0 ? scale : d < 0 ? -scale : 0;
      }
      return total;
    case Loss.bce:
      for (let i = 0; i < n; i++) {
        const p = clamp(pred[i], PROB_MIN, PROB_MAX);
        const t = target[i];
        total -= t * Math.log(p) + (1 - t) * Math.log(1 - p);
        dpred[i] = scale * ((p - t) / (p * (1 - p)));
      }
      return total;
    case Loss.bceLogits:
      for (let i = 0; i < n; i++) {
        const z = pred[i];
        const t = target[i];
        total += Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
        dpred[i] = scale * (1 / (1 + Math.exp(-z)) - t);
      }
      return total;
    case Loss.hinge:
      for (let i = 0; i < n; i++) {
        const t = target[i];
        const margin = t * pred[i];
        if (margin < 1) {
          total += 1 - margin;
          dpred[i] = -scale * t;
        } else {
          dpred[i] = 0;
        }
      }
      return total;
    case Loss.kl:
      for (let i = 0; i < n; i++) {
        const p = Math.max(pred[i], PROB_MIN);
        const t = target[i];
        if (t > 0) total += t * Math.log(t / p);
        dpred[i] = scale * (-t / p);
      }
      return total;
    case Loss.cce:
      for (let i = 0; i < n; i++) {
        const p = Math.max(pred[i], PROB_MIN);
        const t = target[i];
        total -= t * Math.log(p);
        dpred[i] = scale * (-t / p);
      }
      return total;
    default:
      throw new RangeError(`loss: expected kind to be a loss code (0–7), received ${String(kind)}`);
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
