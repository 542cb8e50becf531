import type { Layer, LayerContext } from './layer';
import { BaseLayer, EMPTY } from './base';
import { checkShape, sizeOfShape } from '../tensor';
import { getBackend } from '../backend/index';
import type { Random } from '../random';
import { RowBuffer } from '../alloc';
import { checkOptions, checkRange, fail } from '../validate';

/** A Dropout layer's JSON configuration. */
export interface DropoutConfig {
  /** The probability p of zeroing each unit, in [0, 1). */
  rate: number;
}

/**
 * Inverted dropout: in training each unit is zeroed with probability p and the survivors are scaled
 * by 1/(1−p), so inference is the identity (no rescaling needed). Each training forward draws a
 * fresh mask seed from the model's seeded generator: the same model seed gives the same masks.
 *
 * @example
 *   const model = new Sequential([new Dense(784, 256), new Activation('relu'), new Dropout(0.2),
 *     new Dense(256, 10)], { seed: 1 });
 */
export class Dropout extends BaseLayer implements Layer {
  readonly kind = 'Dropout';
  readonly rate: number;
  private size = 0;
  private rng: Random | undefined;
  /** Whether the last forward applied a mask (training with p > 0); backward follows it. */
  private masked = false;
  private out: RowBuffer | undefined;
  private mask: RowBuffer | undefined;
  private dx: RowBuffer | undefined;
  private lastMask: Float32Array = EMPTY;

  /** Inverted dropout with the given rate, or from its configuration. */
  constructor(rate: number | DropoutConfig) {
    super();
    let p: unknown = rate;
    if (typeof rate === 'object' && rate !== null) {
      checkOptions('Dropout', 'config', rate, ['rate'], 'key');
      p = rate.rate;
    }
    this.rate = checkRange('Dropout', 'rate', p, 0, 1, true);
  }

  build(inputShape: readonly number[], ctx: LayerContext): readonly number[] {
    const shape = checkShape('Dropout.build', 'inputShape', inputShape);
    if (ctx === null || typeof ctx !== 'object' || typeof ctx.rng?.uint32 !== 'function') {
      fail('Dropout.build', 'ctx', '{ rng: Random } (the model supplies it)', ctx, 'type');
    }
    this.size = sizeOfShape(shape);
    this.rng = ctx.rng;
    this.out = new RowBuffer(this.size);
    this.mask = new RowBuffer(this.size);
    this.dx = new RowBuffer(this.size);
    this.built = true;
    return [...shape];
  }

  forward(x: Float32Array, m: number, training = false): Float32Array {
    this.checkForward(x, m, this.size);
    this.m = m;
    this.masked = training && this.rate > 0;
    if (!this.masked) return x;
    const y = this.out!.rows(m);
    const mask = this.mask!.rows(m);
    getBackend().dropoutForward(y, mask, x, m * this.size, this.rate, this.rng!.uint32());
    this.lastMask = mask;
    return y;
  }

  backward(dy: Float32Array, m: number, needInputGrad = true): Float32Array {
    this.checkBackward(dy, m, this.size);
    if (!needInputGrad) return EMPTY;
    if (!this.masked) return dy;
    const dx = this.dx!.rows(m);
    getBackend().mul(dx, dy, this.lastMask, m * this.size);
    return dx;
  }

  override config(): Record<string, unknown> {
    return { rate: this.rate };
  }

  override toString(): string {
    return `Dropout(${this.rate})`;
  }
}
