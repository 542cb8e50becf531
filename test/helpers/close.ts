// Closeness assertions for float32 results. An element passes when
//   |actual − expected| ≤ atol + rtol·|expected|
// (NaN only matches NaN, ±Infinity only itself). A failure names the first offending index, both
// values and the tolerance, which is what one needs to debug a kernel.

export interface Tolerance {
  rtol: number;
  atol: number;
}

/** Index of the first element outside tolerance (or of a length mismatch), or -1. */
export function firstMismatch(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tolerance): number {
  if (actual.length !== expected.length) return Math.min(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) {
    if (!numbersClose(actual[i], expected[i], tol)) return i;
  }
  return -1;
}

export function numbersClose(a: number, e: number, tol: Tolerance): boolean {
  if (Number.isNaN(e)) return Number.isNaN(a);
  if (!Number.isFinite(e)) return a === e;
  return Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e);
}

/** Throws unless every element of actual is within tol of expected. */
export function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tolerance,
  label = 'arrays'): void {
  if (actual.length !== expected.length) {
    throw new Error(`${label}: length ${actual.length} differs from expected length ${expected.length}`);
  }
  const i = firstMismatch(actual, expected, tol);
  if (i >= 0) {
    let bad = 0;
    for (let j = i; j < actual.length; j++) if (!numbersClose(actual[j], expected[j], tol)) bad++;
    throw new Error(`${label}: element ${i} is ${actual[i]}, expected ${expected[i]} ` +
      `(|diff| ${Math.abs(actual[i] - expected[i]).toExponential(3)} > atol ${tol.atol} + rtol ${tol.rtol}·|expected|; ` +
      `${bad} of ${actual.length} elements differ)`);
  }
}

/** Throws unless the scalar actual is within tol of expected. */
export function expectClose(actual: number, expected: number, tol: Tolerance, label = 'value'): void {
  if (!numbersClose(actual, expected, tol)) {
    throw new Error(`${label}: ${actual}, expected ${expected} (|diff| ${Math.abs(actual - expected).toExponential(3)}, ` +
      `atol ${tol.atol}, rtol ${tol.rtol})`);
  }
}

/** Throws unless the arrays are equal bit for bit as float32 values (+0 and −0 count as equal). */
export function expectExactlyEqual(actual: ArrayLike<number>, expected: ArrayLike<number>, label = 'arrays'): void {
  if (actual.length !== expected.length) {
    throw new Error(`${label}: length ${actual.length} differs from expected length ${expected.length}`);
  }
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (a !== e && !(Number.isNaN(a) && Number.isNaN(e))) {
      throw new Error(`${label}: element ${i} is ${a}, expected exactly ${e}`);
    }
  }
}
