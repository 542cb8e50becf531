import { checkAugmentation, type Augmentation } from '../data/augment';
import type { Param } from '../layers/layer';
import { checkOptions } from '../validate';
import { scheduledLr, type LrSchedule } from '../optim/schedules';
import { Random } from '../random';
import { checkBoolean, checkInt, checkRange, fail } from '../validate';
import { Batcher } from './batcher';
import { checkCallbacks, hasHook, runHook, type BatchLogs, type Callbacks } from './callbacks';
import { compiledOf, type Compiled } from './compile';
import { checkRowsFinite } from './check-data';
import { inputRows, sliceRows, targetRows, toRows, type DataInput, type Rows } from './data';
import { EarlyStopping, type EarlyStoppingOptions, type WeightBuffer } from './early-stopping';
import { DEFAULT_INFERENCE_BATCH, EvaluationPlan } from './evaluate';
import { emptyHistory, recordEpoch, valKey, type History } from './history';
import { MetricAccumulator, binaryThresholds } from './metrics';
import { sampleWeights, type ClassWeight } from './sample-weights';
import { ensureBuiltFor, type TrainableModel } from './model';
import { ProgressReporter, type OutputStream, type Verbosity } from './progress';
import { TrainStep, type StepPosition } from './step';
import { NEW_PHASE, drive, driveSync, type Pause } from './time-slice';
import { REGRESSION_LOSSES } from '../losses/index';

/** Options of fit and fitSync. */
export interface FitOptions {
  /** Passes over the training set (default 1). */
  epochs?: number;
  /** Rows per step (default 32; the whole set gives batch gradient descent, 1 gives pure SGD). */
  batchSize?: number;
  /** A fresh seeded permutation of the samples every epoch (default true). */
  shuffle?: boolean;
  /** Held-out data scored at the end of every epoch: [x, y] or { x, y }. */
  validationData?: readonly [DataInput, DataInput] | { x: DataInput; y: DataInput };
  /** Or: hold out this fraction of the rows, taken from the end of x and y before any shuffling. */
  validationSplit?: number;
  callbacks?: Callbacks | readonly Callbacks[];
  /** Seed for this fit's shuffling and augmentation. Default: the model's own generator, which goes
   *  on from fit to fit and is saved with the model, so training resumes exactly after save/load. */
  seed?: number;
  /** 0 silent, 1 progress bar on a terminal or a line per epoch elsewhere (default), 2 a line per epoch. */
  verbose?: Verbosity;
  /** Where progress goes (default process.stdout). */
  output?: OutputStream;
  /** Aborting it stops training after the current batch; fit then resolves with the epochs done so
   *  far and history.stopped = 'aborted'. */
  signal?: AbortSignal;
  /** Sets the learning rate at the start of every epoch (inverseTimeDecay, exponentialDecay,
   *  stepDecay, or your own (epoch, lr) => newLr). */
  lrSchedule?: LrSchedule;
  /** Stop when the monitored value stops improving (true for the defaults: valLoss, patience 5,
   *  restoreBestWeights). */
  earlyStopping?: boolean | EarlyStoppingOptions;
  /** Transforms every training mini-batch in place before the forward pass (gaussianNoise,
   *  randomShift, randomFlip, compose); validation data is never augmented. Its random draws come
   *  from the same source as the shuffling (the model's generator, or this fit's seed), so a fit
   *  stays reproducible. */
  augment?: Augmentation;
  /** One weight ≥ 0 per sample of x: the loss becomes Σ w_i·L_i / m over each batch (the logged
   *  training loss too; validation stays unweighted). */
  sampleWeight?: DataInput;
  /** Weights by class (multiplying sampleWeight): 'balanced' gives class c the weight
   *  n / (classes · n_c), so every class counts alike; or { classIndex: weight } (others 1). */
  classWeight?: ClassWeight;
}

const optionKeys = ['epochs', 'batchSize', 'shuffle', 'validationData', 'validationSplit', 'callbacks', 'seed', 'verbose',
  'output', 'signal', 'lrSchedule', 'earlyStopping', 'augment', 'sampleWeight', 'classWeight'];


const busy = new WeakSet<object>();

/** Separates the augmentation's stream from the shuffler's when fit is given a seed. */
const AUGMENT_SEED_MASK = 0x6a09e667;

/** Trains asynchronously, yielding to the event loop every few milliseconds. */
export async function fit(model: TrainableModel, x: DataInput, y: DataInput, options: FitOptions = {}): Promise<History> {
  claim('fit', model);
  try {
    const run = prepare('fit', model, x, y, options);
    return await drive(trainLoop(run));
  } finally {
    busy.delete(model);
  }
}

/** Trains synchronously (for scripts: the event loop is blocked until the end). Callbacks' returned
 *  promises are not awaited. */
export function fitSync(model: TrainableModel, x: DataInput, y: DataInput, options: FitOptions = {}): History {
  claim('fitSync', model);
  try {
    const run = prepare('fitSync', model, x, y, options);
    return driveSync(trainLoop(run));
  } finally {
    busy.delete(model);
  }
}

/** Whether a fit is running on the model (evaluate/predict remain allowed between its steps). */
export function isTraining(model: object): boolean {
  return busy.has(model);
}

/** Marks the model as training (an Error naming fn if it already is); release() ends it. */
export function claim(fn: string, model: object): void {
  if (busy.has(model)) {
    throw new Error(`${fn}: this model is already training; wait for the running fit() to finish (or abort it ` +
      'through its signal) before starting another');
  }
  busy.add(model);
}

export function release(model: object): void {
  busy.delete(model);
}

interface FitRun {
  fn: string;
  model: TrainableModel;
  compiled: Compiled;
  train: { x: Rows; y: Rows & { labels: boolean } };
  validation: EvaluationPlan | undefined;
  /** The row of x where a validationSplit part starts (undefined for validationData or none). */
  validationFirstRow: number | undefined;
  epochs: number;
  batchSize: number;
  shuffleRng: Random | undefined;
  augment: Augmentation | undefined;
  augmentRng: Random | undefined;
  callbacks: Callbacks[];
  verbose: Verbosity;
  output: OutputStream;
  signal: AbortSignal | undefined;
  lrSchedule: LrSchedule | undefined;
  earlyStopping: EarlyStopping | undefined;
  /** Per training sample, in a weighted fit. */
  weights: Float32Array | undefined;
}

function prepare(fn: string, model: TrainableModel, x: DataInput, y: DataInput, options: FitOptions): FitRun {
  const compiled = compiledOf(fn, model);
  const o = checkOptions<FitOptions>(fn, 'options', options, optionKeys);
  let xRows = toInputs(fn, 'x', model, x);
  const k = model.outputSize;
  let yRows = targetRows(fn, 'y', y, xRows.n, k, compiled.loss.acceptsLabels);

  const epochs = o.epochs === undefined ? 1 : checkInt(fn, 'options.epochs', o.epochs, 1);
  if (o.validationData !== undefined && o.validationSplit !== undefined) {
    fail(fn, 'options', 'validationData or validationSplit, not both', 'both');
  }
  let weightRows = o.sampleWeight === undefined ? undefined : toRows(fn, 'options.sampleWeight', o.sampleWeight);
  if (weightRows !== undefined && (weightRows.width !== 1 || weightRows.n !== xRows.n)) {
    fail(fn, 'options.sampleWeight', `${xRows.n} weights, one per sample of x`, `${weightRows.n} rows of ${weightRows.width}`);
  }
  let valX: Rows | undefined;
  let valY: (Rows & { labels: boolean }) | undefined;
  let validationFirstRow: number | undefined;
  if (o.validationSplit !== undefined) {
    const split = checkRange(fn, 'options.validationSplit', o.validationSplit, 0, 1, true);
    const held = Math.floor(xRows.n * split);
    if (split > 0) {
      if (held < 1 || held >= xRows.n) {
        fail(fn, 'options.validationSplit', `a fraction leaving ≥ 1 row on each side of ${xRows.n} samples`, String(split));
      }
      // Checked whole, before the cut, so a bad value is named by the caller's row, not the slice's.
      compiled.loss.checkTarget(fn, 'y', yRows.data, xRows.n, k);
      const cut = xRows.n - held;
      validationFirstRow = cut;
      valX = sliceRows(xRows, cut, xRows.n);
      valY = sliceRows(yRows, cut, xRows.n);
      xRows = sliceRows(xRows, 0, cut);
      yRows = sliceRows(yRows, 0, cut);
      if (weightRows !== undefined) weightRows = sliceRows(weightRows, 0, cut);
    }
  } else if (o.validationData !== undefined) {
    const [vx, vy] = validationPair(fn, o.validationData);
    valX = toInputs(fn, 'options.validationData x', model, vx);
    valY = targetRows(fn, 'options.validationData y', vy, valX.n, k, compiled.loss.acceptsLabels);
  }
  if (validationFirstRow === undefined) {
    compiled.loss.checkTarget(fn, 'y', yRows.data, xRows.n, k);
    if (valX !== undefined && valY !== undefined) compiled.loss.checkTarget(fn, 'validation y', valY.data, valX.n, k);
  }
  const weights = sampleWeights(fn, weightRows?.data, o.classWeight, yRows, k, binaryThresholds(compiled.loss.name, yRows.data).targetThreshold,
    REGRESSION_LOSSES.has(compiled.loss.name));

  const batchSize = o.batchSize === undefined ? Math.min(32, xRows.n) : Math.min(checkInt(fn, 'options.batchSize', o.batchSize, 1), xRows.n);
  const shuffle = o.shuffle === undefined ? true : checkBoolean(fn, 'options.shuffle', o.shuffle);
  const seed = o.seed === undefined ? undefined : checkInt(fn, 'options.seed', o.seed, 0, 2 ** 32 - 1);
  const verbose = o.verbose === undefined ? 1 : (checkInt(fn, 'options.verbose', o.verbose, 0, 2) as Verbosity);
  const output = o.output ?? process.stdout;
  if (typeof (output as OutputStream)?.write !== 'function') fail(fn, 'options.output', 'a stream with write()', output, 'type');
  const signal = o.signal;
  if (signal !== undefined && (signal === null || typeof signal !== 'object' || typeof signal.aborted !== 'boolean')) {
    fail(fn, 'options.signal', 'an AbortSignal', signal, 'type');
  }
  if (o.lrSchedule !== undefined && typeof o.lrSchedule !== 'function') {
    fail(fn, 'options.lrSchedule', 'a function (epoch, lr, initialLr) => lr', o.lrSchedule, 'type');
  }
  const augment = o.augment === undefined ? undefined : checkAugmentation(fn, 'options.augment', o.augment);
  augment?.check(fn, xRows.width);
  const earlyStopping = o.earlyStopping === undefined || o.earlyStopping === false ? undefined
    : new EarlyStopping(fn, o.earlyStopping as EarlyStoppingOptions | true);
  // A validation batch (forward only) of twice the training batch costs about what a training step
  // does, so the time slices stay as short during validation as during training.
  const validationBatch = Math.min(valX?.n ?? 1, Math.max(64, Math.min(DEFAULT_INFERENCE_BATCH, 2 * batchSize)));
  const validation = valX === undefined ? undefined : new EvaluationPlan(valX, valY!, validationBatch, compiled, k);
  if (earlyStopping !== undefined) {
    const available = ['loss', ...compiled.metrics, ...(validation === undefined ? [] : ['valLoss', ...compiled.metrics.map(valKey)])];
    if (!available.includes(earlyStopping.monitor)) {
      fail(fn, 'options.earlyStopping.monitor', `one of the logged values (${available.join(', ')})` +
        (earlyStopping.monitor.startsWith('val') && validation === undefined ? '; pass validationData or validationSplit to log val*' : ''),
        JSON.stringify(earlyStopping.monitor));
    }
  }
  // Without a seed, shuffling and augmentation draw from the model's own generator (as dropout does),
  // whose state a saved model keeps: training continues one stream across fit calls and save/load,
  // so 10 epochs equal 5 + 5. A seed gives this fit streams of its own, whatever ran before. The
  // augmentation's then differs from the shuffler's: the seed's splitmix sequence would overlap the
  // shuffler's if seeded with seed itself or a small offset of it.
  const shuffleRng = !shuffle ? undefined : seed === undefined ? model.rng : new Random(seed);
  const augmentRng = augment === undefined ? undefined : seed === undefined ? model.rng : new Random((seed ^ AUGMENT_SEED_MASK) >>> 0);
  return {
    fn, model, compiled, train: { x: xRows, y: yRows }, validation, validationFirstRow, epochs, batchSize, shuffleRng, augment, augmentRng,
    callbacks: checkCallbacks(fn, o.callbacks), verbose, output, signal, lrSchedule: o.lrSchedule, earlyStopping, weights,
  };
}

function toInputs(fn: string, arg: string, model: TrainableModel, x: unknown): Rows {
  ensureBuiltFor(model, fn, arg, x);
  return inputRows(fn, arg, x, model.inputSize, model.inputShape ?? []);
}

/** A function, so that TypeScript does not assume the flag cannot change between two reads. */
function aborted(signal: AbortSignal | undefined): boolean {
  return signal !== undefined && signal.aborted;
}

function validationPair(fn: string, data: unknown): [unknown, unknown] {
  if (Array.isArray(data) && data.length === 2) return [data[0], data[1]];
  if (data !== null && typeof data === 'object' && 'x' in data && 'y' in data) return [(data as { x: unknown }).x, (data as { y: unknown }).y];
  return fail(fn, 'options.validationData', '[x, y] or { x, y }', data, 'type');
}

/** All buffers early stopping saves and restores: parameters, then non-learned state. */
function weightBuffers(model: TrainableModel, params: readonly Param[]): WeightBuffer[] {
  return [...params, ...model.layers.flatMap((layer) => layer.state())];
}

/**
 * The training loop as a generator: it yields after every batch (a point where the async driver may
 * pause) and yields a Promise when a callback returned one. Returns the history.
 */
function* trainLoop(run: FitRun): Generator<Pause, History, void> {
  const { model, compiled, train, validation, epochs, callbacks, signal, earlyStopping } = run;
  const optimizer = compiled.optimizer;
  const params = model.params();
  const thresholds = binaryThresholds(compiled.loss.name, train.y.data);
  const trainMetrics = compiled.metrics.map((name) => new MetricAccumulator(name, thresholds));
  const step = new TrainStep(model, compiled, params, trainMetrics, train.y.labels, run.weights !== undefined);
  const { augment, augmentRng } = run;
  const batcher = new Batcher(train.x.data, train.y.data, train.x.n, train.x.width, train.y.width, run.batchSize, run.shuffleRng,
    augment !== undefined, run.weights);
  const reporter = new ProgressReporter(run.verbose, run.output, epochs, batcher.batchCount, train.x.n);
  const logKeys = ['loss', ...compiled.metrics, ...(validation === undefined ? [] : ['valLoss', ...compiled.metrics.map(valKey)])];
  const history = emptyHistory(logKeys);
  const buffers = earlyStopping === undefined ? [] : weightBuffers(model, params);
  earlyStopping?.prepare(buffers);
  const wantsBatchLogs = hasHook(callbacks, 'onBatchEnd');
  const batchLogs: BatchLogs = { size: 0, loss: 0 };
  const where: StepPosition = { fn: run.fn, epoch: 0, epochs, batch: 0, batches: batcher.batchCount };
  const firstMetric = trainMetrics[0];
  const firstMetricValue = (): number => firstMetric?.value() ?? NaN;

  // Inputs are checked here rather than in prepare(): a large set takes several event-loop turns.
  yield* checkRowsFinite(run.fn, 'x', train.x.data, train.x.width);
  if (validation !== undefined) {
    // A validationSplit part is named as the rows of x it came from.
    const split = run.validationFirstRow !== undefined;
    yield* checkRowsFinite(run.fn, split ? 'x' : 'validation x', validation.x.data, validation.x.width, run.validationFirstRow ?? 0);
  }
  yield NEW_PHASE;

  if (aborted(signal)) return yield* finish(run, history, 'aborted', reporter, buffers);
  yield runHook(callbacks, 'onTrainBegin');
  for (let epoch = 0; epoch < epochs; epoch++) {
    if (run.lrSchedule !== undefined) optimizer.lr = scheduledLr(run.fn, run.lrSchedule, epoch, optimizer.lr, optimizer.initialLr);
    yield runHook(callbacks, 'onEpochBegin', epoch, { lr: optimizer.lr });
    const lr = optimizer.lr;
    reporter.epochBegin(epoch);
    batcher.startEpoch();
    for (const acc of trainMetrics) acc.reset();
    where.epoch = epoch + 1;
    let lossSum = 0;
    let seen = 0;
    for (let b = 0; b < batcher.batchCount; b++) {
      // Also checked here: the signal may have fired while the loop was paused.
      if (aborted(signal)) return yield* finish(run, history, 'aborted', reporter, buffers);
      const batch = batcher.batch(b);
      if (augment !== undefined) augment.apply(batch.x, batch.m, train.x.width, augmentRng!);
      where.batch = b + 1;
      const loss = step.run(batch.x, batch.y, batch.m, where, batch.w);
      lossSum += loss * batch.m;
      seen += batch.m;
      reporter.batchEnd(b, seen, lossSum / seen, firstMetric?.name, firstMetricValue);
      if (wantsBatchLogs) {
        batchLogs.size = batch.m;
        batchLogs.loss = loss;
        yield runHook(callbacks, 'onBatchEnd', b, batchLogs);
      }
      if (aborted(signal)) return yield* finish(run, history, 'aborted', reporter, buffers);
      yield undefined;
    }
    const logs: Record<string, number> = { loss: lossSum / seen };
    for (const acc of trainMetrics) logs[acc.name] = acc.value();
    if (validation !== undefined) {
      yield NEW_PHASE;
      const scores = yield* validation.run(model, compiled, signal);
      if (scores === undefined) return yield* finish(run, history, 'aborted', reporter, buffers);
      for (const key of Object.keys(scores)) logs[valKey(key)] = scores[key];
    }
    logs.lr = lr;
    recordEpoch(history, epoch, logs);
    reporter.epochEnd(logs);
    yield runHook(callbacks, 'onEpochEnd', epoch, { ...logs });
    if (aborted(signal)) return yield* finish(run, history, 'aborted', reporter, buffers);
    if (earlyStopping !== undefined && earlyStopping.update(epoch, logs[earlyStopping.monitor], buffers)) {
      reporter.note(`Early stopping: ${earlyStopping.monitor} has not improved for ${earlyStopping.patience} epoch(s); ` +
        `best ${earlyStopping.monitor} ${earlyStopping.best} at epoch ${earlyStopping.bestEpoch + 1}`);
      return yield* finish(run, history, 'earlyStopping', reporter, buffers);
    }
  }
  return yield* finish(run, history, undefined, reporter, buffers);
}

/** Ends training: restores the best weights (early stopping, unless aborted), notes why training
 *  stopped, and calls onTrainEnd. */
function* finish(run: FitRun, history: History, stopped: History['stopped'], reporter: ProgressReporter,
  buffers: readonly WeightBuffer[]): Generator<Pause, History, void> {
  const es = run.earlyStopping;
  if (stopped !== undefined) history.stopped = stopped;
  if (stopped === 'aborted') reporter.note('Training aborted.');
  else if (es !== undefined && es.restore(buffers)) history.bestEpoch = es.bestEpoch;
  yield runHook(run.callbacks, 'onTrainEnd', history);
  return history;
}
