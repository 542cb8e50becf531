import { checkInt, checkNonNegative, checkPositive, fail } from '../validate';
import { checkOptions } from '../validate';

/**
 * A learning-rate schedule: given the epoch (counted from 0), the current rate and the optimizer's
 * initial rate η0, returns the rate for that epoch. The fit loop calls it at the start of every
 * epoch. A plain `(epoch, lr) => newLr` function is a schedule too (the "manual" kind).
 */
export type LrSchedule = (epoch: number, lr: number, initialLr: number) => number;

/** η = η0 / (1 + decay·epoch). */
export function inverseTimeDecay(options: { decay: number }): LrSchedule {
  const o = checkOptions<{ decay: number }>('inverseTimeDecay', 'options', options, ['decay']);
  const decay = checkNonNegative('inverseTimeDecay', 'decay', o.decay);
  return named(`inverseTimeDecay(decay=${decay})`, (epoch, _lr, lr0) => lr0 / (1 + decay * epoch));
}

/** η = η0 · rate^epoch (e.g. rate 0.95). */
export function exponentialDecay(options: { rate: number }): LrSchedule {
  const o = checkOptions<{ rate: number }>('exponentialDecay', 'options', options, ['rate']);
  const rate = checkPositive('exponentialDecay', 'rate', o.rate);
  return named(`exponentialDecay(rate=${rate})`, (epoch, _lr, lr0) => lr0 * Math.pow(rate, epoch));
}

/** η = η0 · factor^⌊epoch / every⌋: the rate drops by `factor` every `every` epochs. */
export function stepDecay(options: { every: number; factor: number }): LrSchedule {
  const o = checkOptions<{ every: number; factor: number }>('stepDecay', 'options', options, ['every', 'factor']);
  const every = checkInt('stepDecay', 'every', o.every, 1);
  const factor = checkPositive('stepDecay', 'factor', o.factor);
  return named(`stepDecay(every=${every}, factor=${factor})`, (epoch, _lr, lr0) => lr0 * Math.pow(factor, Math.floor(epoch / every)));
}

function named(description: string, schedule: LrSchedule): LrSchedule {
  Object.defineProperty(schedule, 'toString', { value: () => description });
  return schedule;
}

/** Runs a schedule and checks what it returned (a user function may return anything). */
export function scheduledLr(fn: string, schedule: LrSchedule, epoch: number, lr: number, initialLr: number): number {
  const next: unknown = schedule(epoch, lr, initialLr);
  if (typeof next !== 'number' || !Number.isFinite(next) || next < 0) {
    const isNumber = typeof next === 'number';
    fail(fn, `the rate lrSchedule returned for epoch ${epoch}`, 'a finite number ≥ 0', isNumber ? String(next) : next, isNumber ? 'range' : 'type');
  }
  return next;
}
