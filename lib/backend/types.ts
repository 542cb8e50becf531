// The one contract both backends implement. The JS backend (js/) is the definition of every
// primitive; the native backend must match it within float32 rounding (see test/backend).
//
// Conventions (llm.c style): outputs first, then inputs, then sizes. Every matrix is row-major and
// contiguous; a "view" is a Float32Array subarray, so offsets come for free. Primitives are trusted:
// callers (layers, losses, optimizers) have already validated shapes. The public, validated entry
// point to these kernels is `ops` in lib/ops.ts.

/** Activation kinds, numbered the same in native/kernels.h. */
export const Act = {
  identity: 0,
  step: 1,
  sigmoid: 2,
  tanh: 3,
  relu: 4,
  leakyRelu: 5,
  elu: 6,
} as const;
export type ActName = keyof typeof Act;
export type ActCode = (typeof Act)[ActName];

/**
 * Elementwise loss kinds, numbered the same in native/kernels.h. For each element ℓ(p, t) and
 * g = ∂ℓ/∂p:
 *  mse      ℓ = (p−t)²                                g = 2(p−t)
 *  halfMse  ℓ = ½(p−t)²                               g = p−t
 *  mae      ℓ = |p−t|                                 g = sign(p−t)   (0 at p = t)
 *  bce      ℓ = −[t log p̃ + (1−t) log(1−p̃)]          g = (p̃−t)/(p̃(1−p̃)), p̃ = clamp(p, 1e-7, 1−1e-7)
 *  bceLogits ℓ = max(z,0) − z t + log(1+e^{−|z|})     g = σ(z) − t        (p is the logit z)
 *  hinge    ℓ = max(0, 1 − t p)                       g = −t if t p < 1 else 0   (t ∈ {−1, +1})
 *  kl       ℓ = t log(t/p̃) for t > 0, else 0         g = −t/p̃,  p̃ = max(p, 1e-7)
 *  cce      ℓ = −t log p̃                              g = −t/p̃,  p̃ = max(p, 1e-7)
 */
export const Loss = {
  mse: 0,
  halfMse: 1,
  mae: 2,
  bce: 3,
  bceLogits: 4,
  hinge: 5,
  kl: 6,
  cce: 7,
} as const;
export type LossName = keyof typeof Loss;
export type LossCode = (typeof Loss)[LossName];

/**
 * Optimizer kinds, numbered the same in native/kernels.h. `h` (a Float64Array, see OptHyper) holds
 * the hyper-parameters. θ = param, g = grad, s1/s2 = state buffers of the same length (unused ones
 * may be empty).
 *  sgd         θ −= lr·g
 *  momentum    s1 = β1·s1 − lr·g;  θ += s1                       (classic form)
 *  momentumEma s1 = β1·s1 + (1−β1)·g;  θ −= lr·s1                (EMA form)
 *  nesterov    s1 = β1·s1 − lr·g;  θ += β1·s1 − lr·g
 *  adagrad     s1 += g²;  θ −= lr·g/(eps + √s1)
 *  rmsprop     s1 = β2·s1 + (1−β2)·g²;  θ −= lr·g/(eps + √s1)    (β2 plays ρ)
 *  adam        s1 = β1·s1 + (1−β1)·g;  s2 = β2·s2 + (1−β2)·g²;
 *              θ −= lr·(s1/(1−β1ᵗ)) / (√(s2/(1−β2ᵗ)) + eps)
 *  adamw       θ −= lr·wd·θ, then adam
 */
export const Opt = {
  sgd: 0,
  momentum: 1,
  momentumEma: 2,
  nesterov: 3,
  adagrad: 4,
  rmsprop: 5,
  adam: 6,
  adamw: 7,
} as const;
export type OptName = keyof typeof Opt;
export type OptCode = (typeof Opt)[OptName];

/** Indices into the hyper-parameter array passed to optimizerStep. */
export const OptHyper = { lr: 0, beta1: 1, beta2: 2, eps: 3, weightDecay: 4, step: 5, length: 6 } as const;

/** The two backends: the OpenBLAS addon ('native') and the pure-TypeScript one ('js'). */
export type BackendName = 'js' | 'native';

/** The kernels every backend implements, over row-major Float32Arrays written in place. `ops` exposes them with their arguments validated. */
export interface Backend {
  readonly name: BackendName;

  /** C[m×n] = alpha·op(A)·op(B) + beta·C. op(A) is m×k (A stored k×m when transA), op(B) is k×n
   *  (B stored n×k when transB). beta = 0 ignores C's old contents (NaN included). */
  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    A: Float32Array, B: Float32Array, beta: number, C: Float32Array): void;

  /** y[i,j] += b[j] for an m×n y. */
  addBias(y: Float32Array, b: Float32Array, m: number, n: number): void;
  /** out[j] = alpha·Σ_i x[i,j] + beta·out[j] (column sums; beta = 0 ignores old out). */
  sumRows(out: Float32Array, x: Float32Array, m: number, n: number, alpha: number, beta: number): void;

  /** y = φ(x) over n elements; alpha is leakyRelu's slope / elu's α (ignored by the others). */
  activationForward(kind: ActCode, alpha: number, y: Float32Array, x: Float32Array, n: number): void;
  /** dx = dy ⊙ φ'(x); x is the pre-activation and y = φ(x) (sigmoid/tanh use y, the rest x;
   *  step's derivative is 0). dx may alias dy. NaN in x gives NaN in y, and in dx for every kind but identity. */
  activationBackward(kind: ActCode, alpha: number, dx: Float32Array, dy: Float32Array,
    x: Float32Array, y: Float32Array, n: number): void;

  /** Row softmax of an m×n x, max-subtracted. y may alias x. */
  softmaxForward(y: Float32Array, x: Float32Array, m: number, n: number): void;
  /** dx = y ⊙ (dy − Σ_j dy_j y_j) per row (the softmax Jacobian product). dx may alias dy. */
  softmaxBackward(dx: Float32Array, dy: Float32Array, y: Float32Array, m: number, n: number): void;
  /** Fused softmax + cross-entropy over m rows of n logits z. target is one-hot m×n, or m class
   *  indices stored as floats when sparse. Writes dz = scale·(softmax(z) − y) and returns
   *  Σ_rows (logsumexp(z) − z_true), the unscaled sum. dz may alias z. */
  softmaxCrossentropy(dz: Float32Array, z: Float32Array, target: Float32Array, m: number, n: number,
    sparse: boolean, scale: number): number;
  /** Elementwise loss (see Loss): writes dpred = scale·g and returns Σ ℓ (unscaled) over n. */
  loss(kind: LossCode, dpred: Float32Array, pred: Float32Array, target: Float32Array, n: number,
    scale: number): number;
  /** out (m×n) = one-hot of m class indices stored as floats. */
  oneHot(out: Float32Array, labels: Float32Array, m: number, n: number): void;

  /** Inverted dropout: mask[i] = keep ? 1/(1−p) : 0 with keep decided by hashing (seed, i) (see
   *  dropoutKeep in js/dropout.ts: identical on both backends); y = x ⊙ mask. */
  dropoutForward(y: Float32Array, mask: Float32Array, x: Float32Array, n: number, p: number,
    seed: number): void;
  /** z = x ⊙ y elementwise (dropout backward, masks). z may alias x or y. */
  mul(z: Float32Array, x: Float32Array, y: Float32Array, n: number): void;

  /** Batch norm over the m rows of each of n columns. training: computes the batch mean and
   *  1/√(var+eps) (biased variance) into mean/invStd; else reads them. Writes xhat = (x−mean)·invStd
   *  and y = gamma·xhat + beta. */
  batchNormForward(y: Float32Array, xhat: Float32Array, mean: Float32Array, invStd: Float32Array,
    x: Float32Array, gamma: Float32Array, beta: Float32Array, m: number, n: number, eps: number,
    training: boolean): void;
  /** dgamma = Σ dy·xhat, dbeta = Σ dy (overwritten). training: dx = invStd·gamma/m ·
   *  (m·dy − dbeta − xhat·dgamma); else dx = dy·gamma·invStd. */
  batchNormBackward(dx: Float32Array, dgamma: Float32Array, dbeta: Float32Array, dy: Float32Array,
    xhat: Float32Array, invStd: Float32Array, gamma: Float32Array, m: number, n: number,
    training: boolean): void;
  /** Layer norm over the n columns of each of m rows: mean/invStd are length m (written). */
  layerNormForward(y: Float32Array, xhat: Float32Array, mean: Float32Array, invStd: Float32Array,
    x: Float32Array, gamma: Float32Array, beta: Float32Array, m: number, n: number, eps: number): void;
  /** dgamma/dbeta (length n) overwritten with column sums; dx per row = invStd/n ·
   *  (n·dŷ − Σ dŷ − xhat·Σ(dŷ·xhat)) with dŷ = dy·gamma. */
  layerNormBackward(dx: Float32Array, dgamma: Float32Array, dbeta: Float32Array, dy: Float32Array,
    xhat: Float32Array, invStd: Float32Array, gamma: Float32Array, m: number, n: number): void;

  /** One fused optimizer update over n parameters (see Opt); h is indexed by OptHyper. */
  optimizerStep(kind: OptCode, param: Float32Array, grad: Float32Array, s1: Float32Array,
    s2: Float32Array, n: number, h: Float64Array): void;

  /** out row r = src row idx[r] for r < count; rows are rowLen floats. */
  gatherRows(out: Float32Array, src: Float32Array, idx: Int32Array, count: number, rowLen: number): void;
  /** out[i] = index of the first maximum of row i of an m×n x. */
  argmaxRows(out: Int32Array, x: Float32Array, m: number, n: number): void;

  /** y += alpha·x */
  axpy(y: Float32Array, alpha: number, x: Float32Array, n: number): void;
  /** x *= alpha */
  scale(x: Float32Array, alpha: number, n: number): void;
  /** x[i] = value */
  fill(x: Float32Array, value: number, n: number): void;
  /** g += alpha·sign(w) (L1 penalty gradient; sign(0) = 0). */
  addSign(g: Float32Array, alpha: number, w: Float32Array, n: number): void;
  /** Σ x² (accumulated in double). */
  sumSquares(x: Float32Array, n: number): number;
  /** Σ |x| (accumulated in double). */
  sumAbs(x: Float32Array, n: number): number;
  /** x = min(max(x, lo), hi) */
  clip(x: Float32Array, lo: number, hi: number, n: number): void;

  /** Threads used by gemm and the elementwise pool (1 for the JS backend). */
  getThreads(): number;
  /** Sets them; 0 restores the default (the core count). */
  setThreads(n: number): void;
}
