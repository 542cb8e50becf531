import { dataSetOf, type Build, type DataSet, type Job, type JobOutcome, type RowSlice } from '../parallel/job';
import { checkWorkerFitOptions, runJobs, workersFor } from '../parallel/pool';
import { TrialProgress, paramsLabel } from '../parallel/progress';
import { checkModelSpec, checkPlainData, checkSpecParams, fitParams, isModelSpec, type ModelSpec } from '../parallel/spec';
import { Random } from '../random';
import { checkInt, checkNumber, checkOneOf, checkOptions, fail } from '../validate';
import type { DataInput } from './data';
import type { FitOptions } from './fit';
import { foldPlan, foldStats, stratifiedOption } from './folds';
import { emptyHistory, type History } from './history';
import type { TrainableModel } from './model';
import type { OutputStream, Verbosity } from './progress';
import { defaultMode, metricNames } from './metrics';

/** A value of a random-search space, drawn from the search's seeded generator. */
export interface Sampler<T = number> {
  /** Draws a value. */
  sample(rng: Random): T;
  /** How the sampler was made, e.g. logUniform(1e-4, 1e-1). */
  toString(): string;
}

function sampler<T>(description: string, sample: (rng: Random) => T): Sampler<T> {
  return { sample, toString: () => description };
}

/** Log-uniform on [lo, hi]: every decade equally likely (the usual way to search learning rates). */
export function logUniform(lo: number, hi: number): Sampler {
  checkNumber('logUniform', 'lo', lo);
  checkNumber('logUniform', 'hi', hi);
  if (lo <= 0) fail('logUniform', 'lo', 'a number > 0', String(lo));
  if (hi < lo) fail('logUniform', 'hi', `a number ≥ lo (${lo})`, String(hi));
  const a = Math.log(lo);
  const b = Math.log(hi);
  return sampler(`logUniform(${lo}, ${hi})`, (rng) => Math.exp(a + (b - a) * rng.next()));
}

/** Uniform on [lo, hi). */
export function uniform(lo: number, hi: number): Sampler {
  checkNumber('uniform', 'lo', lo);
  checkNumber('uniform', 'hi', hi);
  if (hi < lo) fail('uniform', 'hi', `a number ≥ lo (${lo})`, String(hi));
  return sampler(`uniform(${lo}, ${hi})`, (rng) => rng.uniform(lo, hi));
}

/** An integer uniform on [lo, hi] (both included). */
export function intUniform(lo: number, hi: number): Sampler {
  checkInt('intUniform', 'lo', lo, -(2 ** 31));
  checkInt('intUniform', 'hi', hi, lo);
  return sampler(`intUniform(${lo}, ${hi})`, (rng) => lo + rng.int(hi - lo + 1));
}

/** One of the given values, each equally likely. */
export function choice<T>(values: readonly T[]): Sampler<T> {
  if (!Array.isArray(values) || values.length === 0) fail('choice', 'values', 'a non-empty array', values, Array.isArray(values) ? 'range' : 'type');
  return sampler(`choice(${values.map(String).join(', ')})`, (rng) => values[rng.int(values.length)]);
}

/** One set of parameters a model builder receives. */
export type SearchParams = Record<string, unknown>;

/** Makes a fresh compiled model for one set of hyper-parameters (it may also return a Promise). */
export type ModelBuilder = (params: SearchParams) => TrainableModel | Promise<TrainableModel>;

/** Options of {@link gridSearch}: the data, the metric, and fit's options. */
export interface SearchOptions extends Omit<FitOptions, 'validationData' | 'validationSplit' | 'verbose' | 'sampleWeight'> {
  x: DataInput;
  y: DataInput;
  /** The data each trial is scored on (or validationSplit, or folds). */
  validationData?: FitOptions['validationData'];
  validationSplit?: number;
  /** Score each trial by k-fold cross-validation on (x, y) instead: the mean over the folds. */
  folds?: number;
  /** With folds: keep each class's share in every fold (default: true when y holds class labels). */
  stratified?: boolean;
  /** What ranks the trials: 'loss' (default) or a compiled metric, measured on the validation data
   *  after training (with early stopping, on the restored best weights). */
  metric?: string;
  /** 'min' or 'max'; default 'max' for accuracy, 'min' otherwise. */
  mode?: 'min' | 'max';
  /** Fit options that follow from the parameters (e.g. ({ batchSize }) => ({ batchSize })). */
  fitOptions?: (params: SearchParams) => FitOptions;
  /** Trials trained at once, each on its own worker thread with one compute thread (default: the
   *  core count for a model spec; 1 for a builder function, which cannot leave this thread). */
  workers?: number;
  /** 0 silent (default); 1 a line per finished trial and, on a terminal, an overall bar with ETA;
   *  2 the lines only. */
  verbose?: Verbosity;
}

/** Options of {@link randomSearch}. */
export interface RandomSearchOptions extends SearchOptions {
  /** How many parameter sets to draw. */
  trials: number;
  /** Seed of the draws (default 0), so a search can be repeated. */
  seed?: number;
}

/** One trial: its parameters, its score and everything else measured on the validation data. */
export interface SearchEntry {
  rank: number;
  /** Its place in the order the parameter sets were made (0-based). */
  trial: number;
  params: SearchParams;
  /** NaN for a failed trial. */
  score: number;
  /** { loss, ...metrics } on the validation data (with folds: their mean). */
  validation: Record<string, number>;
  /** With folds: each fold's scores; `sd` their sample standard deviations. */
  folds?: Record<string, number>[];
  sd?: Record<string, number>;
  /** The history (and below, the trained model) of the trial, or of its first fold. */
  history: History;
  /** Undefined for a failed trial. */
  model: TrainableModel | undefined;
  /** Why the trial failed (a diverging loss, a bad option); it ranks last. */
  error?: Error;
}

/** The trials best first, plus a table for printing. */
export type SearchResult = SearchEntry[] & {
  /** The trial with the best score. */
  best: SearchEntry;
  /** The trials as a table, best first. */
  toString(): string;
};

/** A model builder: a function (this thread only) or a model spec (any worker). */
export type SearchBuilder = ModelBuilder | ModelSpec;

const searchKeys = ['x', 'y', 'validationData', 'validationSplit', 'metric', 'mode', 'fitOptions', 'epochs', 'batchSize',
  'shuffle', 'callbacks', 'seed', 'verbose', 'output', 'signal', 'lrSchedule', 'earlyStopping', 'augment', 'classWeight', 'folds', 'stratified', 'workers'];

/**
 * Every combination of the grid's values ({ lr: [1e-3, 1e-2], units: [16, 32] } gives 4), each
 * trained and scored on the validation data. The builder is a function (params) => compiled model,
 * or a model spec ({ mlp, compile }, { architecture, compile } or { module }) that worker threads
 * rebuild: then trials run options.workers at a time.
 *
 * @example
 *   const result = await gridSearch(
 *     { mlp: { inputs: 784, outputs: 10 }, compile: { loss: 'softmaxCrossentropy', metrics: ['accuracy'] } },
 *     { hidden: [[64], [128, 64]], lr: [1e-3, 1e-2] },
 *     { x, y, validationData: [xVal, yVal], epochs: 5, seed: 1, workers: 2 });
 *   console.log(String(result));
 */
export async function gridSearch(builder: SearchBuilder, grid: Record<string, readonly unknown[]>, options: SearchOptions): Promise<SearchResult> {
  const fn = 'gridSearch';
  if (grid === null || typeof grid !== 'object' || Array.isArray(grid)) fail(fn, 'grid', 'an object of value lists', grid, 'type');
  const names = Object.keys(grid);
  if (names.length === 0) fail(fn, 'grid', 'at least one parameter', '{}');
  for (const name of names) {
    if (!Array.isArray(grid[name]) || grid[name].length === 0) fail(fn, `grid.${name}`, 'a non-empty array of values', grid[name], 'type');
  }
  const b = checkBuilder(fn, builder, 'grid', names);
  const o = checkSearchOptions(fn, options, searchKeys, b);
  let sets: SearchParams[] = [{}];
  for (const name of names) sets = sets.flatMap((set) => grid[name].map((value) => ({ ...set, [name]: value })));
  return runTrials(fn, b, sets, o);
}

/** `trials` parameter sets drawn from the space: a Sampler (logUniform, uniform, intUniform,
 *  choice), an array (a choice among its values) or a fixed value per name. Builders and workers
 *  as gridSearch. */
export async function randomSearch(builder: SearchBuilder, space: Record<string, unknown>, options: RandomSearchOptions): Promise<SearchResult> {
  const fn = 'randomSearch';
  if (space === null || typeof space !== 'object' || Array.isArray(space)) fail(fn, 'space', 'an object of samplers', space, 'type');
  const b = checkBuilder(fn, builder, 'space', Object.keys(space));
  const o = checkSearchOptions(fn, options, [...searchKeys, 'trials'], b);
  const trials = checkInt(fn, 'options.trials', options.trials, 1);
  // The fit seed (if any) fixes training; the draws have their own seed so both can be set.
  const rng = new Random(options.seed ?? 0);
  const draw = (value: unknown): unknown => {
    if (isSampler(value)) return value.sample(rng);
    if (Array.isArray(value)) return value.length === 0 ? fail(fn, 'space', 'non-empty arrays', '[]') : value[rng.int(value.length)];
    return value;
  };
  const sets = Array.from({ length: trials }, () => Object.fromEntries(Object.keys(space).map((name) => [name, draw(space[name])])));
  return runTrials(fn, b, sets, o);
}

function isSampler(value: unknown): value is Sampler<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as Sampler).sample === 'function';
}

function checkBuilder(fn: string, builder: SearchBuilder, paramsArg: string, names: readonly string[]): SearchBuilder {
  if (typeof builder === 'function') return builder;
  if (!isModelSpec(builder)) fail(fn, 'builder', 'a function (params) => compiled model, or a model spec ({ mlp, compile }, { architecture, compile } or { module })', builder, 'type');
  const spec = checkModelSpec(fn, 'builder', builder);
  checkSpecParams(fn, paramsArg, spec, names);
  return spec;
}

interface CheckedSearch {
  options: SearchOptions;
  metric: string;
  mode: 'min' | 'max';
  workers: number;
  folds: number | undefined;
  verbose: Verbosity;
  output: OutputStream;
}

function checkSearchOptions(fn: string, options: SearchOptions, keys: readonly string[], builder: SearchBuilder): CheckedSearch {
  if (options === null || typeof options !== 'object') fail(fn, 'options', '{ x, y, validationData, epochs, … }', options, 'type');
  checkOptions(fn, 'options', options, keys);
  if (options.x === undefined || options.y === undefined) fail(fn, 'options', 'x and y (the training data)', 'missing x or y');
  const folds = options.folds === undefined ? undefined : checkInt(fn, 'options.folds', options.folds, 2);
  const held = [options.validationData, options.validationSplit, folds].filter((v) => v !== undefined).length;
  if (held === 0) fail(fn, 'options', 'validationData, validationSplit or folds (trials are scored on held-out data)', 'none');
  if (held > 1) fail(fn, 'options', 'one of validationData, validationSplit and folds', 'several');
  if (options.stratified !== undefined && folds === undefined) fail(fn, 'options.stratified', 'to come with options.folds', 'no folds');
  if (options.fitOptions !== undefined && typeof options.fitOptions !== 'function') {
    fail(fn, 'options.fitOptions', 'a function (params) => fit options', options.fitOptions, 'type');
  }
  const metric = options.metric === undefined ? 'loss' : checkOneOf(fn, 'options.metric', options.metric, ['loss', ...metricNames] as const);
  const mode = options.mode === undefined ? defaultMode(metric) : checkOneOf(fn, 'options.mode', options.mode, ['min', 'max'] as const);
  const workers = workersFor(fn, 'builder', builder, options.workers);
  const verbose = options.verbose === undefined ? 0 : (checkInt(fn, 'options.verbose', options.verbose, 0, 2) as Verbosity);
  const output = options.output ?? process.stdout;
  if (typeof (output as OutputStream)?.write !== 'function') fail(fn, 'options.output', 'a stream with write()', output, 'type');
  return { options, metric, mode, workers, folds, verbose, output };
}

/** The options that go to every trial's fit. */
const notFitKeys = ['x', 'y', 'metric', 'mode', 'fitOptions', 'trials', 'folds', 'stratified', 'workers', 'verbose', 'output', 'signal', 'validationData'];

async function runTrials(fn: string, builder: SearchBuilder, paramSets: SearchParams[], checked: CheckedSearch): Promise<SearchResult> {
  const { options, metric, mode, workers, folds } = checked;
  const common = Object.fromEntries(Object.entries(options).filter(([key]) => !notFitKeys.includes(key)));
  const spec = typeof builder === 'function' ? undefined : builder;
  // A spec's own fit parameters (epochs, batchSize) are fit options; the rest build the model.
  const fitOf = (params: SearchParams): Record<string, unknown> => {
    const fromParams = spec === undefined ? {} : Object.fromEntries(fitParams.filter((k) => k in params).map((k) => [k, params[k]]));
    const extra = options.fitOptions === undefined ? {} : options.fitOptions(params);
    const all = { ...common, ...fromParams, ...extra };
    if (workers > 1) {
      checkPlainData(fn, 'parameters', params);
      checkWorkerFitOptions(fn, all, []);
    }
    return all;
  };
  const fits = paramSets.map(fitOf);
  const train = dataSetOf(fn, 'options.x', options.x, 'options.y', options.y);
  const sets: Record<string, DataSet> = { train };
  const jobs: Job[] = [];
  const perTrial = folds ?? 1;
  if (folds !== undefined) {
    const labels = stratifiedOption(fn, train, options.stratified);
    const plan = foldPlan(fn, train, folds, labels, (options.seed as number | undefined) ?? 0, workers > 1, 'cv');
    sets.cv = plan.set;
    delete sets.train;
    paramSets.forEach((params, t) => plan.slices.forEach((slice, f) => {
      jobs.push({ id: t * folds + f, arg: params, fit: fits[t], train: slice.train, validation: slice.validation, keepModel: f === 0 });
    }));
  } else {
    let validation: RowSlice | undefined;
    if (options.validationData !== undefined) {
      const [vx, vy] = validationPairOf(fn, options.validationData);
      sets.val = dataSetOf(fn, 'options.validationData x', vx, 'options.validationData y', vy);
      validation = { set: 'val', start: 0, end: sets.val.n };
    }
    paramSets.forEach((params, t) => {
      jobs.push({ id: t, arg: params, fit: fits[t], train: { set: 'train', start: 0, end: train.n }, ...(validation === undefined ? {} : { validation }), keepModel: true });
    });
  }
  const progress = new TrialProgress(checked.verbose, checked.output, jobs.length, folds === undefined ? 'trial' : 'fold');
  const label = (id: number): string => paramsLabel(paramSets[Math.floor(id / perTrial)]) + (folds === undefined ? '' : ` fold ${(id % folds) + 1}/${folds}`);
  let outcomes: JobOutcome[];
  try {
    outcomes = await runJobs({
      fn, jobs, workers, build: builder as ModelBuilder as Build, sets, ...(options.signal === undefined ? {} : { signal: options.signal }),
      onDone: (o) => progress.finished(label(o.id), o.ok ? o.validation : o.error, o.seconds),
    });
  } finally {
    progress.end();
  }
  const entries = entriesOf(paramSets, outcomes, perTrial, folds !== undefined);
  if (entries.length > 0 && entries.every((e) => e.error !== undefined)) throw entries[0].error;
  const scored = entries.find((e) => e.error === undefined);
  if (scored !== undefined && !(metric in scored.validation)) {
    fail(fn, 'options.metric', `a value the models report (${Object.keys(scored.validation).join(', ')})`, JSON.stringify(metric));
  }
  for (const e of entries) e.score = e.error === undefined ? e.validation[metric] : NaN;
  const worst = mode === 'min' ? Infinity : -Infinity;
  const key = (e: SearchEntry): number => (Number.isNaN(e.score) ? worst : e.score);
  entries.sort((a, b) => (mode === 'min' ? key(a) - key(b) : key(b) - key(a)));
  entries.forEach((e, i) => { e.rank = i + 1; });
  const result = entries as SearchResult;
  Object.defineProperty(result, 'best', { value: entries[0], enumerable: false });
  Object.defineProperty(result, 'toString', { value: () => formatTable(entries, metric), enumerable: false });
  return result;
}

/** One entry per trial whose jobs ran (in trial order), its folds' scores averaged. */
function entriesOf(paramSets: SearchParams[], outcomes: JobOutcome[], perTrial: number, cv: boolean): SearchEntry[] {
  const byTrial = new Map<number, JobOutcome[]>();
  for (const o of outcomes) {
    const t = Math.floor(o.id / perTrial);
    byTrial.set(t, [...(byTrial.get(t) ?? []), o]);
  }
  const entries: SearchEntry[] = [];
  for (const [t, list] of [...byTrial].sort((a, b) => a[0] - b[0])) {
    list.sort((a, b) => a.id - b.id);
    const failed = list.find((o) => !o.ok);
    const first = list[0];
    if (failed !== undefined && !failed.ok) {
      entries.push({ rank: 0, trial: t, params: paramSets[t], score: NaN, validation: {}, history: first.ok ? first.history : emptyHistory([]), model: undefined, error: failed.error });
      continue;
    }
    const ok = list as Extract<JobOutcome, { ok: true }>[];
    const entry: SearchEntry = { rank: 0, trial: t, params: paramSets[t], score: NaN, validation: ok[0].validation, history: ok[0].history, model: ok[0].model };
    if (cv) {
      const { mean, sd } = foldStats(ok.map((o) => o.validation));
      Object.assign(entry, { validation: mean, sd, folds: ok.map((o) => o.validation) });
    }
    entries.push(entry);
  }
  return entries;
}

function validationPairOf(fn: string, data: NonNullable<FitOptions['validationData']>): [DataInput, DataInput] {
  if (Array.isArray(data) && data.length === 2) return [data[0], data[1]];
  if (data !== null && typeof data === 'object' && 'x' in data && 'y' in data) return [(data as { x: DataInput }).x, (data as { y: DataInput }).y];
  return fail(fn, 'options.validationData', '[x, y] or { x, y }', data, 'type');
}

function formatCell(value: unknown): string {
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return String(value);
    const a = Math.abs(value);
    return a !== 0 && (a < 1e-3 || a >= 1e5) ? value.toExponential(3) : value.toPrecision(4);
  }
  return typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
}

function formatTable(entries: readonly SearchEntry[], metric: string): string {
  const paramNames = [...new Set(entries.flatMap((e) => Object.keys(e.params)))];
  const valueNames = [...new Set(entries.flatMap((e) => Object.keys(e.validation)))];
  const withSd = entries.some((e) => e.sd !== undefined);
  const withError = entries.some((e) => e.error !== undefined);
  const header = ['rank', ...paramNames, ...valueNames.map((n) => (n === metric ? `${n} *` : n)),
    ...(withSd ? [`${metric} sd`] : []), ...(withError ? ['error'] : [])];
  const rows = entries.map((e) => [String(e.rank), ...paramNames.map((p) => formatCell(e.params[p])),
    ...valueNames.map((n) => (e.error === undefined ? formatCell(e.validation[n]) : '–')),
    ...(withSd ? [e.sd === undefined ? '–' : formatCell(e.sd[metric])] : []),
    ...(withError ? [e.error === undefined ? '' : shorten(e.error.message, 60)] : [])]);
  const widths = header.map((h, i) => rows.reduce((w, r) => Math.max(w, r[i].length), h.length));
  const line = (cells: string[]): string => cells.map((c, i) => (withError && i === cells.length - 1 ? c : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
