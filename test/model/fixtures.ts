// Inputs and comparisons for the model tests, independent of the code under test (seeded arrays
// come from ../helpers/arrays).
import { Random } from '../../lib/random';

export function oneHotOf(labels: Float32Array, classes: number): Float32Array {
  const out = new Float32Array(labels.length * classes);
  labels.forEach((c, i) => { out[i * classes + c] = 1; });
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
