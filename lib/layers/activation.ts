import type { Layer, LayerContext } from './layer';
import { activationBackward, activationForward, activationLabel, resolveActivation, type ActivationName,
  type ResolvedActivation } from './activation-fn';
import { BaseLayer, EMPTY } from './base';
import { checkShape, sizeOfShape } from '../tensor';
import { RowBuffer } from '../alloc';
import { checkOptions, fail } from '../validate';

/** An Activation layer's JSON configuration. */
export interface ActivationConfig {
  activation: ActivationName;
  /** leakyRelu's slope (default 0.01) or elu's α (default 1); rejected for the other kinds. */
  alpha?: number;
}

/**
 * An activation as a layer of its own: identity (alias linear), step, sigmoid, tanh, relu,
 * leakyRelu, elu, or softmax (over the last dimension of each sample, max-subtracted).
 * step's derivative is taken as 0 (it is for the Perceptron, not for gradient descent).
 *
 * @example
 *   const model = new Sequential([new Dense(2, 4), new Activation('tanh'), new Dense(4, 1),
 *     new Activation('sigmoid')], { seed: 1 });
 */
export class Activation extends BaseLayer implements Layer {
  readonly kind = 'Activation';
  readonly activation: ResolvedActivation;
  private size = 0;
  private width = 0;
  private x: Float32Array | undefined;
  private y: Float32Array | undefined;
  private out: RowBuffer | undefined;
  private dx: RowBuffer | undefined;

  /** An activation by name (options.alpha for leakyRelu and elu), or its configuration. */
  constructor(activation: ActivationName | ActivationConfig, options: { alpha?: number } = {}) {
    super();
    if (typeof activation === 'object' && activation !== null) {
      checkOptions('Activation', 'config', activation, ['activation', 'alpha'], 'key');
      this.activation = resolveActivation('Activation', 'config.activation', activation.activation, activation.alpha);
    } else {
      if (typeof options !== 'object' || options === null) fail('Activation', 'options', 'an object', options, 'type');
      this.activation = resolveActivation('Activation', 'activation', activation, options.alpha);
    }
  }

  build(inputShape: readonly number[], _ctx?: LayerContext): readonly number[] {
    const shape = checkShape('Activation.build', 'inputShape', inputShape);
    this.size = sizeOfShape(shape);
    this.width = shape[shape.length - 1];
    this.out = new RowBuffer(this.size);
    this.dx = new RowBuffer(this.size);
    this.built = true;
    return [...shape];
  }

  forward(x: Float32Array, m: number, _training = false): Float32Array {
    this.checkForward(x, m, this.size);
    this.x = x;
    this.m = m;
    if (this.activation.name === 'identity') return x;
    const y = this.out!.rows(m);
    activationForward(this.activation, y, x, m * (this.size / this.width), this.width);
    this.y = y;
    return y;
  }

  backward(dy: Float32Array, m: number, needInputGrad = true): Float32Array {
    this.checkBackward(dy, m, this.size);
    if (!needInputGrad) return EMPTY;
    if (this.activation.name === 'identity') return dy;
    const dx = this.dx!.rows(m);
    activationBackward(this.activation, dx, dy, this.x!, this.y!, m * (this.size / this.width), this.width);
    return dx;
  }

  override config(): Record<string, unknown> {
    const { name, alpha } = this.activation;
    return name === 'leakyRelu' || name === 'elu' ? { activation: name, alpha } : { activation: name };
  }

  override toString(): string {
    return `Activation(${activationLabel(this.activation)})`;
  }
}
