// What a classifier's raw outputs mean: probabilities per class, the most probable class index and
// its name. The reading follows the model's last activation and its compiled loss: softmax or
// sigmoid outputs are probabilities already; the logits of softmax cross-entropy (or of an
// uncompiled linear output layer) go through a softmax, a single logit through a sigmoid.

import { allocFloat32, allocInt32 } from '../alloc';
import { Tensor } from '../tensor';
import { fail } from '../validate';
import { compiledOf, isCompiled } from './compile';
import type { DataInput } from './data';
import { predict, type InferenceOptions } from './inference';
import type { TrainableModel } from './model';
import { REGRESSION_LOSSES } from '../losses/index';

/** How to turn one output row into class probabilities. */
type Reading = 'probabilities' | 'softmax' | 'sigmoid' | 'binaryProbability' | 'score';


function lastActivation(model: TrainableModel): string | undefined {
  const last = model.layers[model.layers.length - 1] as { activation?: { name?: unknown } } | undefined;
  const name = last?.activation?.name;
  return typeof name === 'string' ? name : undefined;
}

function readingOf(fn: string, model: TrainableModel): Reading {
  const k = model.outputSize;
  const act = lastActivation(model);
  const loss = isCompiled(model) ? compiledOf(fn, model).loss.name : undefined;
  if (loss !== undefined && REGRESSION_LOSSES.has(loss)) {
    throw new Error(`${fn}: the model is compiled with the regression loss '${loss}'; class outputs need a classifier (softmaxCrossentropy, binaryCrossentropy, …)`);
  }
  if (act === 'softmax') return 'probabilities';
  if (act === 'sigmoid') return k === 1 ? 'binaryProbability' : 'probabilities';
  if (act !== undefined && act !== 'identity') {
    throw new Error(`${fn}: the model's last activation is ${act}, which gives no class probabilities; end with softmax, sigmoid or a linear layer of logits`);
  }
  if (loss === 'hinge') return 'score';
  if (k === 1) return loss === 'binaryCrossentropy' ? 'binaryProbability' : 'sigmoid';
  return loss === 'categoricalCrossentropy' ? 'probabilities' : 'softmax';
}

/** Class probabilities from raw outputs: [n, k] for k ≥ 2 outputs, [n, 2] (p(0), p(1)) for one. */
function toProbabilities(fn: string, reading: Reading, out: Float32Array, n: number, k: number): Tensor {
  if (reading === 'score') throw new Error(`${fn}: a hinge-loss model gives scores, not probabilities; use predictClasses`);
  if (reading === 'probabilities') return new Tensor(out, [n, k]);
  if (k === 1) {
    const p = allocFloat32(n * 2);
    for (let i = 0; i < n; i++) {
      const v = reading === 'sigmoid' ? 1 / (1 + Math.exp(-out[i])) : out[i];
      p[2 * i] = 1 - v;
      p[2 * i + 1] = v;
    }
    return new Tensor(p, [n, 2]);
  }
  const p = allocFloat32(n * k);
  for (let i = 0; i < n; i++) {
    // Shifted by the row's maximum so large logits stay finite.
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, out[i * k + j]);
    let sum = 0;
    for (let j = 0; j < k; j++) sum += Math.exp(out[i * k + j] - max);
    for (let j = 0; j < k; j++) p[i * k + j] = Math.exp(out[i * k + j] - max) / sum;
  }
  return new Tensor(p, [n, k]);
}

function outputsOf(fn: string, model: TrainableModel, x: DataInput, options: InferenceOptions): { out: Float32Array; n: number; k: number; reading: Reading } {
  const reading = readingOf(fn, model);
  const t = predict(model, x, options);
  return { out: t.data, n: t.shape[0], k: model.outputSize, reading };
}

/** Class probabilities for each row of x: a Tensor [n, classes] whose rows sum to 1 (two columns,
 *  p(0) and p(1), for a single-output binary classifier). */
export function predictProba(model: TrainableModel, x: DataInput, options: InferenceOptions = {}): Tensor {
  const { out, n, k, reading } = outputsOf('predictProba', model, x, options);
  return toProbabilities('predictProba', reading, out, n, k);
}

/** The most probable class of each row of x, as indices. */
export function predictClasses(model: TrainableModel, x: DataInput, options: InferenceOptions = {}): Int32Array {
  const { out, n, k, reading } = outputsOf('predictClasses', model, x, options);
  const classes = allocInt32(n);
  if (k === 1) {
    const threshold = reading === 'binaryProbability' ? 0.5 : 0; // a logit or a hinge score splits at 0
    for (let i = 0; i < n; i++) classes[i] = out[i] > threshold ? 1 : 0;
    return classes;
  }
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (out[i * k + j] > out[i * k + best]) best = j;
    classes[i] = best;
  }
  return classes;
}

/** The most probable class of each row by name: classNames[index] (from the argument, else the
 *  model's own `classNames`). */
export function predictClassNames(model: TrainableModel & { classNames?: readonly string[] }, x: DataInput, classNames?: readonly string[],
  options: InferenceOptions = {}): string[] {
  const fn = 'predictClassNames';
  const names = classNames ?? model.classNames;
  if (names === undefined) throw new Error(`${fn}: the model has no class names; pass them, or set model.classNames`);
  checkClassNames(fn, 'classNames', names);
  const classes = model.outputSize === 1 ? 2 : model.outputSize;
  if (names.length !== classes) fail(fn, 'classNames', `${classes} names, one per class`, `${names.length} names`);
  return Array.from(predictClasses(model, x, options), (c) => names[c]);
}

export function checkClassNames(fn: string, arg: string, names: unknown): readonly string[] {
  if (!Array.isArray(names) || names.some((c) => typeof c !== 'string')) fail(fn, arg, 'an array of strings', names, 'type');
  if (names.length === 0 || new Set(names).size !== names.length) fail(fn, arg, 'a non-empty list of distinct names', `[${names.join(', ')}]`);
  return names;
}
