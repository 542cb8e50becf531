import { Act, type ActCode } from '../types';

// Unary activations and their derivatives. One loop per kind: the switch runs once per call, not
// once per element. Math is done in double and rounded once on store.
//
// NaN in, NaN out, as in PyTorch's forward: each comparison is ordered so that NaN (for which every
// ordered comparison is false) falls through to the branch that passes x on. A backward pass gives
// NaN where x is NaN (identity's excepted): φ' is undefined there.

/** y = φ(x); alpha is leakyRelu's slope and elu's α. */
export function activationForward(kind: ActCode, alpha: number, y: Float32Array, x: Float32Array,
  n: number): void {
  switch (kind) {
    case Act.identity:
      for (let i = 0; i < n; i++) y[i] = x[i];
      return;
    case Act.step:
      for (let i = 0; i < n; i++) {
        const v = x[i];
        y[i] = v >= 0 ? 1 : v < 0 ? 0 : v;
      }
      return;
    case Act.sigmoid:
      for (let i = 0; i < n; i++) y[i] = 1 / (1 + Math.exp(-x[i]));
      return;
    case Act.tanh:
      for (let i = 0; i < n; i++) y[i] = Math.tanh(x[i]);
      return;
    case Act.relu:
      for (let i = 0; i < n; i++) {
        const v = x[i];
        y[i] = v <= 0 ? 0 : v;
      }
      return;
    case Act.leakyRelu:
      for (let i = 0; i < n; i++) {
        const v = x[i];
        y[i] = v <= 0 ? alpha * v : v;
      }
      return;
    case Act.elu:
      // expm1 keeps the relative accuracy of α(eˣ − 1) for x just below 0.
      for (let i = 0; i < n; i++) {
        const v = x[i];
        y[i] = v <= 0 ? alpha * Math.expm1(v) : v;
      }
      return;
    default:
      throw new RangeError(`activationForward: expected kind to be an activation code (0–6), received ${String(kind)}`);
  }
}

/** dx = dy ⊙ φ'(x); sigmoid and tanh read y = φ(x), the others x; step's derivative is 0 (NaN at
 *  NaN). dx may alias dy. */
export function activationBackward(kind: ActCode, alpha: number, dx: Float32Array, dy: Float32Array,
  x: Float32Array, y: Float32Array, n: number): void {
  switch (kind) {
    case Act.identity:
      for (let i = 0; i < n; i++) dx[i] = dy[i];
      return;
    case Act.step:
      // A zero gradient, except NaN where x is NaN.
      for (let i = 0; i < n; i++) dx[i] = Number.isNaN(x[i]) ? x[i] : 0;
      return;
    case Act.sigmoid:
      for (let i = 0; i < n; i++) {
        const s = y[i];
        dx[i] = dy[i] * s * (1 - s);
      }
      return;
    case Act.tanh:
      for (let i = 0; i < n; i++) {
        const t = y[i];
        dx[i] = dy[i] * (1 - t * t);
      }
      return;
    case Act.relu:
      for (let i = 0; i < n; i++) {
        const v = x[i];
        dx[i] = v > 0 ? dy[i] : v <= 0 ? 0 : v;
      }
      return;
    case Act.leakyRelu:
      for (let i = 0; i < n; i++) {
        const v = x[i];
        dx[i] = v > 0 ? dy[i] : v <= 0 ? alpha * dy[i] : v;
      }
      return;
    case Act.elu:
      for (let i = 0; i < n; i++) {
        const v = x[i];
        dx[i] = v > 0 ? dy[i] : dy[i] * alpha * Math.exp(v);
      }
      return;
    default:
      throw new RangeError(`activationBackward: expected kind to be an activation code (0–6), received ${String(kind)}`);
  }
}
