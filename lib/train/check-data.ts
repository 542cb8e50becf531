import { getBackend } from '../backend/index';
import { fail } from '../validate';

/** Elements checked between two pause points: well under a millisecond of work. */
const CHUNK = 1 << 19;

/**
 * Throws a RangeError naming the first NaN or ±Infinity in data. Σ|x| over a chunk (one backend
 * call, accumulated in double, which no float32 values can overflow) is finite exactly when every
 * element is, so only a chunk that fails is scanned element by element. A generator, so that a
 * large training set (47M floats for Fashion-MNIST) is checked over several event-loop turns.
 * firstRow: the row of the caller's data that data starts at (for a slice of it).
 */
export function* checkRowsFinite(fn: string, arg: string, data: Float32Array, width: number, firstRow = 0): Generator<undefined, void, void> {
  for (let start = 0; start < data.length; start += CHUNK) {
    const end = Math.min(data.length, start + CHUNK);
    const chunk = start === 0 && end === data.length ? data : data.subarray(start, end);
    if (!Number.isFinite(getBackend().sumAbs(chunk, end - start))) {
      for (let i = start; i < end; i++) {
        const v = data[i];
        if (v - v !== 0) {
          const at = width > 0 ? `row ${firstRow + Math.floor(i / width)}, column ${i % width}` : `index ${i}`;
          fail(fn, arg, 'finite values only', `${v} at ${at}`);
        }
      }
    }
    yield;
  }
}

/** checkRowsFinite in one go, for synchronous callers (a forward pass). */
export function assertRowsFinite(fn: string, arg: string, data: Float32Array, width: number, firstRow = 0): void {
  for (const _ of checkRowsFinite(fn, arg, data, width, firstRow));
}
