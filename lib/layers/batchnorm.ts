import type { Layer, LayerContext, Param, StateBuffer } from './layer';
import { BaseLayer, EMPTY } from './base';
import { checkShape, sizeOfShape } from '../tensor';
import { getBackend } from '../backend/index';
import { allocFloat32, RowBuffer } from '../alloc';
import { checkNumber, checkOptions, checkRange, fail } from '../validate';

/** A BatchNorm layer's options (also its JSON configuration). */
export interface BatchNormConfig {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Weight of the current batch in the running averages (default 0.1, PyTorch's convention). */
  momentum?: number;
}

/**
 * Batch normalisation over the batch dimension, one mean and variance per feature:
 * x̂ = (x − μ)/√(σ² + ε), y = γ x̂ + β with learnable γ (ones) and β (zeros), which are not decayed.
 * Training uses the batch statistics and updates running averages
 * (r ← (1 − momentum)·r + momentum·batch, the variance unbiased as in PyTorch); inference uses the
 * running averages. They are saved with the model (state()). Place it between a Dense layer and its
 * activation.
 *
 * A training batch of one row has no variance: its output is β and the running variance is left
 * unchanged.
 *
 * @example
 *   const model = new Sequential([new Dense(2, 16), new BatchNorm(), new Activation('relu'),
 *     new Dense(16, 1)], { seed: 1 });
 */
export class BatchNorm extends BaseLayer implements Layer {
  readonly kind = 'BatchNorm';
  readonly eps: number;
  readonly momentum: number;
  private n = 0;
  private training = false;
  private gamma: Param | undefined;
  private beta: Param | undefined;
  private runningMean = EMPTY;
  private runningVar = EMPTY;
  private batchMean = EMPTY;
  private batchInvStd = EMPTY;
  private evalInvStd = EMPTY;
  private out: RowBuffer | undefined;
  private xhat: RowBuffer | undefined;
  private dx: RowBuffer | undefined;
  private lastXhat = EMPTY;

  /** Batch normalisation over the features of each batch, with running statistics for inference. */
  constructor(options: BatchNormConfig = {}) {
    super();
    if (options === null || typeof options !== 'object' || Array.isArray(options)) fail('BatchNorm', 'options', 'an object', options, 'type');
    checkOptions('BatchNorm', 'options', options, ['eps', 'momentum'], 'key');
    const { eps = 1e-5, momentum = 0.1 } = options;
    checkNumber('BatchNorm', 'eps', eps);
    if (eps <= 0) fail('BatchNorm', 'eps', 'a number > 0', String(eps));
    this.eps = eps;
    this.momentum = checkRange('BatchNorm', 'momentum', momentum, 0, 1);
  }

  build(inputShape: readonly number[], _ctx?: LayerContext): readonly number[] {
    const shape = checkShape('BatchNorm.build', 'inputShape', inputShape);
    const n = sizeOfShape(shape);
    this.n = n;
    this.gamma = { name: 'gamma', shape: [n], value: allocFloat32(n).fill(1), grad: allocFloat32(n), decay: false };
    this.beta = { name: 'beta', shape: [n], value: allocFloat32(n), grad: allocFloat32(n), decay: false };
    this.runningMean = allocFloat32(n);
    this.runningVar = allocFloat32(n).fill(1);
    this.batchMean = allocFloat32(n);
    this.batchInvStd = allocFloat32(n);
    this.evalInvStd = allocFloat32(n);
    this.out = new RowBuffer(n);
    this.xhat = new RowBuffer(n);
    this.dx = new RowBuffer(n);
    this.built = true;
    return [...shape];
  }

  forward(x: Float32Array, m: number, training = false): Float32Array {
    this.checkForward(x, m, this.n);
    const n = this.n;
    const y = this.out!.rows(m);
    const xhat = this.xhat!.rows(m);
    const backend = getBackend();
    if (training) {
      backend.batchNormForward(y, xhat, this.batchMean, this.batchInvStd, x, this.gamma!.value, this.beta!.value, m, n, this.eps, true);
      this.updateRunningStats(m);
    } else {
      const rv = this.runningVar;
      for (let j = 0; j < n; j++) this.evalInvStd[j] = 1 / Math.sqrt(rv[j] + this.eps);
      backend.batchNormForward(y, xhat, this.runningMean, this.evalInvStd, x, this.gamma!.value, this.beta!.value, m, n, this.eps, false);
    }
    this.m = m;
    this.training = training;
    this.lastXhat = xhat;
    return y;
  }

  backward(dy: Float32Array, m: number, _needInputGrad = true): Float32Array {
    this.checkBackward(dy, m, this.n);
    // dγ and dβ are needed even for a first layer, and the kernel computes dx alongside them.
    const dx = this.dx!.rows(m);
    const invStd = this.training ? this.batchInvStd : this.evalInvStd;
    getBackend().batchNormBackward(dx, this.gamma!.grad, this.beta!.grad, dy, this.lastXhat, invStd, this.gamma!.value, m, this.n,
      this.training);
    return dx;
  }

  /** The scale gamma and the shift beta. */
  override params(): Param[] {
    this.checkBuilt('params');
    return [this.gamma!, this.beta!];
  }

  override state(): StateBuffer[] {
    this.checkBuilt('state');
    return [
      { name: 'runningMean', shape: [this.n], value: this.runningMean },
      { name: 'runningVar', shape: [this.n], value: this.runningVar },
    ];
  }

  override config(): Record<string, unknown> {
    return { eps: this.eps, momentum: this.momentum };
  }

  override toString(): string {
    return `BatchNorm(eps=${this.eps}, momentum=${this.momentum})`;
  }

  private updateRunningStats(m: number): void {
    const k = this.momentum;
    const mean = this.batchMean;
    const invStd = this.batchInvStd;
    const rm = this.runningMean;
    const rv = this.runningVar;
    const unbias = m > 1 ? m / (m - 1) : 0;
    for (let j = 0; j < this.n; j++) {
      rm[j] = (1 - k) * rm[j] + k * mean[j];
      if (m > 1) {
        // The kernel returns 1/√(σ² + ε); undo it to recover the biased batch variance.
        const biased = Math.max(0, 1 / (invStd[j] * invStd[j]) - this.eps);
        rv[j] = (1 - k) * rv[j] + k * biased * unbias;
      }
    }
  }
}
