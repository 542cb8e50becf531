// Feature scaling fitted on training data and reused unchanged on validation/test data (fitting on
// test data would leak it into training). Statistics are computed in float64.

import { allocFloat32 } from '../alloc';
import { Tensor } from '../tensor';
import { checkNumber, fail } from '../validate';
import { checkMatrix, checkNumberList, checkObject } from './check';

export { trainTestSplit } from './split';
export type { Split, SplitOptions } from './split';

/** A fitted StandardScaler as JSON (its toJSON()). */
export interface StandardScalerJSON {
  kind: 'StandardScaler';
  mean: number[];
  std: number[];
}

/** A fitted MinMaxScaler as JSON (its toJSON()). */
export interface MinMaxScalerJSON {
  kind: 'MinMaxScaler';
  min: number[];
  max: number[];
  range: [number, number];
}

/** out[r, j] = (x[r, j] − shift[j]) · scale[j] + offset[j], into a new tensor. Subtracting first
 *  keeps the fitted extremes exact (min-max maps max to exactly 1). */
function affineColumns(x: Tensor, shift: Float64Array, scale: Float64Array, offset: Float64Array): Tensor {
  const [rows, cols] = x.shape;
  const src = x.data;
  const out = allocFloat32(rows * cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let j = 0; j < cols; j++) out[base + j] = (src[base + j] - shift[j]) * scale[j] + offset[j];
  }
  return new Tensor(out, x.shape);
}

/**
 * Standardises each column to mean 0 and standard deviation 1: (x − mean) / std, with the
 * population std (divide by n). A constant column has std 0 and is given std 1, so it maps to 0
 * instead of NaN.
 */
export class StandardScaler {
  readonly kind = 'StandardScaler';
  private meanValues: Float64Array | undefined;
  private stdValues: Float64Array | undefined;

  /** Whether fit() has been called. */
  get fitted(): boolean {
    return this.meanValues !== undefined;
  }

  /** Column means of the fitted data. */
  get mean(): number[] {
    return Array.from(this.stats('StandardScaler.mean').mean);
  }

  /** Column standard deviations used for scaling (1 where the fitted column was constant). */
  get std(): number[] {
    return Array.from(this.stats('StandardScaler.std').std);
  }

  private stats(fn: string): { mean: Float64Array; std: Float64Array } {
    if (this.meanValues === undefined || this.stdValues === undefined) throw new Error(`${fn}: the scaler is not fitted; call fit(x) on the training data first`);
    return { mean: this.meanValues, std: this.stdValues };
  }

  /** Computes each column's mean and standard deviation from x [n, features]; returns this. */
  fit(x: Tensor): this {
    checkMatrix('StandardScaler.fit', 'x', x);
    const [rows, cols] = x.shape;
    if (rows === 0) fail('StandardScaler.fit', 'x', 'at least one row', 'shape [0, ' + cols + ']');
    const d = x.data;
    const mean = new Float64Array(cols);
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) mean[j] += d[r * cols + j];
    for (let j = 0; j < cols; j++) mean[j] /= rows;
    // Two passes (deviations from the mean) rather than E[x²] − E[x]², which cancels badly.
    const std = new Float64Array(cols);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < cols; j++) {
        const dev = d[r * cols + j] - mean[j];
        std[j] += dev * dev;
      }
    }
    for (let j = 0; j < cols; j++) {
      const s = Math.sqrt(std[j] / rows);
      if (!Number.isFinite(s) || !Number.isFinite(mean[j])) fail('StandardScaler.fit', 'x', 'finite values only', `a non-finite value in column ${j}`);
      std[j] = s === 0 ? 1 : s;
    }
    this.meanValues = mean;
    this.stdValues = std;
    return this;
  }

  /** (x − mean) / std as a new tensor; x must have the fitted number of columns. */
  transform(x: Tensor): Tensor {
    const { mean, std } = this.stats('StandardScaler.transform');
    checkMatrix('StandardScaler.transform', 'x', x, mean.length);
    return affineColumns(x, mean, std.map((s) => 1 / s), new Float64Array(mean.length));
  }

  /** fit(x), then transform(x). */
  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  /** Undoes transform: z · std + mean (e.g. to report regression outputs in original units). */
  inverseTransform(z: Tensor): Tensor {
    const { mean, std } = this.stats('StandardScaler.inverseTransform');
    checkMatrix('StandardScaler.inverseTransform', 'z', z, mean.length);
    return affineColumns(z, new Float64Array(mean.length), std, mean);
  }

  /** The fitted statistics, to save with a model. */
  toJSON(): StandardScalerJSON {
    const { mean, std } = this.stats('StandardScaler.toJSON');
    return { kind: 'StandardScaler', mean: Array.from(mean), std: Array.from(std) };
  }

  /** Restores a scaler from its toJSON(). */
  static fromJSON(json: unknown): StandardScaler {
    const fn = 'StandardScaler.fromJSON';
    const o = checkObject(fn, 'json', json);
    if (o.kind !== 'StandardScaler') fail(fn, 'json.kind', "'StandardScaler'", o.kind, typeof o.kind === 'string' ? 'range' : 'type');
    const mean = checkNumberList(fn, 'json.mean', o.mean);
    const std = checkNumberList(fn, 'json.std', o.std, mean.length);
    std.forEach((s, j) => { if (!(s > 0)) fail(fn, `json.std[${j}]`, 'a positive number', String(s)); });
    const scaler = new StandardScaler();
    scaler.meanValues = Float64Array.from(mean);
    scaler.stdValues = Float64Array.from(std);
    return scaler;
  }
}

/**
 * Maps each column linearly so the fitted minimum goes to range[0] and the maximum to range[1]
 * (default [0, 1]). Later data outside the fitted extremes lands outside the range (no clipping).
 * A constant column maps to range[0].
 */
export class MinMaxScaler {
  readonly kind = 'MinMaxScaler';
  readonly range: readonly [number, number];
  private minValues: Float64Array | undefined;
  private maxValues: Float64Array | undefined;

  /** options.range: the target interval of every column (default [0, 1]). */
  constructor(options: { range?: readonly [number, number] } = {}) {
    const fn = 'MinMaxScaler';
    checkObject(fn, 'options', options);
    const range = options.range ?? [0, 1];
    if (!Array.isArray(range) || range.length !== 2) fail(fn, 'options.range', 'a pair [lo, hi]', range, 'type');
    checkNumber(fn, 'options.range[0]', range[0]);
    checkNumber(fn, 'options.range[1]', range[1]);
    if (!(range[0] < range[1])) fail(fn, 'options.range', 'a pair [lo, hi] with lo < hi', `[${range[0]}, ${range[1]}]`);
    this.range = Object.freeze([range[0], range[1]]) as readonly [number, number];
  }

  /** Whether fit() has been called. */
  get fitted(): boolean {
    return this.minValues !== undefined;
  }

  /** Each column's minimum seen by fit(). */
  get min(): number[] {
    return Array.from(this.stats('MinMaxScaler.min').min);
  }

  /** Each column's maximum seen by fit(). */
  get max(): number[] {
    return Array.from(this.stats('MinMaxScaler.max').max);
  }

  private stats(fn: string): { min: Float64Array; max: Float64Array } {
    if (this.minValues === undefined || this.maxValues === undefined) throw new Error(`${fn}: the scaler is not fitted; call fit(x) on the training data first`);
    return { min: this.minValues, max: this.maxValues };
  }

  /** Per column: multiply by this after subtracting min. */
  private factors(min: Float64Array, max: Float64Array): Float64Array {
    const span = this.range[1] - this.range[0];
    return min.map((lo, j) => (max[j] > lo ? span / (max[j] - lo) : 0));
  }

  /** Records each column's minimum and maximum from x [n, features]; returns this. */
  fit(x: Tensor): this {
    checkMatrix('MinMaxScaler.fit', 'x', x);
    const [rows, cols] = x.shape;
    if (rows === 0) fail('MinMaxScaler.fit', 'x', 'at least one row', 'shape [0, ' + cols + ']');
    const d = x.data;
    const min = new Float64Array(cols).fill(Infinity);
    const max = new Float64Array(cols).fill(-Infinity);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < cols; j++) {
        const v = d[r * cols + j];
        if (v - v !== 0) fail('MinMaxScaler.fit', 'x', 'finite values only', `${v} at row ${r}, column ${j}`);
        if (v < min[j]) min[j] = v;
        if (v > max[j]) max[j] = v;
      }
    }
    this.minValues = min;
    this.maxValues = max;
    return this;
  }

  /** Returns a new tensor with each column mapped linearly from [min, max] onto the target range. */
  transform(x: Tensor): Tensor {
    const { min, max } = this.stats('MinMaxScaler.transform');
    checkMatrix('MinMaxScaler.transform', 'x', x, min.length);
    return affineColumns(x, min, this.factors(min, max), new Float64Array(min.length).fill(this.range[0]));
  }

  /** fit(x), then transform(x). */
  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  /** The fitted range, to save with a model. */
  toJSON(): MinMaxScalerJSON {
    const { min, max } = this.stats('MinMaxScaler.toJSON');
    return { kind: 'MinMaxScaler', min: Array.from(min), max: Array.from(max), range: [this.range[0], this.range[1]] };
  }

  /** Restores a scaler from its toJSON(). */
  static fromJSON(json: unknown): MinMaxScaler {
    const fn = 'MinMaxScaler.fromJSON';
    const o = checkObject(fn, 'json', json);
    if (o.kind !== 'MinMaxScaler') fail(fn, 'json.kind', "'MinMaxScaler'", o.kind, typeof o.kind === 'string' ? 'range' : 'type');
    const min = checkNumberList(fn, 'json.min', o.min);
    const max = checkNumberList(fn, 'json.max', o.max, min.length);
    min.forEach((lo, j) => { if (!(max[j] >= lo)) fail(fn, `json.max[${j}]`, `a number ≥ json.min[${j}] = ${lo}`, String(max[j])); });
    const range = checkNumberList(fn, 'json.range', o.range, 2);
    const scaler = new MinMaxScaler({ range: [range[0], range[1]] });
    scaler.minValues = Float64Array.from(min);
    scaler.maxValues = Float64Array.from(max);
    return scaler;
  }
}

/** Either scaler. */
export type Scaler = StandardScaler | MinMaxScaler;
/** Either scaler's JSON form. */
export type ScalerJSON = StandardScalerJSON | MinMaxScalerJSON;

/** Restores either scaler from its toJSON() (for models saved with their preprocessing). */
export function scalerFromJSON(json: unknown): Scaler {
  const o = checkObject('scalerFromJSON', 'json', json);
  if (o.kind === 'StandardScaler') return StandardScaler.fromJSON(json);
  if (o.kind === 'MinMaxScaler') return MinMaxScaler.fromJSON(json);
  return fail('scalerFromJSON', 'json.kind', "'StandardScaler' or 'MinMaxScaler'", o.kind, typeof o.kind === 'string' ? 'range' : 'type');
}
