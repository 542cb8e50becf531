import { checkLabels } from './checks';

// Row softmax, its Jacobian product, the fused softmax–cross-entropy and the one-hot rows its sparse
// targets stand for (as in native/kernels_softmax.cc). Each row's max is subtracted before
// exponentiating, so no exp overflows; sums are doubles.

/** Row softmax of an m×n x; y may alias x. */
export function softmaxForward(y: Float32Array, x: Float32Array, m: number, n: number): void {
  for (let i = 0; i < m; i++) {
    const row = i * n;
    let max = -Infinity;
    for (let j = 0; j < n; j++) if (x[row + j] > max) max = x[row + j];
    let sum = 0;
    for (let j = 0; j < n; j++) sum += Math.exp(x[row + j] - max);
    // exp again rather than storing it first: y would round it to float32 before the division.
    const inv = 1 / sum;
    for (let j = 0; j < n; j++) y[row + j] = Math.exp(x[row + j] - max) * inv;
  }
}

/** dx = y ⊙ (dy − Σ_j dy_j y_j) per row; dx may alias dy. */
export function softmaxBackward(dx: Float32Array, dy: Float32Array, y: Float32Array, m: number,
  n: number): void {
  for (let i = 0; i < m; i++) {
    const row = i * n;
    let dot = 0;
    for (let j = 0; j < n; j++) dot += dy[row + j] * y[row + j];
    for (let j = 0; j < n; j++) dx[row + j] = y[row + j] * (dy[row + j] - dot);
  }
}

/**
 * Fused softmax + cross-entropy over m rows of n logits. target is one-hot (or any distribution)
 * m×n, or m class indices stored as floats when sparse. Writes dz = scale·(softmax(z) − target) and
 * returns Σ_rows Σ_j t_j·(logsumexp(z) − z_j), which is Σ_rows (logsumexp(z) − z_true) for one-hot
 * or sparse targets. dz may alias z.
 */
export function softmaxCrossentropy(dz: Float32Array, z: Float32Array, target: Float32Array, m: number,
  n: number, sparse: boolean, scale: number): number {
  if (sparse) checkLabels('softmaxCrossentropy', 'target', target, m, n);
  let total = 0;
  for (let i = 0; i < m; i++) {
    const row = i * n;
    let max = -Infinity;
    for (let j = 0; j < n; j++) if (z[row + j] > max) max = z[row + j];
    let sum = 0;
    for (let j = 0; j < n; j++) sum += Math.exp(z[row + j] - max);
    // Everything from the shifted logits z − max: with huge logits (1e16) max + log(sum) rounds
    // log(sum) away, and exp(z − lse) then loses it too (tied rows gave loss 0, p = 1 each).
    const logSum = Math.log(sum);
    const inv = 1 / sum;
    if (sparse) {
      const label = target[i];
      total += logSum - (z[row + label] - max);
      for (let j = 0; j < n; j++) {
        const p = Math.exp(z[row + j] - max) * inv;
        dz[row + j] = scale * (j === label ? p - 1 : p);
      }
    } else {
      for (let j = 0; j < n; j++) {
        const t = target[row + j];
        const shifted = z[row + j] - max;
        if (t !== 0) total += t * (logSum - shifted);
        dz[row + j] = scale * (Math.exp(shifted) * inv - t);
      }
    }
  }
  return total;
}

/** out (m×n) = one-hot rows of m class indices stored as floats. */
export function oneHot(out: Float32Array, labels: Float32Array, m: number, n: number): void {
  checkLabels('oneHot', 'labels', labels, m, n);
  for (let i = 0; i < m * n; i++) out[i] = 0;
  for (let i = 0; i < m; i++) out[i * n + labels[i]] = 1;
}
