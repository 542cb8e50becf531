import { allocFloat32 } from '../alloc';
import { fail, isFloat32Array } from '../validate';
import type { Layer, LayerContext, Param, StateBuffer } from './layer';

/** What backward returns when no input gradient is wanted, and a layer's arrays before build. */
export const EMPTY = allocFloat32(0);

/**
 * What every layer shares: the O(1) checks that open forward and backward (cheap enough for every
 * step, never per element), the row count of the last forward, and the defaults (no parameters, no
 * state). A subclass writes build (setting `built`), forward (setting `m`), backward and config.
 * The checks build their messages only when they fail, so a passing check costs a few comparisons.
 * A new layer also needs a line in layerClasses (layers/index.ts) to be saved and loaded.
 */
export abstract class BaseLayer implements Layer {
  abstract readonly kind: string;
  /** Whether build has run. */
  protected built = false;
  /** The row count of the last forward (0: none yet); backward must see the same. */
  protected m = 0;

  abstract build(inputShape: readonly number[], ctx: LayerContext): readonly number[];
  abstract forward(x: Float32Array, m: number, training: boolean): Float32Array;
  abstract backward(dy: Float32Array, m: number, needInputGrad: boolean): Float32Array;
  abstract config(): Record<string, unknown>;

  params(): Param[] {
    return [];
  }

  state(): StateBuffer[] {
    return [];
  }

  /** Throws unless build has run; `member` names what was asked for ('params', 'weight'). */
  protected checkBuilt(member: string): void {
    if (!this.built) checkBuilt(`${this.kind}.${member}`, false);
  }

  /** forward's checks: built, and x holds at least m rows of `width` floats. */
  protected checkForward(x: unknown, m: unknown, width: number): void {
    if (this.built && hasRows(x, m, width)) return;
    const fn = `${this.kind}.forward`;
    checkBuilt(fn, this.built);
    checkRows(fn, 'x', x, m, width);
  }

  /** backward's checks: built, dy holds m rows of `width` floats, and m is the last forward's. */
  protected checkBackward(dy: unknown, m: unknown, width: number): void {
    if (this.built && hasRows(dy, m, width) && m === this.m) return;
    const fn = `${this.kind}.backward`;
    checkBuilt(fn, this.built);
    checkRows(fn, 'dy', dy, m, width);
    checkSameBatch(fn, m as number, this.m);
  }
}

function hasRows(x: unknown, m: unknown, width: number): boolean {
  return typeof m === 'number' && Number.isInteger(m) && m >= 1 && isFloat32Array(x) && x.length >= m * width;
}

function checkBuilt(fn: string, built: boolean): void {
  if (!built) {
    throw new Error(`${fn}: the layer is not built yet; add it to a Sequential model (which calls build) ` +
      'or call build(inputShape, { rng }) first');
  }
}

/** x must be a Float32Array holding at least m rows of `width` floats (only those are read). */
function checkRows(fn: string, arg: string, x: unknown, m: unknown, width: number): void {
  if (typeof m !== 'number' || !Number.isInteger(m) || m < 1) {
    fail(fn, 'm', 'an integer ≥ 1 (the number of rows)', typeof m === 'number' ? String(m) : m, typeof m === 'number' ? 'range' : 'type');
  }
  if (!isFloat32Array(x)) fail(fn, arg, 'a Float32Array', x, 'type');
  if (x.length < m * width) {
    fail(fn, arg, `${m} rows of ${width} floats (${m * width})`, `${x.length} floats`);
  }
}

/** backward must see the row count of the forward it differentiates (0 = no forward yet). */
function checkSameBatch(fn: string, m: number, forwardM: number): void {
  if (forwardM === 0) throw new Error(`${fn}: called before forward`);
  if (m !== forwardM) fail(fn, 'm', `${forwardM}, the row count of the last forward`, String(m));
}
