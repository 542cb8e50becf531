#include <cmath>

#include "kernels.h"
#include "simd.h"

namespace blasnet {

// Each update is one fused pass over n parameters, in float arithmetic so that the compiler can run
// 8 (AVX2) or 16 (AVX-512) lanes at once: Adam's square root and division in double made it cost
// as much as a layer's matrix product. Step-level constants (lr·c1, c2) are formed in double once.
// The JS backend computes in double; the two agree within a few float32 ulps (test/backend).

// θ −= lr·g
BLASNET_CLONES static void sgd_step(float* param, const float* grad, size_t n, float lr) {
  for (size_t i = 0; i < n; i++) param[i] -= lr * grad[i];
}

// s1 = β1·s1 − lr·g ; θ += s1   (nesterov: θ += β1·s1 − lr·g)
BLASNET_CLONES static void momentum_step(float* param, const float* grad, float* s1, size_t n, float lr, float b1,
                                         bool nesterov) {
  if (nesterov) {
    for (size_t i = 0; i < n; i++) {
      const float g = grad[i];
      const float v = b1 * s1[i] - lr * g;
      s1[i] = v;
      param[i] += b1 * v - lr * g;
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
BLASNET_CLONES static void adagrad_step(float* param, const float* grad, float* s1, size_t n, float lr, float eps) {
  for (size_t i = 0; i < n; i++) {
    const float g = grad[i];
    const float r = s1[i] + g * g;
    s1[i] = r;
    param[i] -= lr * g / (eps + std::sqrt(r));
  }
}

BLASNET_CLONES static void rmsprop_step(float* param, const float* grad, float* s1, size_t n, float lr, float rho,
                                        float eps) {
  const float c = 1.0f - rho;
  for (size_t i = 0; i < n; i++) {
    const float g = grad[i];
    const float r = rho * s1[i] + c * g * g;
    s1[i] = r;
    param[i] -= lr * g / (eps + std::sqrt(r));
  }
}

// θ·decay (adamw's θ −= lr·wd·θ as θ·(1 − lr·wd); 1 for adam), then
// s1 = β1·s1 + (1−β1)·g ; s2 = β2·s2 + (1−β2)·g² ; θ −= lr·(s1·c1) / (√(s2·c2) + eps)
// with c1 = 1/(1−β1ᵗ), c2 = 1/(1−β2ᵗ); step = lr·c1 is folded in advance.
BLASNET_CLONES static void adam_step(float* param, const float* grad, float* s1, float* s2, size_t n, float step,
                                     float b1, float b2, float eps, float decay, float c2) {
  const float a1 = 1.0f - b1, a2 = 1.0f - b2;
  for (size_t i = 0; i < n; i++) {
    const float g = grad[i];
    const float mo = b1 * s1[i] + a1 * g;
    const float ve = b2 * s2[i] + a2 * (g * g);
    s1[i] = mo;
    s2[i] = ve;
    param[i] = param[i] * decay - step * mo / (std::sqrt(ve * c2) + eps);
  }
}

void optimizer_step(int kind, float* param, const float* grad, float* s1, float* s2, size_t n, const double* h) {
  const float lr = static_cast<float>(h[H_LR]), b1 = static_cast<float>(h[H_BETA1]),
              b2 = static_cast<float>(h[H_BETA2]), eps = static_cast<float>(h[H_EPS]);
  switch (kind) {
    case OPT_SGD: sgd_step(param, grad, n, lr); break;
    case OPT_MOMENTUM: momentum_step(param, grad, s1, n, lr, b1, false); break;
    case OPT_NESTEROV: momentum_step(param, grad, s1, n, lr, b1, true); break;
    case OPT_MOMENTUM_EMA: momentum_ema_step(param, grad, s1, n, lr, b1); break;
    case OPT_ADAGRAD: adagrad_step(param, grad, s1, n, lr, eps); break;
    case OPT_RMSPROP: rmsprop_step(param, grad, s1, n, lr, b2, eps); break;
    case OPT_ADAM:
    case OPT_ADAMW: {
      const double t = h[H_STEP];
      const double c1 = 1.0 / (1.0 - std::pow(h[H_BETA1], t));
      const double c2 = 1.0 / (1.0 - std::pow(h[H_BETA2], t));
      const double decay = kind == OPT_ADAMW ? 1.0 - h[H_LR] * h[H_WEIGHT_DECAY] : 1.0;
      adam_step(param, grad, s1, s2, n, static_cast<float>(h[H_LR] * c1), b1, b2, eps, static_cast<float>(decay),
                static_cast<float>(c2));
      break;
    }
    default: break;
  }
}

}  // namespace blasnet
