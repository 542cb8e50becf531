// The validated entry to the kernels (lib/ops.ts): the value checks beyond kinds and lengths —
// indices, labels, hyper-parameters, and gemm's C overlapping an input — run for either backend.
import { afterAll, expect, it } from 'vitest';
import { getBackend, useBackend } from '../../lib/backend/index';
import { Opt, OptHyper } from '../../lib/backend/types';
import { ops } from '../../lib/ops';
import { describeEachBackend } from '../helpers/backends';
import { expectError } from '../helpers/errors';

const previous = getBackend().name;
afterAll(() => useBackend(previous));

describeEachBackend('ops value checks', () => {
  it('gatherRows: indices must name a row of src', () => {
    const out = new Float32Array(2).fill(3);
    expectError(() => ops.gatherRows(out, new Float32Array(4), new Int32Array([2]), 1, 2), RangeError,
      'ops.gatherRows: expected idx[0] to be a row index in [0, 2) (src holds 2 rows of 2), received 2');
    expectError(() => ops.gatherRows(out, new Float32Array(4), new Int32Array([-5]), 1, 2), RangeError,
      'ops.gatherRows: expected idx[0] to be a row index in [0, 2) (src holds 2 rows of 2), received -5');
    expect(Array.from(out)).toEqual([3, 3]);
  });

  it('oneHot and sparse softmaxCrossentropy: labels must be class indices', () => {
    expectError(() => ops.oneHot(new Float32Array(4), new Float32Array([0, -1]), 2, 2), RangeError,
      'ops.oneHot: expected labels[1] to be a class index in [0, 2), received -1');
    expectError(() => ops.softmaxCrossentropy(new Float32Array(4), new Float32Array(4), new Float32Array([2, 0]), 2, 2, true, 1),
      RangeError, 'ops.softmaxCrossentropy: expected target[0] to be a class index in [0, 2), received 2');
  });

  it('optimizerStep: the hyper-parameters a kind reads must be finite, and Adam’s step ≥ 1', () => {
    const f = (n: number) => new Float32Array(n);
    const h = new Float64Array([0.1, 0.9, 0.999, 1e-8, 0.01, 1]);
    const param = new Float32Array([1, 2]);
    const withH = (i: number, v: number) => { const c = h.slice(); c[i] = v; return c; };
    expectError(() => ops.optimizerStep(Opt.sgd, param, f(2), f(0), f(0), 2, withH(OptHyper.lr, NaN)), RangeError,
      'ops.optimizerStep: expected h[lr] to be a finite number, received NaN');
    expectError(() => ops.optimizerStep(Opt.momentum, param, f(2), f(2), f(0), 2, withH(OptHyper.beta1, Infinity)), RangeError,
      'ops.optimizerStep: expected h[beta1] to be a finite number, received Infinity');
    expectError(() => ops.optimizerStep(Opt.adamw, param, f(2), f(2), f(2), 2, withH(OptHyper.weightDecay, -Infinity)), RangeError,
      'ops.optimizerStep: expected h[weightDecay] to be a finite number, received -Infinity');
    expectError(() => ops.optimizerStep(Opt.adam, param, f(2), f(2), f(2), 2, withH(OptHyper.step, 0)), RangeError,
      'ops.optimizerStep: expected h[step] to be a step count ≥ 1, received 0');
    expect(Array.from(param)).toEqual([1, 2]);
    // A value the kind does not read may be anything: sgd ignores beta1.
    ops.optimizerStep(Opt.sgd, param, new Float32Array([1, 1]), f(0), f(0), 2, withH(OptHyper.beta1, NaN));
    expect(Array.from(param)).toEqual([Math.fround(0.9), Math.fround(1.9)]);
  });

  it('gemm: C may not share bytes with A or B', () => {
    // 2×2 · 2×2 on one buffer of 12 floats: A = [0, 4), B = [4, 8).
    const buffer = new Float32Array(12);
    buffer.set([1, 2, 3, 4, 5, 6, 7, 8]);
    const A = buffer.subarray(0, 4);
    const B = buffer.subarray(4, 8);
    expectError(() => ops.gemm(false, false, 2, 2, 2, 1, A, B, 0, A), RangeError,
      'ops.gemm: expected C not to overlap A, received C at bytes [0, 16) and A at bytes [0, 16) of the same ArrayBuffer');
    expectError(() => ops.gemm(false, false, 2, 2, 2, 1, A, B, 0, buffer.subarray(6, 10)), RangeError,
      'ops.gemm: expected C not to overlap B, received C at bytes [24, 40) and B at bytes [16, 32) of the same ArrayBuffer');
    expect(Array.from(buffer)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0]);
    // Disjoint views of one buffer are fine: [1 2; 3 4]·[5 6; 7 8] = [19 22; 43 50].
    ops.gemm(false, false, 2, 2, 2, 1, A, B, 0, buffer.subarray(8, 12));
    expect(Array.from(buffer.subarray(8, 12))).toEqual([19, 22, 43, 50]);
  });
});
