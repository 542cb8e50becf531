import { checkRowIndices } from './checks';

// Row and column kernels beside gemm (gemm.ts), as in native/kernels_matrix.cc. Sums are accumulated
// in doubles (JS numbers) and rounded to float32 once, when stored.

/** y[i,j] += b[j] for an m×n y. */
export function addBias(y: Float32Array, b: Float32Array, m: number, n: number): void {
  for (let i = 0; i < m; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) y[row + j] += b[j];
  }
}

/** out[j] = alpha·Σ_i x[i,j] + beta·out[j]; beta = 0 ignores the old out. */
export function sumRows(out: Float32Array, x: Float32Array, m: number, n: number, alpha: number,
  beta: number): void {
  // Four columns at a time: four double accumulators, and each row contributes 16 contiguous bytes.
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let i = 0, o = j; i < m; i++, o += n) {
      s0 += x[o]; s1 += x[o + 1]; s2 += x[o + 2]; s3 += x[o + 3];
    }
    if (beta === 0) {
      out[j] = alpha * s0; out[j + 1] = alpha * s1; out[j + 2] = alpha * s2; out[j + 3] = alpha * s3;
    } else {
      out[j] = alpha * s0 + beta * out[j];
      out[j + 1] = alpha * s1 + beta * out[j + 1];
      out[j + 2] = alpha * s2 + beta * out[j + 2];
      out[j + 3] = alpha * s3 + beta * out[j + 3];
    }
  }
  for (; j < n; j++) {
    let s = 0;
    for (let i = 0, o = j; i < m; i++, o += n) s += x[o];
    out[j] = beta === 0 ? alpha * s : alpha * s + beta * out[j];
  }
}

/** out row r = src row idx[r] for r < count; every index is checked before anything is written. */
export function gatherRows(out: Float32Array, src: Float32Array, idx: Int32Array, count: number,
  rowLen: number): void {
  checkRowIndices('gatherRows', idx, count, src.length, rowLen);
  // A plain copy loop rather than out.set(src.subarray(...)): no view object per row on the hot path.
  for (let r = 0; r < count; r++) {
    const from = idx[r] * rowLen;
    const to = r * rowLen;
    for (let c = 0; c < rowLen; c++) out[to + c] = src[from + c];
  }
}

/** out[i] = index of the first maximum of row i (a NaN is never chosen over an earlier value). */
export function argmaxRows(out: Int32Array, x: Float32Array, m: number, n: number): void {
  for (let i = 0; i < m; i++) {
    const row = i * n;
    let best = 0;
    let bestValue = x[row];
    for (let j = 1; j < n; j++) {
      const v = x[row + j];
      if (v > bestValue) {
        bestValue = v;
        best = j;
      }
    }
    out[i] = best;
  }
}
