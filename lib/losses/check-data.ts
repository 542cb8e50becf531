import { checkFinite, checkInt, fail } from '../validate';
import type { LossFunction } from './types';

/**
 * Validates a whole dataset once, before training or evaluation starts (never per step): x holds m
 * samples of inputSize finite floats, and y suits the loss for m samples of outputSize outputs
 * (length, finiteness, class indices, label domain). Throws TypeError/RangeError naming `fn`.
 */
export function checkDataset(fn: string, x: unknown, y: unknown, m: number, inputSize: number, outputSize: number,
  loss: LossFunction): void {
  checkInt(fn, 'the number of samples', m, 1);
  if (!(x instanceof Float32Array)) fail(fn, 'x', 'a Float32Array', x, 'type');
  if (x.length !== m * inputSize) {
    fail(fn, 'x', `${m}×${inputSize} = ${m * inputSize} floats (${inputSize} per sample)`, `${x.length} floats`);
  }
  checkFinite(fn, 'x', x);
  if (!(y instanceof Float32Array)) fail(fn, 'y', 'a Float32Array of targets', y, 'type');
  loss.checkTarget(fn, 'y', y, m, outputSize);
}
