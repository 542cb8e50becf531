#include <algorithm>
#include <cmath>

#include "kernels.h"

namespace blasnet {

namespace {

constexpr double kProbEps = 1e-7;  // probabilities are clamped away from 0 (and 1 for bce)

// One element of each loss: returns ℓ(p, t) and stores g = ∂ℓ/∂p. Computed in double, as the JS
// backend does, so only the final rounding to float differs.
struct Mse {
  static double f(double p, double t, double* g) {
    const double d = p - t;
    *g = 2 * d;
    return d * d;
  }
};
struct HalfMse {
  static double f(double p, double t, double* g) {
    const double d = p - t;
    *g = d;
    return 0.5 * d * d;
  }
};
struct Mae {
  static double f(double p, double t, double* g) {
    const double d = p - t;
    *g = d > 0 ? 1.0 : (d < 0 ? -1.0 : 0.0);
    return std::fabs(d);
  }
};
struct Bce {
  static double f(double p, double t, double* g) {
    const double q = std::min(std::max(p, kProbEps), 1 - kProbEps);
    *g = (q - t) / (q * (1 - q));
    return -(t * std::log(q) + (1 - t) * std::log(1 - q));
  }
};
struct BceLogits {
  static double f(double z, double t, double* g) {
    *g = 1.0 / (1.0 + std::exp(-z)) - t;
    return std::max(z, 0.0) - z * t + std::log1p(std::exp(-std::fabs(z)));
  }
};
struct Hinge {
  static double f(double p, double t, double* g) {
    const double margin = t * p;
    *g = margin < 1 ? -t : 0.0;
    return std::max(0.0, 1 - margin);
  }
};
struct Kl {
  static double f(double p, double t, double* g) {
    const double q = std::max(p, kProbEps);
    *g = -t / q;
    return t > 0 ? t * std::log(t / q) : 0.0;
  }
};
struct Cce {
  static double f(double p, double t, double* g) {
    const double q = std::max(p, kProbEps);
    *g = -t / q;
    return -t * std::log(q);
  }
};

// dpred may alias pred or target: each element is read before it is written.
template <typename L>
double run(float* dpred, const float* pred, const float* target, size_t n, double scale) {
  double sum = 0.0;
  for (size_t i = 0; i < n; i++) {
    double g;
    sum += L::f(pred[i], target[i], &g);
    dpred[i] = static_cast<float>(scale * g);
  }
  return sum;
}

}  // namespace

// dpred[n] = scale·∂ℓ/∂pred ; returns Σ ℓ(pred, target)
double loss_backward(int kind, float* dpred, const float* pred, const float* target, size_t n, double scale) {
  switch (kind) {
    case LOSS_MSE: return run<Mse>(dpred, pred, target, n, scale);
    case LOSS_HALF_MSE: return run<HalfMse>(dpred, pred, target, n, scale);
    case LOSS_MAE: return run<Mae>(dpred, pred, target, n, scale);
    case LOSS_BCE: return run<Bce>(dpred, pred, target, n, scale);
    case LOSS_BCE_LOGITS: return run<BceLogits>(dpred, pred, target, n, scale);
    case LOSS_HINGE: return run<Hinge>(dpred, pred, target, n, scale);
    case LOSS_KL: return run<Kl>(dpred, pred, target, n, scale);
    case LOSS_CCE: return run<Cce>(dpred, pred, target, n, scale);
    default: return 0.0;
  }
}

}  // namespace blasnet
