import { allocInt32 } from '../alloc';
import { getBackend } from '../backend/index';
import { fail } from '../validate';
import { DatasetMetric, datasetMetricNames, type DatasetMetricName } from './dataset-metrics';

/** accuracy, mse and mae are running means; the others are computed over the whole set (see
 *  dataset-metrics.ts): macro precision/recall/F1, ROC-AUC (one-vs-rest macro for k > 2), log-loss,
 *  RMSE and R². */
export const metricNames = ['accuracy', 'mse', 'mae', ...datasetMetricNames] as const;
/** Metrics where more is better; loss and the error metrics are better lower. */
const HIGHER_IS_BETTER: ReadonlySet<string> = new Set(['accuracy', 'precision', 'recall', 'f1', 'rocAuc', 'r2']);

/** Whether a logged value ('loss', 'f1', 'valAccuracy', …) improves going up ('max') or down ('min'). */
export function defaultMode(name: string): 'min' | 'max' {
  const base = /^val[A-Z]/.test(name) ? name[3].toLowerCase() + name.slice(4) : name;
  return HIGHER_IS_BETTER.has(base) ? 'max' : 'min';
}

/** The name of a metric. */
export type MetricName = (typeof metricNames)[number];

/**
 * How to read a single-output model as a binary classifier: predictions above `predThreshold` and
 * targets above `targetThreshold` are class 1. Probabilities (sigmoid) split at 0.5; logits, hinge
 * scores and ±1 targets split at 0.
 */
export interface BinaryThresholds {
  predThreshold: number;
  targetThreshold: number;
  /** Whether outputs are logits (softmax cross-entropy, from-logits losses, hinge scores) rather
   *  than probabilities. */
  logits: boolean;
}

/** Thresholds for a loss and a target set (scanned once per dataset, never per step). */
export function binaryThresholds(lossName: string, targets: Float32Array): BinaryThresholds {
  let min = Infinity;
  for (let i = 0; i < targets.length; i++) if (targets[i] < min) min = targets[i];
  const signedTargets = lossName === 'hinge' || min < 0;
  const logits = signedTargets || lossName === 'binaryCrossentropyFromLogits';
  return { predThreshold: logits ? 0 : 0.5, targetThreshold: signedTargets ? 0 : 0.5, logits: logits || lossName === 'softmaxCrossentropy' };
}

/**
 * Accumulates one metric over the batches of an epoch or an evaluation: add() per batch, value()
 * at the end. Scratch buffers grow to the largest batch once and are reused.
 */
export class MetricAccumulator {
  private sum = 0;
  private count = 0;
  private predIdx = EMPTY;
  private targetIdx = EMPTY;
  private readonly whole: DatasetMetric | undefined;

  constructor(readonly name: MetricName, private readonly binary: BinaryThresholds) {
    if ((datasetMetricNames as readonly string[]).includes(name)) this.whole = new DatasetMetric(name as DatasetMetricName, binary);
  }

  reset(): void {
    this.sum = 0;
    this.count = 0;
    this.whole?.reset();
  }

  /** pred: m×k outputs; target: m×k rows, or m class labels when `labels`. */
  add(pred: Float32Array, target: Float32Array, m: number, k: number, labels: boolean): void {
    if (this.whole !== undefined) this.whole.add(pred, target, m, k, labels);
    else if (this.name === 'accuracy') this.addAccuracy(pred, target, m, k, labels);
    else this.addError(pred, target, m, k, labels);
  }

  /** The metric over everything added since the last reset (NaN when nothing was added). */
  value(): number {
    if (this.whole !== undefined) return this.whole.value();
    return this.count === 0 ? NaN : this.sum / this.count;
  }

  private addAccuracy(pred: Float32Array, target: Float32Array, m: number, k: number, labels: boolean): void {
    let correct = 0;
    if (k === 1) {
      const { predThreshold, targetThreshold } = this.binary;
      for (let i = 0; i < m; i++) if ((pred[i] > predThreshold) === (target[i] > targetThreshold)) correct++;
    } else {
      if (this.predIdx.length < m) {
        this.predIdx = allocInt32(m);
        this.targetIdx = allocInt32(m);
      }
      const backend = getBackend();
      backend.argmaxRows(this.predIdx, pred, m, k);
      if (labels) {
        for (let i = 0; i < m; i++) if (this.predIdx[i] === target[i]) correct++;
      } else {
        backend.argmaxRows(this.targetIdx, target, m, k);
        for (let i = 0; i < m; i++) if (this.predIdx[i] === this.targetIdx[i]) correct++;
      }
    }
    this.sum += correct;
    this.count += m;
  }

  private addError(pred: Float32Array, target: Float32Array, m: number, k: number, labels: boolean): void {
    const squared = this.name === 'mse';
    let sum = 0;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < k; j++) {
        // Labels stand for one-hot rows.
        const t = labels ? (target[i] === j ? 1 : 0) : target[i * k + j];
        const d = pred[i * k + j] - t;
        sum += squared ? d * d : Math.abs(d);
      }
    }
    this.sum += sum;
    this.count += m * k;
  }
}

/** Validates compile()'s metrics option: a name or a list of names. */
export function checkMetrics(fn: string, metrics: unknown): MetricName[] {
  if (metrics === undefined) return [];
  const list = typeof metrics === 'string' ? [metrics] : metrics;
  if (!Array.isArray(list)) fail(fn, 'metrics', `a metric name or an array of them (${metricNames.join(', ')})`, metrics, 'type');
  const names: MetricName[] = [];
  list.forEach((name: unknown, i: number) => {
    const alias = name === 'acc' ? 'accuracy' : name;
    if (typeof alias !== 'string' || !(metricNames as readonly string[]).includes(alias)) {
      fail(fn, `metrics[${i}]`, `one of ${metricNames.map((n) => `'${n}'`).join(', ')}`, typeof name === 'string' ? JSON.stringify(name) : name,
        typeof name === 'string' ? 'range' : 'type');
    }
    if (!names.includes(alias as MetricName)) names.push(alias as MetricName);
  });
  return names;
}

const EMPTY = allocInt32(0);
