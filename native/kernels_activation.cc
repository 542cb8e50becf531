#include <cmath>
#include <cstring>

#include "fast_math.h"
#include "kernels.h"
#include "simd.h"

namespace blasnet {

// The arithmetic is done in double and rounded once on store, as in the JS backend, so the cheap
// kinds agree with it bit for bit. sigmoid, tanh and elu use the vectorizable float exp/tanh of
// fast_math.h instead of Math.exp/Math.tanh's double ones: within 2 ulp, at a fraction of the cost.
//
// NaN in, NaN out, as in PyTorch's forward: each comparison is ordered so that NaN (for which every
// ordered comparison is false) falls through to the branch that passes x on, a select the loops
// keep vectorised. A backward pass gives NaN where x is NaN (identity's excepted): φ' is
// undefined there.

// ---- forward: y[n] = φ(x[n]) (y may alias x) ----

void identity_forward(float* y, const float* x, size_t n) {
  if (y != x) std::memmove(y, x, n * sizeof(float));
}

BLASNET_CLONES void step_forward(float* y, const float* x, size_t n) {
  for (size_t i = 0; i < n; i++) y[i] = x[i] >= 0.0f ? 1.0f : x[i] < 0.0f ? 0.0f
                                                                          : x[i];
}

// σ(x) = 1/(1 + e⁻ˣ) for x ≥ 0, and eˣ/(1 + eˣ) below, so e never overflows and σ of a very
// negative x keeps its (subnormal) value instead of collapsing to 0.
BLASNET_CLONES void sigmoid_forward(float* y, const float* x, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const float e = exp_f32(-std::fabs(x[i]));
    y[i] = (x[i] >= 0.0f ? 1.0f : e) / (1.0f + e);
  }
}

BLASNET_CLONES void tanh_forward(float* y, const float* x, size_t n) {
  for (size_t i = 0; i < n; i++) y[i] = tanh_f32(x[i]);
}

BLASNET_CLONES void relu_forward(float* y, const float* x, size_t n) {
  for (size_t i = 0; i < n; i++) y[i] = x[i] <= 0.0f ? 0.0f : x[i];
}

BLASNET_CLONES void leaky_relu_forward(float* y, const float* x, size_t n, double alpha) {
  for (size_t i = 0; i < n; i++) y[i] = x[i] <= 0.0f ? static_cast<float>(alpha * x[i]) : x[i];
}

// eˣ − 1 for x ≤ 0. Near 0 the subtraction would cancel; there eˣ − 1 = 2t/(1 − t) with
// t = tanh(x/2) keeps full relative accuracy (the role Math.expm1 plays in the JS backend). The
// switch point −0.75 gave the smallest worst case (2 ulp) in a sweep against Math.expm1.
static inline float expm1_nonpositive(float x) {
  const float t = tanh_f32(0.5f * x);
  return x > -0.75f ? 2.0f * t / (1.0f - t) : exp_f32(x) - 1.0f;
}

BLASNET_CLONES void elu_forward(float* y, const float* x, size_t n, double alpha) {
  const float a = static_cast<float>(alpha);
  for (size_t i = 0; i < n; i++) y[i] = x[i] <= 0.0f ? a * expm1_nonpositive(x[i]) : x[i];
}

// ---- backward: dx[n] = dy ⊙ φ'(x) (dx may alias dy) ----

void identity_backward(float* dx, const float* dy, size_t n) {
  if (dx != dy) std::memmove(dx, dy, n * sizeof(float));
}

// step' = 0 (NaN where x is NaN)
BLASNET_CLONES void step_backward(float* dx, const float* x, size_t n) {
  for (size_t i = 0; i < n; i++) dx[i] = x[i] == x[i] ? 0.0f : x[i];
}

// σ' = y(1 − y)
BLASNET_CLONES void sigmoid_backward(float* dx, const float* dy, const float* y, size_t n) {
  for (size_t i = 0; i < n; i++) dx[i] = static_cast<float>(static_cast<double>(dy[i]) * y[i] * (1.0 - y[i]));
}

// tanh' = 1 − y²
BLASNET_CLONES void tanh_backward(float* dx, const float* dy, const float* y, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const double t = y[i];
    dx[i] = static_cast<float>(dy[i] * (1.0 - t * t));
  }
}

BLASNET_CLONES void relu_backward(float* dx, const float* dy, const float* x, size_t n) {
  for (size_t i = 0; i < n; i++) dx[i] = x[i] > 0.0f ? dy[i] : x[i] <= 0.0f ? 0.0f
                                                                            : x[i];
}

BLASNET_CLONES void leaky_relu_backward(float* dx, const float* dy, const float* x, size_t n, double alpha) {
  for (size_t i = 0; i < n; i++) {
    dx[i] = x[i] > 0.0f ? dy[i] : x[i] <= 0.0f ? static_cast<float>(alpha * dy[i])
                                               : x[i];
  }
}

// elu' = 1 for x > 0, else α·eˣ
BLASNET_CLONES void elu_backward(float* dx, const float* dy, const float* x, size_t n, double alpha) {
  const float a = static_cast<float>(alpha);
  for (size_t i = 0; i < n; i++) dx[i] = x[i] > 0.0f ? dy[i] : dy[i] * a * exp_f32(x[i]);
}

void activation_forward(int kind, double alpha, float* y, const float* x, size_t n) {
  switch (kind) {
    case ACT_IDENTITY: identity_forward(y, x, n); break;
    case ACT_STEP: step_forward(y, x, n); break;
    case ACT_SIGMOID: sigmoid_forward(y, x, n); break;
    case ACT_TANH: tanh_forward(y, x, n); break;
    case ACT_RELU: relu_forward(y, x, n); break;
    case ACT_LEAKY_RELU: leaky_relu_forward(y, x, n, alpha); break;
    case ACT_ELU: elu_forward(y, x, n, alpha); break;
    default: break;
  }
}

void activation_backward(int kind, double alpha, float* dx, const float* dy, const float* x, const float* y,
                         size_t n) {
  switch (kind) {
    case ACT_IDENTITY: identity_backward(dx, dy, n); break;
    case ACT_STEP: step_backward(dx, x, n); break;
    case ACT_SIGMOID: sigmoid_backward(dx, dy, y, n); break;
    case ACT_TANH: tanh_backward(dx, dy, y, n); break;
    case ACT_RELU: relu_backward(dx, dy, x, n); break;
    case ACT_LEAKY_RELU: leaky_relu_backward(dx, dy, x, n, alpha); break;
    case ACT_ELU: elu_backward(dx, dy, x, n, alpha); break;
    default: break;
  }
}

}  // namespace blasnet
