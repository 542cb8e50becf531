import { checkOptions } from '../validate';
import { Tensor } from '../tensor';
import { checkBoolean, checkInt } from '../validate';
import { compiledOf } from './compile';
import { checkRowsFinite } from './check-data';
import { inputRows, targetRows, type DataInput } from './data';
import { DEFAULT_INFERENCE_BATCH, EvaluationPlan, predictRows } from './evaluate';
import { ensureBuiltFor, type TrainableModel } from './model';
import { drive, driveSync, type Pause } from './time-slice';

/** Options of predict and evaluate (and their async forms). */
export interface InferenceOptions {
  /** Rows per forward pass (default 1024). Only speed and memory depend on it. */
  batchSize?: number;
  /** Check x for NaN and ±Infinity and throw a RangeError naming the first one's row and column
   *  (default true), as fit does; each batch is checked just before its forward pass (a few % of
   *  predict's time). false skips it, for a hot path that already knows its input is finite; a
   *  non-finite input then gives NaN outputs, never a class that looks right. */
  checkFinite?: boolean;
}

export const INFERENCE_OPTION_KEYS = ['batchSize', 'checkFinite'] as const;

function inferenceOptionsOf(fn: string, options: unknown): { batchSize: number; checkFinite: boolean } {
  const o = checkOptions<InferenceOptions>(fn, 'options', options, INFERENCE_OPTION_KEYS);
  return {
    batchSize: o.batchSize === undefined ? DEFAULT_INFERENCE_BATCH : checkInt(fn, 'options.batchSize', o.batchSize, 1),
    checkFinite: o.checkFinite === undefined ? true : checkBoolean(fn, 'options.checkFinite', o.checkFinite),
  };
}

/** Validates evaluate's arguments and returns the evaluation as a generator (run sync or async). */
function* evaluation(fn: string, model: TrainableModel, x: DataInput, y: DataInput, options: InferenceOptions):
  Generator<Pause, Record<string, number>, void> {
  const compiled = compiledOf(fn, model);
  const { batchSize } = inferenceOptionsOf(fn, options);
  ensureBuiltFor(model, fn, 'x', x);
  const xRows = inputRows(fn, 'x', x, model.inputSize, model.inputShape ?? []);
  const yRows = targetRows(fn, 'y', y, xRows.n, model.outputSize, compiled.loss.acceptsLabels);
  yield* checkRowsFinite(fn, 'x', xRows.data, xRows.width);
  compiled.loss.checkTarget(fn, 'y', yRows.data, xRows.n, model.outputSize);
  const plan = new EvaluationPlan(xRows, yRows, Math.min(batchSize, xRows.n), compiled, model.outputSize);
  return (yield* plan.run(model, compiled))!;
}

/** Validates predict's arguments and returns the prediction as a generator (run sync or async). */
function* prediction(fn: string, model: TrainableModel, x: DataInput, options: InferenceOptions): Generator<Pause, Tensor, void> {
  const { batchSize, checkFinite } = inferenceOptionsOf(fn, options);
  ensureBuiltFor(model, fn, 'x', x);
  const xRows = inputRows(fn, 'x', x, model.inputSize, model.inputShape ?? []);
  const out = yield* predictRows(model, xRows, Math.min(batchSize, xRows.n), checkFinite ? { fn, arg: 'x' } : undefined);
  return new Tensor(out, [xRows.n, ...model.outputShape]);
}

/**
 * The compiled loss and metrics on (x, y), in inference mode (dropout off, batch norm on its running
 * statistics): { loss, accuracy?, mse?, mae? }. The loss includes the L1/L2 penalty when compiled
 * with one, as in fit's logs.
 */
export function evaluate(model: TrainableModel, x: DataInput, y: DataInput, options: InferenceOptions = {}): Record<string, number> {
  return driveSync(evaluation('evaluate', model, x, y, options));
}

/** evaluate for servers: the same result, computed in slices of a few milliseconds so the event loop
 *  keeps running (as fit does). */
export function evaluateAsync(model: TrainableModel, x: DataInput, y: DataInput, options: InferenceOptions = {}): Promise<Record<string, number>> {
  return drive(evaluation('evaluateAsync', model, x, y, options)); // argument errors reject the promise
}

/** The model's outputs for x in inference mode: a Tensor [n, ...outputShape] that the caller owns. */
export function predict(model: TrainableModel, x: DataInput, options: InferenceOptions = {}): Tensor {
  return driveSync(prediction('predict', model, x, options));
}

/** predict for servers: the same Tensor, computed in slices of a few milliseconds so the event loop
 *  keeps running. Safe while a fit runs on the same model (each batch is copied out before pausing). */
export function predictAsync(model: TrainableModel, x: DataInput, options: InferenceOptions = {}): Promise<Tensor> {
  return drive(prediction('predictAsync', model, x, options));
}
