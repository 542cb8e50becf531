// Seeded test inputs. Every array comes from lib/random's generator, so a failing case reruns
// identically from its seed.
import { Random } from '../../lib/random';

/** n floats uniform in [lo, hi), from seed. */
export function randomFloat32(seed: number, n: number, lo = -1, hi = 1): Float32Array {
  const rng = new Random(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.uniform(lo, hi);
  return out;
}

/** n integers uniform in [0, classes), as an Int32Array. */
export function randomInts(seed: number, n: number, classes: number): Int32Array {
  const rng = new Random(seed);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(rng.next() * classes);
  return out;
}

/** m class labels in [0, classes) stored as floats (the form sparse targets take). */
export function randomLabels(seed: number, m: number, classes: number): Float32Array {
  return Float32Array.from(randomInts(seed, m, classes));
}

/** m rows of n probabilities (each row positive and summing to 1). */
export function randomDistributions(seed: number, m: number, n: number): Float32Array {
  const out = randomFloat32(seed, m * n, 0.05, 1);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += out[i * n + j];
    for (let j = 0; j < n; j++) out[i * n + j] /= s;
  }
  return out;
}

const GUARD = -12345.5;

/**
 * A Float32Array view holding `values`, placed `offset` floats into a larger buffer whose other floats
 * are a sentinel: kernels see a genuine subarray (non-zero byteOffset), and `guardsIntact` tells
 * whether anything was written outside the view.
 */
export interface GuardedView {
  view: Float32Array;
  guardsIntact(): boolean;
}

export function guarded(values: Float32Array, offset = 3, after = 5): GuardedView {
  const whole = new Float32Array(offset + values.length + after).fill(GUARD);
  const view = whole.subarray(offset, offset + values.length);
  view.set(values);
  return {
    view,
    guardsIntact() {
      for (let i = 0; i < offset; i++) if (whole[i] !== GUARD) return false;
      for (let i = offset + values.length; i < whole.length; i++) if (whole[i] !== GUARD) return false;
      return true;
    },
  };
}

/** A copy of values as a subarray view at the given offset of a larger buffer (no guard check). */
export function viewOf(values: Float32Array, offset = 3): Float32Array {
  return guarded(values, offset, 1).view;
}
