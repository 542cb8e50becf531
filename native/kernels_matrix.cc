#include <cblas.h>

#include <algorithm>
#include <cstring>

#include "kernels.h"
#include "simd.h"

namespace blasnet {

// C[m,n] = alpha·op(A)[m,k]·op(B)[k,n] + beta·C
void gemm(bool transA, bool transB, int m, int n, int k, float alpha, const float* A, const float* B,
          float beta, float* C) {
  if (m == 0 || n == 0) return;
  if (k == 0) {
    // OpenBLAS rejects a leading dimension of 0 (and prints to stderr), so the empty product is
    // handled here: C = beta·C, with beta = 0 meaning "ignore C".
    const size_t len = static_cast<size_t>(m) * static_cast<size_t>(n);
    if (beta == 0.0f) std::fill(C, C + len, 0.0f);
    else if (beta != 1.0f) scale(C, beta, len);
    return;
  }
  const int lda = transA ? m : k;
  const int ldb = transB ? k : n;
  cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, m, n, k,
              alpha, A, lda, B, ldb, beta, C, n);
}

// y[m,n] += b[n]
BLASNET_CLONES void add_bias(float* y, const float* b, size_t m, size_t n) {
  for (size_t i = 0; i < m; i++) {
    float* row = y + i * n;
    for (size_t j = 0; j < n; j++) row[j] += b[j];
  }
}

// out[j0..j1] = alpha·Σ_i x[i, j0..j1] + beta·out. Columns go in blocks small enough for a stack
// accumulator in double, read row by row so every load is contiguous.
BLASNET_CLONES void sum_rows(float* out, const float* x, size_t m, size_t n, size_t j0, size_t j1, double alpha,
                             double beta) {
  constexpr size_t kBlock = 256;
  double acc[kBlock];
  for (size_t b0 = j0; b0 < j1; b0 += kBlock) {
    const size_t w = std::min(kBlock, j1 - b0);
    std::fill(acc, acc + w, 0.0);
    for (size_t i = 0; i < m; i++) {
      const float* row = x + i * n + b0;
      for (size_t j = 0; j < w; j++) acc[j] += row[j];
    }
    float* o = out + b0;
    if (beta == 0.0) {
      for (size_t j = 0; j < w; j++) o[j] = static_cast<float>(alpha * acc[j]);
    } else {
      for (size_t j = 0; j < w; j++) o[j] = static_cast<float>(alpha * acc[j] + beta * o[j]);
    }
  }
}

// out[count,rowLen] = src[idx[r], :]
void gather_rows(float* out, const float* src, const int32_t* idx, size_t count, size_t rowLen) {
  for (size_t r = 0; r < count; r++) {
    std::memcpy(out + r * rowLen, src + static_cast<size_t>(idx[r]) * rowLen, rowLen * sizeof(float));
  }
}

// out[m] = argmax of each row of x[m,n] (first maximum; a NaN never wins after the first element)
void argmax_rows(int32_t* out, const float* x, size_t m, size_t n) {
  for (size_t i = 0; i < m; i++) {
    const float* row = x + i * n;
    size_t best = 0;
    for (size_t j = 1; j < n; j++) {
      if (row[j] > row[best]) best = j;
    }
    out[i] = static_cast<int32_t>(best);
  }
}

}  // namespace blasnet
