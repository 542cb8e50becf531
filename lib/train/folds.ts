// Cross-validation's data layout: the rows permuted so every fold is contiguous, followed by a
// second copy of all but the last fold. Fold f's held-out rows are then one slice [s, e) and its
// training rows (every other fold) the next n − (e − s) rows: both are views, so k folds running
// side by side read one shared array and copy nothing per fold or per worker.

import { allocFloat32 } from '../alloc';
import { classLabels, kFolds } from '../data/split';
import type { DataSet, RowSlice } from '../parallel/job';
import { fail } from '../validate';

export interface FoldPlan {
  set: DataSet;
  /** Per fold: the rows it trains on and the rows it is scored on (in `set`). */
  slices: { train: RowSlice; validation: RowSlice }[];
  stratified: boolean;
}

/** options.stratified checked against y: default true when y holds class labels. */
export function stratifiedOption(fn: string, data: DataSet, stratified: unknown): Int32Array | undefined {
  if (stratified !== undefined && typeof stratified !== 'boolean') fail(fn, 'options.stratified', 'a boolean', stratified, 'type');
  const labels = stratified === false ? undefined : classLabels({ data: data.y, shape: [data.n, ...data.yShape] });
  if (stratified === true && labels === undefined) {
    fail(fn, 'options.stratified', 'false for targets that are not class labels (integers ≥ 0 or one-hot rows)', 'true');
  }
  return labels;
}

/** Lays out k folds of the data (seeded shuffle; stratified with labels) under the set name given. */
export function foldPlan(fn: string, data: DataSet, k: number, labels: Int32Array | undefined, seed: number, shared: boolean, name: string): FoldPlan {
  if (k > data.n) fail(fn, 'options.folds', `at most the number of samples (${data.n})`, String(k));
  const folds = kFolds(data.n, k, { seed, ...(labels === undefined ? {} : { labels }) });
  const n = data.n;
  const rows = 2 * n - folds[k - 1].length;
  const order = new Int32Array(rows);
  let at = 0;
  for (const fold of folds) { order.set(fold, at); at += fold.length; }
  order.copyWithin(n, 0, rows - n);
  const xw = data.x.length / n;
  const yw = data.y.length / n;
  const alloc = (len: number): Float32Array => (shared ? new Float32Array(new SharedArrayBuffer(len * 4)) : allocFloat32(len));
  const x = alloc(rows * xw);
  const y = alloc(rows * yw);
  for (let i = 0; i < rows; i++) {
    const r = order[i];
    x.set(data.x.subarray(r * xw, (r + 1) * xw), i * xw);
    y.set(data.y.subarray(r * yw, (r + 1) * yw), i * yw);
  }
  const slices: FoldPlan['slices'] = [];
  let start = 0;
  for (const fold of folds) {
    const end = start + fold.length;
    slices.push({ validation: { set: name, start, end }, train: { set: name, start: end, end: end + n - fold.length } });
    start = end;
  }
  return { set: { ...data, x, y, n: rows }, slices, stratified: labels !== undefined };
}

/** Mean and sample standard deviation (n − 1) of each score over the folds. */
export function foldStats(scores: readonly Record<string, number>[]): { mean: Record<string, number>; sd: Record<string, number> } {
  const mean: Record<string, number> = {};
  const sd: Record<string, number> = {};
  const keys = [...new Set(scores.flatMap((s) => Object.keys(s)))];
  for (const key of keys) {
    const values = scores.map((s) => s[key]).filter((v) => v !== undefined);
    const m = values.reduce((a, b) => a + b, 0) / values.length;
    mean[key] = m;
    sd[key] = values.length < 2 ? NaN : Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1));
  }
  return { mean, sd };
}
