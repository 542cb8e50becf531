#include <cmath>

#include "kernels.h"
#include "simd.h"

namespace blasnet {

// Each update is one fused pass over n parameters. As in the JS backend, the arithmetic is done in
// double, the new state is used unrounded for the same element's parameter update, and each stored
// value is rounded once, so the two backends agree to the last bit or close to it. The passes are
// bound by memory traffic (3–5 arrays), so double arithmetic costs little here.

// θ −= lr·g
BLASNET_CLONES static void sgd_step(float* param, const float* grad, size_t n, double lr) {
  for (size_t i = 0; i < n; i++) param[i] = static_cast<float>(param[i] - lr * grad[i]);
}

// s1 = β1·s1 − lr·g ; θ += s1   (nesterov: θ += β1·s1 − lr·g)
BLASNET_CLONES static void momentum_step(float* param, const float* grad, float* s1, size_t n, double lr,
                                         double b1, bool nesterov) {
  if (nesterov) {
    for (size_t i = 0; i < n; i++) {
      const double g = grad[i];
      const double v = b1 * s1[i] - lr * g;
      s1[i] = static_cast<float>(v);
      param[i] = static_cast<float>(param[i] + (b1 * v - lr * g));
    }
  } else {
    for (size_t i = 0; i < n; i++) {
      const double v = b1 * s1[i] - lr * grad[i];
      s1[i] = static_cast<float>(v);
      param[i] = static_cast<float>(param[i] + v);
    }
  }
}

// s1 = β1·s1 + (1−β1)·g ; θ −= lr·s1
BLASNET_CLONES static void momentum_ema_step(float* param, const float* grad, float* s1, size_t n, double lr,
                                             double b1) {
  const double c = 1.0 - b1;
  for (size_t i = 0; i < n; i++) {
    const double v = b1 * s1[i] + c * grad[i];
    s1[i] = static_cast<float>(v);
    param[i] = static_cast<float>(param[i] - lr * v);
  }
}

// adagrad: s1 += g² ; rmsprop: s1 = ρ·s1 + (1−ρ)·g² ; then θ −= lr·g/(eps + √s1)
BLASNET_CLONES static void adagrad_step(float* param, const float* grad, float* s1, size_t n, double lr,
                                        double eps) {
  for (size_t i = 0; i < n; i++) {
    const double g = grad[i];
    const double r = s1[i] + g * g;
    s1[i] = static_cast<float>(r);
    param[i] = static_cast<float>(param[i] - lr * g / (eps + std::sqrt(r)));
  }
}

BLASNET_CLONES static void rmsprop_step(float* param, const float* grad, float* s1, size_t n, double lr, double rho,
                                        double eps) {
  const double c = 1.0 - rho;
  for (size_t i = 0; i < n; i++) {
    const double g = grad[i];
    const double r = rho * s1[i] + c * g * g;
    s1[i] = static_cast<float>(r);
    param[i] = static_cast<float>(param[i] - lr * g / (eps + std::sqrt(r)));
  }
}

// θ·decay (adamw's θ −= lr·wd·θ as θ·(1 − lr·wd); 1 for adam), then
// s1 = β1·s1 + (1−β1)·g ; s2 = β2·s2 + (1−β2)·g² ; θ −= lr·(s1·c1) / (√(s2·c2) + eps)
// with c1 = 1/(1−β1ᵗ), c2 = 1/(1−β2ᵗ).
BLASNET_CLONES static void adam_step(float* param, const float* grad, float* s1, float* s2, size_t n, double lr,
                                     double b1, double b2, double eps, double decay, double c1, double c2) {
  const double a1 = 1.0 - b1, a2 = 1.0 - b2;
  for (size_t i = 0; i < n; i++) {
    const double g = grad[i];
    const double mo = b1 * s1[i] + a1 * g;
    const double ve = b2 * s2[i] + a2 * g * g;
    s1[i] = static_cast<float>(mo);
    s2[i] = static_cast<float>(ve);
    param[i] = static_cast<float>(param[i] * decay - lr * (mo * c1) / (std::sqrt(ve * c2) + eps));
  }
}

void optimizer_step(int kind, float* param, const float* grad, float* s1, float* s2, size_t n, const double* h) {
  const double lr = h[H_LR], b1 = h[H_BETA1], b2 = h[H_BETA2], eps = h[H_EPS];
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
      const double c1 = 1.0 / (1.0 - std::pow(b1, t));
      const double c2 = 1.0 / (1.0 - std::pow(b2, t));
      const double decay = kind == OPT_ADAMW ? 1.0 - lr * h[H_WEIGHT_DECAY] : 1.0;
      adam_step(param, grad, s1, s2, n, lr, b1, b2, eps, decay, c1, c2);
      break;
    }
    default: break;
  }
}

}  // namespace blasnet
