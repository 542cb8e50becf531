#include <cmath>

#include "kernels.h"
#include "simd.h"

namespace blasnet {

// Each update is one fused pass over n parameters, in float with the scalar constants rounded once
// (the JS backend computes in double; the difference stays within float rounding of the update).

// θ −= lr·g
BLASNET_CLONES static void sgd_step(float* param, const float* grad, size_t n, float lr) {
  for (size_t i = 0; i < n; i++) param[i] -= lr * grad[i];
}

// s1 = β1·s1 − lr·g ; θ += s1   (nesterov: θ += β1·s1 − lr·g)
BLASNET_CLONES static void momentum_step(float* param, const float* grad, float* s1, size_t n, float lr, float b1,
                                         bool nesterov) {
  if (nesterov) {
    for (size_t i = 0; i < n; i++) {
      const float v = b1 * s1[i] - lr * grad[i];
      s1[i] = v;
      param[i] += b1 * v - lr * grad[i];
    }
  } else {
    for (size_t i = 0; i < n; i++) {
      const float v = b1 * s1[i] - lr * grad[i];
      s1[i] = v;
      param[i] += v;
    }
  }
}

// s1 = β1·s1 + (1−β1)·g ; θ −= lr·s1
BLASNET_CLONES static void momentum_ema_step(float* param, const float* grad, float* s1, size_t n, float lr,
                                             float b1) {
  const float c = 1.0f - b1;
  for (size_t i = 0; i < n; i++) {
    const float v = b1 * s1[i] + c * grad[i];
    s1[i] = v;
    param[i] -= lr * v;
  }
}

// adagrad: s1 += g² ; rmsprop: s1 = ρ·s1 + (1−ρ)·g² ; then θ −= lr·g/(eps + √s1)
BLASNET_CLONES static void adaptive_step(float* param, const float* grad, float* s1, size_t n, float lr,
                                         float rho, float eps, bool adagrad) {
  const float c = 1.0f - rho;
  for (size_t i = 0; i < n; i++) {
    const float g = grad[i];
    const float v = adagrad ? s1[i] + g * g : rho * s1[i] + c * (g * g);
    s1[i] = v;
    param[i] -= lr * g / (eps + __builtin_sqrtf(v));
  }
}

// adamw decays first: θ −= lr·wd·θ ; then
// s1 = β1·s1 + (1−β1)·g ; s2 = β2·s2 + (1−β2)·g² ; θ −= lr·(s1/(1−β1ᵗ)) / (√(s2/(1−β2ᵗ)) + eps)
BLASNET_CLONES static void adam_step(float* param, const float* grad, float* s1, float* s2, size_t n, float lr,
                                     float b1, float b2, float eps, float decay, float c1, float c2) {
  const float a1 = 1.0f - b1, a2 = 1.0f - b2;
  for (size_t i = 0; i < n; i++) {
    const float g = grad[i];
    const float m = b1 * s1[i] + a1 * g;
    const float v = b2 * s2[i] + a2 * (g * g);
    s1[i] = m;
    s2[i] = v;
    float p = param[i];
    if (decay != 0.0f) p -= decay * p;  // skipped for plain adam, so an infinite θ stays infinite
    param[i] = p - lr * (m / c1) / (__builtin_sqrtf(v / c2) + eps);
  }
}

void optimizer_step(int kind, float* param, const float* grad, float* s1, float* s2, size_t n, const double* h) {
  const float lr = static_cast<float>(h[H_LR]);
  const float b1 = static_cast<float>(h[H_BETA1]);
  const float b2 = static_cast<float>(h[H_BETA2]);
  const float eps = static_cast<float>(h[H_EPS]);
  switch (kind) {
    case OPT_SGD: sgd_step(param, grad, n, lr); break;
    case OPT_MOMENTUM: momentum_step(param, grad, s1, n, lr, b1, false); break;
    case OPT_NESTEROV: momentum_step(param, grad, s1, n, lr, b1, true); break;
    case OPT_MOMENTUM_EMA: momentum_ema_step(param, grad, s1, n, lr, b1); break;
    case OPT_ADAGRAD: adaptive_step(param, grad, s1, n, lr, 0.0f, eps, true); break;
    case OPT_RMSPROP: adaptive_step(param, grad, s1, n, lr, b2, eps, false); break;
    case OPT_ADAM:
    case OPT_ADAMW: {
      const double t = h[H_STEP];
      const float c1 = static_cast<float>(1.0 - std::pow(h[H_BETA1], t));
      const float c2 = static_cast<float>(1.0 - std::pow(h[H_BETA2], t));
      const float decay = kind == OPT_ADAMW ? static_cast<float>(h[H_LR] * h[H_WEIGHT_DECAY]) : 0.0f;
      adam_step(param, grad, s1, s2, n, lr, b1, b2, eps, decay, c1, c2);
      break;
    }
    default: break;
  }
}

}  // namespace blasnet
