// Elementwise arithmetic and reductions, as in native/kernels_elementwise.cc. Sums are accumulated
// in doubles (JS numbers) and rounded to float32 once, when stored.

/** z = x ⊙ y; z may alias x or y. */
export function mul(z: Float32Array, x: Float32Array, y: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) z[i] = x[i] * y[i];
}

/** y += alpha·x */
export function axpy(y: Float32Array, alpha: number, x: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) y[i] += alpha * x[i];
}

/** x *= alpha */
export function scale(x: Float32Array, alpha: number, n: number): void {
  for (let i = 0; i < n; i++) x[i] *= alpha;
}

/** x[i] = value */
export function fill(x: Float32Array, value: number, n: number): void {
  for (let i = 0; i < n; i++) x[i] = value;
}

/** g += alpha·sign(w), sign(0) = 0. */
export function addSign(g: Float32Array, alpha: number, w: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = w[i];
    if (v > 0) g[i] += alpha;
    else if (v < 0) g[i] -= alpha;
  }
}

/** Σ x² in double. */
export function sumSquares(x: Float32Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i] * x[i];
  return s;
}

/** Σ |x| in double. */
export function sumAbs(x: Float32Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(x[i]);
  return s;
}

/** x = min(max(x, lo), hi) */
export function clip(x: Float32Array, lo: number, hi: number, n: number): void {
  for (let i = 0; i < n; i++) {
    let v = x[i];
    if (v < lo) v = lo;
    if (v > hi) v = hi; // after lo, so lo > hi gives hi, as min(max(x, lo), hi) does
    x[i] = v;
  }
}
