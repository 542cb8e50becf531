import type { Layer, LayerContext, Param, StateBuffer } from './layer';
import { checkBuilt, checkRows, checkSameBatch, checkShape, sizeOfShape } from './checks';
import { RowBuffer } from './row-buffer';
import { getBackend } from '../backend/index';
import type { Random } from '../random';
import { allocFloat32 } from '../alloc';
import { checkRange, fail } from '../validate';

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
export class Dropout implements Layer {
  readonly kind = 'Dropout';
  readonly rate: number;
  private size = 0;
  private built = false;
  private rng: Random | undefined;
  private m = 0;
  /** Whether the last forward applied a mask (training with p > 0); backward follows it. */
  private masked = false;
  private out: RowBuffer | undefined;
  private mask: RowBuffer | undefined;
  private dx: RowBuffer | undefined;
  private lastMask: Float32Array = EMPTY;

  /** Inverted dropout with the given rate, or from its configuration. */
  constructor(rate: number | DropoutConfig) {
    let p: unknown = rate;
    if (typeof rate === 'object' && rate !== null) {
      const { rate: r, ...rest } = rate as DropoutConfig & Record<string, unknown>;
      const extra = Object.keys(rest);
      if (extra.length > 0) fail('Dropout', 'config', 'an object with the key rate', `unknown key '${extra[0]}'`);
      p = r;
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
    checkBuilt('Dropout.forward', this.built);
    checkRows('Dropout.forward', 'x', x, m, this.size);
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
    checkBuilt('Dropout.backward', this.built);
    checkRows('Dropout.backward', 'dy', dy, m, this.size);
    checkSameBatch('Dropout.backward', m, this.m);
    if (!needInputGrad) return EMPTY;
    if (!this.masked) return dy;
    const dx = this.dx!.rows(m);
    getBackend().mul(dx, dy, this.lastMask, m * this.size);
    return dx;
  }

  /** None: dropout has no parameters. */
  params(): Param[] {
    return [];
  }

  state(): StateBuffer[] {
    return [];
  }

  config(): Record<string, unknown> {
    return { rate: this.rate };
  }

  toString(): string {
    return `Dropout(${this.rate})`;
  }
}

const EMPTY = allocFloat32(0);
