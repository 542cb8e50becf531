// Averaging the predictions of several independently trained models: their errors are partly
// independent, so the average varies less than any one of them (a regulariser that costs only
// inference time).

import { allocFloat32 } from '../alloc';
import { getBackend } from '../backend/index';
import type { Layer } from '../layers/layer';
import { checkOptions } from '../validate';
import { Tensor } from '../tensor';
import { inputRows, targetRows, type DataInput, type Rows } from '../train/data';
import { INFERENCE_OPTION_KEYS, type InferenceOptions } from '../train/inference';
import { assertRowsFinite } from '../train/check-data';
import { MetricAccumulator, binaryThresholds, checkMetrics, type MetricName } from '../train/metrics';
import { checkOneOf, fail, shapeString } from '../validate';
import { Sequential } from './sequential';

/** How an ensemble combines its members' outputs. */
export const combineNames = ['mean', 'softmaxMean'] as const;
/** 'softmaxMean' averages the members' softmax probabilities (members that output logits);
 *  'mean' averages the outputs as they are (regression, or members that output probabilities). */
export type CombineName = (typeof combineNames)[number];

/** How an ensemble combines its members. */
export interface EnsembleOptions {
  /** Default: 'softmaxMean' when members have several outputs and the first member's last layer is
   *  not already a softmax or sigmoid; 'mean' otherwise. */
  combine?: CombineName;
}

/** Options of Ensemble.evaluate. */
export interface EnsembleEvaluateOptions extends InferenceOptions {
  /** Default: ['accuracy'] for several outputs, ['mse', 'mae'] for one. */
  metrics?: MetricName | readonly MetricName[];
}

/**
 * Several Sequential models with the same input and output shapes, predicting as one: the average
 * of their (softmax) outputs.
 *
 * @example
 *   const ensemble = new Ensemble([modelA, modelB, modelC]);   // classifiers that output logits
 *   const probabilities = ensemble.predict(x);                 // Tensor [n, classes]
 *   const { accuracy } = ensemble.evaluate(xTest, yTest);
 */
export class Ensemble {
  readonly members: readonly Sequential[];
  readonly combine: CombineName;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  readonly inputSize: number;
  readonly outputSize: number;

  /** An ensemble of built models with the same input and output sizes. */
  constructor(members: readonly Sequential[], options: EnsembleOptions = {}) {
    const fn = 'Ensemble';
    if (!Array.isArray(members)) fail(fn, 'members', 'a non-empty array of Sequential models', members, 'type');
    if (members.length === 0) fail(fn, 'members', 'a non-empty array of Sequential models', 'an empty array');
    const o = checkOptions<EnsembleOptions>(fn, 'options', options, ['combine']);
    members.forEach((member, i) => {
      if (!(member instanceof Sequential)) fail(fn, `members[${i}]`, 'a Sequential model', member, 'type');
      buildMember(fn, member, i);
    });
    const first = members[0];
    members.forEach((member, i) => {
      if (shapeString(member.inputShape!) !== shapeString(first.inputShape!) ||
        shapeString(member.outputShape) !== shapeString(first.outputShape)) {
        fail(fn, `members[${i}]`, `a model of input shape ${shapeString(first.inputShape!)} and output shape ` +
          `${shapeString(first.outputShape)} (as members[0])`,
          `input shape ${shapeString(member.inputShape!)} and output shape ${shapeString(member.outputShape)}`);
      }
    });
    this.members = Object.freeze([...members]);
    this.inputShape = first.inputShape!;
    this.outputShape = first.outputShape;
    this.inputSize = first.inputSize;
    this.outputSize = first.outputSize;
    if (o.combine === undefined) {
      this.combine = this.outputSize > 1 && !endsInProbabilities(first) ? 'softmaxMean' : 'mean';
    } else {
      this.combine = checkOneOf(fn, 'options.combine', o.combine, combineNames);
      if (this.combine === 'softmaxMean' && this.outputSize === 1) {
        fail(fn, 'options.combine', "'mean' for single-output members (a softmax over one value is always 1)", "'softmaxMean'");
      }
    }
  }

  /** The combined outputs for every row of x, in inference mode: a new Tensor [n, ...outputShape]. */
  predict(x: DataInput, options: InferenceOptions = {}): Tensor {
    const fn = 'Ensemble.predict';
    const rows = this.inputsOf(fn, x, options);
    const acc = allocFloat32(rows.n * this.outputSize);
    for (const member of this.members) this.accumulate(acc, member.predict(rows.data, memberOptions(options)).data, rows.n);
    return this.finish(acc, rows.n);
  }

  /** predict without blocking the event loop: each member predicts time-sliced, one after another. */
  async predictAsync(x: DataInput, options: InferenceOptions = {}): Promise<Tensor> {
    const fn = 'Ensemble.predictAsync';
    const rows = this.inputsOf(fn, x, options);
    const acc = allocFloat32(rows.n * this.outputSize);
    for (const member of this.members) this.accumulate(acc, (await member.predictAsync(rows.data, memberOptions(options))).data, rows.n);
    return this.finish(acc, rows.n);
  }

  /**
   * Metrics of the combined output against y: { accuracy } (argmax against class labels or one-hot
   * rows) for several outputs, { mse, mae } for one, or those chosen with options.metrics. With one
   * output, accuracy reads the combined output as a probability split at 0.5 (as the compiled
   * metric does).
   */
  evaluate(x: DataInput, y: DataInput, options: EnsembleEvaluateOptions = {}): Partial<Record<MetricName, number>> {
    const fn = 'Ensemble.evaluate';
    const o = checkOptions<EnsembleEvaluateOptions>(fn, 'options', options, ['batchSize', 'metrics']);
    const k = this.outputSize;
    const names = o.metrics === undefined ? (k > 1 ? ['accuracy' as const] : ['mse' as const, 'mae' as const]) : checkMetrics(fn, o.metrics);
    if (names.length === 0) fail(fn, 'options.metrics', 'at least one metric name', 'an empty array');
    const rows = inputRows(fn, 'x', x, this.inputSize, this.inputShape);
    // Labels are one-hot encoded here, which also checks each is a class index in range.
    const targets = targetRows(fn, 'y', y, rows.n, k, false);
    const pred = this.predict(rows.data, o.batchSize === undefined ? {} : { batchSize: o.batchSize });
    const thresholds = binaryThresholds('', targets.data);
    const result: Partial<Record<MetricName, number>> = {};
    for (const name of names) {
      const metric = new MetricAccumulator(name, thresholds);
      metric.add(pred.data, targets.data, rows.n, k, false);
      result[name] = metric.value();
    }
    return result;
  }

  private inputsOf(fn: string, x: DataInput, options: InferenceOptions): Rows {
    const o = checkOptions<InferenceOptions>(fn, 'options', options, INFERENCE_OPTION_KEYS);
    const rows = inputRows(fn, 'x', x, this.inputSize, this.inputShape);
    if (o.checkFinite !== false) assertRowsFinite(fn, 'x', rows.data, rows.width);
    return rows;
  }

  /** acc += the member's contribution (its softmax for 'softmaxMean'); out is the member's own copy. */
  private accumulate(acc: Float32Array, out: Float32Array, n: number): void {
    const backend = getBackend();
    if (this.combine === 'softmaxMean') backend.softmaxForward(out, out, n, this.outputSize);
    backend.axpy(acc, 1, out, acc.length);
  }

  private finish(acc: Float32Array, n: number): Tensor {
    getBackend().scale(acc, 1 / this.members.length, acc.length);
    return new Tensor(acc, [n, ...this.outputShape]);
  }
}

function buildMember(fn: string, member: Sequential, i: number): void {
  if (member.built) return;
  if (member.layers.length === 0) fail(fn, `members[${i}]`, 'a model with at least one layer', 'a Sequential with no layers');
  try {
    member.build();
  } catch (err) {
    if (!(err instanceof Error) || err.constructor !== Error) throw err;
    fail(fn, `members[${i}]`, 'a built model (or one whose input shape is known)', 'a Sequential without an input shape');
  }
}

/** Whether the model's last layer already maps to probabilities (then averaging is plain). */
function endsInProbabilities(model: Sequential): boolean {
  const last: Layer | undefined = model.layers[model.layers.length - 1];
  const activation = last?.config().activation;
  return activation === 'softmax' || activation === 'sigmoid';
}

/** Members predict on rows the ensemble has already checked. */
function memberOptions(options: InferenceOptions): InferenceOptions {
  return { ...options, checkFinite: false };
}
