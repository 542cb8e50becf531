// The JS backend's steady state allocates no typed arrays: gemm's packing scratch is sized on first
// use and reused, and no other primitive allocates at all (counted through lib/alloc.ts).
import { expect, it } from 'vitest';
import { allocationCount } from '../../lib/alloc';
import { jsBackend as js } from '../../lib/backend/js';
import { type Act, type Loss, type Opt, OptHyper } from '../../lib/backend/types';
import { randomFloat32, randomLabels } from '../helpers/arrays';

it('a full round of every primitive allocates nothing after warm-up', () => {
  const m = 64;
  const n = 96;
  const k = 300;
  const A = randomFloat32(1, m * k);
  const B = randomFloat32(2, k * n);
  const C = new Float32Array(m * n);
  const x = randomFloat32(3, m * n);
  const y = new Float32Array(m * n);
  const d = new Float32Array(m * n);
  const v = new Float32Array(n);
  const w = new Float32Array(n);
  const rowsStats = new Float32Array(m);
  const rowsStats2 = new Float32Array(m);
  const labels = randomLabels(4, m, n);
  const idx = Int32Array.from({ length: m }, (_, i) => (i * 7) % m);
  const arg = new Int32Array(m);
  const h = new Float64Array(OptHyper.length).fill(0.1);
  h[OptHyper.step] = 1;
  const round = () => {
    for (const [tA, tB] of [[false, false], [false, true], [true, false], [true, true]] as const) {
      js.gemm(tA, tB, m, n, k, 1, A, B, 0, C);
      js.gemm(tA, tB, 2, n, k, 1, A, B, 0, C); // the thin paths too
      js.gemm(tA, tB, m, 2, k, 1, A, B, 0, C);
    }
    js.addBias(y, v, m, n);
    js.sumRows(v, x, m, n, 1, 0);
    for (let kind = 0; kind <= 6; kind++) {
      js.activationForward(kind as typeof Act.relu, 0.1, y, x, m * n);
      js.activationBackward(kind as typeof Act.relu, 0.1, d, x, x, y, m * n);
    }
    js.softmaxForward(y, x, m, n);
    js.softmaxBackward(d, x, y, m, n);
    js.softmaxCrossentropy(d, x, labels, m, n, true, 1 / m);
    for (let kind = 0; kind <= 7; kind++) js.loss(kind as typeof Loss.mse, d, y, x, m * n, 1);
    js.oneHot(y, labels, m, n);
    js.dropoutForward(y, d, x, m * n, 0.5, 42);
    js.mul(y, x, d, m * n);
    js.batchNormForward(y, d, v, w, x, v, w, m, n, 1e-5, true);
    js.batchNormBackward(d, v, w, x, y, w, v, m, n, true);
    js.layerNormForward(y, d, rowsStats, rowsStats2, x, v, w, m, n, 1e-5);
    js.layerNormBackward(d, v, w, x, y, rowsStats2, v, m, n);
    for (let kind = 0; kind <= 7; kind++) js.optimizerStep(kind as typeof Opt.sgd, y, x, d, C, m * n, h);
    js.gatherRows(y, x, idx, m, n);
    js.argmaxRows(arg, x, m, n);
    js.axpy(y, 0.5, x, m * n);
    js.scale(y, 0.5, m * n);
    js.fill(y, 0, m * n);
    js.addSign(y, 0.1, x, m * n);
    js.sumSquares(x, m * n);
    js.sumAbs(x, m * n);
    js.clip(y, -1, 1, m * n);
  };
  round();
  const before = allocationCount();
  round();
  round();
  expect(allocationCount() - before).toBe(0);
});
