// Holding out part of the data (a test or validation set) before any fitting.

import { allocFloat32, allocInt32 } from '../alloc';
import { Random } from '../random';
import { Tensor } from '../tensor';
import { checkBoolean, checkInt, checkRange, fail, shapeString } from '../validate';
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
  /** Keep each class's share the same in both parts (y: class labels [n] or one-hot rows [n, k]).
   *  Default false. */
  stratify?: boolean;
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
  const stratify = o.stratify === undefined ? false : checkBoolean(fn, 'options.stratify', o.stratify);
  const seed = checkSeed(fn, o.seed);

  const n = x.shape[0];
  const held = Math.round(n * fraction);
  if (held < 1 || held > n - 1) {
    throw new RangeError(`${fn}: ${key} ${fraction} of ${n} rows holds out ${held}, leaving an empty part; each part needs at least one row`);
  }
  let order = allocInt32(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (shuffle) (seed instanceof Random ? seed : new Random(seed)).shuffle(order);
  if (stratify) {
    const labels = classLabels(y);
    if (labels === undefined) fail(fn, 'y', 'class labels (non-negative integers [n]) or one-hot rows [n, k] with options.stratify', `shape ${shapeString(y.shape)} of other values`);
    // Class by class, every (n / held)-th row is held out: each class keeps its share within one row.
    const grouped = byClass(order, labels);
    order = allocInt32(n);
    let kept = 0;
    let out = n - held;
    for (let i = 0; i < n; i++) {
      if (Math.floor(((i + 1) * held) / n) > Math.floor((i * held) / n)) order[out++] = grouped[i];
      else order[kept++] = grouped[i];
    }
  }
  const cut = n - held;
  const train = { x: gatherRows(x, order, 0, cut), y: gatherRows(y, order, 0, cut) };
  const rest = { x: gatherRows(x, order, cut, n), y: gatherRows(y, order, cut, n) };
  return hasTest ? { train, test: rest } : { train, validation: rest };
}

function checkSeed(fn: string, seed: unknown): number | Random {
  const s = seed ?? 0;
  if (!(s instanceof Random) && (typeof s !== 'number' || !Number.isInteger(s))) fail(fn, 'options.seed', 'an integer or a Random', s, typeof s === 'number' ? 'range' : 'type');
  return s as number | Random;
}

/**
 * The class of every row when y holds class labels: [n] non-negative integers, or one-hot rows
 * [n, k] (each row zeros and a single 1). Undefined for other targets (regression).
 */
export function classLabels(y: { data: Float32Array; shape: readonly number[] }): Int32Array | undefined {
  const n = y.shape[0];
  const width = n === 0 ? 0 : y.data.length / n;
  const labels = allocInt32(n);
  if (width === 1) {
    for (let i = 0; i < n; i++) {
      const c = y.data[i];
      if (!Number.isInteger(c) || c < 0) return undefined;
      labels[i] = c;
    }
    return labels;
  }
  for (let i = 0; i < n; i++) {
    let hot = -1;
    for (let j = 0; j < width; j++) {
      const v = y.data[i * width + j];
      if (v === 1 && hot < 0) hot = j;
      else if (v !== 0) return undefined;
    }
    if (hot < 0) return undefined;
    labels[i] = hot;
  }
  return labels;
}

/** The order's rows regrouped class by class (a stable sort by label). */
function byClass(order: Int32Array, labels: Int32Array): Int32Array {
  const position = allocInt32(order.length);
  for (let i = 0; i < order.length; i++) position[order[i]] = i;
  return Int32Array.from(order).sort((a, b) => labels[a] - labels[b] || position[a] - position[b]);
}

/** Options of {@link kFolds}. */
export interface FoldOptions {
  /** Shuffle seed (or generator); default 0. */
  seed?: number | Random;
  /** Shuffle before cutting (default true). */
  shuffle?: boolean;
  /** Class labels (classLabels(y)): each fold then keeps every class's share within one row. */
  labels?: Int32Array;
}

/**
 * k folds of the rows 0…n−1: the held-out rows of each fold (sizes differ by at most one; together
 * every row once). With labels the folds are stratified: rows are grouped by class after the shuffle
 * and dealt to the folds in turn.
 *
 * @example
 *   const folds = kFolds(y.shape[0], 5, { labels: classLabels(y) });   // Int32Array[] of row indices
 */
export function kFolds(n: number, k: number, options: FoldOptions = {}): Int32Array[] {
  const fn = 'kFolds';
  checkInt(fn, 'n', n, 1);
  checkInt(fn, 'k', k, 2);
  if (k > n) fail(fn, 'k', `at most n (${n}) folds`, String(k));
  const o = checkObject(fn, 'options', options) as FoldOptions;
  const shuffle = o.shuffle === undefined ? true : checkBoolean(fn, 'options.shuffle', o.shuffle);
  const seed = checkSeed(fn, o.seed);
  if (o.labels !== undefined && (!(o.labels instanceof Int32Array) || o.labels.length !== n)) {
    fail(fn, 'options.labels', `an Int32Array of ${n} class labels`, o.labels, 'type');
  }
  let order = allocInt32(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (shuffle) (seed instanceof Random ? seed : new Random(seed)).shuffle(order);
  if (o.labels !== undefined) order = byClass(order, o.labels);
  const folds = Array.from({ length: k }, (_, f) => allocInt32(Math.floor((n - f + k - 1) / k)));
  for (let i = 0; i < n; i++) folds[i % k][Math.floor(i / k)] = order[i];
  return folds;
}
