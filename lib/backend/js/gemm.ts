import { allocFloat32 } from '../../alloc';

// C[m×n] = alpha·op(A)·op(B) + beta·C in plain JavaScript, as fast as V8 allows without SIMD.
//
// Large products follow the GotoBLAS/BLIS plan: op(B) is copied in KC×NC blocks into column
// micro-panels of NR floats and op(A) in MC×KC blocks into row micro-panels of MR floats, so the
// 4×4 micro-kernel reads both operands contiguously whatever the transposes were, and keeps its 16
// partial sums in registers (doubles) for KC steps before touching C. The copies cost O(mk + kn)
// against O(mnk) arithmetic. Products too thin to fill a 4×4 tile (m < 4 or n < 4: batch-1
// inference, one-output regression) skip the packing and use loops ordered so their innermost
// loop walks memory contiguously.
//
// BLAS conventions, matched by the native backend (OpenBLAS): beta = 0 overwrites C without
// reading it (NaN included), and alpha = 0 or k = 0 leaves C = beta·C without reading A or B.

const MR = 4;
const NR = 4;
// Measured on Zen 3 under V8 (128×784×256 and 512³): the micro-kernel is compute-bound, so these
// only need to keep a packed A block in L2 and a B micro-panel in L1.
const KC = 256;
const MC = 64;
const NC = 1024;

// Scratch for the packed operands, grown on first use to the largest block seen and then reused.
let packedA = allocFloat32(0);
let packedB = allocFloat32(0);

/** C[m×n] = alpha·op(A)·op(B) + beta·C; op(A) is m×k (A stored k×m when transA), op(B) is k×n
 *  (B stored n×k when transB). All four arrays may be subarray views. */
export function gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  A: Float32Array, B: Float32Array, beta: number, C: Float32Array): void {
  if (m === 0 || n === 0) return;
  scaleC(C, m * n, beta);
  if (alpha === 0 || k === 0) return;
  if (m < MR || n < NR) {
    if (transB || n < NR) gemmDots(transA, transB, m, n, k, alpha, A, B, C);
    else gemmRowUpdates(transA, m, n, k, alpha, A, B, C);
    return;
  }
  gemmPacked(transA, transB, m, n, k, alpha, A, B, C);
}

function scaleC(C: Float32Array, len: number, beta: number): void {
  if (beta === 1) return;
  if (beta === 0) {
    for (let i = 0; i < len; i++) C[i] = 0;
  } else {
    for (let i = 0; i < len; i++) C[i] *= beta;
  }
}

/** Thin n or transposed B: each C entry is one dot product over p, summed in a double. Four
 *  columns are done together, so the four sums are independent chains sharing each load of A. */
function gemmDots(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  A: Float32Array, B: Float32Array, C: Float32Array): void {
  // opA(i, p) = A[i·ai + p·ap]; opB(p, j) = B[p·bp + j·bj]
  const ai = transA ? 1 : k;
  const ap = transA ? m : 1;
  const bp = transB ? 1 : n;
  const bj = transB ? k : 1;
  for (let i = 0; i < m; i++) {
    const rowC = i * n;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let ia = i * ai;
      let ib = j * bj;
      for (let p = 0; p < k; p++) {
        const a = A[ia];
        s0 += a * B[ib];
        s1 += a * B[ib + bj];
        s2 += a * B[ib + 2 * bj];
        s3 += a * B[ib + 3 * bj];
        ia += ap;
        ib += bp;
      }
      C[rowC + j] += alpha * s0;
      C[rowC + j + 1] += alpha * s1;
      C[rowC + j + 2] += alpha * s2;
      C[rowC + j + 3] += alpha * s3;
    }
    for (; j < n; j++) {
      // a lone column: four partial sums over p, again for independent chains
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let ia = i * ai;
      let ib = j * bj;
      let p = 0;
      for (; p + 4 <= k; p += 4) {
        s0 += A[ia] * B[ib];
        s1 += A[ia + ap] * B[ib + bp];
        s2 += A[ia + 2 * ap] * B[ib + 2 * bp];
        s3 += A[ia + 3 * ap] * B[ib + 3 * bp];
        ia += 4 * ap;
        ib += 4 * bp;
      }
      for (; p < k; p++) {
        s0 += A[ia] * B[ib];
        ia += ap;
        ib += bp;
      }
      C[rowC + j] += alpha * (s0 + s1 + s2 + s3);
    }
  }
}

/** Thin m with B not transposed: C row i += Σ_p opA(i, p)·(row p of B), four rows of B per pass
 *  over C so C is read and written a quarter as often. */
function gemmRowUpdates(transA: boolean, m: number, n: number, k: number, alpha: number,
  A: Float32Array, B: Float32Array, C: Float32Array): void {
  const ai = transA ? 1 : k;
  const ap = transA ? m : 1;
  for (let i = 0; i < m; i++) {
    const rowC = i * n;
    let p = 0;
    for (; p + 4 <= k; p += 4) {
      const ia = i * ai + p * ap;
      const a0 = alpha * A[ia], a1 = alpha * A[ia + ap], a2 = alpha * A[ia + 2 * ap], a3 = alpha * A[ia + 3 * ap];
      const r0 = p * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
      for (let j = 0; j < n; j++) {
        C[rowC + j] += a0 * B[r0 + j] + a1 * B[r1 + j] + a2 * B[r2 + j] + a3 * B[r3 + j];
      }
    }
    for (; p < k; p++) {
      const a = alpha * A[i * ai + p * ap];
      const rowB = p * n;
      for (let j = 0; j < n; j++) C[rowC + j] += a * B[rowB + j];
    }
  }
}

function gemmPacked(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  A: Float32Array, B: Float32Array, C: Float32Array): void {
  const kcMax = Math.min(KC, k);
  const ncMax = Math.min(NC, roundUp(n, NR));
  const mcMax = Math.min(MC, roundUp(m, MR));
  if (packedB.length < kcMax * ncMax) packedB = allocFloat32(kcMax * ncMax);
  if (packedA.length < kcMax * mcMax) packedA = allocFloat32(kcMax * mcMax);
  const Ap = packedA;
  const Bp = packedB;
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = Math.min(NC, n - j0);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = Math.min(KC, k - p0);
      if (transB) packBT(Bp, B, k, p0, kc, j0, nc);
      else packBN(Bp, B, n, p0, kc, j0, nc);
      for (let i0 = 0; i0 < m; i0 += MC) {
        const mc = Math.min(MC, m - i0);
        if (transA) packAT(Ap, A, m, p0, kc, i0, mc);
        else packAN(Ap, A, k, p0, kc, i0, mc);
        for (let jr = 0; jr < nc; jr += NR) {
          for (let ir = 0; ir < mc; ir += MR) {
            microKernel(Ap, ir * kc, Bp, jr * kc, kc, alpha, C, n, i0 + ir, j0 + jr,
              Math.min(MR, mc - ir), Math.min(NR, nc - jr));
          }
        }
      }
    }
  }
}

function roundUp(x: number, to: number): number {
  return Math.ceil(x / to) * to;
}

// Packed A: for each MR-row micro-panel, kc groups of MR floats (rows past m are zero).
// Packed B: for each NR-column micro-panel, kc groups of NR floats (columns past n are zero).

/** op(A) = A (m×k): each row is read contiguously. */
function packAN(Ap: Float32Array, A: Float32Array, k: number, p0: number, kc: number,
  i0: number, mc: number): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const base = ir * kc;
    for (let r = 0; r < MR; r++) {
      let o = base + r;
      if (ir + r < mc) {
        let src = (i0 + ir + r) * k + p0;
        for (let p = 0; p < kc; p++, o += MR) Ap[o] = A[src++];
      } else {
        for (let p = 0; p < kc; p++, o += MR) Ap[o] = 0;
      }
    }
  }
}

/** op(A) = Aᵀ with A stored k×m: MR consecutive floats of one stored row form one group. */
function packAT(Ap: Float32Array, A: Float32Array, m: number, p0: number, kc: number,
  i0: number, mc: number): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const i = i0 + ir;
    const rows = Math.min(MR, mc - ir);
    let o = ir * kc;
    if (rows === MR) {
      for (let p = 0; p < kc; p++, o += MR) {
        const src = (p0 + p) * m + i;
        Ap[o] = A[src];
        Ap[o + 1] = A[src + 1];
        Ap[o + 2] = A[src + 2];
        Ap[o + 3] = A[src + 3];
      }
    } else {
      for (let p = 0; p < kc; p++, o += MR) {
        const src = (p0 + p) * m + i;
        for (let r = 0; r < MR; r++) Ap[o + r] = r < rows ? A[src + r] : 0;
      }
    }
  }
}

/** op(B) = B (k×n): NR consecutive floats of one row form one group. */
function packBN(Bp: Float32Array, B: Float32Array, n: number, p0: number, kc: number,
  j0: number, nc: number): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const j = j0 + jr;
    const cols = Math.min(NR, nc - jr);
    let o = jr * kc;
    if (cols === NR) {
      for (let p = 0; p < kc; p++, o += NR) {
        const src = (p0 + p) * n + j;
        Bp[o] = B[src];
        Bp[o + 1] = B[src + 1];
        Bp[o + 2] = B[src + 2];
        Bp[o + 3] = B[src + 3];
      }
    } else {
      for (let p = 0; p < kc; p++, o += NR) {
        const src = (p0 + p) * n + j;
        for (let c = 0; c < NR; c++) Bp[o + c] = c < cols ? B[src + c] : 0;
      }
    }
  }
}

/** op(B) = Bᵀ with B stored n×k: each stored row is read contiguously. */
function packBT(Bp: Float32Array, B: Float32Array, k: number, p0: number, kc: number,
  j0: number, nc: number): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const base = jr * kc;
    for (let c = 0; c < NR; c++) {
      let o = base + c;
      if (jr + c < nc) {
        let src = (j0 + jr + c) * k + p0;
        for (let p = 0; p < kc; p++, o += NR) Bp[o] = B[src++];
      } else {
        for (let p = 0; p < kc; p++, o += NR) Bp[o] = 0;
      }
    }
  }
}

/** C[i.., j..] += alpha · (4×kc panel of A)·(kc×4 panel of B); rows × cols of the tile are real. */
function microKernel(Ap: Float32Array, ao: number, Bp: Float32Array, bo: number, kc: number,
  alpha: number, C: Float32Array, n: number, i: number, j: number, rows: number, cols: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++) {
    const a0 = Ap[ao], a1 = Ap[ao + 1], a2 = Ap[ao + 2], a3 = Ap[ao + 3];
    const b0 = Bp[bo], b1 = Bp[bo + 1], b2 = Bp[bo + 2], b3 = Bp[bo + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    ao += MR;
    bo += NR;
  }
  let o = i * n + j;
  if (rows === MR && cols === NR) {
    C[o] += alpha * c00; C[o + 1] += alpha * c01; C[o + 2] += alpha * c02; C[o + 3] += alpha * c03; o += n;
    C[o] += alpha * c10; C[o + 1] += alpha * c11; C[o + 2] += alpha * c12; C[o + 3] += alpha * c13; o += n;
    C[o] += alpha * c20; C[o + 1] += alpha * c21; C[o + 2] += alpha * c22; C[o + 3] += alpha * c23; o += n;
    C[o] += alpha * c30; C[o + 1] += alpha * c31; C[o + 2] += alpha * c32; C[o + 3] += alpha * c33;
    return;
  }
  storeEdgeRow(C, o, cols, alpha, c00, c01, c02, c03);
  if (rows > 1) storeEdgeRow(C, o + n, cols, alpha, c10, c11, c12, c13);
  if (rows > 2) storeEdgeRow(C, o + 2 * n, cols, alpha, c20, c21, c22, c23);
  if (rows > 3) storeEdgeRow(C, o + 3 * n, cols, alpha, c30, c31, c32, c33);
}

/** One row of a tile cut by the matrix edge. */
function storeEdgeRow(C: Float32Array, o: number, cols: number, alpha: number,
  v0: number, v1: number, v2: number, v3: number): void {
  C[o] += alpha * v0;
  if (cols > 1) C[o + 1] += alpha * v1;
  if (cols > 2) C[o + 2] += alpha * v2;
  if (cols > 3) C[o + 3] += alpha * v3;
}
