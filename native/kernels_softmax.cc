#include <cmath>
#include <limits>

#include "fast_math.h"
#include "kernels.h"

namespace blasnet {

static inline float row_max(const float* x, size_t n) {
  float mx = -std::numeric_limits<float>::infinity();
  for (size_t j = 0; j < n; j++) mx = x[j] > mx ? x[j] : mx;
  return mx;
}

// Σ_j exp(x_j − mx) in double; the float exponentials also go to e when keep (rows up to kKeep wide).
static inline double shifted_exps(float* e, const float* x, size_t n, float mx, bool keep) {
  double sum = 0.0;
  for (size_t j = 0; j < n; j++) {
    const float v = exp_f32(x[j] - mx);
    if (keep) e[j] = v;
    sum += v;
  }
  return sum;
}

// y[m,n] = exp(x − max) / Σ exp(x − max) per row, rows r0..r1. The exponentials are float (exp_f32,
// within 2 ulp of exp) and the sum double. They are kept in a stack buffer (recomputed for very wide
// rows) rather than in y, so y may alias x.
void softmax_forward(float* y, const float* x, size_t n, size_t r0, size_t r1) {
  constexpr size_t kKeep = 1024;
  float e[kKeep];
  const bool keep = n <= kKeep;
  for (size_t r = r0; r < r1; r++) {
    const float* xr = x + r * n;
    float* yr = y + r * n;
    const float mx = row_max(xr, n);
    const double sum = shifted_exps(e, xr, n, mx, keep);
    const double inv = 1.0 / sum;
    for (size_t j = 0; j < n; j++) yr[j] = static_cast<float>((keep ? e[j] : exp_f32(xr[j] - mx)) * inv);
  }
}

// dx[m,n] = y ⊙ (dy − Σ_j dy_j·y_j) per row; dx may alias dy (the dot product is taken first).
void softmax_backward(float* dx, const float* dy, const float* y, size_t n, size_t r0, size_t r1) {
  for (size_t r = r0; r < r1; r++) {
    const float* dyr = dy + r * n;
    const float* yr = y + r * n;
    float* dxr = dx + r * n;
    double dot = 0.0;
    for (size_t j = 0; j < n; j++) dot += static_cast<double>(dyr[j]) * yr[j];
    for (size_t j = 0; j < n; j++) dxr[j] = static_cast<float>(yr[j] * (dyr[j] - dot));
  }
}

// dz[m,n] = scale·(softmax(z) − t) and Σ_rows Σ_j t_j·(lse − z_j), rows r0..r1. One exponential per
// element (exp_f32, kept in a stack buffer for rows up to kKeep wide); each row reads all of z before
// writing dz, so dz may alias z.
double softmax_crossentropy_backward(float* dz, const float* z, const float* target, size_t n, size_t r0,
                                     size_t r1, bool sparse, double scale) {
  constexpr size_t kKeep = 1024;
  float e[kKeep];
  const bool keep = n <= kKeep;
  double loss = 0.0;
  for (size_t r = r0; r < r1; r++) {
    const float* zr = z + r * n;
    float* dzr = dz + r * n;
    const float mx = row_max(zr, n);
    const double sum = shifted_exps(e, zr, n, mx, keep);
    // The loss from the shifted logits too: mx + log(sum) would round log(sum) away at |z| ~ 1e16.
    const double log_sum = std::log(sum);
    const double pscale = scale / sum;
    const auto p_scaled = [&](size_t j) { return (keep ? e[j] : exp_f32(zr[j] - mx)) * pscale; };
    if (sparse) {
      const size_t label = static_cast<size_t>(target[r]);
      loss += log_sum - (static_cast<double>(zr[label]) - mx);
      for (size_t j = 0; j < n; j++) dzr[j] = static_cast<float>(p_scaled(j) - (j == label ? scale : 0.0));
    } else {
      const float* tr = target + r * n;
      for (size_t j = 0; j < n; j++) {
        const double t = tr[j];
        if (t != 0.0) loss += t * (log_sum - (static_cast<double>(zr[j]) - mx));
        dzr[j] = static_cast<float>(p_scaled(j) - scale * t);
      }
    }
  }
  return loss;
}

// out[m,n] = one-hot rows of labels[m]
void one_hot(float* out, const float* labels, size_t m, size_t n) {
  for (size_t i = 0; i < m; i++) {
    float* row = out + i * n;
    for (size_t j = 0; j < n; j++) row[j] = 0.0f;
    row[static_cast<size_t>(labels[i])] = 1.0f;
  }
}

}  // namespace blasnet
