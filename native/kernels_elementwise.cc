#include <cmath>

#include "kernels.h"
#include "simd.h"

namespace blasnet {

// z[n] = x ⊙ y (z may alias x or y)
BLASNET_CLONES void mul(float* z, const float* x, const float* y, size_t n) {
  for (size_t i = 0; i < n; i++) z[i] = x[i] * y[i];
}

// y[n] += alpha·x
BLASNET_CLONES void axpy(float* y, double alpha, const float* x, size_t n) {
  for (size_t i = 0; i < n; i++) y[i] = static_cast<float>(y[i] + alpha * x[i]);
}

// x[n] *= alpha
BLASNET_CLONES void scale(float* x, double alpha, size_t n) {
  for (size_t i = 0; i < n; i++) x[i] = static_cast<float>(x[i] * alpha);
}

// x[n] = value
BLASNET_CLONES void fill(float* x, float value, size_t n) {
  for (size_t i = 0; i < n; i++) x[i] = value;
}

// g[n] += alpha·sign(w)
BLASNET_CLONES void add_sign(float* g, double alpha, const float* w, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const double s = w[i] > 0.0f ? alpha : (w[i] < 0.0f ? -alpha : 0.0);
    g[i] = static_cast<float>(g[i] + s);
  }
}

// x[n] = min(max(x, lo), hi): written as two comparisons in this order so a NaN x stays NaN and
// lo > hi gives hi, as Math.min(Math.max(x, lo), hi) does.
BLASNET_CLONES void clip(float* x, float lo, float hi, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const float t = x[i] < lo ? lo : x[i];
    x[i] = t > hi ? hi : t;
  }
}

// Σ x² in double. Four partial sums break the dependency chain; the order is fixed, so the result
// is the same on every run.
double sum_squares(const float* x, size_t n) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const double a = x[i], b = x[i + 1], c = x[i + 2], d = x[i + 3];
    s0 += a * a;
    s1 += b * b;
    s2 += c * c;
    s3 += d * d;
  }
  for (; i < n; i++) s0 += static_cast<double>(x[i]) * x[i];
  return (s0 + s1) + (s2 + s3);
}

// Σ |x| in double
double sum_abs(const float* x, size_t n) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += std::fabs(x[i]);
    s1 += std::fabs(x[i + 1]);
    s2 += std::fabs(x[i + 2]);
    s3 += std::fabs(x[i + 3]);
  }
  for (; i < n; i++) s0 += std::fabs(x[i]);
  return (s0 + s1) + (s2 + s3);
}

}  // namespace blasnet
