// One unit of parallel work: build a model, fit it on rows of a data set, score it on other rows.
// The same function runs a job in the calling thread (workers: 1) and inside a worker, so a
// parallel run computes exactly what a serial one does.

import { compiledOf } from '../train/compile';
import { toRows, type DataInput } from '../train/data';
import { fit } from '../train/fit';
import type { History } from '../train/history';
import { evaluate } from '../train/inference';
import type { TrainableModel } from '../train/model';
import { fail } from '../validate';
import { sharedFloat32 } from './shared';
import type { BuildArg } from './spec';

/** Rows of inputs and targets, each sample contiguous. */
export interface DataSet {
  x: Float32Array;
  /** Per-sample input shape. */
  xShape: number[];
  y: Float32Array;
  /** Per-sample target shape ([] for one label or value per sample). */
  yShape: number[];
  n: number;
}

/** Rows [start, end) of the named data set. */
export interface RowSlice {
  set: string;
  start: number;
  end: number;
}

export interface Job {
  id: number;
  /** What the build function receives. */
  arg: BuildArg;
  /** Fit options (plain data when the job runs in a worker). */
  fit: Record<string, unknown>;
  train: RowSlice;
  /** Fit's validation data, and scored with evaluate after training; without it, the last epoch's
   *  val* logs (fit's validationSplit) are the score. */
  validation?: RowSlice;
  /** Send the trained model back (a worker sends its bytes). */
  keepModel: boolean;
}

export type JobOutcome =
  | { id: number; ok: true; history: History; validation: Record<string, number>; model?: TrainableModel; seconds: number }
  | { id: number; ok: false; error: Error; seconds: number };

export type Build = (arg: BuildArg) => TrainableModel | Promise<TrainableModel>;

const widthOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * x and y as rows. A bare Float32Array holds consecutive samples: its rows are counted from the
 * other argument, as fit reads them once the model's sizes are known.
 */
export function dataSetOf(fn: string, xArg: string, x: DataInput, yArg: string, y: DataInput): DataSet {
  const xBare = x instanceof Float32Array;
  const yBare = y instanceof Float32Array;
  const xr = toRows(fn, xArg, x);
  const yr = toRows(fn, yArg, y);
  if (xBare && yBare) fail(fn, `${xArg} and ${yArg}`, 'a Tensor for at least one (a bare Float32Array has no row count)', 'two Float32Arrays', 'type');
  let n = xr.n;
  let xShape = [...xr.sampleShape];
  let yShape = [...yr.sampleShape];
  if (xBare) {
    n = yr.n;
    if (n === 0 || xr.data.length % n !== 0) fail(fn, xArg, `a whole number of floats per each of ${n} samples`, `${xr.data.length} floats`);
    xShape = [xr.data.length / n];
  } else if (yBare && yr.n !== n) {
    if (n === 0 || yr.data.length % n !== 0) fail(fn, yArg, `a whole number of floats per each of ${n} samples`, `${yr.data.length} floats`);
    yShape = [yr.data.length / n];
  }
  if (!yBare && yr.n !== n) fail(fn, yArg, `${n} samples (as many as ${xArg})`, `${yr.n}`);
  if (n === 0) fail(fn, xArg, 'at least one sample', 'an empty set');
  return { x: xr.data, xShape, y: yr.data, yShape, n };
}

/** The set with its arrays in shared memory (copied once unless they already are). */
export function sharedDataSet(set: DataSet): DataSet {
  return { ...set, x: sharedFloat32(set.x), y: sharedFloat32(set.y) };
}

/** Rows of a set as tensor-like views (no copy) that fit and evaluate accept. */
export function sliceOf(sets: Record<string, DataSet>, slice: RowSlice): [DataInput, DataInput] {
  const set = sets[slice.set];
  const m = slice.end - slice.start;
  const xw = widthOf(set.xShape);
  const yw = widthOf(set.yShape);
  return [
    { data: set.x.subarray(slice.start * xw, slice.end * xw), shape: [m, ...set.xShape] },
    { data: set.y.subarray(slice.start * yw, slice.end * yw), shape: [m, ...set.yShape] },
  ];
}

/** Runs one job in this thread; an error (a bad option, a diverging loss) becomes the outcome. */
export async function runJob(fn: string, build: Build, sets: Record<string, DataSet>, job: Job, signal?: { aborted: boolean }): Promise<JobOutcome> {
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  try {
    const model = await build(job.arg);
    compiledOf(`${fn}: the builder's model`, model);
    const [x, y] = sliceOf(sets, job.train);
    const held = job.validation === undefined ? undefined : sliceOf(sets, job.validation);
    const history = await fit(model, x, y, {
      ...job.fit, verbose: 0, ...(held === undefined ? {} : { validationData: held }), ...(signal === undefined ? {} : { signal: signal as AbortSignal }),
    });
    // Scored on the validation data with the weights the model ends with.
    const validation = held !== undefined ? evaluate(model, ...held) : lastValidation(history);
    return { id: job.id, ok: true, history, validation, ...(job.keepModel ? { model } : {}), seconds: seconds() };
  } catch (err) {
    return { id: job.id, ok: false, error: err instanceof Error ? err : new Error(String(err)), seconds: seconds() };
  }
}

/** With validationSplit the held-out rows are inside fit: the last epoch's val* logs. */
export function lastValidation(history: History): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(history)) {
    const list = history[key];
    if (key.startsWith('val') && Array.isArray(list) && list.length > 0) {
      out[key[3].toLowerCase() + key.slice(4)] = list[list.length - 1];
    }
  }
  return out;
}
