import { allocFloat32 } from '../alloc';
import { checkOptions } from '../validate';
import { checkBoolean, checkInt, checkNumber, checkOneOf, fail } from '../validate';
import { defaultMode } from './metrics';

/** When fit stops early, and which weights it keeps. */
export interface EarlyStoppingOptions {
  /** The logged value to watch (default 'valLoss'): 'loss', 'valLoss', 'accuracy', 'valAccuracy', … */
  monitor?: string;
  /** Stop after this many epochs in a row without improvement (default 5; 0 acts as 1). */
  patience?: number;
  /** The smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Whether the model ends with the weights of its best epoch (default true). */
  restoreBestWeights?: boolean;
  /** 'min' or 'max'; default 'max' for accuracy, 'min' for everything else. */
  mode?: 'min' | 'max';
}

/** The buffers early stopping copies: parameters and non-learned state (batch-norm statistics). */
export interface WeightBuffer {
  readonly value: Float32Array;
}

/**
 * Watches one logged value per epoch and says when it stopped improving. With restoreBestWeights it
 * keeps a copy of the weights of the best epoch (buffers allocated once, at the start of fit) and
 * puts them back at the end.
 */
export class EarlyStopping {
  readonly monitor: string;
  readonly patience: number;
  readonly minDelta: number;
  readonly restoreBestWeights: boolean;
  readonly mode: 'min' | 'max';
  best = NaN;
  bestEpoch = -1;
  private wait = 0;
  private snapshot: Float32Array[] = [];

  /** fn: the caller ('fit', 'fitSync', …), named in error messages. */
  constructor(fn: string, options: EarlyStoppingOptions | true) {
    const o = options === true ? {} : checkOptions<EarlyStoppingOptions>(fn, 'options.earlyStopping', options,
      ['monitor', 'patience', 'minDelta', 'restoreBestWeights', 'mode']);
    this.monitor = o.monitor === undefined ? 'valLoss' : checkMonitor(fn, o.monitor);
    this.patience = o.patience === undefined ? 5 : checkInt(fn, 'options.earlyStopping.patience', o.patience, 0);
    if (o.minDelta === undefined) this.minDelta = 0;
    else {
      checkNumber(fn, 'options.earlyStopping.minDelta', o.minDelta);
      if (o.minDelta < 0) fail(fn, 'options.earlyStopping.minDelta', 'a number ≥ 0', String(o.minDelta));
      this.minDelta = o.minDelta;
    }
    this.restoreBestWeights = o.restoreBestWeights === undefined ? true
      : checkBoolean(fn, 'options.earlyStopping.restoreBestWeights', o.restoreBestWeights);
    this.mode = o.mode === undefined ? defaultMode(this.monitor)
      : checkOneOf(fn, 'options.earlyStopping.mode', o.mode, ['min', 'max'] as const);
  }

  /** Allocates the copy of the weights once, before the first epoch. */
  prepare(buffers: readonly WeightBuffer[]): void {
    this.best = NaN;
    this.bestEpoch = -1;
    this.wait = 0;
    this.snapshot = this.restoreBestWeights ? buffers.map((b) => allocFloat32(b.value.length)) : [];
  }

  /** Called at each epoch's end with the value of `monitor`; returns true when training should stop. */
  update(epoch: number, value: number, buffers: readonly WeightBuffer[]): boolean {
    const improved = Number.isFinite(value) && (this.bestEpoch < 0 ||
      (this.mode === 'min' ? value < this.best - this.minDelta : value > this.best + this.minDelta));
    if (improved) {
      this.best = value;
      this.bestEpoch = epoch;
      this.wait = 0;
      for (let i = 0; i < this.snapshot.length; i++) this.snapshot[i].set(buffers[i].value);
      return false;
    }
    this.wait++;
    return this.wait >= this.patience;
  }

  /** Puts the best epoch's weights back; returns whether anything was restored. */
  restore(buffers: readonly WeightBuffer[]): boolean {
    if (!this.restoreBestWeights || this.bestEpoch < 0) return false;
    for (let i = 0; i < this.snapshot.length; i++) buffers[i].value.set(this.snapshot[i]);
    return true;
  }
}

function checkMonitor(fn: string, monitor: unknown): string {
  if (typeof monitor !== 'string') fail(fn, 'options.earlyStopping.monitor', "a logged value's name such as 'valLoss'", monitor, 'type');
  return monitor;
}
