import { checkOptions } from '../optim/options';
import { Tensor } from '../tensor';
import { checkInt } from '../validate';
import { compiledOf } from './compile';
import { checkRowsFinite } from './check-data';
import { inputRows, targetRows, type DataInput } from './data';
import { DEFAULT_INFERENCE_BATCH, EvaluationPlan, predictRows } from './evaluate';
import { ensureBuiltFor, type TrainableModel } from './model';
import { driveSync } from './time-slice';

export interface InferenceOptions {
  /** Rows per forward pass (default 1024). Only speed and memory depend on it. */
  batchSize?: number;
}

function batchSizeOf(fn: string, options: unknown): number {
  const o = checkOptions<InferenceOptions>(fn, 'options', options, ['batchSize']);
  return o.batchSize === undefined ? DEFAULT_INFERENCE_BATCH : checkInt(fn, 'options.batchSize', o.batchSize, 1);
}

/**
 * The compiled loss and metrics on (x, y), in inference mode (dropout off, batch norm on its running
 * statistics): { loss, accuracy?, mse?, mae? }. The loss includes the L1/L2 penalty when compiled
 * with one, as in fit's logs.
 */
export function evaluate(model: TrainableModel, x: DataInput, y: DataInput, options: InferenceOptions = {}): Record<string, number> {
  const fn = 'evaluate';
  const compiled = compiledOf(fn, model);
  const batchSize = batchSizeOf(fn, options);
  ensureBuiltFor(model, fn, 'x', x);
  const xRows = inputRows(fn, 'x', x, model.inputSize, model.inputShape ?? []);
  const yRows = targetRows(fn, 'y', y, xRows.n, model.outputSize, compiled.loss.acceptsLabels);
  driveSync(checkRowsFinite(fn, 'x', xRows.data, xRows.width));
  compiled.loss.checkTarget(fn, 'y', yRows.data, xRows.n, model.outputSize);
  const plan = new EvaluationPlan(xRows, yRows, Math.min(batchSize, xRows.n), compiled, model.outputSize);
  return driveSync(plan.run(model, compiled))!;
}

/** The model's outputs for x in inference mode: a Tensor [n, ...outputShape] that the caller owns. */
export function predict(model: TrainableModel, x: DataInput, options: InferenceOptions = {}): Tensor {
  const fn = 'predict';
  const batchSize = batchSizeOf(fn, options);
  ensureBuiltFor(model, fn, 'x', x);
  const xRows = inputRows(fn, 'x', x, model.inputSize, model.inputShape ?? []);
  const out = predictRows(model, xRows, Math.min(batchSize, xRows.n));
  return new Tensor(out, [xRows.n, ...model.outputShape]);
}
