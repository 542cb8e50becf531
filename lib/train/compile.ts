import { getLoss, type LossFunction, type LossName, type Penalties } from '../losses/index';
import { optimizer as resolveOptimizer, type OptimizerSpec } from '../optim/optimizers';
import type { Optimizer } from '../optim/optimizer';
import { checkOptions } from '../validate';
import { checkNonNegative, checkPositive, fail } from '../validate';
import { checkMetrics, type MetricName } from './metrics';

/** What compile() sets up: the loss, the optimizer, metrics and penalties. */
export interface CompileOptions {
  /** A loss name ('softmaxCrossentropy', 'mse', …) or a LossFunction. */
  loss: LossName | LossFunction;
  /** An optimizer instance (adam({ lr: 1e-3 })), a name, or { name, ...settings }. Default 'adam'. */
  optimizer?: OptimizerSpec;
  /** Reported per epoch for training and validation data: 'accuracy', 'mse', 'mae'. */
  metrics?: MetricName | readonly MetricName[];
  /** L1 penalty λ Σ|W| on weights (not biases). */
  l1?: number;
  /** L2 penalty ½ λ Σ W² on weights (not biases): the classic weight decay, gradient + λW. */
  l2?: number;
  /** Clamp every gradient element to [−clipValue, clipValue] before the update. */
  clipValue?: number;
  /** Rescale all gradients together so their global L2 norm is at most clipNorm. */
  clipNorm?: number;
}

/** A model's training configuration, resolved and validated once. */
export interface Compiled {
  readonly loss: LossFunction;
  readonly optimizer: Optimizer;
  readonly metrics: readonly MetricName[];
  readonly penalties: Penalties;
  readonly hasPenalties: boolean;
  /** 0 when off. */
  readonly clipValue: number;
  readonly clipNorm: number;
}

const compiledModels = new WeakMap<object, Compiled>();

const keys = ['loss', 'optimizer', 'metrics', 'l1', 'l2', 'clipValue', 'clipNorm'];

// An option left out is 0: no penalty, no clipping.
function optionalNonNegative(fn: string, arg: string, value: unknown): number {
  return value === undefined ? 0 : checkNonNegative(fn, arg, value);
}

function optionalPositive(fn: string, arg: string, value: unknown): number {
  return value === undefined ? 0 : checkPositive(fn, arg, value);
}

/** Validates the options and attaches the result to the model (compiling again replaces it, with a
 *  fresh optimizer state). */
export function compileModel(model: object, options: CompileOptions): Compiled {
  const fn = 'compile';
  if (options === undefined) fail(fn, 'options', '{ loss, optimizer?, metrics?, l1?, l2?, clipValue?, clipNorm? }', options, 'type');
  const o = checkOptions<CompileOptions>(fn, 'options', options, keys);
  if (o.loss === undefined) fail(fn, 'options.loss', "a loss name (e.g. 'softmaxCrossentropy', 'mse') or a LossFunction", 'undefined', 'type');
  let loss: LossFunction;
  try {
    loss = getLoss(o.loss);
  } catch (err) {
    throw rename(err, 'getLoss: expected loss', 'compile: expected options.loss');
  }
  let opt: Optimizer;
  try {
    opt = resolveOptimizer(o.optimizer ?? 'adam');
  } catch (err) {
    throw rename(err, 'optimizer: expected spec', 'compile: expected options.optimizer');
  }
  const l1 = optionalNonNegative(fn, 'options.l1', o.l1);
  const l2 = optionalNonNegative(fn, 'options.l2', o.l2);
  const compiled: Compiled = {
    loss,
    optimizer: opt,
    metrics: checkMetrics(fn, o.metrics),
    penalties: { l1, l2 },
    hasPenalties: l1 > 0 || l2 > 0,
    clipValue: optionalPositive(fn, 'options.clipValue', o.clipValue),
    clipNorm: optionalPositive(fn, 'options.clipNorm', o.clipNorm),
  };
  opt.reset();
  compiledModels.set(model, compiled);
  return compiled;
}

/** The model's compiled configuration, or an Error telling the user to compile first. */
export function compiledOf(fn: string, model: object): Compiled {
  const compiled = compiledModels.get(model);
  if (compiled === undefined) {
    throw new Error(`${fn}: the model is not compiled; call model.compile({ loss, optimizer }) first ` +
      "(e.g. { loss: 'softmaxCrossentropy', optimizer: adam({ lr: 1e-3 }), metrics: ['accuracy'] })");
  }
  return compiled;
}

export function isCompiled(model: object): boolean {
  return compiledModels.has(model);
}

/** Re-labels an error from a helper so that it names compile's own argument. */
function rename(err: unknown, from: string, to: string): unknown {
  if (err instanceof Error && err.message.startsWith(from)) err.message = to + err.message.slice(from.length);
  return err;
}
