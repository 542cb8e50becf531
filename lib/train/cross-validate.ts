// k-fold cross-validation: every row is held out once, so the score uses all the data and comes
// with its spread over the folds.

import { dataSetOf, type Build, type JobOutcome } from '../parallel/job';
import { checkWorkerFitOptions, runJobs, workersFor } from '../parallel/pool';
import { TrialProgress } from '../parallel/progress';
import { checkModelSpec, isModelSpec, type ModelSpec } from '../parallel/spec';
import { checkInt, checkOptions, fail } from '../validate';
import type { DataInput } from './data';
import type { FitOptions } from './fit';
import { foldPlan, foldStats, stratifiedOption } from './folds';
import type { History } from './history';
import type { TrainableModel } from './model';
import type { OutputStream, Verbosity } from './progress';
import { formatValue } from './progress';

/** Options of {@link crossValidate}: folds, stratification, workers, and fit's options. */
export interface CrossValidateOptions extends Omit<FitOptions, 'validationData' | 'validationSplit' | 'verbose' | 'sampleWeight'> {
  /** Number of folds (default 5). */
  folds?: number;
  /** Keep each class's share in every fold (default: true when y holds class labels, integers ≥ 0
   *  or one-hot rows). The folds are shuffled with options.seed (default 0). */
  stratified?: boolean;
  /** Folds trained at once, each on its own worker thread with one compute thread (default: the
   *  core count for a model spec; 1 for a build function). */
  workers?: number;
  /** 0 silent (default); 1 a line per finished fold and, on a terminal, a bar with ETA; 2 the lines. */
  verbose?: Verbosity;
}

/** One fold's outcome: its held-out scores and history, or why it failed. */
export interface FoldResult {
  fold: number;
  /** { loss, ...metrics } on the fold's held-out rows after training. */
  validation: Record<string, number>;
  history: History | undefined;
  /** Why the fold failed; it is left out of mean and sd. */
  error?: Error;
}

/** What {@link crossValidate} returns: every fold, and mean ± sd over those that succeeded. */
export interface CrossValidation {
  folds: FoldResult[];
  /** Mean and sample standard deviation (n − 1) over the folds that succeeded. */
  mean: Record<string, number>;
  sd: Record<string, number>;
  stratified: boolean;
  /** One row per fold, then mean ± sd. */
  toString(): string;
}

const cvKeys = ['folds', 'stratified', 'workers', 'verbose', 'output', 'signal', 'epochs', 'batchSize', 'shuffle', 'callbacks',
  'seed', 'lrSchedule', 'earlyStopping', 'augment', 'classWeight'];

/**
 * Trains one model per fold on the other folds and scores it on the fold. `build` is a function
 * () => compiled model (this thread only) or a model spec ({ mlp, compile }, { architecture,
 * compile } or { module }) that worker threads rebuild.
 *
 * @example
 *   const cv = await crossValidate(
 *     { mlp: { inputs: 4, outputs: 3, hidden: [16] }, compile: { loss: 'softmaxCrossentropy', metrics: ['accuracy'] } },
 *     iris.x, iris.y, { folds: 5, epochs: 50, seed: 1 });
 *   console.log(`accuracy ${cv.mean.accuracy} ± ${cv.sd.accuracy}`);
 */
export async function crossValidate(build: (() => TrainableModel | Promise<TrainableModel>) | ModelSpec, x: DataInput, y: DataInput,
  options: CrossValidateOptions = {}): Promise<CrossValidation> {
  const fn = 'crossValidate';
  if (typeof build !== 'function' && !isModelSpec(build)) {
    fail(fn, 'build', 'a function () => compiled model, or a model spec ({ mlp, compile }, { architecture, compile } or { module })', build, 'type');
  }
  const spec = typeof build === 'function' ? build : checkModelSpec(fn, 'build', build);
  const o = checkOptions<CrossValidateOptions>(fn, 'options', options, cvKeys);
  const k = o.folds === undefined ? 5 : checkInt(fn, 'options.folds', o.folds, 2);
  const workers = workersFor(fn, 'build', spec, o.workers);
  const verbose = o.verbose === undefined ? 0 : (checkInt(fn, 'options.verbose', o.verbose, 0, 2) as Verbosity);
  const output = o.output ?? process.stdout;
  if (typeof (output as OutputStream)?.write !== 'function') fail(fn, 'options.output', 'a stream with write()', output, 'type');
  const { folds: _f, stratified, workers: _w, verbose: _v, output: _o, signal, ...fit } = o;
  if (workers > 1) checkWorkerFitOptions(fn, fit as Record<string, unknown>, []);
  const data = dataSetOf(fn, 'x', x, 'y', y);
  const labels = stratifiedOption(fn, data, stratified);
  const plan = foldPlan(fn, data, k, labels, o.seed ?? 0, workers > 1, 'cv');
  const jobs = plan.slices.map((slice, id) => ({ id, arg: undefined, fit: fit as Record<string, unknown>, train: slice.train, validation: slice.validation, keepModel: false }));
  const progress = new TrialProgress(verbose, output, k, 'fold');
  let outcomes: JobOutcome[];
  try {
    outcomes = await runJobs({
      fn, jobs, workers, build: spec as Build, sets: { cv: plan.set }, ...(signal === undefined ? {} : { signal }),
      onDone: (out) => progress.finished(`fold ${out.id + 1}`, out.ok ? out.validation : out.error, out.seconds),
    });
  } finally {
    progress.end();
  }
  const folds: FoldResult[] = outcomes.map((out) => (out.ok
    ? { fold: out.id + 1, validation: out.validation, history: out.history }
    : { fold: out.id + 1, validation: {}, history: undefined, error: out.error }));
  const good = folds.filter((f) => f.error === undefined);
  if (folds.length > 0 && good.length === 0) throw folds[0].error;
  const { mean, sd } = foldStats(good.map((f) => f.validation));
  const result: CrossValidation = { folds, mean, sd, stratified: plan.stratified, toString: () => '' };
  Object.defineProperty(result, 'toString', { value: () => formatFolds(result), enumerable: false });
  return result;
}

function formatFolds(cv: CrossValidation): string {
  const names = Object.keys(cv.mean);
  const rows = cv.folds.map((f) => [String(f.fold), ...names.map((n) => (f.error === undefined ? formatValue(f.validation[n]) : '–')),
    f.error?.message ?? '']);
  rows.push(['mean', ...names.map((n) => `${formatValue(cv.mean[n])} ± ${formatValue(cv.sd[n])}`), '']);
  const header = ['fold', ...names, ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padStart(widths[i]))).join('  ').trimEnd()).join('\n');
}
