// Metrics that need a whole data set rather than a running sum (ROC-AUC ranks every score; the
// others are computed from the same record for simplicity): each batch's class probabilities and
// true classes (or predictions and targets, for regression) are copied into buffers that grow by
// doubling, so after the first epoch an add() allocates nothing.

import { allocFloat32 } from '../alloc';
import { confusionCounts, logLoss, precisionRecallF1, regressionScores, rocAucOfProbabilities } from './scores';

export const datasetMetricNames = ['precision', 'recall', 'f1', 'rocAuc', 'logLoss', 'rmse', 'r2'] as const;
export type DatasetMetricName = (typeof datasetMetricNames)[number];

/** How single outputs and targets are read as classes, and whether outputs are logits. */
export interface OutputReading {
  predThreshold: number;
  targetThreshold: number;
  logits: boolean;
}

export class DatasetMetric {
  private rows = 0;
  private width = 0;
  private values = allocFloat32(0);
  private truth = allocFloat32(0);

  constructor(readonly name: DatasetMetricName, private readonly reading: OutputReading) {}

  reset(): void {
    this.rows = 0;
  }

  add(pred: Float32Array, target: Float32Array, m: number, k: number, labels: boolean): void {
    const regression = this.name === 'rmse' || this.name === 'r2';
    const width = regression ? k : Math.max(k, 2);
    const truthWidth = regression ? k : 1;
    this.width = width;
    this.reserve((this.rows + m) * width, (this.rows + m) * truthWidth);
    const v = this.values;
    const t = this.truth;
    const base = this.rows;
    for (let i = 0; i < m; i++) {
      const row = (base + i) * width;
      if (regression) {
        for (let j = 0; j < k; j++) {
          v[row + j] = pred[i * k + j];
          t[(base + i) * k + j] = labels ? (target[i] === j ? 1 : 0) : target[i * k + j];
        }
        continue;
      }
      t[base + i] = this.classOf(target, i, k, labels);
      if (k === 1) {
        const s = this.reading.logits ? 1 / (1 + Math.exp(-pred[i])) : pred[i];
        v[row] = 1 - s;
        v[row + 1] = s;
      } else if (this.reading.logits) {
        let max = -Infinity;
        for (let j = 0; j < k; j++) max = Math.max(max, pred[i * k + j]);
        let sum = 0;
        for (let j = 0; j < k; j++) sum += Math.exp(pred[i * k + j] - max);
        for (let j = 0; j < k; j++) v[row + j] = Math.exp(pred[i * k + j] - max) / sum;
      } else {
        for (let j = 0; j < k; j++) v[row + j] = pred[i * k + j];
      }
    }
    this.rows += m;
  }

  /** The metric over everything added since the last reset (NaN when nothing was added). */
  value(): number {
    const n = this.rows;
    if (n === 0) return NaN;
    const k = this.width;
    const v = this.values;
    const t = this.truth;
    switch (this.name) {
      case 'rmse': return regressionScores(t, v, n, k).rmse;
      case 'r2': return regressionScores(t, v, n, k).r2;
      case 'logLoss': return logLoss(v, t, n, k);
      case 'rocAuc': return rocAucOfProbabilities(v, t, n, k);
      default: {
        const predicted = new Int32Array(n);
        for (let i = 0; i < n; i++) {
          let best = 0;
          for (let j = 1; j < k; j++) if (v[i * k + j] > v[i * k + best]) best = j;
          predicted[i] = best;
        }
        return precisionRecallF1(confusionCounts(t.subarray(0, n), predicted, k), k).macro[this.name];
      }
    }
  }

  private classOf(target: Float32Array, i: number, k: number, labels: boolean): number {
    if (k === 1) return target[i] > this.reading.targetThreshold ? 1 : 0;
    if (labels) return target[i];
    let best = 0;
    for (let j = 1; j < k; j++) if (target[i * k + j] > target[i * k + best]) best = j;
    return best;
  }

  private reserve(values: number, truth: number): void {
    if (this.values.length < values) this.values = grow(this.values, values);
    if (this.truth.length < truth) this.truth = grow(this.truth, truth);
  }
}

function grow(old: Float32Array, need: number): Float32Array {
  const next = allocFloat32(Math.max(need, old.length * 2));
  next.set(old);
  return next;
}
