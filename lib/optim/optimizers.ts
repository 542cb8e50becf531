import type { OptName } from '../backend/types';
import { checkNonNegative, checkPositive, checkRange, fail } from '../validate';
import { checkOptions } from '../validate';
import { Optimizer, type OptimizerConfig, type OptimizerSettings } from './optimizer';

// One factory per optimizer, each taking the hyper-parameter names users know it by, with the usual
// defaults (PyTorch's). The update rules are in lib/backend/types.ts (Opt).

function nonNegative(fn: string, arg: string, value: number | undefined, fallback: number): number {
  return value === undefined ? fallback : checkNonNegative(fn, arg, value);
}

function beta(fn: string, arg: string, value: number | undefined, fallback: number): number {
  return value === undefined ? fallback : checkRange(fn, arg, value, 0, 1, true);
}

function positive(fn: string, arg: string, value: number | undefined, fallback: number): number {
  return value === undefined ? fallback : checkPositive(fn, arg, value);
}

const base: OptimizerSettings = { lr: 0.01, beta1: 0, beta2: 0, eps: 1e-8, weightDecay: 0 };

/** Options of {@link sgd}. */
export interface SgdOptions { lr?: number }
/** Options of {@link momentum} and {@link nesterov}. */
export interface MomentumOptions { lr?: number; momentum?: number }
/** Options of {@link adagrad}. */
export interface AdagradOptions { lr?: number; eps?: number }
/** Options of {@link rmsprop}. */
export interface RmspropOptions { lr?: number; rho?: number; eps?: number }
/** Options of {@link adam}. */
export interface AdamOptions { lr?: number; beta1?: number; beta2?: number; eps?: number }
/** Options of {@link adamw}. */
export interface AdamwOptions extends AdamOptions { weightDecay?: number }

/** Plain gradient descent: θ ← θ − η g (η default 0.01). */
export function sgd(options?: SgdOptions): Optimizer {
  const o = checkOptions<SgdOptions>('sgd', 'options', options, ['lr']);
  const lr = nonNegative('sgd', 'lr', o.lr, 0.01);
  return new Optimizer('sgd', { ...base, lr }, { lr });
}

function momentumKind(name: 'momentum' | 'momentumEma' | 'nesterov', options: MomentumOptions | undefined): Optimizer {
  const o = checkOptions<MomentumOptions>(name, 'options', options, ['lr', 'momentum']);
  const lr = nonNegative(name, 'lr', o.lr, 0.01);
  const m = beta(name, 'momentum', o.momentum, 0.9);
  return new Optimizer(name, { ...base, lr, beta1: m }, { lr, momentum: m });
}

/** Classic momentum: v ← βv − ηg; θ ← θ + v (β = `momentum`, default 0.9). */
export function momentum(options?: MomentumOptions): Optimizer {
  return momentumKind('momentum', options);
}

/** Momentum as an exponential moving average: v ← βv + (1−β)g; θ ← θ − ηv. */
export function momentumEma(options?: MomentumOptions): Optimizer {
  return momentumKind('momentumEma', options);
}

/** Nesterov momentum: v ← βv − ηg; θ ← θ + βv − ηg (the look-ahead form). */
export function nesterov(options?: MomentumOptions): Optimizer {
  return momentumKind('nesterov', options);
}

/** Adagrad: r ← r + g²; θ ← θ − η g/(δ + √r) (η 0.01, δ = `eps` 1e-10). */
export function adagrad(options?: AdagradOptions): Optimizer {
  const o = checkOptions<AdagradOptions>('adagrad', 'options', options, ['lr', 'eps']);
  const lr = nonNegative('adagrad', 'lr', o.lr, 0.01);
  const eps = positive('adagrad', 'eps', o.eps, 1e-10);
  return new Optimizer('adagrad', { ...base, lr, eps }, { lr, eps });
}

/** RMSprop: r ← ρr + (1−ρ)g²; θ ← θ − η g/(δ + √r) (η 1e-3, ρ = `rho` 0.9, δ = `eps` 1e-8). */
export function rmsprop(options?: RmspropOptions): Optimizer {
  const o = checkOptions<RmspropOptions>('rmsprop', 'options', options, ['lr', 'rho', 'eps']);
  const lr = nonNegative('rmsprop', 'lr', o.lr, 1e-3);
  const rho = beta('rmsprop', 'rho', o.rho, 0.9);
  const eps = positive('rmsprop', 'eps', o.eps, 1e-8);
  return new Optimizer('rmsprop', { ...base, lr, beta2: rho, eps }, { lr, rho, eps });
}

function adamSettings(fn: string, o: AdamOptions): OptimizerSettings {
  return {
    ...base,
    lr: nonNegative(fn, 'lr', o.lr, 1e-3),
    beta1: beta(fn, 'beta1', o.beta1, 0.9),
    beta2: beta(fn, 'beta2', o.beta2, 0.999),
    eps: positive(fn, 'eps', o.eps, 1e-8),
  };
}

/** Adam with bias correction (η 1e-3, β1 0.9, β2 0.999, ε 1e-8). */
export function adam(options?: AdamOptions): Optimizer {
  const o = checkOptions<AdamOptions>('adam', 'options', options, ['lr', 'beta1', 'beta2', 'eps']);
  const s = adamSettings('adam', o);
  return new Optimizer('adam', s, { lr: s.lr, beta1: s.beta1, beta2: s.beta2, eps: s.eps });
}

/** AdamW: θ ← θ − η·λ·θ on weights (not biases), then Adam (λ = `weightDecay`, default 0.01). */
export function adamw(options?: AdamwOptions): Optimizer {
  const o = checkOptions<AdamwOptions>('adamw', 'options', options, ['lr', 'beta1', 'beta2', 'eps', 'weightDecay']);
  const s = { ...adamSettings('adamw', o), weightDecay: nonNegative('adamw', 'weightDecay', o.weightDecay, 0.01) };
  return new Optimizer('adamw', s, { lr: s.lr, beta1: s.beta1, beta2: s.beta2, eps: s.eps, weightDecay: s.weightDecay });
}

const factories: Record<OptName, (options?: Record<string, number>) => Optimizer> = {
  sgd, momentum, momentumEma, nesterov, adagrad, rmsprop, adam, adamw,
};

/** The optimizers, by name. */
export const optimizerNames = Object.keys(factories) as OptName[];

/** An optimizer as compile() accepts it: an instance, a name, or { name, ...settings }. */
export type OptimizerSpec = Optimizer | OptName | OptimizerConfig;

/** Resolves an optimizer given as an instance, a name ('adam') or a config ({ name: 'adam', lr: 0.01 }). */
export function optimizer(spec: OptimizerSpec): Optimizer {
  if (spec instanceof Optimizer) return spec;
  const names = optimizerNames.map((n) => `'${n}'`).join(', ');
  if (typeof spec === 'string') {
    if (!Object.hasOwn(factories, spec)) fail('optimizer', 'spec', `an Optimizer or one of ${names}`, JSON.stringify(spec));
    return factories[spec]();
  }
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    fail('optimizer', 'spec', 'an Optimizer, a name or { name, ...settings }', spec, 'type');
  }
  const { name, ...settings } = spec;
  if (typeof name !== 'string' || !Object.hasOwn(factories, name)) fail('optimizer', 'spec.name', `one of ${names}`, JSON.stringify(name));
  return factories[name](settings as Record<string, number>);
}
