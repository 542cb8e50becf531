// Central finite differences of a scalar function of a Float32Array, for checking hand-written
// gradients. The step actually taken is measured after float32 rounding, so the quotient divides by
// the true change in the input.

/**
 * ∂f/∂x[i] ≈ (f(x + h·e_i) − f(x − h·e_i)) / (2h) for every i (or the listed indices), restoring
 * x afterwards. f must read x and return a double.
 */
export function numericGradient(f: () => number, x: Float32Array, h = 1e-3, indices?: readonly number[]): Float64Array {
  const grad = new Float64Array(x.length);
  const which = indices ?? Array.from({ length: x.length }, (_, i) => i);
  for (const i of which) {
    const original = x[i];
    x[i] = original + h;
    const up = x[i];
    const fUp = f();
    x[i] = original - h;
    const down = x[i];
    const fDown = f();
    x[i] = original;
    grad[i] = (fUp - fDown) / (up - down);
  }
  return grad;
}

/** Σ w[i]·y[i] in double: a scalar whose gradient with respect to y is w (a random projection). */
export function dot(w: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += w[i] * y[i];
  return s;
}
