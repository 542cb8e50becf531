// The JS gemm against an independent float64 triple loop, judged by the float32 forward error bound
// (test/helpers/gemm-reference.ts). Sizes cross every blocking boundary of the packed path
// (MR = NR = 4, MC = 64, KC = 256, NC = 1024) and the thin-matrix paths (m < 4 or n < 4).
import { describe, expect, it } from 'vitest';
import { jsBackend } from '../../lib/backend/js';
import { guarded, randomFloat32 } from '../helpers/arrays';
import { expectWithinGemmBound, gemmReference } from '../helpers/gemm-reference';

const transposes = [[false, false], [false, true], [true, false], [true, true]] as const;
const shapes: readonly (readonly [number, number, number])[] = [
  [1, 1, 1], [1, 7, 5], [3, 1, 9], [2, 3, 4], [5, 4, 3], [4, 4, 1], [7, 9, 13], [17, 33, 9],
  [64, 64, 64], [65, 67, 3], [6, 5, 300], [33, 18, 513], [70, 1030, 5], [128, 256, 33], [2, 9, 301], [130, 2, 77],
];
const scalars: readonly (readonly [number, number])[] = [[1, 0], [1, 1], [-0.5, 2], [2.5, -1]];

function label(tA: boolean, tB: boolean, m: number, n: number, k: number, alpha: number, beta: number): string {
  return `gemm ${tA ? 'T' : 'N'}${tB ? 'T' : 'N'} m=${m} n=${n} k=${k} alpha=${alpha} beta=${beta}`;
}

describe('js gemm against the float64 reference', () => {
  let seed = 1;
  for (const [tA, tB] of transposes) {
    for (const [m, n, k] of shapes) {
      it(`${tA ? 'T' : 'N'}${tB ? 'T' : 'N'} ${m}×${n}×${k}`, () => {
        for (const [alpha, beta] of scalars) {
          const A = guarded(randomFloat32(seed++, m * k), 5, 3);
          const B = guarded(randomFloat32(seed++, k * n), 2, 7);
          const C0 = randomFloat32(seed++, m * n, -2, 2);
          const C = guarded(C0, 1, 4);
          jsBackend.gemm(tA, tB, m, n, k, alpha, A.view, B.view, beta, C.view);
          const ref = gemmReference(tA, tB, m, n, k, alpha, A.view, B.view, beta, C0);
          expectWithinGemmBound(C.view, ref, k, label(tA, tB, m, n, k, alpha, beta));
          expect(C.guardsIntact() && A.guardsIntact() && B.guardsIntact()).toBe(true);
        }
      });
    }
  }

  it('the MLP shape 128×784×256 in all three training layouts', () => {
    // forward X·Wᵀ (NT), input gradient dZ·W (NN), weight gradient dZᵀ·X (TN)
    const cases = [[false, true, 128, 256, 784], [false, false, 128, 784, 256], [true, false, 256, 784, 128]] as const;
    for (const [tA, tB, m, n, k] of cases) {
      const A = randomFloat32(100 + m, m * k);
      const B = randomFloat32(200 + n, k * n);
      const C = new Float32Array(m * n);
      jsBackend.gemm(tA, tB, m, n, k, 1, A, B, 0, C);
      expectWithinGemmBound(C, gemmReference(tA, tB, m, n, k, 1, A, B, 0, C), k, label(tA, tB, m, n, k, 1, 0));
    }
  });

  it('beta = 0 overwrites C without reading it, NaN included', () => {
    for (const [tA, tB] of transposes) {
      for (const [m, n, k] of [[2, 3, 4], [9, 10, 11]] as const) {
        const A = randomFloat32(7, m * k);
        const B = randomFloat32(8, k * n);
        const C = new Float32Array(m * n).fill(NaN);
        jsBackend.gemm(tA, tB, m, n, k, 1, A, B, 0, C);
        expectWithinGemmBound(C, gemmReference(tA, tB, m, n, k, 1, A, B, 0, C), k, label(tA, tB, m, n, k, 1, 0));
      }
    }
  });

  it('alpha = 0 and k = 0 leave beta·C and never read A or B', () => {
    const C = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const A = new Float32Array(6).fill(NaN);
    const B = new Float32Array(6).fill(NaN);
    jsBackend.gemm(false, false, 2, 3, 2, 0, A, B, 0.5, C);
    expect(Array.from(C)).toEqual([0.5, 1, 1.5, 2, 2.5, 3]);
    jsBackend.gemm(true, true, 2, 3, 0, 1, new Float32Array(0), new Float32Array(0), 2, C);
    expect(Array.from(C)).toEqual([1, 2, 3, 4, 5, 6]);
    jsBackend.gemm(false, true, 2, 3, 0, 1, new Float32Array(0), new Float32Array(0), 0, C);
    expect(Array.from(C)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('m = 0 or n = 0 touches nothing', () => {
    const C = guarded(new Float32Array(0), 2, 2);
    jsBackend.gemm(false, false, 0, 5, 3, 1, new Float32Array(0), new Float32Array(15), 0, C.view);
    jsBackend.gemm(false, false, 5, 0, 3, 1, new Float32Array(15), new Float32Array(0), 0, C.view);
    expect(C.guardsIntact()).toBe(true);
  });

  it('a hand-worked 2×2 product with transposes', () => {
    // A = [[1, 2], [3, 4]], B = [[5, 6], [7, 8]]
    const A = Float32Array.from([1, 2, 3, 4]);
    const B = Float32Array.from([5, 6, 7, 8]);
    const C = new Float32Array(4);
    jsBackend.gemm(false, false, 2, 2, 2, 1, A, B, 0, C);
    expect(Array.from(C)).toEqual([19, 22, 43, 50]);
    jsBackend.gemm(true, false, 2, 2, 2, 1, A, B, 0, C); // Aᵀ·B
    expect(Array.from(C)).toEqual([26, 30, 38, 44]);
    jsBackend.gemm(false, true, 2, 2, 2, 1, A, B, 0, C); // A·Bᵀ
    expect(Array.from(C)).toEqual([17, 23, 39, 53]);
    jsBackend.gemm(true, true, 2, 2, 2, 1, A, B, 0, C); // Aᵀ·Bᵀ
    expect(Array.from(C)).toEqual([23, 31, 34, 46]);
  });

  it('results do not depend on scratch left by a previous, larger call', () => {
    const big = randomFloat32(31, 100 * 100);
    jsBackend.gemm(false, false, 100, 100, 100, 1, big, big, 0, new Float32Array(100 * 100));
    const A = randomFloat32(32, 6 * 5);
    const B = randomFloat32(33, 5 * 7);
    const C = new Float32Array(6 * 7);
    jsBackend.gemm(false, false, 6, 7, 5, 1, A, B, 0, C);
    expectWithinGemmBound(C, gemmReference(false, false, 6, 7, 5, 1, A, B, 0, C), 5, 'after a larger call');
  });
});
