// Batch norm (statistics per column over the m rows) and layer norm (per row over the n columns).
// Statistics and gradient sums are doubles. Column sums walk four columns at a time so each row
// contributes one contiguous 16-byte read per array; everything else walks rows contiguously.

/**
 * Batch norm forward. training: writes the batch mean and 1/√(var + eps) (biased variance) of each
 * column into mean/invStd; otherwise reads them. Then xhat = (x − mean)·invStd, y = gamma·xhat + beta,
 * computed from the float32 mean/invStd in both modes.
 */
export function batchNormForward(y: Float32Array, xhat: Float32Array, mean: Float32Array, invStd: Float32Array,
  x: Float32Array, gamma: Float32Array, beta: Float32Array, m: number, n: number, eps: number,
  training: boolean): void {
  if (training) {
    let j = 0;
    for (; j + 4 <= n; j += 4) columnStats4(mean, invStd, x, m, n, eps, j);
    for (; j < n; j++) columnStats1(mean, invStd, x, m, n, eps, j);
  }
  for (let i = 0; i < m; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) {
      const h = (x[row + j] - mean[j]) * invStd[j];
      xhat[row + j] = h;
      y[row + j] = gamma[j] * h + beta[j];
    }
  }
}

function columnStats4(mean: Float32Array, invStd: Float32Array, x: Float32Array, m: number, n: number,
  eps: number, j: number): void {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (let i = 0, o = j; i < m; i++, o += n) {
    s0 += x[o]; s1 += x[o + 1]; s2 += x[o + 2]; s3 += x[o + 3];
  }
  const mu0 = s0 / m, mu1 = s1 / m, mu2 = s2 / m, mu3 = s3 / m;
  // Two passes (mean, then squared deviations) rather than E[x²] − E[x]², which cancels badly.
  let v0 = 0, v1 = 0, v2 = 0, v3 = 0;
  for (let i = 0, o = j; i < m; i++, o += n) {
    const d0 = x[o] - mu0, d1 = x[o + 1] - mu1, d2 = x[o + 2] - mu2, d3 = x[o + 3] - mu3;
    v0 += d0 * d0; v1 += d1 * d1; v2 += d2 * d2; v3 += d3 * d3;
  }
  mean[j] = mu0; mean[j + 1] = mu1; mean[j + 2] = mu2; mean[j + 3] = mu3;
  invStd[j] = 1 / Math.sqrt(v0 / m + eps);
  invStd[j + 1] = 1 / Math.sqrt(v1 / m + eps);
  invStd[j + 2] = 1 / Math.sqrt(v2 / m + eps);
  invStd[j + 3] = 1 / Math.sqrt(v3 / m + eps);
}

function columnStats1(mean: Float32Array, invStd: Float32Array, x: Float32Array, m: number, n: number,
  eps: number, j: number): void {
  let s = 0;
  for (let i = 0, o = j; i < m; i++, o += n) s += x[o];
  const mu = s / m;
  let v = 0;
  for (let i = 0, o = j; i < m; i++, o += n) {
    const d = x[o] - mu;
    v += d * d;
  }
  mean[j] = mu;
  invStd[j] = 1 / Math.sqrt(v / m + eps);
}

/** dgamma[j] = Σ_i dy·xhat, dbeta[j] = Σ_i dy over the m rows (overwritten). */
function gammaBetaGrads(dgamma: Float32Array, dbeta: Float32Array, dy: Float32Array, xhat: Float32Array,
  m: number, n: number): void {
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    let g0 = 0, g1 = 0, g2 = 0, g3 = 0;
    let b0 = 0, b1 = 0, b2 = 0, b3 = 0;
    for (let i = 0, o = j; i < m; i++, o += n) {
      const d0 = dy[o], d1 = dy[o + 1], d2 = dy[o + 2], d3 = dy[o + 3];
      g0 += d0 * xhat[o]; g1 += d1 * xhat[o + 1]; g2 += d2 * xhat[o + 2]; g3 += d3 * xhat[o + 3];
      b0 += d0; b1 += d1; b2 += d2; b3 += d3;
    }
    dgamma[j] = g0; dgamma[j + 1] = g1; dgamma[j + 2] = g2; dgamma[j + 3] = g3;
    dbeta[j] = b0; dbeta[j + 1] = b1; dbeta[j + 2] = b2; dbeta[j + 3] = b3;
  }
  for (; j < n; j++) {
    let g = 0;
    let b = 0;
    for (let i = 0, o = j; i < m; i++, o += n) {
      g += dy[o] * xhat[o];
      b += dy[o];
    }
    dgamma[j] = g;
    dbeta[j] = b;
  }
}

/**
 * Batch norm backward: dgamma = Σ dy·xhat and dbeta = Σ dy (overwritten). training:
 * dx = invStd·gamma/m · (m·dy − dbeta − xhat·dgamma); inference (fixed statistics): dx = dy·gamma·invStd.
 */
export function batchNormBackward(dx: Float32Array, dgamma: Float32Array, dbeta: Float32Array, dy: Float32Array,
  xhat: Float32Array, invStd: Float32Array, gamma: Float32Array, m: number, n: number,
  training: boolean): void {
  gammaBetaGrads(dgamma, dbeta, dy, xhat, m, n);
  for (let i = 0; i < m; i++) {
    const row = i * n;
    if (training) {
      for (let j = 0; j < n; j++) {
        const o = row + j;
        dx[o] = (invStd[j] * gamma[j] / m) * (m * dy[o] - dbeta[j] - xhat[o] * dgamma[j]);
      }
    } else {
      for (let j = 0; j < n; j++) dx[row + j] = dy[row + j] * gamma[j] * invStd[j];
    }
  }
}

/** Layer norm over the n columns of each of the m rows; mean/invStd (length m) are written. */
export function layerNormForward(y: Float32Array, xhat: Float32Array, mean: Float32Array, invStd: Float32Array,
  x: Float32Array, gamma: Float32Array, beta: Float32Array, m: number, n: number, eps: number): void {
  for (let i = 0; i < m; i++) {
    const row = i * n;
    let s = 0;
    for (let j = 0; j < n; j++) s += x[row + j];
    const mu = s / n;
    let v = 0;
    for (let j = 0; j < n; j++) {
      const d = x[row + j] - mu;
      v += d * d;
    }
    const inv = 1 / Math.sqrt(v / n + eps);
    mean[i] = mu;
    invStd[i] = inv;
    for (let j = 0; j < n; j++) {
      const h = (x[row + j] - mu) * inv;
      xhat[row + j] = h;
      y[row + j] = gamma[j] * h + beta[j];
    }
  }
}

/**
 * Layer norm backward: dgamma/dbeta (length n) are the column sums of dy·xhat and dy (overwritten);
 * per row, with dŷ = dy·gamma, dx = invStd/n · (n·dŷ − Σ dŷ − xhat·Σ(dŷ·xhat)). dx may alias dy.
 */
export function layerNormBackward(dx: Float32Array, dgamma: Float32Array, dbeta: Float32Array, dy: Float32Array,
  xhat: Float32Array, invStd: Float32Array, gamma: Float32Array, m: number, n: number): void {
  gammaBetaGrads(dgamma, dbeta, dy, xhat, m, n);
  for (let i = 0; i < m; i++) {
    const row = i * n;
    let sum = 0;
    let dot = 0;
    for (let j = 0; j < n; j++) {
      const g = dy[row + j] * gamma[j];
      sum += g;
      dot += g * xhat[row + j];
    }
    const k = invStd[i] / n;
    for (let j = 0; j < n; j++) {
      const o = row + j;
      dx[o] = k * (n * dy[o] * gamma[j] - sum - xhat[o] * dot);
    }
  }
}
