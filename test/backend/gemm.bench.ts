// JS gemm throughput: `npx vitest bench --run test/backend/gemm.bench.ts`. Each bench is one gemm
// call, so GFLOP/s = hz · 2mnk / 1e9 (the flop count is in each name). Not part of `vitest run`:
// tests carry no timing assertions.
import { bench, describe } from 'vitest';
import { jsBackend } from '../../lib/backend/js';
import { randomFloat32 } from '../helpers/arrays';

const shapes = [
  // the MLP layer 784→256 at batch 128, in its three training layouts
  { layout: 'NT forward', tA: false, tB: true, m: 128, n: 256, k: 784 },
  { layout: 'NN input gradient', tA: false, tB: false, m: 128, n: 784, k: 256 },
  { layout: 'TN weight gradient', tA: true, tB: false, m: 256, n: 784, k: 128 },
  { layout: 'NN square', tA: false, tB: false, m: 512, n: 512, k: 512 },
];

describe('js gemm', () => {
  for (const s of shapes) {
    const A = randomFloat32(1, s.m * s.k);
    const B = randomFloat32(2, s.k * s.n);
    const C = new Float32Array(s.m * s.n);
    const mflop = (2 * s.m * s.n * s.k) / 1e6;
    bench(`${s.layout} ${s.m}×${s.n}×${s.k} (${mflop.toFixed(1)} MFLOP)`, () => {
      jsBackend.gemm(s.tA, s.tB, s.m, s.n, s.k, 1, A, B, 0, C);
    }, { time: 2000, warmupTime: 300 });
  }
});
