// The math of every Backend primitive as plain free functions over raw float arrays.
// Conventions (llm.c): outputs first, then inputs, then sizes; gradient buffers are named d<name>;
// every matrix is row-major and contiguous. Nothing here knows about Node, threads or validation:
// the caller (addon.cc) has checked every length and splits large calls across the pool by calling
// a kernel on sub-ranges, which is why the elementwise kernels take a count and, where the result
// depends on the global position (dropout), the index of their first element.
//
// lib/backend/js/ is the definition of each primitive; lib/backend/types.ts documents them.
#pragma once

#include <cstddef>
#include <cstdint>

namespace blasnet {

// Kind codes: the same numbers as Act, Loss and Opt in lib/backend/types.ts (one line each, as
// test/backend/kernel-table.test.ts reads them).
// clang-format off
enum ActKind : int { ACT_IDENTITY = 0, ACT_STEP, ACT_SIGMOID, ACT_TANH, ACT_RELU, ACT_LEAKY_RELU, ACT_ELU, ACT_COUNT };
enum LossKind : int { LOSS_MSE = 0, LOSS_HALF_MSE, LOSS_MAE, LOSS_BCE, LOSS_BCE_LOGITS, LOSS_HINGE, LOSS_KL, LOSS_CCE, LOSS_COUNT };
enum OptKind : int { OPT_SGD = 0, OPT_MOMENTUM, OPT_MOMENTUM_EMA, OPT_NESTEROV, OPT_ADAGRAD, OPT_RMSPROP, OPT_ADAM, OPT_ADAMW, OPT_COUNT };
// Indices into the optimizer's hyper-parameter array (OptHyper in types.ts).
enum OptHyper : int { H_LR = 0, H_BETA1, H_BETA2, H_EPS, H_WEIGHT_DECAY, H_STEP, H_COUNT };
// clang-format on

// ---- matrix (kernels_matrix.cc) ----
// C[m,n] = alpha·op(A)[m,k]·op(B)[k,n] + beta·C; A is stored [k,m] when transA, B [n,k] when transB.
// beta = 0 overwrites C without reading it.
void gemm(bool transA, bool transB, int m, int n, int k, float alpha, const float* A, const float* B,
          float beta, float* C);
// y[m,n] += b[n] broadcast over rows
void add_bias(float* y, const float* b, size_t m, size_t n);
// out[n] = alpha·Σ_i x[i,:] + beta·out (columns j0..j1 only, so the pool can split by columns);
// beta = 0 ignores the old out
void sum_rows(float* out, const float* x, size_t m, size_t n, size_t j0, size_t j1, double alpha, double beta);
// out[count,rowLen] = src[idx[r],:] for each r
void gather_rows(float* out, const float* src, const int32_t* idx, size_t count, size_t rowLen);
// out[m] = index of the first maximum of each row of x[m,n] (0 when n = 0)
void argmax_rows(int32_t* out, const float* x, size_t m, size_t n);

// ---- activations (kernels_activation.cc): y[n] = φ(x[n]) ; dx[n] = dy ⊙ φ'(x) ----
void identity_forward(float* y, const float* x, size_t n);
void step_forward(float* y, const float* x, size_t n);
void sigmoid_forward(float* y, const float* x, size_t n);
void tanh_forward(float* y, const float* x, size_t n);
void relu_forward(float* y, const float* x, size_t n);
void leaky_relu_forward(float* y, const float* x, size_t n, double alpha);
void elu_forward(float* y, const float* x, size_t n, double alpha);
void identity_backward(float* dx, const float* dy, size_t n);
void step_backward(float* dx, const float* x, size_t n);
void sigmoid_backward(float* dx, const float* dy, const float* y, size_t n);
void tanh_backward(float* dx, const float* dy, const float* y, size_t n);
void relu_backward(float* dx, const float* dy, const float* x, size_t n);
void leaky_relu_backward(float* dx, const float* dy, const float* x, size_t n, double alpha);
void elu_backward(float* dx, const float* dy, const float* x, size_t n, double alpha);
// Dispatch on an ActKind (already validated).
void activation_forward(int kind, double alpha, float* y, const float* x, size_t n);
void activation_backward(int kind, double alpha, float* dx, const float* dy, const float* x, const float* y,
                         size_t n);

// ---- elementwise arithmetic and reductions (kernels_elementwise.cc) ----
// Scalars stay double and each result is rounded once, as the JS backend does, so these agree with
// it bit for bit.
// z[n] = x ⊙ y
void mul(float* z, const float* x, const float* y, size_t n);
// y[n] += alpha·x
void axpy(float* y, double alpha, const float* x, size_t n);
// x[n] *= alpha
void scale(float* x, double alpha, size_t n);
// x[n] = value
void fill(float* x, float value, size_t n);
// g[n] += alpha·sign(w), sign(0) = 0
void add_sign(float* g, double alpha, const float* w, size_t n);
// x[n] = min(max(x, lo), hi), with Math.min/Math.max's NaN behaviour (NaN stays NaN)
void clip(float* x, float lo, float hi, size_t n);
// Σ x², Σ |x| over n, in double
double sum_squares(const float* x, size_t n);
double sum_abs(const float* x, size_t n);

// ---- dropout (kernels_dropout.cc) ----
// Inverted dropout over elements i0..i0+n-1 of the whole array (y, mask, x already point at i0).
// Element i is kept iff fmix32((seed ^ Math.imul(i, 0x9E3779B9)) >>> 0) >= floor(p·2³²), where
// fmix32 is murmur3's finalizer on uint32: h ^= h>>>16; h = imul(h, 0x85ebca6b); h ^= h>>>13;
// h = imul(h, 0xc2b2ae35); h ^= h>>>16. The JS backend uses the same formula, bit for bit.
// mask = keep ? 1/(1−p) : 0 ; y = x ⊙ mask
void dropout_forward(float* y, float* mask, const float* x, size_t n, size_t i0, double p, uint32_t seed);
uint32_t dropout_threshold(double p);  // floor(p·2³²) for p in [0, 1)

// ---- softmax and classification (kernels_softmax.cc), rows r0..r1 of an m×n matrix ----
// y[m,n] = softmax of each row of x (max-subtracted); y may alias x
void softmax_forward(float* y, const float* x, size_t n, size_t r0, size_t r1);
// dx[m,n] = y ⊙ (dy − Σ_j dy_j·y_j) per row; dx may alias dy
void softmax_backward(float* dx, const float* dy, const float* y, size_t n, size_t r0, size_t r1);
// dz[m,n] = scale·(softmax(z) − target) ; returns Σ_rows Σ_j t_j·(logsumexp(z) − z_j), i.e.
// logsumexp(z) − z_true for one-hot rows. sparse: target[m] holds class indices (validated
// integers in [0, n)). dz may alias z.
double softmax_crossentropy_backward(float* dz, const float* z, const float* target, size_t n, size_t r0,
                                     size_t r1, bool sparse, double scale);
// out[m,n] = one-hot of labels[m] (validated integers in [0, n))
void one_hot(float* out, const float* labels, size_t m, size_t n);

// ---- losses (kernels_loss.cc) ----
// dpred[n] = scale·∂ℓ/∂pred ; returns Σ ℓ(pred, target) (unscaled) in double. See Loss in types.ts.
double loss_backward(int kind, float* dpred, const float* pred, const float* target, size_t n, double scale);

// ---- normalisation (kernels_norm.cc) ----
// Batch norm over the m rows of columns j0..j1 of x[m,n]. training computes mean[n] and
// invStd[n] = 1/√(var + eps) (biased variance); otherwise reads them.
// xhat = (x − mean)·invStd ; y = gamma·xhat + beta
void batchnorm_forward(float* y, float* xhat, float* mean, float* invStd, const float* x, const float* gamma,
                       const float* beta, size_t m, size_t n, size_t j0, size_t j1, double eps, bool training);
// dgamma[n] = Σ_i dy·xhat, dbeta[n] = Σ_i dy (overwritten); training:
// dx = invStd·gamma/m·(m·dy − dbeta − xhat·dgamma), else dx = dy·gamma·invStd
void batchnorm_backward(float* dx, float* dgamma, float* dbeta, const float* dy, const float* xhat,
                        const float* invStd, const float* gamma, size_t m, size_t n, size_t j0, size_t j1,
                        bool training);
// Layer norm over the n columns of rows r0..r1: mean[m], invStd[m] written; y = gamma·xhat + beta
void layernorm_forward(float* y, float* xhat, float* mean, float* invStd, const float* x, const float* gamma,
                       const float* beta, size_t n, size_t r0, size_t r1, double eps);
// dgamma[n] = Σ_i dy·xhat, dbeta[n] = Σ_i dy over all m rows, columns j0..j1 (overwritten)
void norm_param_backward(float* dgamma, float* dbeta, const float* dy, const float* xhat, size_t m,
                         size_t n, size_t j0, size_t j1);
// dx per row = invStd/n·(n·dŷ − Σ dŷ − xhat·Σ(dŷ·xhat)), dŷ = dy·gamma, rows r0..r1; dx may alias dy
void layernorm_input_backward(float* dx, const float* dy, const float* xhat, const float* invStd,
                              const float* gamma, size_t n, size_t r0, size_t r1);

// ---- optimizers (kernels_optim.cc) ----
// One fused update of param[n] from grad[n] and state s1[n], s2[n] (see Opt in types.ts); h is
// indexed by OptHyper and already validated for the kind.
void optimizer_step(int kind, float* param, const float* grad, float* s1, float* s2, size_t n, const double* h);

}  // namespace blasnet
