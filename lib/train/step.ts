import { applyPenaltiesUnchecked } from '../losses/penalties';
import type { Param } from '../layers/layer';
import { RowBuffer } from '../alloc';
import { clipByNormUnchecked, clipByValueUnchecked } from '../optim/clip';
import { WeightedLoss } from '../losses/weighted';
import type { Compiled } from './compile';
import type { MetricAccumulator } from './metrics';
import type { TrainableModel } from './model';

/** Where in training a step runs, for error messages (1-based, with totals). */
export interface StepPosition {
  /** The caller ('fit', 'fitSync'), named in error messages. */
  readonly fn: string;
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
}

/**
 * One training step — forward, loss, backward, penalties, clipping, update — over buffers that all
 * exist after the first call. The loss is checked before anything touches the weights, so a NaN or
 * an infinity stops training with the weights of the last good step.
 */
export class TrainStep {
  private readonly dpred: RowBuffer;
  private readonly k: number;
  private readonly weighted: WeightedLoss | undefined;

  constructor(private readonly model: TrainableModel, private readonly compiled: Compiled, private readonly params: readonly Param[],
    private readonly metrics: readonly MetricAccumulator[], private readonly labels: boolean, weighted = false) {
    this.k = model.outputSize;
    this.dpred = new RowBuffer(this.k);
    if (weighted) this.weighted = new WeightedLoss(compiled.loss, this.k, labels ? 1 : this.k);
  }

  /** Runs the step on m rows (with their sample weights w in a weighted fit) and returns the batch
   *  loss (penalty included). */
  run(x: Float32Array, y: Float32Array, m: number, where: StepPosition, w?: Float32Array): number {
    const { model, compiled, params, k } = this;
    const pred = model.forwardBatch(x, m, true);
    const dpred = this.dpred.rows(m);
    let loss = this.weighted !== undefined && w !== undefined
      ? this.weighted.compute(dpred, pred, y, w, m)
      : compiled.loss.compute(dpred, pred, y, m, k);
    if (!Number.isFinite(loss)) throw lossError(loss, where, 'loss');
    for (let i = 0; i < this.metrics.length; i++) this.metrics[i].add(pred, y, m, k, this.labels);
    model.backwardBatch(dpred, m, false);
    if (compiled.hasPenalties) {
      loss += applyPenaltiesUnchecked(params, compiled.penalties.l1 ?? 0, compiled.penalties.l2 ?? 0);
      if (!Number.isFinite(loss)) throw lossError(loss, where, 'loss with its L1/L2 penalty');
    }
    if (compiled.clipValue > 0) clipByValueUnchecked(params, compiled.clipValue);
    if (compiled.clipNorm > 0) clipByNormUnchecked(params, compiled.clipNorm);
    compiled.optimizer.step(params);
    return loss;
  }
}

function lossError(loss: number, where: StepPosition, what: string): Error {
  return new Error(`${where.fn}: the ${what} became ${loss} at epoch ${where.epoch}/${where.epochs}, batch ${where.batch}/${where.batches}; ` +
    'training stopped and the model keeps the weights from before this batch. Usual causes: a learning rate too high ' +
    '(try one 10× smaller), inputs that are not scaled (standardise features to mean 0 and standard deviation 1), ' +
    "exploding gradients (try compile's clipNorm), or targets that do not suit the loss.");
}
