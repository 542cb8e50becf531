// An independent gemm for tests: the textbook triple loop in float64, plus the standard forward
// error bound for a float32 gemm, so a result can be judged without trusting any fast kernel.

/** Unit roundoff of float32. */
export const FLOAT32_EPS = 2 ** -24;

export interface GemmReference {
  /** alpha·op(A)·op(B) + beta·C0 in float64 (beta = 0 ignores C0). */
  value: Float64Array;
  /** |alpha|·|op(A)|·|op(B)| + |beta|·|C0|: the scale the rounding error is proportional to. */
  magnitude: Float64Array;
}

export function gemmReference(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  A: ArrayLike<number>, B: ArrayLike<number>, beta: number, C0: ArrayLike<number>): GemmReference {
  const value = new Float64Array(m * n);
  const magnitude = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let sAbs = 0;
      for (let p = 0; p < k; p++) {
        const a = transA ? A[p * m + i] : A[i * k + p];
        const b = transB ? B[j * k + p] : B[p * n + j];
        s += a * b;
        sAbs += Math.abs(a * b);
      }
      const c = beta === 0 ? 0 : C0[i * n + j];
      value[i * n + j] = alpha * s + beta * c;
      magnitude[i * n + j] = Math.abs(alpha) * sAbs + Math.abs(beta * c);
    }
  }
  return { value, magnitude };
}

/**
 * Throws unless every C[i] is within (k + 4)·u·magnitude[i] of the reference: the classical bound
 * γ_k for a k-term float32 dot product, plus roundings for alpha, beta·C and the store.
 */
export function expectWithinGemmBound(C: ArrayLike<number>, ref: GemmReference, k: number, label = 'gemm'): void {
  const factor = (k + 4) * FLOAT32_EPS;
  for (let i = 0; i < ref.value.length; i++) {
    const err = Math.abs(C[i] - ref.value[i]);
    const bound = factor * ref.magnitude[i] + 1e-30;
    if (!(err <= bound)) {
      throw new Error(`${label}: element ${i} is ${C[i]}, reference ${ref.value[i]}, error ${err.toExponential(3)} ` +
        `exceeds bound ${bound.toExponential(3)}`);
    }
  }
}
