#include <algorithm>
#include <cmath>

#include "kernels.h"

namespace blasnet {

// Column statistics of a row-major matrix are gathered a block of columns at a time into stack
// accumulators in double, reading row by row so every load is contiguous.
constexpr size_t kBlock = 256;

// Batch norm forward over columns j0..j1 of x[m,n]; statistics are summed in double.
void batchnorm_forward(float* y, float* xhat, float* mean, float* invStd, const float* x, const float* gamma,
                       const float* beta, size_t m, size_t n, size_t j0, size_t j1, double eps, bool training) {
  double mu[kBlock], inv[kBlock];
  for (size_t b0 = j0; b0 < j1; b0 += kBlock) {
    const size_t w = std::min(kBlock, j1 - b0);
    if (training) {
      double acc[kBlock];  // Σx, then Σ(x − μ)²
      std::fill(acc, acc + w, 0.0);
      for (size_t i = 0; i < m; i++) {
        const float* row = x + i * n + b0;
        for (size_t j = 0; j < w; j++) acc[j] += row[j];
      }
      for (size_t j = 0; j < w; j++) mu[j] = acc[j] / static_cast<double>(m);
      std::fill(acc, acc + w, 0.0);
      for (size_t i = 0; i < m; i++) {  // second pass: Σ(x − μ)² does not cancel like Σx² − mμ²
        const float* row = x + i * n + b0;
        for (size_t j = 0; j < w; j++) {
          const double d = row[j] - mu[j];
          acc[j] += d * d;
        }
      }
      for (size_t j = 0; j < w; j++) {
        mean[b0 + j] = static_cast<float>(mu[j]);
        invStd[b0 + j] = static_cast<float>(1.0 / std::sqrt(acc[j] / static_cast<double>(m) + eps));
      }
    }
    // Both modes normalise with the stored float statistics, as the JS backend does, so training
    // and inference on the same statistics give the same xhat.
    for (size_t j = 0; j < w; j++) {
      mu[j] = mean[b0 + j];
      inv[j] = invStd[b0 + j];
    }
    for (size_t i = 0; i < m; i++) {
      const size_t off = i * n + b0;
      for (size_t j = 0; j < w; j++) {
        const double xh = (x[off + j] - mu[j]) * inv[j];
        xhat[off + j] = static_cast<float>(xh);
        y[off + j] = static_cast<float>(gamma[b0 + j] * xh + beta[b0 + j]);
      }
    }
  }
}

// dgamma[j] = Σ_i dy·xhat, dbeta[j] = Σ_i dy over all m rows, for columns j0..j1 (batch norm's and
// layer norm's parameter gradients alike)
void norm_param_backward(float* dgamma, float* dbeta, const float* dy, const float* xhat, size_t m,
                         size_t n, size_t j0, size_t j1) {
  double sg[kBlock], sb[kBlock];
  for (size_t b0 = j0; b0 < j1; b0 += kBlock) {
    const size_t w = std::min(kBlock, j1 - b0);
    std::fill(sg, sg + w, 0.0);
    std::fill(sb, sb + w, 0.0);
    for (size_t i = 0; i < m; i++) {
      const size_t off = i * n + b0;
      for (size_t j = 0; j < w; j++) {
        sg[j] += static_cast<double>(dy[off + j]) * xhat[off + j];
        sb[j] += dy[off + j];
      }
    }
    for (size_t j = 0; j < w; j++) {
      dgamma[b0 + j] = static_cast<float>(sg[j]);
      dbeta[b0 + j] = static_cast<float>(sb[j]);
    }
  }
}

// Batch norm backward over columns j0..j1: the column sums come first, so dx may alias dy.
void batchnorm_backward(float* dx, float* dgamma, float* dbeta, const float* dy, const float* xhat,
                        const float* invStd, const float* gamma, size_t m, size_t n, size_t j0, size_t j1,
                        bool training) {
  norm_param_backward(dgamma, dbeta, dy, xhat, m, n, j0, j1);
  // dx uses the sums as stored (rounded to float), as the JS backend does.
  const double md = static_cast<double>(m);
  double k[kBlock];
  for (size_t b0 = j0; b0 < j1; b0 += kBlock) {
    const size_t w = std::min(kBlock, j1 - b0);
    for (size_t j = 0; j < w; j++) k[j] = static_cast<double>(invStd[b0 + j]) * gamma[b0 + j] / md;
    for (size_t i = 0; i < m; i++) {
      const size_t off = i * n + b0;
      if (training) {
        for (size_t j = 0; j < w; j++) {
          const double sg = dgamma[b0 + j], sb = dbeta[b0 + j];
          dx[off + j] = static_cast<float>(k[j] * (md * dy[off + j] - sb - xhat[off + j] * sg));
        }
      } else {
        for (size_t j = 0; j < w; j++) {
          dx[off + j] = static_cast<float>(static_cast<double>(dy[off + j]) * gamma[b0 + j] * invStd[b0 + j]);
        }
      }
    }
  }
}

// Layer norm forward over the n columns of rows r0..r1
void layernorm_forward(float* y, float* xhat, float* mean, float* invStd, const float* x, const float* gamma,
                       const float* beta, size_t n, size_t r0, size_t r1, double eps) {
  const double nd = static_cast<double>(n);
  for (size_t r = r0; r < r1; r++) {
    const float* xr = x + r * n;
    double s = 0.0;
    for (size_t j = 0; j < n; j++) s += xr[j];
    const double mu = s / nd;
    double v = 0.0;
    for (size_t j = 0; j < n; j++) {
      const double d = xr[j] - mu;
      v += d * d;
    }
    const double inv = 1.0 / std::sqrt(v / nd + eps);
    mean[r] = static_cast<float>(mu);
    invStd[r] = static_cast<float>(inv);
    float* yr = y + r * n;
    float* hr = xhat + r * n;
    for (size_t j = 0; j < n; j++) {
      const double xh = (xr[j] - mu) * inv;
      hr[j] = static_cast<float>(xh);
      yr[j] = static_cast<float>(gamma[j] * xh + beta[j]);
    }
  }
}

// dx per row = invStd/n·(n·dŷ − Σdŷ − xhat·Σ(dŷ·xhat)), dŷ = dy·gamma; the sums come first, so dx
// may alias dy.
void layernorm_input_backward(float* dx, const float* dy, const float* xhat, const float* invStd,
                              const float* gamma, size_t n, size_t r0, size_t r1) {
  const double nd = static_cast<double>(n);
  for (size_t r = r0; r < r1; r++) {
    const float* dyr = dy + r * n;
    const float* hr = xhat + r * n;
    double s = 0.0, sh = 0.0;
    for (size_t j = 0; j < n; j++) {
      const double g = static_cast<double>(dyr[j]) * gamma[j];
      s += g;
      sh += g * hr[j];
    }
    const double k = static_cast<double>(invStd[r]) / nd;
    float* dxr = dx + r * n;
    for (size_t j = 0; j < n; j++) {
      const double g = static_cast<double>(dyr[j]) * gamma[j];
      dxr[j] = static_cast<float>(k * (nd * g - s - hr[j] * sh));
    }
  }
}

}  // namespace blasnet
