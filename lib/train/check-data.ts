import { fail } from '../validate';

/** Elements checked between two pause points: about a millisecond of work. */
const CHUNK = 1 << 19;

/**
 * Throws a RangeError naming the first NaN or ±Infinity in data. A generator, so that checking a
 * large training set (47M floats for Fashion-MNIST) can be spread over several event-loop turns.
 */
export function* checkRowsFinite(fn: string, arg: string, data: Float32Array, width: number): Generator<undefined, void, void> {
  for (let start = 0; start < data.length; start += CHUNK) {
    const end = Math.min(data.length, start + CHUNK);
    for (let i = start; i < end; i++) {
      const v = data[i];
      if (v - v !== 0) {
        const at = width > 0 ? `row ${Math.floor(i / width)}, column ${i % width}` : `index ${i}`;
        fail(fn, arg, 'finite values only', `${v} at ${at}`);
      }
    }
    yield;
  }
}
