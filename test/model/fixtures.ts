// Seeded inputs for the model tests, independent of the code under test.
import { Random } from '../../lib/random';

export function uniformArray(seed: number, n: number, lo = -1, hi = 1): Float32Array {
  const rng = new Random(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.uniform(lo, hi);
  return out;
}

/** m labels in [0, classes) as floats. */
export function labelArray(seed: number, m: number, classes: number): Float32Array {
  const rng = new Random(seed);
  const out = new Float32Array(m);
  for (let i = 0; i < m; i++) out[i] = Math.floor(rng.next() * classes);
  return out;
}

export function oneHotOf(labels: Float32Array, classes: number): Float32Array {
  const out = new Float32Array(labels.length * classes);
  labels.forEach((c, i) => { out[i * classes + c] = 1; });
  return out;
}

/** m rows of n positive values summing to 1. */
export function distributionArray(seed: number, m: number, n: number): Float32Array {
  const out = uniformArray(seed, m * n, 0.05, 1);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += out[i * n + j];
    for (let j = 0; j < n; j++) out[i * n + j] /= s;
  }
  return out;
}

/** m values, each −1 or +1. */
export function signArray(seed: number, m: number): Float32Array {
  const rng = new Random(seed);
  return Float32Array.from({ length: m }, () => (rng.next() < 0.5 ? -1 : 1));
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} differs from ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}
