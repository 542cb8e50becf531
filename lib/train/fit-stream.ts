// Training on data that arrives in batches (a file read as it goes, a generator, a database
// cursor) rather than sitting in memory: each epoch iterates the source once, one training step per
// batch it gives. The loop awaits the source between steps and, when the source answers at once,
// still yields to the event loop every few milliseconds, as fit does.

import { scheduledLr, type LrSchedule } from '../optim/schedules';
import { Tensor } from '../tensor';
import { checkInt, checkOptions, fail } from '../validate';
import { checkCallbacks, hasHook, runHook, type BatchLogs, type Callbacks } from './callbacks';
import { compiledOf } from './compile';
import { checkRowsFinite } from './check-data';
import { inputRows, targetRows, type DataInput, type Rows } from './data';
import { DEFAULT_INFERENCE_BATCH, EvaluationPlan } from './evaluate';
import { claim, release } from './fit';
import { emptyHistory, recordEpoch, valKey, type History } from './history';
import { MetricAccumulator, binaryThresholds } from './metrics';
import { ensureBuiltFor, type TrainableModel } from './model';
import { formatDuration, formatValue, type OutputStream, type Verbosity } from './progress';
import { TrainStep, type StepPosition } from './step';
import { driveSync, SLICE_MS } from './time-slice';

/** One batch from a source: m rows of inputs and their targets (class labels or target rows). The
 *  source may reuse its buffers once the next batch is asked for. */
export interface DataBatch {
  x: Tensor | Float32Array;
  y: Tensor | Float32Array;
}

/** Something that gives the batches of one epoch each time it is iterated (an object whose
 *  [Symbol.asyncIterator]() starts over, like csvDataset's; a generator function's result can only
 *  be read once, so it gives one epoch). */
export type BatchSource = AsyncIterable<DataBatch> | Iterable<DataBatch>;

/** fit's options when its data is a source of batches. */
export interface StreamFitOptions {
  epochs?: number;
  /** In-memory data scored at the end of every epoch: [x, y] or { x, y }. */
  validationData?: readonly [DataInput, DataInput] | { x: DataInput; y: DataInput };
  callbacks?: Callbacks | readonly Callbacks[];
  /** 0 silent, 1 or 2: a line per epoch (default 1). */
  verbose?: Verbosity;
  output?: OutputStream;
  signal?: AbortSignal;
  lrSchedule?: LrSchedule;
}

const optionKeys = ['epochs', 'validationData', 'callbacks', 'verbose', 'output', 'signal', 'lrSchedule'];

/** Whether fit was handed a batch source rather than in-memory x. */
export function isBatchSource(value: unknown): value is BatchSource {
  if (Array.isArray(value)) {
    // An array of { x, y } batches (nested arrays of numbers are in-memory x instead).
    const first = value[0] as { x?: unknown; y?: unknown } | undefined;
    return first !== null && typeof first === 'object' && !Array.isArray(first) && 'x' in first && 'y' in first;
  }
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value) || value instanceof Tensor) return false;
  return typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function' || typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function';
}

function iteratorOf(source: BatchSource): AsyncIterator<DataBatch> | Iterator<DataBatch> {
  const asyncIt = (source as AsyncIterable<DataBatch>)[Symbol.asyncIterator];
  return typeof asyncIt === 'function' ? asyncIt.call(source) : (source as Iterable<DataBatch>)[Symbol.iterator]();
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Trains on every batch of `source`, `epochs` times; resolves with the per-epoch history. */
export async function fitStream(model: TrainableModel, source: BatchSource, options: StreamFitOptions = {}): Promise<History> {
  claim('fit', model);
  try {
    return await trainOnStream(model, source, options);
  } finally {
    release(model);
  }
}

async function trainOnStream(model: TrainableModel, source: BatchSource, options: StreamFitOptions): Promise<History> {
  const fn = 'fit';
  const compiled = compiledOf(fn, model);
  const o = checkOptions<StreamFitOptions>(fn, 'options', options, optionKeys);
  if (!isBatchSource(source)) fail(fn, 'data', 'an iterable or async iterable of { x, y } batches', source, 'type');
  const epochs = o.epochs === undefined ? 1 : checkInt(fn, 'options.epochs', o.epochs, 1);
  const verbose = o.verbose === undefined ? 1 : (checkInt(fn, 'options.verbose', o.verbose, 0, 2) as Verbosity);
  const output = o.output ?? process.stdout;
  const callbacks = checkCallbacks(fn, o.callbacks);
  // One logs object for every batch, and none at all when no callback reads it (as fit does).
  const wantsBatchLogs = hasHook(callbacks, 'onBatchEnd');
  const batchLogs: BatchLogs = { size: 0, loss: 0 };
  if (o.lrSchedule !== undefined && typeof o.lrSchedule !== 'function') fail(fn, 'options.lrSchedule', 'a function (epoch, lr, initialLr) => lr', o.lrSchedule, 'type');
  const k = model.outputSize;
  let validationRows: { x: Rows; y: Rows & { labels: boolean } } | undefined;
  if (o.validationData !== undefined) {
    const data = o.validationData as { x?: DataInput; y?: DataInput } & readonly DataInput[];
    const [vx, vy] = Array.isArray(data) ? data : [data.x, data.y];
    ensureBuiltFor(model, fn, 'validation x', vx);
    const xRows = inputRows(fn, 'validation x', vx, model.inputSize, model.inputShape ?? []);
    const yRows = targetRows(fn, 'validation y', vy, xRows.n, model.outputSize, compiled.loss.acceptsLabels);
    driveSync(checkRowsFinite(fn, 'validation x', xRows.data, xRows.width));
    compiled.loss.checkTarget(fn, 'validation y', yRows.data, xRows.n, model.outputSize);
    validationRows = { x: xRows, y: yRows };
  }
  // Built after the first batch, sized like fit's: twice the training batch, so a validation slice
  // costs about a training step.
  let validation: EvaluationPlan | undefined;

  const history = emptyHistory(['loss', ...compiled.metrics, ...(validationRows ? ['valLoss', ...compiled.metrics.map(valKey)] : [])]);
  let step: TrainStep | undefined;
  let metrics: MetricAccumulator[] = [];
  let labels = false;
  const where: StepPosition = { fn, epoch: 0, epochs, batch: 0, batches: 0 };
  const optimizer = compiled.optimizer;
  await runHook(callbacks, 'onTrainBegin');
  // The slice runs across epochs: many short epochs must still give the event loop its turns.
  let sliceStart = performance.now();
  for (let epoch = 0; epoch < epochs; epoch++) {
    if (o.lrSchedule !== undefined) optimizer.lr = scheduledLr(fn, o.lrSchedule, epoch, optimizer.lr, optimizer.initialLr);
    await runHook(callbacks, 'onEpochBegin', epoch, { lr: optimizer.lr });
    const started = performance.now();
    where.epoch = epoch + 1;
    for (const acc of metrics) acc.reset();
    let lossSum = 0;
    let seen = 0;
    let b = 0;
    const it = iteratorOf(source);
    let drained = false;
    try {
      for (;;) {
        if (o.signal?.aborted) { history.stopped = 'aborted'; break; }
        const r = await it.next();
        if (r.done) { drained = true; break; }
        const batch = r.value as DataBatch;
        if (batch === null || typeof batch !== 'object') fail(fn, `batch ${b}`, 'an object { x, y }', batch, 'type');
        if (!model.built) ensureBuiltFor(model, fn, `batch ${b} x`, batch.x);
        const x = inputRows(fn, `batch ${b} x`, batch.x, model.inputSize, model.inputShape ?? []);
        const y = targetRows(fn, `batch ${b} y`, batch.y, x.n, k, compiled.loss.acceptsLabels);
        if (x.n === 0) continue;
        driveSync(checkRowsFinite(fn, `batch ${b} x`, x.data, x.width));
        compiled.loss.checkTarget(fn, `batch ${b} y`, y.data, x.n, k);
        if (step === undefined) {
          labels = y.labels;
          const thresholds = binaryThresholds(compiled.loss.name, y.data);
          metrics = compiled.metrics.map((name) => new MetricAccumulator(name, thresholds));
          step = new TrainStep(model, compiled, model.params(), metrics, labels);
          if (validationRows !== undefined) {
            const size = Math.min(validationRows.x.n, Math.max(64, Math.min(DEFAULT_INFERENCE_BATCH, 2 * x.n)));
            validation = new EvaluationPlan(validationRows.x, validationRows.y, size, compiled, k);
          }
        } else if (y.labels !== labels) {
          fail(fn, `batch ${b} y`, labels ? 'class labels like the first batch' : 'target rows like the first batch', labels ? 'rows' : 'labels');
        }
        where.batch = b + 1;
        const loss = step.run(x.data, y.data, x.n, where);
        lossSum += loss * x.n;
        seen += x.n;
        b++;
        if (wantsBatchLogs) {
          batchLogs.size = x.n;
          batchLogs.loss = loss;
          const pending = runHook(callbacks, 'onBatchEnd', b - 1, batchLogs);
          if (pending !== undefined) await pending;
        }
        if (performance.now() - sliceStart >= SLICE_MS) {
          await nextTurn();
          sliceStart = performance.now();
        }
      }
    } finally {
      // An abort or an error mid-epoch still closes the source (csvDataset's file stream).
      if (!drained) await it.return?.();
    }
    if (history.stopped === 'aborted') break;
    if (seen === 0) {
      throw new RangeError(`${fn}: the data gave no batches in epoch ${epoch + 1}` +
        (epoch > 0 ? ' (a generator can be read only once; pass an object whose [Symbol.asyncIterator]() starts over each epoch)' : ''));
    }
    const logs: Record<string, number> = { loss: lossSum / seen };
    for (const acc of metrics) logs[acc.name] = acc.value();
    if (validation !== undefined) {
      const scores = driveSync(validation.run(model, compiled))!;
      for (const key of Object.keys(scores)) logs[valKey(key)] = scores[key];
    }
    logs.lr = optimizer.lr;
    recordEpoch(history, epoch, logs);
    if (verbose > 0) {
      const seconds = (performance.now() - started) / 1000;
      const shown = Object.entries(logs).filter(([key]) => key !== 'lr').map(([key, v]) => `${key} ${formatValue(v)}`).join('  ');
      output.write(`Epoch ${epoch + 1}/${epochs}  ${formatDuration(seconds)}  ${seen} samples, ${Math.round(seen / Math.max(seconds, 1e-9))} samples/s  ${shown}\n`);
    }
    await runHook(callbacks, 'onEpochEnd', epoch, { ...logs });
  }
  await runHook(callbacks, 'onTrainEnd', history);
  return history;
}
