import { allocFloat32 } from '../alloc';
import { shapeSize, Tensor } from '../tensor';
import { checkClassLabels, fail, isFloat32Array, isInt32Array, isUint8Array, shapeString } from '../validate';

/** What fit/evaluate/predict accept for x and y: a Tensor, a { data, shape } pair, nested arrays of
 *  numbers, or a flat Float32Array of consecutive samples (x: inputSize floats each; y: one target
 *  or label each, or one row of outputs each); for y also a flat array / Int32Array / Uint8Array of
 *  class labels or single targets. */
export type DataInput =
  | Tensor
  | { readonly data: Float32Array; readonly shape: readonly number[] }
  | readonly (readonly number[])[]
  | readonly number[]
  | Float32Array
  | Int32Array
  | Uint8Array;

/** Rows of floats: n samples of `width` floats each, contiguous. */
export interface Rows {
  readonly data: Float32Array;
  readonly n: number;
  readonly width: number;
  /** The per-sample shape (shape without its first dimension). */
  readonly sampleShape: readonly number[];
}

/** Turns any accepted input into rows without copying when it already is a Float32Array. */
export function toRows(fn: string, arg: string, value: unknown): Rows {
  if (value instanceof Tensor || isTensorLike(value)) {
    const { data, shape } = value as { data: Float32Array; shape: readonly number[] };
    if (shape.length === 0) fail(fn, arg, 'a tensor of rank ≥ 1 (samples first)', 'a scalar');
    // A Tensor checked its shape when it was made; a plain { data, shape } is checked here.
    const size = value instanceof Tensor ? data.length : shapeSize(fn, shape, `${arg}.shape`);
    if (size !== data.length) fail(fn, arg, `data of length ${size} for shape ${shapeString(shape)}`, `length ${data.length}`);
    const n = shape[0];
    const sampleShape = shape.slice(1);
    return { data, n, width: n === 0 ? 0 : data.length / n, sampleShape };
  }
  if (isFloat32Array(value) || isInt32Array(value) || isUint8Array(value)) {
    let data: Float32Array;
    if (isFloat32Array(value)) data = value;
    else {
      data = allocFloat32(value.length);
      data.set(value);
    }
    return { data, n: data.length, width: 1, sampleShape: [] };
  }
  if (Array.isArray(value)) {
    if (value.length > 0 && Array.isArray(value[0])) {
      const t = Tensor.from(value as number[][]);
      return toRows(fn, arg, t);
    }
    const t = Tensor.from(value as number[], [value.length]);
    return { data: t.data, n: value.length, width: 1, sampleShape: [] };
  }
  return fail(fn, arg, 'a Tensor, { data: Float32Array, shape }, or nested arrays of numbers', value, 'type');
}

function isTensorLike(value: unknown): boolean {
  return value !== null && typeof value === 'object' && isFloat32Array((value as { data?: unknown }).data) &&
    Array.isArray((value as { shape?: unknown }).shape);
}

/** The input rows for a model whose samples hold `inputSize` floats. */
export function inputRows(fn: string, arg: string, value: unknown, inputSize: number, inputShape: readonly number[]): Rows {
  // A bare Float32Array is read as consecutive samples of inputSize floats.
  if (isFloat32Array(value) && inputSize > 0 && value.length % inputSize === 0) {
    return { data: value, n: value.length / inputSize, width: inputSize, sampleShape: inputShape };
  }
  const rows = toRows(fn, arg, value);
  if (rows.n === 0) fail(fn, arg, 'at least one sample', 'an empty set');
  if (rows.width !== inputSize) {
    fail(fn, arg, `samples of ${inputSize} floats (shape [n, ${inputShape.join(', ')}])`,
      `${rows.width} floats per sample (shape [${[rows.n, ...rows.sampleShape].join(', ')}])`);
  }
  return rows;
}

/**
 * Targets for n samples of a model with `outputs` units: rows of `outputs` floats, or — for a
 * classifier (outputs > 1) — n class labels. Labels are one-hot encoded once here when the loss
 * cannot read them directly.
 */
export function targetRows(fn: string, arg: string, value: unknown, n: number, outputs: number, lossAcceptsLabels: boolean): Rows & { labels: boolean } {
  let rows = toRows(fn, arg, value);
  // A bare Float32Array of n·outputs floats is read as n rows of targets.
  if (isFloat32Array(value) && outputs > 1 && value.length === n * outputs) {
    rows = { data: value, n, width: outputs, sampleShape: [outputs] };
  }
  if (rows.n !== n) fail(fn, arg, `${n} samples (as many as x)`, `${rows.n}`);
  if (rows.width === outputs) return { ...rows, labels: false };
  if (rows.width === 1 && outputs > 1) {
    if (lossAcceptsLabels) return { ...rows, labels: true };
    return { data: oneHotRows(fn, arg, rows.data, n, outputs), n, width: outputs, sampleShape: [outputs], labels: false };
  }
  return fail(fn, arg, `targets of ${outputs} floats per sample${outputs > 1 ? ' or one class label per sample' : ''}`,
    `${rows.width} floats per sample`);
}

function oneHotRows(fn: string, arg: string, labels: Float32Array, n: number, k: number): Float32Array {
  checkClassLabels(fn, arg, labels, k);
  const out = allocFloat32(n * k);
  for (let i = 0; i < n; i++) out[i * k + labels[i]] = 1;
  return out;
}

/** Rows [start, end) of a set, as views (no copy). */
export function sliceRows<T extends Rows>(rows: T, start: number, end: number): T {
  return { ...rows, data: rows.data.subarray(start * rows.width, end * rows.width), n: end - start };
}
