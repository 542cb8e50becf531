import type { Pause } from './time-slice';
import { allocFloat32 } from '../alloc';
import { penaltyValue } from '../losses/index';
import { RowBuffer } from '../alloc';
import type { Compiled } from './compile';
import type { Rows } from './data';
import { MetricAccumulator, binaryThresholds } from './metrics';
import type { TrainableModel } from './model';
import { assertRowsFinite } from './check-data';

/** Inference runs in batches this large unless told otherwise: big enough for gemm to be efficient,
 *  small enough for the layer buffers to stay in cache-friendly sizes. */
export const DEFAULT_INFERENCE_BATCH = 1024;

/**
 * A data set cut into contiguous batches (views, no copies) with the scratch an evaluation needs.
 * Built once per set, so a repeated evaluation (the validation pass of every epoch) allocates
 * nothing after the first.
 */
export class EvaluationPlan {
  readonly xViews: Float32Array[] = [];
  readonly yViews: Float32Array[] = [];
  readonly sizes: number[] = [];
  readonly metrics: MetricAccumulator[];
  private readonly dpred: RowBuffer;

  constructor(readonly x: Rows, readonly y: Rows & { labels: boolean }, batchSize: number, compiled: Compiled, readonly outputs: number) {
    for (let start = 0; start < x.n; start += batchSize) {
      const end = Math.min(x.n, start + batchSize);
      this.xViews.push(x.data.subarray(start * x.width, end * x.width));
      this.yViews.push(y.data.subarray(start * y.width, end * y.width));
      this.sizes.push(end - start);
    }
    const thresholds = binaryThresholds(compiled.loss.name, y.data);
    this.metrics = compiled.metrics.map((name) => new MetricAccumulator(name, thresholds));
    this.dpred = new RowBuffer(outputs);
  }

  get batchCount(): number {
    return this.sizes.length;
  }

  /** Evaluates batches one by one (the generator yields after each, so a caller may time-slice).
   *  Returns { loss, ...metrics } averaged over all samples; the loss includes the penalty. */
  *run(model: TrainableModel, compiled: Compiled, signal?: { aborted: boolean }): Generator<undefined, Record<string, number> | undefined> {
    for (const acc of this.metrics) acc.reset();
    let lossSum = 0;
    for (let b = 0; b < this.sizes.length; b++) {
      const m = this.sizes[b];
      const pred = model.forwardBatch(this.xViews[b], m, false);
      lossSum += compiled.loss.compute(this.dpred.rows(m), pred, this.yViews[b], m, this.outputs) * m;
      for (const acc of this.metrics) acc.add(pred, this.yViews[b], m, this.outputs, this.y.labels);
      yield;
      if (signal?.aborted === true) return undefined;
    }
    let loss = lossSum / this.x.n;
    if (compiled.hasPenalties) loss += penaltyValue(model.params(), compiled.penalties);
    const result: Record<string, number> = { loss };
    for (const acc of this.metrics) result[acc.name] = acc.value();
    return result;
  }
}

/** The model's outputs for every row of x, computed in batches, as one [n, outputs] array. Yields
 *  after every batch (a point where the async driver may pause); each batch's output is copied out
 *  before it yields, so a fit step running in the pause cannot disturb it. */
export function* predictRows(model: TrainableModel, x: Rows, batchSize: number, checkFiniteAs?: { fn: string; arg: string }):
  Generator<Pause, Float32Array, void> {
  const k = model.outputSize;
  const out = allocFloat32(x.n * k);
  for (let start = 0; start < x.n; start += batchSize) {
    const m = Math.min(batchSize, x.n - start);
    const batch = x.data.subarray(start * x.width, (start + m) * x.width);
    // Checked batch by batch, just before its forward pass reads it again from cache.
    if (checkFiniteAs !== undefined) assertRowsFinite(checkFiniteAs.fn, checkFiniteAs.arg, batch, x.width, start);
    const pred = model.forwardBatch(batch, m, false);
    out.set(pred.length === m * k ? pred : pred.subarray(0, m * k), start * k);
    yield undefined;
  }
  return out;
}
