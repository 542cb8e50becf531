// A per-sample weighted loss built around any LossFunction, without a new kernel: each row is
// computed as a batch of one (the loss and its gradient row), its gradient row is scaled by w_i/m
// and the loss is Σ w_i·L_i / m — the weighted mean over the batch's m samples (the convention of
// Keras' sample weights, so weights that average 1 keep the loss's scale). Costs m kernel calls per
// step instead of one; only weighted fits pay it.

import { allocFloat32 } from '../alloc';
import type { LossFunction } from './types';

export class WeightedLoss {
  private readonly pred1: Float32Array;
  private readonly target1: Float32Array;
  private readonly dpred1: Float32Array;

  /** k outputs per sample; targets of `targetWidth` floats per sample (1 for class labels). */
  constructor(readonly loss: LossFunction, private readonly k: number, private readonly targetWidth: number) {
    this.pred1 = allocFloat32(k);
    this.target1 = allocFloat32(targetWidth);
    this.dpred1 = allocFloat32(k);
  }

  /** Writes dpred = ∂(Σ w_i·L_i / m)/∂pred and returns that weighted mean. */
  compute(dpred: Float32Array, pred: Float32Array, target: Float32Array, weights: Float32Array, m: number): number {
    const { k, targetWidth, pred1, target1, dpred1 } = this;
    let sum = 0;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < k; j++) pred1[j] = pred[i * k + j];
      for (let j = 0; j < targetWidth; j++) target1[j] = target[i * targetWidth + j];
      const w = weights[i];
      sum += w * this.loss.compute(dpred1, pred1, target1, 1, k);
      const scale = w / m;
      for (let j = 0; j < k; j++) dpred[i * k + j] = dpred1[j] * scale;
    }
    return sum / m;
  }
}
