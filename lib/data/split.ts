// Holding out part of the data (a test or validation set) before any fitting.

import { allocFloat32, allocInt32 } from '../alloc';
import { Random } from '../random';
import { Tensor } from '../tensor';
import { checkBoolean, checkRange, fail, shapeString } from '../validate';
import { checkObject } from './check';

/** One part of a split data set. */
export interface Split {
  x: Tensor;
  y: Tensor;
}

interface CommonSplitOptions {
  /** Seed (or a generator to draw from) for the shuffle. Default 0: the same split every run. */
  seed?: number | Random;
  /** Shuffle before splitting (default true); false holds out the last rows in order. */
  shuffle?: boolean;
}
/** The fraction to hold out (as a test or a validation set), and the shuffle's seed. */
export type SplitOptions =
  | (CommonSplitOptions & { testFraction: number; validationFraction?: undefined })
  | (CommonSplitOptions & { validationFraction: number; testFraction?: undefined });

/** Copies rows `order[from..to)` of t into a new tensor. */
function gatherRows(t: Tensor, order: Int32Array, from: number, to: number): Tensor {
  const stride = t.shape[0] === 0 ? 0 : t.size / t.shape[0];
  const out = allocFloat32((to - from) * stride);
  for (let i = from; i < to; i++) out.set(t.data.subarray(order[i] * stride, (order[i] + 1) * stride), (i - from) * stride);
  return new Tensor(out, [to - from, ...t.shape.slice(1)]);
}

/**
 * Splits rows of x and y (same first dimension; y may be labels [n] or targets/one-hot [n, k])
 * into a training part and a held-out part of round(n · fraction) rows. With testFraction the
 * held-out part is returned as `test`, with validationFraction as `validation`.
 */
export function trainTestSplit(x: Tensor, y: Tensor, options: CommonSplitOptions & { testFraction: number }): { train: Split; test: Split };
export function trainTestSplit(x: Tensor, y: Tensor, options: CommonSplitOptions & { validationFraction: number }): { train: Split; validation: Split };
export function trainTestSplit(x: Tensor, y: Tensor, options: SplitOptions): { train: Split; test?: Split; validation?: Split } {
  const fn = 'trainTestSplit';
  if (!(x instanceof Tensor)) fail(fn, 'x', 'a Tensor', x, 'type');
  if (!(y instanceof Tensor)) fail(fn, 'y', 'a Tensor', y, 'type');
  if (x.rank < 1) fail(fn, 'x', 'a Tensor with a first (sample) dimension', `shape ${shapeString(x.shape)}`);
  if (y.rank < 1 || y.shape[0] !== x.shape[0]) fail(fn, 'y', `a Tensor with ${x.shape[0]} rows like x`, `shape ${shapeString(y.shape)}`);
  const o = checkObject(fn, 'options', options) as unknown as SplitOptions;
  const hasTest = o.testFraction !== undefined;
  const hasValidation = o.validationFraction !== undefined;
  if (hasTest === hasValidation) fail(fn, 'options', 'exactly one of testFraction and validationFraction', hasTest ? 'both' : 'neither');
  const key = hasTest ? 'testFraction' : 'validationFraction';
  const fraction = checkRange(fn, `options.${key}`, hasTest ? o.testFraction : o.validationFraction, 0, 1);
  if (fraction === 0 || fraction === 1) fail(fn, `options.${key}`, 'a number strictly between 0 and 1', String(fraction));
  const shuffle = o.shuffle === undefined ? true : checkBoolean(fn, 'options.shuffle', o.shuffle);
  const seed = o.seed ?? 0;
  if (!(seed instanceof Random) && (typeof seed !== 'number' || !Number.isInteger(seed))) fail(fn, 'options.seed', 'an integer or a Random', seed, typeof seed === 'number' ? 'range' : 'type');

  const n = x.shape[0];
  const held = Math.round(n * fraction);
  if (held < 1 || held > n - 1) {
    throw new RangeError(`${fn}: ${key} ${fraction} of ${n} rows holds out ${held}, leaving an empty part; each part needs at least one row`);
  }
  const order = allocInt32(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (shuffle) (seed instanceof Random ? seed : new Random(seed)).shuffle(order);
  const cut = n - held;
  const train = { x: gatherRows(x, order, 0, cut), y: gatherRows(y, order, 0, cut) };
  const rest = { x: gatherRows(x, order, cut, n), y: gatherRows(y, order, cut, n) };
  return hasTest ? { train, test: rest } : { train, validation: rest };
}
