import { getBackend } from '../backend/index';
import { Loss } from '../backend/types';
import { RowBuffer } from '../alloc';
import type { LossFunction } from './types';
import { checkComputeArgs, checkTargetLength, checkTargetValues } from './target-checks';
import { checkClassLabels } from '../validate';
import { fail } from '../validate';

/**
 * Categorical cross-entropy on probabilities ŷ (e.g. after a softmax layer): −Σ_k y_k log ŷ_k per
 * sample (ŷ clamped ≥ 1e-7), mean over samples; gradient −y/(m·ŷ). Targets are one-hot (or soft)
 * m×n rows, or m integer class labels, expanded with the oneHot kernel into a buffer this loss owns.
 * Prefer softmaxCrossentropy on logits: it is fused, stabler and cheaper.
 */
export class CategoricalCrossentropy implements LossFunction {
  readonly name = 'categoricalCrossentropy';
  readonly acceptsLabels = true;
  private oneHotRows: RowBuffer | undefined;

  compute(dpred: Float32Array, pred: Float32Array, target: Float32Array, m: number, n: number): number {
    const sparse = checkComputeArgs(this.name, dpred, pred, target, m, n, true);
    const backend = getBackend();
    let dense = target;
    if (sparse) {
      if (this.oneHotRows === undefined || this.oneHotRows.width !== n) this.oneHotRows = new RowBuffer(n);
      dense = this.oneHotRows.rows(m);
      backend.oneHot(dense, target, m, n);
    }
    return backend.loss(Loss.cce, dpred, pred, dense, m * n, 1 / m) / m;
  }

  checkTarget(fn: string, arg: string, target: Float32Array, m: number, n: number): void {
    checkClasses(fn, n, this.name);
    const sparse = checkTargetLength(fn, arg, target, m, n, this.name, true);
    if (sparse) checkClassLabels(fn, arg, target, n, ` for loss '${this.name}'`);
    else checkTargetValues(fn, arg, target, 'probability', this.name);
  }
}

/**
 * Softmax and cross-entropy fused, on logits z (the default for classifiers; put no softmax layer
 * before it): per sample L = logsumexp(z) − z_true (with soft targets Σ_k y_k(logsumexp(z) − z_k)),
 * mean over samples; gradient ∂L/∂z = (softmax(z) − y)/m. Targets one-hot m×n or m class labels.
 */
export class SoftmaxCrossentropy implements LossFunction {
  readonly name = 'softmaxCrossentropy';
  readonly acceptsLabels = true;

  compute(dpred: Float32Array, pred: Float32Array, target: Float32Array, m: number, n: number): number {
    const sparse = checkComputeArgs(this.name, dpred, pred, target, m, n, true);
    return getBackend().softmaxCrossentropy(dpred, pred, target, m, n, sparse, 1 / m) / m;
  }

  checkTarget(fn: string, arg: string, target: Float32Array, m: number, n: number): void {
    checkClasses(fn, n, this.name);
    const sparse = checkTargetLength(fn, arg, target, m, n, this.name, true);
    if (sparse) checkClassLabels(fn, arg, target, n, ` for loss '${this.name}'`);
    else checkTargetValues(fn, arg, target, 'probability', this.name);
  }
}

function checkClasses(fn: string, n: number, loss: string): void {
  if (n < 2) fail(fn, 'the model output', `≥ 2 units (one per class) for loss '${loss}'`, `${n} unit`);
}

export const categoricalCrossentropy = (): LossFunction => new CategoricalCrossentropy();
export const softmaxCrossentropy = (): LossFunction => new SoftmaxCrossentropy();
