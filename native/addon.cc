// The N-API glue: each export reads and checks its arguments (checks.h), then calls the kernels in
// kernels.h, split across the pool (pool.h) when the call is large enough. Names, argument order
// and semantics are those of the Backend interface in lib/backend/types.ts.
//
// The exports are plain napi_callbacks rather than node-addon-api wrappers: a training step makes
// dozens of these calls, and the idiomatic wrappers' per-argument checks cost more than the small
// kernels themselves. node-addon-api is used where speed does not matter (info, module setup).
#include <cblas.h>
#include <napi.h>
#ifdef __linux__
#include <sched.h>
#endif

#include <cmath>
#include <cstdio>
#include <mutex>
#include <thread>

#include "checks.h"
#include "kernels.h"
#include "pool.h"

namespace blasnet {
namespace {

// Rough per-element cost of a kernel relative to axpy, to weigh it against parallel_min():
// exp/tanh and the optimizers' sqrt-and-divide pay for a worker's wake-up sooner. Measured break-
// even points (see pool.h) are about 4× lower for sigmoid and 2× lower for adam than for axpy.
constexpr double kCheap = 1.0;
constexpr double kMath = 4.0;

constexpr size_t kLine = 16;  // floats per cache line: elementwise splits fall on line boundaries

napi_value number(napi_env env, double v) {
  napi_value out;
  napi_create_double(env, v, &out);
  return out;
}

// ---- matrix ----

napi_value Gemm(napi_env env, napi_callback_info info) {
  static constexpr const char* FN = "gemm";
  BN_ARGS(10);
  BN_BOOL(0, transA);
  BN_BOOL(1, transB);
  BN_BLAS_SIZE(2, m);
  BN_BLAS_SIZE(3, n);
  BN_BLAS_SIZE(4, k);
  BN_NUMBER(5, alpha);
  BN_F32(6, A);
  BN_F32(7, B);
  BN_NUMBER(8, beta);
  BN_F32(9, C);
  BN_NEED(A, uint64_t{m} * k, transA ? "k×m" : "m×k");
  BN_NEED(B, uint64_t{k} * n, transB ? "n×k" : "k×n");
  BN_NEED(C, uint64_t{m} * n, "m×n");
  // sgemm reads A and B while it writes C: shared memory would read partial results.
  BN_DISJOINT(C, uint64_t{m} * n, A, uint64_t{m} * k);
  BN_DISJOINT(C, uint64_t{m} * n, B, uint64_t{k} * n);
  gemm(transA, transB, static_cast<int>(m), static_cast<int>(n), static_cast<int>(k), static_cast<float>(alpha), A,
       B, static_cast<float>(beta), C);
  return nullptr;
}

napi_value AddBias(napi_env env, napi_callback_info info) {
  static constexpr const char* FN = "addBias";
  BN_ARGS(4);
  BN_F32(0, y);
  BN_F32(1, b);
  BN_SIZE(2, m);
  BN_SIZE(3, n);
  BN_NEED(y, uint64_t{m} * n, "m×n");
  BN_NEED(b, n, "n");
  parallel_for(m, double(m) * n, 1, [&](size_t r0, size_t r1) { add_bias(y + r0 * n, b, r1 - r0, n); });
  return nullptr;
}

napi_value SumRows(napi_env env, napi_callback_info info) {
  static constexpr const char* FN = "sumRows";
  BN_ARGS(6);
  BN_F32(0, out);
  BN_F32(1, x);
  BN_SIZE(2, m);
  BN_SIZE(3, n);
  BN_NUMBER(4, alpha);
  BN_NUMBER(5, beta);
  BN_NEED(out, n, "n");
  BN_NEED(x, uint64_t{m} * n, "m×n");
  parallel_for(n, double(m) * n, kLine, [&](size_t j0, size_t j1) { sum_rows(out, x, m, n, j0, j1, alpha, beta); });
  return nullptr;
}

napi_value GatherRows(napi_env env, napi_callback_info info) {
  static constexpr const char* FN = "gatherRows";
  BN_ARGS(5);
  BN_F32(0, out);
  BN_F32(1, src);
  BN_I32(2, idx);
  BN_SIZE(3, count);
  BN_SIZE(4, rowLen);
  BN_NEED(out, uint64_t{count} * rowLen, "count×rowLen");
  BN_NEED(idx, count, "count");
  if (rowLen > 0) {
    const size_t rows = src_len / rowLen;
    for (size_t r = 0; r < count; r++) {
      if (idx[r] < 0 || static_cast<size_t>(idx[r]) >= rows) {
        char expected[96];
        std::snprintf(expected, sizeof expected, "a row index in [0, %zu) (src holds %zu rows of %zu)", rows, rows,
                      rowLen);
        throw_bad_element(env, FN, "idx", r, expected, idx[r]);
        return nullptr;
      }
    }
  }
  parallel_for(count, double(count) * rowLen, 1,
               [&](size_t r0, size_t r1) { gather_rows(out + r0 * rowLen, src, idx + r0, r1 - r0, rowLen); });
  return nullptr;
}

napi_value ArgmaxRows(napi_env env, napi_callback_info info) {
  static constexpr const char* FN = "argmaxRows";
  BN_ARGS(4);
  BN_I32(0, out);
  BN_F32(1, x);
  BN_SIZE(2, m);
  BN_SIZE(3, n);
  BN_NEED(out, m, "m");
  BN_NEED(x, uint64_t{m} * n, "m×n");
  parallel_for(m, double(m) * n, 1, [&](size_t r0, size_t r1) { argmax_rows(out + r0, x + r0 * n, r1 - r0, n); });
  return nullptr;
}

// ---- activations ----

bool uses_alpha(int kind) { return kind == ACT_LEAKY_RELU || kind == ACT_ELU; }
double activation_cost(int kind) {
  return kind == ACT_SIGMOID || kind == ACT_TANH || kind == ACT_ELU ? kMath : kCheap;
}

napi_value ActivationForward(napi_env env, napi_callback_info info) {
  static constexpr const char* FN = "activationForward";
  BN_ARGS(5);
  BN_KIND(0, kind, ACT_COUNT, "an activation");
  BN_NUMBER(1, alpha);
  BN_F32(2, y);
  BN_F32(3, x);
  BN_SIZE(4, n);
  if (uses_alpha(kind) && !std::isfinite(alpha)) {
    throw_bad_number(env, FN, "alpha", "a finite number", alpha);
    return nullptr;
  }
  BN_NEED(y, n, "n");
  BN_NEED(x, n, "n");
  parallel_for(n, n * activation_cost(kind), kLine,
               [&](size_t i0, size_t i1) { activation_forward(kind, alpha, y + i0, x + i0, i1 - i0); });
  return nullptr;
}

napi_value ActivationBackward(napi_env env, napi_callback_info info) {
  static constexpr const char* FN = "activationBackward";
  BN_ARGS(7);
  BN_KIND(0, kind, ACT_COUNT, "an activation");
  BN_NUMBER(1, alpha);
  BN_F32(2, dx);
  BN_F32(3, dy);
  BN_F32(4, x);
  BN_F32(5, y);
  BN_SIZE(6, n);
  if (uses_alpha(kind) && !std::isfinite(alpha)) {
    throw_bad_number(env, FN, "alpha", "a finite number", alpha);
    return nullptr;
  }
  BN_NEED(dx, n, "n");
  BN_NEED(dy, n, "n");
  // Only the array the derivative reads must be full-size; the other may be empty.
  if (kind == ACT_SIGMOID || kind == ACT_TANH) BN_NEED(y, n, "n");
  else if (kind != ACT_IDENTITY) BN_NEED(x, n, "n");
  parallel_for(n, n * (kind == ACT_ELU ? kMath : kCheap), kLine, [&](size_t i0, size_t i1) {
    activation_backward(kind, alpha, dx + i0, dy + i0, x + i0, y + i0, i1 - i0);
  });
  return nullptr;
}

// ---- softmax, classification, losses ----

napi_value SoftmaxForward(napi_env env, napi_callback_info info) {
  static constexpr const char* FN = "softmaxForward";
  BN_ARGS(4);
  BN_F32(0, y);
  BN_F32(1, x);
  BN_SIZE(2, m);
  BN_SIZE(3, n);
  BN_NEED(y, uint64_t{m} * n, "m×n");
  BN_NEED(x, uint64_t{m} * n, "m×n");
  parallel_for(m, double(m) * n * kMath, 1, [&](size_t r0, size_t r1) { softmax_forward(y, x, n, r0, r1); });
  return nullptr;
}

napi_value SoftmaxBackward(napi_env env, napi_callback_info info) {
  static constexpr const char* FN = "softmaxBackward";
  BN_ARGS(5);
  BN_F32(0, dx);
  BN_F32(1, dy);
  BN_F32(2, y);
  BN_SIZE(3, m);
  BN_SIZE(4, n);
  BN_NEED(dx, uint64_t{m} * n, "m×n");
  BN_NEED(dy, uint64_t{m} * n, "m×n");
  BN_NEED(y, uint64_t{m} * n, "m×n");
  parallel_for(m, double(m) * n, 1, [&](size_t r0, size_t r1) { softmax_backward(dx, dy, y, n, r0, r1); });
  return nullptr;
}

// Class indices stored as floats must be integers in [0, n) before any kernel indexes with them.
bool check_labels(napi_env env, const char* fn, const char* arg, const float* labels, size_t m, size_t n) {
  for (size_t i = 0; i < m; i++) {
    const float v = labels[i];
    if (!(v >= 0.0f && v < static_cast<float>(n) && v == std::floor(v) && static_cast<size_t>(v) < n)) {
      char expected[64];
      std::snprintf(expected, sizeof expected, "a class index in [0, %zu)", n);
      throw_bad_element(env, fn, arg, i, expected, v);
      return false;
    }
  }
  return true;
}

napi_value SoftmaxCrossentropy(napi_env env, napi_callback_info info) {
  static constexpr const char* FN = "softmaxCrossentropy";
  BN_ARGS(7);
  BN_F32(0, dz);
  BN_F32(1, z);
  BN_F32(2, target);
  BN_SIZE(3, m);
  BN_SIZE(4, n);
  BN_BOOL(5, sparse);
  BN_NUMBER(6, scale);
  BN_NEED(dz, uint64_t{m} * n, "m×n");
  BN_NEED(z, uint64_t{m} * n, "m×n");
  if (sparse) {
    BN_NEED(target, m, "m class indices");
    if (!check_labels(env, FN, "target", target, m, n)) return nullptr;
  } else {
    BN_NEED(target, uint64_t{m} * n, "m×n");
  }
  const double loss = parallel_sum(m, double(m) * n * kMath, 1, [&](size_t r0, size_t r1) {
    return softmax_crossentropy_backward(dz, z, target, n, r0, r1, sparse, scale);
  });
  return number(env, loss);
}

napi_value Loss(napi_env env, napi_callback_info info) {
  static constexpr const char* FN = "loss";
  BN_ARGS(6);
  BN_KIND(0, kind, LOSS_COUNT, "a loss");
  BN_F32(1, dpred);
  BN_F32(2, pred);
  BN_F32(3, target);
  BN_SIZE(4, n);
  BN_NUMBER(5, scale);
  BN_NEED(dpred, n, "n");
  BN_NEED(pred, n, "n");
  BN_NEED(target, n, "n");
  const double cost = kind <= LOSS_MAE || kind == LOSS_HINGE ? kCheap : kMath;
  const double loss = parallel_sum(n, n * cost, kLine, [&](size_t i0, size_t i1) {
    return loss_backward(kind, dpred + i0, pred + i0, target + i0, i1 - i0, scale);
  });
  return number(env, loss);
}

napi_value OneHot(napi_env env, napi_callback_info info) {
  static constexpr const char* FN = "oneHot";
  BN_ARGS(4);
  BN_F32(0, out);
  BN_F32(1, labels);
  BN_SIZE(2, m);
  BN_SIZE(3, n);
  BN_NEED(out, uint64_t{m} * n, "m×n");
  BN_NEED(labels, m, "m");
  if (!check_labels(env, FN, "labels", labels, m, n)) return nullptr;
  one_hot(out, labels, m, n);
  return nullptr;
}

// ---- dropout and elementwise arithmetic ----

// JavaScript's ToUint32, which `seed ^ …` applies to the seed on the JS side.
uint32_t to_uint32(double v) {
  const double t = std::trunc(v);
  double r = std::fmod(t, 4294967296.0);
  if (r < 0) r += 4294967296.0;
  return static_cast<uint32_t>(r);
}

napi_value DropoutForward(napi_env env, napi_callback_info info) {
  static constexpr const char* FN = "dropoutForward";
  BN_ARGS(6);
  BN_F32(0, y);
  BN_F32(1, mask);
  BN_F32(2, x);
  BN_SIZE(3, n);
  BN_NUMBER(4, p);
  BN_FINITE(5, seed);
  if (!(p >= 0.0 && p < 1.0)) {
    throw_bad_number(env, FN, "p", "a number in [0, 1)", p);
    return nullptr;
  }
  BN_NEED(y, n, "n");
  BN_NEED(mask, n, "n");
  BN_NEED(x, n, "n");
  const uint32_t s = to_uint32(seed);
  parallel_for(n, n * 2.0, kLine,
               [&](size_t i0, size_t i1) { dropout_forward(y + i0, mask + i0, x + i0, i1 - i0, i0, p, s); });
  return nullptr;
}

napi_value Mul(napi_env env, napi_callback_info info) {
  static constexpr const char* FN = "mul";
  BN_ARGS(4);
  BN_F32(0, z);
  BN_F32(1, x);
  BN_F32(2, y);
  BN_SIZE(3, n);
  BN_NEED(z, n, "n");
  BN_NEED(x, n, "n");
  BN_NEED(y, n, "n");
  parallel_for(n, n, kLine, [&](size_t i0, size_t i1) { mul(z + i0, x + i0, y + i0, i1 - i0); });
  return nullptr;
}

napi_value Axpy(napi_env env, napi_callback_info info) {
  static constexpr const char* FN = "axpy";
  BN_ARGS(4);
  BN_F32(0, y);
  BN_NUMBER(1, alpha);
  BN_F32(2, x);
  BN_SIZE(3, n);
  BN_NEED(y, n, "n");
  BN_NEED(x, n, "n");
  parallel_for(n, n, kLine, [&](size_t i0, size_t i1) { axpy(y + i0, alpha, x + i0, i1 - i0); });
  return nullptr;
}

napi_value Scale(napi_env env, napi_callback_info info) {
  static constexpr const char* FN = "scale";
  BN_ARGS(3);
  BN_F32(0, x);
  BN_NUMBER(1, alpha);
  BN_SIZE(2, n);
  BN_NEED(x, n, "n");
  parallel_for(n, n, kLine, [&](size_t i0, size_t i1) { scale(x + i0, alpha, i1 - i0); });
  return nullptr;
}

napi_value Fill(napi_env env, napi_callback_info info) {
  static constexpr const char* FN = "fill";
  BN_ARGS(3);
  BN_F32(0, x);
  BN_NUMBER(1, value);
  BN_SIZE(2, n);
  BN_NEED(x, n, "n");
  const float v = static_cast<float>(value);
  parallel_for(n, n, kLine, [&](size_t i0, size_t i1) { fill(x + i0, v, i1 - i0); });
  return nullptr;
}

napi_value AddSign(napi_env env, napi_callback_info info) {
  static constexpr const char* FN = "addSign";
  BN_ARGS(4);
  BN_F32(0, g);
  BN_NUMBER(1, alpha);
  BN_F32(2, w);
  BN_SIZE(3, n);
  BN_NEED(g, n, "n");
  BN_NEED(w, n, "n");
  parallel_for(n, n, kLine, [&](size_t i0, size_t i1) { add_sign(g + i0, alpha, w + i0, i1 - i0); });
  return nullptr;
}

napi_value SumSquares(napi_env env, napi_callback_info info) {
  static constexpr const char* FN = "sumSquares";
  BN_ARGS(2);
  BN_F32(0, x);
  BN_SIZE(1, n);
  BN_NEED(x, n, "n");
  return number(env, parallel_sum(n, n, kLine, [&](size_t i0, size_t i1) { return sum_squares(x + i0, i1 - i0); }));
}

napi_value SumAbs(napi_env env, napi_callback_info info) {
  static constexpr const char* FN = "sumAbs";
  BN_ARGS(2);
  BN_F32(0, x);
  BN_SIZE(1, n);
  BN_NEED(x, n, "n");
  return number(env, parallel_sum(n, n, kLine, [&](size_t i0, size_t i1) { return sum_abs(x + i0, i1 - i0); }));
}

napi_value Clip(napi_env env, napi_callback_info info) {
  static constexpr const char* FN = "clip";
  BN_ARGS(4);
  BN_F32(0, x);
  BN_NOT_NAN(1, lo);
  BN_NOT_NAN(2, hi);
  BN_SIZE(3, n);
  BN_NEED(x, n, "n");
  const float l = static_cast<float>(lo), h = static_cast<float>(hi);
  parallel_for(n, n, kLine, [&](size_t i0, size_t i1) { clip(x + i0, l, h, i1 - i0); });
  return nullptr;
}

// ---- normalisation ----

napi_value BatchNormForward(napi_env env, napi_callback_info info) {
  static constexpr const char* FN = "batchNormForward";
  BN_ARGS(11);
  BN_F32(0, y);
  BN_F32(1, xhat);
  BN_F32(2, mean);
  BN_F32(3, invStd);
  BN_F32(4, x);
  BN_F32(5, gamma);
  BN_F32(6, beta);
  BN_SIZE(7, m);
  BN_SIZE(8, n);
  BN_FINITE(9, eps);
  BN_BOOL(10, training);
  if (eps < 0) {
    throw_bad_number(env, FN, "eps", "a number ≥ 0", eps);
    return nullptr;
  }
  const uint64_t mn = uint64_t{m} * n;
  BN_NEED(y, mn, "m×n");
  BN_NEED(xhat, mn, "m×n");
  BN_NEED(mean, n, "n");
  BN_NEED(invStd, n, "n");
  BN_NEED(x, mn, "m×n");
  BN_NEED(gamma, n, "n");
  BN_NEED(beta, n, "n");
  parallel_for(n, double(mn) * 3, kLine, [&](size_t j0, size_t j1) {
    batchnorm_forward(y, xhat, mean, invStd, x, gamma, beta, m, n, j0, j1, eps, training);
  });
  return nullptr;
}

napi_value BatchNormBackward(napi_env env, napi_callback_info info) {
  static constexpr const char* FN = "batchNormBackward";
  BN_ARGS(10);
  BN_F32(0, dx);
  BN_F32(1, dgamma);
  BN_F32(2, dbeta);
  BN_F32(3, dy);
  BN_F32(4, xhat);
  BN_F32(5, invStd);
  BN_F32(6, gamma);
  BN_SIZE(7, m);
  BN_SIZE(8, n);
  BN_BOOL(9, training);
  const uint64_t mn = uint64_t{m} * n;
  BN_NEED(dx, mn, "m×n");
  BN_NEED(dgamma, n, "n");
  BN_NEED(dbeta, n, "n");
  BN_NEED(dy, mn, "m×n");
  BN_NEED(xhat, mn, "m×n");
  BN_NEED(invStd, n, "n");
  BN_NEED(gamma, n, "n");
  parallel_for(n, double(mn) * 3, kLine, [&](size_t j0, size_t j1) {
    batchnorm_backward(dx, dgamma, dbeta, dy, xhat, invStd, gamma, m, n, j0, j1, training);
  });
  return nullptr;
}

napi_value LayerNormForward(napi_env env, napi_callback_info info) {
  static constexpr const char* FN = "layerNormForward";
  BN_ARGS(10);
  BN_F32(0, y);
  BN_F32(1, xhat);
  BN_F32(2, mean);
  BN_F32(3, invStd);
  BN_F32(4, x);
  BN_F32(5, gamma);
  BN_F32(6, beta);
  BN_SIZE(7, m);
  BN_SIZE(8, n);
  BN_FINITE(9, eps);
  if (eps < 0) {
    throw_bad_number(env, FN, "eps", "a number ≥ 0", eps);
    return nullptr;
  }
  const uint64_t mn = uint64_t{m} * n;
  BN_NEED(y, mn, "m×n");
  BN_NEED(xhat, mn, "m×n");
  BN_NEED(mean, m, "m");
  BN_NEED(invStd, m, "m");
  BN_NEED(x, mn, "m×n");
  BN_NEED(gamma, n, "n");
  BN_NEED(beta, n, "n");
  parallel_for(m, double(mn) * 3, 1, [&](size_t r0, size_t r1) {
    layernorm_forward(y, xhat, mean, invStd, x, gamma, beta, n, r0, r1, eps);
  });
  return nullptr;
}

napi_value LayerNormBackward(napi_env env, napi_callback_info info) {
  static constexpr const char* FN = "layerNormBackward";
  BN_ARGS(9);
  BN_F32(0, dx);
  BN_F32(1, dgamma);
  BN_F32(2, dbeta);
  BN_F32(3, dy);
  BN_F32(4, xhat);
  BN_F32(5, invStd);
  BN_F32(6, gamma);
  BN_SIZE(7, m);
  BN_SIZE(8, n);
  const uint64_t mn = uint64_t{m} * n;
  BN_NEED(dx, mn, "m×n");
  BN_NEED(dgamma, n, "n");
  BN_NEED(dbeta, n, "n");
  BN_NEED(dy, mn, "m×n");
  BN_NEED(xhat, mn, "m×n");
  BN_NEED(invStd, m, "m");
  BN_NEED(gamma, n, "n");
  // Parameter gradients first: dx may alias dy.
  parallel_for(n, double(mn) * 2, kLine,
               [&](size_t j0, size_t j1) { norm_param_backward(dgamma, dbeta, dy, xhat, m, n, j0, j1); });
  parallel_for(m, double(mn) * 3, 1,
               [&](size_t r0, size_t r1) { layernorm_input_backward(dx, dy, xhat, invStd, gamma, n, r0, r1); });
  return nullptr;
}

// ---- optimizer ----

const char* const kHyperName[H_COUNT] = {"h[lr]", "h[beta1]", "h[beta2]", "h[eps]", "h[weightDecay]", "h[step]"};

napi_value OptimizerStep(napi_env env, napi_callback_info info) {
  static constexpr const char* FN = "optimizerStep";
  BN_ARGS(7);
  BN_KIND(0, kind, OPT_COUNT, "an optimizer");
  BN_F32(1, param);
  BN_F32(2, grad);
  BN_F32(3, s1);
  BN_F32(4, s2);
  BN_SIZE(5, n);
  BN_F64(6, h);
  BN_NEED(h, H_COUNT, "the OptHyper fields");
  BN_NEED(param, n, "n");
  BN_NEED(grad, n, "n");
  const bool adam = kind == OPT_ADAM || kind == OPT_ADAMW;
  if (kind != OPT_SGD) BN_NEED(s1, n, "n");
  if (adam) BN_NEED(s2, n, "n");
  // A NaN or infinite hyper-parameter would silently poison every weight: refuse the ones used.
  bool used[H_COUNT] = {true, kind != OPT_SGD && kind != OPT_ADAGRAD && kind != OPT_RMSPROP,
                        kind == OPT_RMSPROP || adam, kind == OPT_ADAGRAD || kind == OPT_RMSPROP || adam,
                        kind == OPT_ADAMW, adam};
  for (int i = 0; i < H_COUNT; i++) {
    if (used[i] && !std::isfinite(h[i])) {
      throw_bad_number(env, FN, kHyperName[i], "a finite number", h[i]);
      return nullptr;
    }
  }
  if (adam && !(h[H_STEP] >= 1)) {
    throw_bad_number(env, FN, kHyperName[H_STEP], "a step count ≥ 1", h[H_STEP]);
    return nullptr;
  }
  parallel_for(n, n * (adam ? 2.0 : 1.0), kLine, [&](size_t i0, size_t i1) {
    optimizer_step(kind, param + i0, grad + i0, s1 + i0, s2 + i0, i1 - i0, h);
  });
  return nullptr;
}

// ---- threads and build info ----

// The cores this process may run on (its affinity mask, as os.availableParallelism() counts
// them), which in a container can be fewer than the machine's.
int default_threads() {
#ifdef __linux__
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return CPU_COUNT(&set);
#endif
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(hw);
}

// OpenBLAS caps the count at its build's MAX_THREADS; the pool follows, so the one knob always
// reports one number.
void set_threads(int n) {
  openblas_set_num_threads(n);
  const int applied = openblas_get_num_threads();
  pool_set_threads(applied >= 1 && applied < n ? applied : n);
}

napi_value GetThreads(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  if (napi_get_cb_info(env, info, &argc, nullptr, nullptr, nullptr) != napi_ok) return nullptr;
  if (argc != 0) {
    throw_arg_count(env, "getThreads", 0, argc);
    return nullptr;
  }
  return number(env, pool_threads());
}

napi_value SetThreads(napi_env env, napi_callback_info info) {
  static constexpr const char* FN = "setThreads";
  BN_ARGS(1);
  double n;
  if (!read_number(env, FN, argv[0], "n", &n)) return nullptr;
  if (!(n >= 0 && n <= 1024 && n == std::floor(n))) {
    throw_bad_number(env, FN, "n", "an integer in [0, 1024]", n);
    return nullptr;
  }
  try {
    set_threads(n == 0 ? default_threads() : static_cast<int>(n));
  } catch (const std::exception& e) {
    napi_throw_error(env, nullptr, e.what());
  }
  return nullptr;
}

Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  out.Set("openblasConfig", Napi::String::New(env, openblas_get_config()));
  out.Set("openblasCore", Napi::String::New(env, openblas_get_corename()));
  out.Set("openblasThreads", Napi::Number::New(env, openblas_get_num_threads()));
  out.Set("poolThreads", Napi::Number::New(env, pool_threads()));
  return out;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  // The pool is process-wide, shared by every Node thread that loads the addon; start it once,
  // as wide as OpenBLAS (which honours OPENBLAS_NUM_THREADS and defaults to the core count).
  static std::once_flag started;
  std::call_once(started, [] {
    try {
      pool_set_threads(openblas_get_num_threads());
    } catch (const std::exception&) {
      // No threads to be had: the pool runs everything inline, which is still correct.
    }
  });

  const napi_property_descriptor kernels[] = {
      {"gemm", nullptr, Gemm, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"addBias", nullptr, AddBias, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"sumRows", nullptr, SumRows, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"activationForward", nullptr, ActivationForward, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"activationBackward", nullptr, ActivationBackward, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"softmaxForward", nullptr, SoftmaxForward, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"softmaxBackward", nullptr, SoftmaxBackward, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"softmaxCrossentropy", nullptr, SoftmaxCrossentropy, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"loss", nullptr, Loss, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"oneHot", nullptr, OneHot, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"dropoutForward", nullptr, DropoutForward, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"mul", nullptr, Mul, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"batchNormForward", nullptr, BatchNormForward, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"batchNormBackward", nullptr, BatchNormBackward, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"layerNormForward", nullptr, LayerNormForward, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"layerNormBackward", nullptr, LayerNormBackward, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"optimizerStep", nullptr, OptimizerStep, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"gatherRows", nullptr, GatherRows, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"argmaxRows", nullptr, ArgmaxRows, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"axpy", nullptr, Axpy, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"scale", nullptr, Scale, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"fill", nullptr, Fill, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"addSign", nullptr, AddSign, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"sumSquares", nullptr, SumSquares, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"sumAbs", nullptr, SumAbs, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"clip", nullptr, Clip, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"getThreads", nullptr, GetThreads, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  NAPI_THROW_IF_FAILED(env, napi_define_properties(env, exports, sizeof kernels / sizeof kernels[0], kernels),
                       exports);
  exports.Set("info", Napi::Function::New(env, Info, "info"));
  return exports;
}

}  // namespace
}  // namespace blasnet

static Napi::Object InitBlasnet(Napi::Env env, Napi::Object exports) { return blasnet::Init(env, exports); }
NODE_API_MODULE(blasnet, InitBlasnet)
