import { describe, expect, it } from 'vitest';
import type { Param } from '../../lib/layers/layer';
import { clipGradsByNorm, clipGradsByValue, exponentialDecay, globalGradNorm, inverseTimeDecay, stepDecay } from '../../lib/optim/index';
import { describeEachBackend } from '../helpers/backends';

describe('learning-rate schedules', () => {
  it('inverseTimeDecay: η0 / (1 + decay·epoch)', () => {
    const s = inverseTimeDecay({ decay: 0.5 });
    expect([0, 1, 2, 6].map((e) => s(e, 123, 0.1))).toEqual([0.1, 0.1 / 1.5, 0.1 / 2, 0.1 / 4]);
  });

  it('exponentialDecay: η0 · rate^epoch', () => {
    const s = exponentialDecay({ rate: 0.95 });
    expect(s(0, 1, 0.2)).toBe(0.2);
    expect(s(3, 1, 0.2)).toBeCloseTo(0.2 * 0.95 * 0.95 * 0.95, 15);
  });

  it('stepDecay: η0 · factor^⌊epoch/every⌋', () => {
    const s = stepDecay({ every: 3, factor: 0.1 });
    expect([0, 2, 3, 5, 6].map((e) => s(e, 1, 1))).toEqual([1, 1, 0.1, 0.1, 0.1 * 0.1]);
  });

  it('describe themselves', () => {
    expect(String(stepDecay({ every: 2, factor: 0.5 }))).toBe('stepDecay(every=2, factor=0.5)');
  });

  it('reject bad settings', () => {
    expect(() => inverseTimeDecay({ decay: -1 })).toThrow('inverseTimeDecay: expected decay to be a number ≥ 0, received -1');
    expect(() => exponentialDecay({ rate: 0 })).toThrow('exponentialDecay: expected rate to be a number > 0, received 0');
    expect(() => stepDecay({ every: 0, factor: 0.5 })).toThrow(RangeError);
    expect(() => stepDecay({ every: 2, factor: 0.5, by: 1 } as never)).toThrow("unknown option 'by'");
    expect(() => inverseTimeDecay({ decay: 'x' as unknown as number })).toThrow(TypeError);
  });
});

function params(values: number[][]): Param[] {
  return values.map((g, i) => ({
    name: `p${i}`, shape: [g.length], value: new Float32Array(g.length), grad: Float32Array.from(g), decay: true,
  }));
}

describeEachBackend('gradient clipping', () => {
  it('by value clamps every element to [−limit, limit]', () => {
    const ps = params([[3, -0.2, -7, 0.5], [0.9, -1.1]]);
    clipGradsByValue(ps, 1);
    expect(Array.from(ps[0].grad)).toEqual([1, Math.fround(-0.2), -1, 0.5]);
    expect(Array.from(ps[1].grad)).toEqual([Math.fround(0.9), -1]);
  });

  it('by global norm rescales all gradients together to the limit, keeping the direction', () => {
    // Global norm of (3, 4) and (12) is √(9 + 16 + 144) = 13.
    const ps = params([[3, 4], [12]]);
    expect(globalGradNorm(ps)).toBeCloseTo(13, 6);
    const before = clipGradsByNorm(ps, 6.5);
    expect(before).toBeCloseTo(13, 6);
    expect(ps[0].grad[0]).toBeCloseTo(1.5, 6);
    expect(ps[0].grad[1]).toBeCloseTo(2, 6);
    expect(ps[1].grad[0]).toBeCloseTo(6, 6);
    expect(globalGradNorm(ps)).toBeCloseTo(6.5, 5);
  });

  it('by global norm leaves gradients below the limit alone', () => {
    const ps = params([[0.3, -0.4]]);
    clipGradsByNorm(ps, 1);
    expect(Array.from(ps[0].grad)).toEqual([Math.fround(0.3), Math.fround(-0.4)]);
  });

  it('rejects a limit ≤ 0 and a non-array', () => {
    expect(() => clipGradsByValue(params([[1]]), 0)).toThrow('clipGradsByValue: expected limit to be a number > 0, received 0');
    expect(() => clipGradsByNorm(params([[1]]), -2)).toThrow(RangeError);
    expect(() => globalGradNorm({} as never)).toThrow(TypeError);
  });
});
