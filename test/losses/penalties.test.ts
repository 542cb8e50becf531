// The public penalty functions check their arguments; the unchecked forms the fit loop uses compute
// the same values and gradients (compared with sums written out in double here) and allocate nothing.
import { expect, it } from 'vitest';
import { allocationCount } from '../../lib/alloc';
import type { Param } from '../../lib/layers/layer';
import { applyPenalties, applyPenaltiesUnchecked, penaltyValue, penaltyValueUnchecked } from '../../lib/losses/penalties';
import { randomFloat32 } from '../helpers/arrays';
import { describeEachBackend } from '../helpers/backends';
import { expectError } from '../helpers/errors';

it('applyPenalties and penaltyValue refuse what is not a list of parameters', () => {
  expectError(() => applyPenalties(null as never, { l2: 0.1 }), TypeError,
    'applyPenalties: expected params to be an array of parameters { value, grad, decay }, received null');
  expectError(() => applyPenalties([undefined] as never, { l2: 0.1 }), TypeError,
    'applyPenalties: expected params[0] to be a parameter { value, grad, decay }, received undefined');
  const f64 = { name: 'weight', shape: [2], value: new Float64Array(2), grad: new Float32Array(2), decay: true };
  expectError(() => applyPenalties([f64] as never, { l1: 0.1 }), TypeError,
    'applyPenalties: expected params[0].value to be a Float32Array, received Float64Array(2)');
  const short = { name: 'weight', shape: [2], value: new Float32Array(2), grad: new Float32Array(1), decay: true };
  expectError(() => applyPenalties([short], { l1: 0.1 }), RangeError,
    'applyPenalties: expected params[0].grad to be length 2 (as its value), received length 1');
  expectError(() => penaltyValue({} as never, { l1: 0.1 }), TypeError,
    'penaltyValue: expected params to be an array of parameters { value, grad, decay }, received Object');
  expectError(() => applyPenalties([], { l2: -0.1 }), RangeError, 'applyPenalties: expected penalties.l2 to be a number ≥ 0, received -0.1');
});

describeEachBackend('penalties', () => {
  it('the unchecked forms match the formulas and allocate nothing', () => {
    const w = randomFloat32(40, 12);
    const b = randomFloat32(41, 4);
    const gw = randomFloat32(42, 12);
    const params: Param[] = [
      { name: 'weight', shape: [3, 4], value: w, grad: Float32Array.from(gw), decay: true },
      { name: 'bias', shape: [4], value: b, grad: new Float32Array(4), decay: false },
    ];
    const [l1, l2] = [0.05, 0.3];
    let sumAbs = 0;
    let sumSq = 0;
    for (const v of w) {
      sumAbs += Math.abs(v);
      sumSq += v * v;
    }
    const expected = l1 * sumAbs + 0.5 * l2 * sumSq;
    expect(penaltyValueUnchecked(params, l1, l2)).toBeCloseTo(expected, 6);
    expect(penaltyValue(params, { l1, l2 })).toBeCloseTo(expected, 6);
    const before = allocationCount();
    const value = applyPenaltiesUnchecked(params, l1, l2);
    expect(allocationCount()).toBe(before);
    expect(value).toBeCloseTo(expected, 6);
    for (let i = 0; i < w.length; i++) expect(params[0].grad[i]).toBeCloseTo(gw[i] + l1 * Math.sign(w[i]) + l2 * w[i], 6);
    expect(Array.from(params[1].grad)).toEqual([0, 0, 0, 0]);
    expect(applyPenaltiesUnchecked(params, 0, 0)).toBe(0);
  });
});
