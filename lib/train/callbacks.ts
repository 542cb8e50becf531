import { fail } from '../validate';
import type { History } from './history';

/** Per-epoch values: loss, lr, the metrics, and their val* counterparts when validating. */
export type EpochLogs = Record<string, number>;

/** What onBatchEnd receives about a batch. */
export interface BatchLogs {
  /** Rows in this batch (the last one may be smaller). */
  size: number;
  /** This batch's loss (including penalties). */
  loss: number;
}

/**
 * Hooks called during fit. Each may return a Promise: the asynchronous fit waits for it before
 * going on (fitSync does not wait). epoch and batch count from 0.
 */
export interface Callbacks {
  /** Before the first epoch. */
  onTrainBegin?(): unknown;
  /** Before each epoch, with its learning rate. */
  onEpochBegin?(epoch: number, logs: { lr: number }): unknown;
  /** After each batch's step. */
  onBatchEnd?(batch: number, logs: BatchLogs): unknown;
  /** After each epoch, with its logged values. */
  onEpochEnd?(epoch: number, logs: EpochLogs): unknown;
  /** After the last epoch, with the history. */
  onTrainEnd?(history: History): unknown;
}

const hookNames = ['onTrainBegin', 'onEpochBegin', 'onBatchEnd', 'onEpochEnd', 'onTrainEnd'] as const;
type HookName = (typeof hookNames)[number];

/** Validates fit's callbacks option (one object or an array of them). */
export function checkCallbacks(fn: string, value: unknown): Callbacks[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  list.forEach((cb: unknown, i: number) => {
    const arg = Array.isArray(value) ? `options.callbacks[${i}]` : 'options.callbacks';
    if (cb === null || typeof cb !== 'object') fail(fn, arg, `an object with any of ${hookNames.join(', ')}`, cb, 'type');
    for (const name of hookNames) {
      const hook = (cb as Record<string, unknown>)[name];
      if (hook !== undefined && typeof hook !== 'function') fail(fn, `${arg}.${name}`, 'a function', hook, 'type');
    }
  });
  return list as Callbacks[];
}

/** Calls one hook on every callback; returns a Promise when any returned one, else undefined. */
export function runHook(callbacks: readonly Callbacks[], name: HookName, ...args: unknown[]): Promise<unknown> | undefined {
  let pending: Promise<unknown>[] | undefined;
  for (let i = 0; i < callbacks.length; i++) {
    const hook = callbacks[i][name] as ((...a: unknown[]) => unknown) | undefined;
    if (hook === undefined) continue;
    const result = hook.apply(callbacks[i], args);
    if (result !== null && typeof result === 'object' && typeof (result as Promise<unknown>).then === 'function') {
      pending ??= [];
      pending.push(result as Promise<unknown>);
    }
  }
  return pending === undefined ? undefined : pending.length === 1 ? pending[0] : Promise.all(pending);
}

export function hasHook(callbacks: readonly Callbacks[], name: HookName): boolean {
  return callbacks.some((cb) => typeof cb[name] === 'function');
}
