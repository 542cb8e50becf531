// evaluate over a source of batches (a file too large to load, read as it goes): the compiled loss
// and metrics over every batch, in inference mode, yielding to the event loop between slices.

import { penaltyValue } from '../losses/index';
import { fail } from '../validate';
import { compiledOf } from './compile';
import { driveSync } from './time-slice';
import { checkRowsFinite } from './check-data';
import { inputRows, targetRows } from './data';
import { isBatchSource, type BatchSource, type DataBatch } from './fit-stream';
import { MetricAccumulator, binaryThresholds } from './metrics';
import { ensureBuiltFor, type TrainableModel } from './model';
import { RowBuffer } from '../alloc';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** { loss, ...metrics } over every batch of `source` (the loss includes the L1/L2 penalty, as
 *  evaluate's does). */
export async function evaluateStream(model: TrainableModel, source: BatchSource): Promise<Record<string, number>> {
  const fn = 'evaluateAsync';
  const compiled = compiledOf(fn, model);
  if (!isBatchSource(source)) fail(fn, 'data', 'an iterable or async iterable of { x, y } batches', source, 'type');
  const k = model.outputSize;
  const dpred = new RowBuffer(k);
  let metrics: MetricAccumulator[] | undefined;
  let lossSum = 0;
  let n = 0;
  let b = 0;
  let sliceStart = performance.now();
  for await (const batch of source as AsyncIterable<DataBatch>) {
    if (batch === null || typeof batch !== 'object') fail(fn, `batch ${b}`, 'an object { x, y }', batch, 'type');
    if (!model.built) ensureBuiltFor(model, fn, `batch ${b} x`, batch.x);
    const x = inputRows(fn, `batch ${b} x`, batch.x, model.inputSize, model.inputShape ?? []);
    const y = targetRows(fn, `batch ${b} y`, batch.y, x.n, k, compiled.loss.acceptsLabels);
    driveSync(checkRowsFinite(fn, `batch ${b} x`, x.data, x.width));
    compiled.loss.checkTarget(fn, `batch ${b} y`, y.data, x.n, k);
    metrics ??= compiled.metrics.map((name) => new MetricAccumulator(name, binaryThresholds(compiled.loss.name, y.data)));
    const pred = model.forwardBatch(x.data, x.n, false);
    lossSum += compiled.loss.compute(dpred.rows(x.n), pred, y.data, x.n, k) * x.n;
    for (const acc of metrics) acc.add(pred, y.data, x.n, k, y.labels);
    n += x.n;
    b++;
    if (performance.now() - sliceStart >= 5) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
  if (n === 0) throw new RangeError(`${fn}: the data gave no batches`);
  let loss = lossSum / n;
  if (compiled.hasPenalties) loss += penaltyValue(model.params(), compiled.penalties);
  const result: Record<string, number> = { loss };
  for (const acc of metrics ?? []) result[acc.name] = acc.value();
  return result;
}
