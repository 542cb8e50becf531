import { checkOptions } from '../optim/options';
import { Random } from '../random';
import { checkInt, checkNumber, checkOneOf, fail } from '../validate';
import { evaluate } from './inference';
import { compiledOf } from './compile';
import { fit, type FitOptions } from './fit';
import type { DataInput } from './data';
import type { History } from './history';
import type { TrainableModel } from './model';

/** A value of a random-search space, drawn from the search's seeded generator. */
export interface Sampler<T = number> {
  sample(rng: Random): T;
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

export type SearchParams = Record<string, unknown>;

/** Makes a fresh compiled model for one set of hyper-parameters (it may also return a Promise). */
export type ModelBuilder = (params: SearchParams) => TrainableModel | Promise<TrainableModel>;

export interface SearchOptions extends Omit<FitOptions, 'validationData' | 'validationSplit'> {
  x: DataInput;
  y: DataInput;
  /** The data each trial is scored on (or validationSplit). */
  validationData?: FitOptions['validationData'];
  validationSplit?: number;
  /** What ranks the trials: 'loss' (default) or a compiled metric, measured on the validation data
   *  after training (with early stopping, on the restored best weights). */
  metric?: string;
  /** 'min' or 'max'; default 'max' for accuracy, 'min' otherwise. */
  mode?: 'min' | 'max';
  /** Fit options that follow from the parameters (e.g. ({ batchSize }) => ({ batchSize })). */
  fitOptions?: (params: SearchParams) => FitOptions;
}

export interface RandomSearchOptions extends SearchOptions {
  /** How many parameter sets to draw. */
  trials: number;
  /** Seed of the draws (default 0), so a search can be repeated. */
  seed?: number;
}

/** One trial: its parameters, its score and everything else measured on the validation data. */
export interface SearchEntry {
  rank: number;
  params: SearchParams;
  score: number;
  /** { loss, ...metrics } on the validation data. */
  validation: Record<string, number>;
  history: History;
  model: TrainableModel;
}

/** The trials best first, plus a table for printing. */
export type SearchResult = SearchEntry[] & { best: SearchEntry; toString(): string };

const searchKeys = ['x', 'y', 'validationData', 'validationSplit', 'metric', 'mode', 'fitOptions', 'epochs', 'batchSize',
  'shuffle', 'callbacks', 'seed', 'verbose', 'output', 'signal', 'lrSchedule', 'earlyStopping', 'augment'];

/** Every combination of the grid's values ({ lr: [1e-3, 1e-2], units: [16, 32] } gives 4), each
 *  trained and scored on the validation data. */
export async function gridSearch(builder: ModelBuilder, grid: Record<string, readonly unknown[]>, options: SearchOptions): Promise<SearchResult> {
  const fn = 'gridSearch';
  if (typeof builder !== 'function') fail(fn, 'builder', 'a function (params) => compiled model', builder, 'type');
  if (grid === null || typeof grid !== 'object' || Array.isArray(grid)) fail(fn, 'grid', 'an object of value lists', grid, 'type');
  const names = Object.keys(grid);
  if (names.length === 0) fail(fn, 'grid', 'at least one parameter', '{}');
  for (const name of names) {
    if (!Array.isArray(grid[name]) || grid[name].length === 0) fail(fn, `grid.${name}`, 'a non-empty array of values', grid[name], 'type');
  }
  const o = checkSearchOptions(fn, options, searchKeys);
  let sets: SearchParams[] = [{}];
  for (const name of names) sets = sets.flatMap((set) => grid[name].map((value) => ({ ...set, [name]: value })));
  return runTrials(fn, builder, sets, o);
}

/** `trials` parameter sets drawn from the space: a Sampler (logUniform, uniform, intUniform,
 *  choice), an array (a choice among its values) or a fixed value per name. */
export async function randomSearch(builder: ModelBuilder, space: Record<string, unknown>, options: RandomSearchOptions): Promise<SearchResult> {
  const fn = 'randomSearch';
  if (typeof builder !== 'function') fail(fn, 'builder', 'a function (params) => compiled model', builder, 'type');
  if (space === null || typeof space !== 'object' || Array.isArray(space)) fail(fn, 'space', 'an object of samplers', space, 'type');
  const o = checkSearchOptions(fn, options, [...searchKeys, 'trials']);
  const trials = checkInt(fn, 'options.trials', options.trials, 1);
  // The fit seed (if any) fixes training; the draws have their own seed so both can be set.
  const rng = new Random(options.seed ?? 0);
  const draw = (value: unknown): unknown => {
    if (isSampler(value)) return value.sample(rng);
    if (Array.isArray(value)) return value.length === 0 ? fail(fn, 'space', 'non-empty arrays', '[]') : value[rng.int(value.length)];
    return value;
  };
  const sets = Array.from({ length: trials }, () => Object.fromEntries(Object.keys(space).map((name) => [name, draw(space[name])])));
  return runTrials(fn, builder, sets, o);
}

function isSampler(value: unknown): value is Sampler<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as Sampler).sample === 'function';
}

interface CheckedSearch {
  options: SearchOptions;
  metric: string;
  mode: 'min' | 'max';
}

function checkSearchOptions(fn: string, options: SearchOptions, keys: readonly string[]): CheckedSearch {
  if (options === null || typeof options !== 'object') fail(fn, 'options', '{ x, y, validationData, epochs, … }', options, 'type');
  checkOptions(fn, 'options', options, keys);
  if (options.x === undefined || options.y === undefined) fail(fn, 'options', 'x and y (the training data)', 'missing x or y');
  if (options.validationData === undefined && options.validationSplit === undefined) {
    fail(fn, 'options', 'validationData or validationSplit (trials are scored on held-out data)', 'neither');
  }
  if (options.fitOptions !== undefined && typeof options.fitOptions !== 'function') {
    fail(fn, 'options.fitOptions', 'a function (params) => fit options', options.fitOptions, 'type');
  }
  const metric = options.metric === undefined ? 'loss' : checkOneOf(fn, 'options.metric', options.metric, ['loss', 'accuracy', 'mse', 'mae'] as const);
  const mode = options.mode === undefined ? (metric === 'accuracy' ? 'max' : 'min') : checkOneOf(fn, 'options.mode', options.mode, ['min', 'max'] as const);
  return { options, metric, mode };
}

async function runTrials(fn: string, builder: ModelBuilder, sets: SearchParams[], checked: CheckedSearch): Promise<SearchResult> {
  const { options, metric, mode } = checked;
  const { x, y, metric: _m, mode: _mo, fitOptions, trials: _t, ...common } = options as RandomSearchOptions;
  const entries: SearchEntry[] = [];
  for (const params of sets) {
    const model = await builder(params);
    compiledOf(`${fn}: the builder's model`, model);
    const extra = fitOptions === undefined ? {} : fitOptions(params);
    const history = await fit(model, x, y, { verbose: 0, ...common, ...extra });
    // Scored on the validation data with the weights the model ends with.
    const validation = common.validationData !== undefined
      ? evaluate(model, ...validationPairOf(common.validationData))
      : lastValidation(history);
    if (!(metric in validation)) {
      fail(fn, 'options.metric', `a value the models report (${Object.keys(validation).join(', ')})`, JSON.stringify(metric));
    }
    entries.push({ rank: 0, params, score: validation[metric], validation, history, model });
    if (common.signal?.aborted === true) break;
  }
  const worst = mode === 'min' ? Infinity : -Infinity;
  const key = (e: SearchEntry): number => (Number.isNaN(e.score) ? worst : e.score);
  entries.sort((a, b) => (mode === 'min' ? key(a) - key(b) : key(b) - key(a)));
  entries.forEach((e, i) => { e.rank = i + 1; });
  const result = entries as SearchResult;
  Object.defineProperty(result, 'best', { value: entries[0], enumerable: false });
  Object.defineProperty(result, 'toString', { value: () => formatTable(entries, metric), enumerable: false });
  return result;
}

function validationPairOf(data: NonNullable<FitOptions['validationData']>): [DataInput, DataInput] {
  return Array.isArray(data) ? [data[0], data[1]] : [(data as { x: DataInput }).x, (data as { y: DataInput }).y];
}

/** With validationSplit the held-out rows are inside fit: take the last epoch's val* logs. */
function lastValidation(history: History): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(history)) {
    const list = history[key];
    if (key.startsWith('val') && Array.isArray(list) && list.length > 0) {
      out[key[3].toLowerCase() + key.slice(4)] = list[list.length - 1];
    }
  }
  return out;
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
  const header = ['rank', ...paramNames, ...valueNames.map((n) => (n === metric ? `${n} *` : n))];
  const rows = entries.map((e) => [String(e.rank), ...paramNames.map((p) => formatCell(e.params[p])),
    ...valueNames.map((n) => formatCell(e.validation[n]))]);
  const widths = header.map((h, i) => rows.reduce((w, r) => Math.max(w, r[i].length), h.length));
  const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
