// Per-sample weights for fit: given directly (sampleWeight), derived from the classes (classWeight,
// 'balanced' as in scikit-learn: n / (classes present · count of the class)), or both multiplied.

import { allocFloat32 } from '../alloc';
import { fail } from '../validate';
import type { Rows } from './data';
import { toRows } from './data';

/** Per-class loss weights: 'balanced' (n / (k · count of the class)) or a weight per class index. */
export type ClassWeight = 'balanced' | Readonly<Record<number, number>>;

/** The class of every target row: a label, the argmax of a one-hot row, or a single target split
 *  at `threshold`. */
function classesOf(y: Rows & { labels: boolean }, k: number, threshold: number): Int32Array {
  const out = new Int32Array(y.n);
  for (let i = 0; i < y.n; i++) {
    if (y.labels) out[i] = y.data[i];
    else if (k === 1) out[i] = y.data[i] > threshold ? 1 : 0;
    else {
      let best = 0;
      for (let j = 1; j < k; j++) if (y.data[i * k + j] > y.data[i * k + best]) best = j;
      out[i] = best;
    }
  }
  return out;
}

/**
 * The weights of the n training samples, or undefined when neither option is given. Weights must be
 * finite and ≥ 0, and not all 0.
 */
export function sampleWeights(fn: string, sampleWeight: unknown, classWeight: unknown, y: Rows & { labels: boolean }, k: number,
  threshold: number, regression: boolean): Float32Array | undefined {
  if (sampleWeight === undefined && classWeight === undefined) return undefined;
  const n = y.n;
  const w = allocFloat32(n).fill(1);
  if (sampleWeight !== undefined) {
    const rows = toRows(fn, 'options.sampleWeight', sampleWeight);
    if (rows.width !== 1 || rows.n !== n) fail(fn, 'options.sampleWeight', `${n} weights, one per sample`, `${rows.n} rows of ${rows.width}`);
    rows.data.forEach((v, i) => {
      if (!Number.isFinite(v) || v < 0) fail(fn, `options.sampleWeight[${i}]`, 'a finite number ≥ 0', String(v));
      w[i] = v;
    });
  }
  if (classWeight !== undefined) {
    if (regression) fail(fn, 'options.classWeight', 'absent for a regression loss (use sampleWeight)', 'a value');
    const classes = classesOf(y, k, threshold);
    const count = new Map<number, number>();
    for (const c of classes) count.set(c, (count.get(c) ?? 0) + 1);
    let weightOf: (c: number) => number;
    if (classWeight === 'balanced') {
      weightOf = (c) => n / (count.size * count.get(c)!);
    } else if (typeof classWeight === 'object' && classWeight !== null && !Array.isArray(classWeight)) {
      const table = new Map<number, number>();
      const classCount = k === 1 ? 2 : k;
      for (const [key, v] of Object.entries(classWeight)) {
        const c = Number(key);
        if (!Number.isInteger(c) || c < 0 || c >= classCount) fail(fn, 'options.classWeight', `keys that are class indices in [0, ${classCount - 1}]`, JSON.stringify(key));
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(fn, `options.classWeight[${key}]`, 'a finite number ≥ 0', v, typeof v === 'number' ? 'range' : 'type');
        table.set(c, v);
      }
      weightOf = (c) => table.get(c) ?? 1;
    } else {
      const isString = typeof classWeight === 'string';
      return fail(fn, 'options.classWeight', "'balanced' or an object of class index → weight", isString ? JSON.stringify(classWeight) : classWeight, isString ? 'range' : 'type');
    }
    for (let i = 0; i < n; i++) w[i] *= weightOf(classes[i]);
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += w[i];
  if (total === 0) fail(fn, 'options.sampleWeight', 'weights that are not all 0', 'all 0');
  return w;
}
