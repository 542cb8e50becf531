import type { Layer, LayerContext, Param } from './layer';
import { BaseLayer, EMPTY } from './base';
import { checkShape, sizeOfShape } from '../tensor';
import { getBackend } from '../backend/index';
import { allocFloat32, RowBuffer } from '../alloc';
import { checkNumber, checkOptions, fail } from '../validate';

/** A LayerNorm layer's options (also its JSON configuration). */
export interface LayerNormConfig {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
}

/**
 * Layer normalisation: each sample is normalised over its own features, x̂ = (x − μ_row)/√(σ²_row + ε),
 * then y = γ x̂ + β (γ ones, β zeros, not decayed). Unlike batch norm it behaves the same in training
 * and inference and works for any batch size, including 1.
 *
 * @example
 *   const model = new Sequential([new Dense(8, 32), new LayerNorm(), new Activation('relu'),
 *     new Dense(32, 3)], { seed: 1 });
 */
export class LayerNorm extends BaseLayer implements Layer {
  readonly kind = 'LayerNorm';
  readonly eps: number;
  private n = 0;
  private gamma: Param | undefined;
  private beta: Param | undefined;
  private out: RowBuffer | undefined;
  private xhat: RowBuffer | undefined;
  private dx: RowBuffer | undefined;
  private mean: RowBuffer | undefined;
  private invStd: RowBuffer | undefined;
  private lastXhat = EMPTY;
  private lastInvStd = EMPTY;

  /** Layer normalisation over the features of each row. */
  constructor(options: LayerNormConfig = {}) {
    super();
    if (options === null || typeof options !== 'object' || Array.isArray(options)) fail('LayerNorm', 'options', 'an object', options, 'type');
    checkOptions('LayerNorm', 'options', options, ['eps'], 'key');
    const { eps = 1e-5 } = options;
    checkNumber('LayerNorm', 'eps', eps);
    if (eps <= 0) fail('LayerNorm', 'eps', 'a number > 0', String(eps));
    this.eps = eps;
  }

  build(inputShape: readonly number[], _ctx?: LayerContext): readonly number[] {
    const shape = checkShape('LayerNorm.build', 'inputShape', inputShape);
    const n = sizeOfShape(shape);
    this.n = n;
    this.gamma = { name: 'gamma', shape: [n], value: allocFloat32(n).fill(1), grad: allocFloat32(n), decay: false };
    this.beta = { name: 'beta', shape: [n], value: allocFloat32(n), grad: allocFloat32(n), decay: false };
    this.out = new RowBuffer(n);
    this.xhat = new RowBuffer(n);
    this.dx = new RowBuffer(n);
    this.mean = new RowBuffer(1);
    this.invStd = new RowBuffer(1);
    this.built = true;
    return [...shape];
  }

  forward(x: Float32Array, m: number, _training = false): Float32Array {
    this.checkForward(x, m, this.n);
    const y = this.out!.rows(m);
    const xhat = this.xhat!.rows(m);
    const invStd = this.invStd!.rows(m);
    getBackend().layerNormForward(y, xhat, this.mean!.rows(m), invStd, x, this.gamma!.value, this.beta!.value, m, this.n, this.eps);
    this.m = m;
    this.lastXhat = xhat;
    this.lastInvStd = invStd;
    return y;
  }

  backward(dy: Float32Array, m: number, _needInputGrad = true): Float32Array {
    this.checkBackward(dy, m, this.n);
    const dx = this.dx!.rows(m);
    getBackend().layerNormBackward(dx, this.gamma!.grad, this.beta!.grad, dy, this.lastXhat, this.lastInvStd, this.gamma!.value, m, this.n);
    return dx;
  }

  /** The scale gamma and the shift beta. */
  override params(): Param[] {
    this.checkBuilt('params');
    return [this.gamma!, this.beta!];
  }

  override config(): Record<string, unknown> {
    return { eps: this.eps };
  }

  override toString(): string {
    return `LayerNorm(eps=${this.eps})`;
  }
}
