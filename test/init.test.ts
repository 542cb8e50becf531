import { afterEach, expect, it, vi } from 'vitest';
import { Dense } from '../lib/layers/dense';
import { checkInit, initialize, initNames, resetInitWarnings } from '../lib/init';
import { Sequential } from '../lib/model/sequential';
import { Random } from '../lib/random';
import { describeEachBackend } from './helpers/backends';

afterEach(() => vi.restoreAllMocks());

function stats(a: Float32Array) {
  let mean = 0;
  for (const v of a) mean += v;
  mean /= a.length;
  let variance = 0;
  let maxAbs = 0;
  for (const v of a) { variance += (v - mean) ** 2; maxAbs = Math.max(maxAbs, Math.abs(v)); }
  return { mean, variance: variance / a.length, maxAbs };
}

// Expected variances from the definitions: normal N(0, s²) has variance s², U(±L) has L²/3.
const fanIn = 400;
const fanOut = 100;
const expectations: Record<string, { variance: number; limit?: number }> = {
  uniform: { variance: 1 / fanIn / 3, limit: 1 / Math.sqrt(fanIn) },
  normal: { variance: 0.01 ** 2 },
  xavierNormal: { variance: 2 / (fanIn + fanOut) },
  glorotNormal: { variance: 2 / (fanIn + fanOut) },
  xavierUniform: { variance: 2 / (fanIn + fanOut), limit: Math.sqrt(6 / (fanIn + fanOut)) },
  glorotUniform: { variance: 2 / (fanIn + fanOut), limit: Math.sqrt(6 / (fanIn + fanOut)) },
  lecunNormal: { variance: 1 / fanIn },
  heNormal: { variance: 2 / fanIn },
  kaimingNormal: { variance: 2 / fanIn },
  heUniform: { variance: 2 / fanIn, limit: Math.sqrt(6 / fanIn) },
  kaimingUniform: { variance: 2 / fanIn, limit: Math.sqrt(6 / fanIn) },
};

for (const [name, expected] of Object.entries(expectations)) {
  it(`${name}: mean ≈ 0 and variance ≈ ${expected.variance.toExponential(2)} over 40,000 draws`, () => {
    const w = new Float32Array(fanIn * fanOut);
    initialize(w, checkInit('test', 'init', name), fanIn, fanOut, new Random(5));
    const s = stats(w);
    // Sample variance of 40,000 draws has a relative standard error ≈ √(2/40000) ≈ 0.7% (normal) —
    // 4% is > 5 standard errors; the mean's standard error is √(var/40000).
    expect(Math.abs(s.variance / expected.variance - 1)).toBeLessThan(0.04);
    expect(Math.abs(s.mean)).toBeLessThan(5 * Math.sqrt(expected.variance / w.length));
    if (expected.limit !== undefined) {
      expect(s.maxAbs).toBeLessThanOrEqual(expected.limit);
      expect(s.maxAbs).toBeGreaterThan(0.99 * expected.limit);
    }
  });
}

it('normal honours a custom std', () => {
  const w = new Float32Array(20000);
  initialize(w, { name: 'normal', std: 0.5 }, 10, 10, new Random(6));
  expect(Math.abs(stats(w).variance / 0.25 - 1)).toBeLessThan(0.05);
});

it('every initialiser name is covered above or is zeros', () => {
  expect([...initNames].sort()).toEqual([...Object.keys(expectations), 'zeros'].sort());
});

describeEachBackend('seeding', () => {
  it('same seed ⇒ bit-identical weights and outputs; another seed ⇒ different weights', () => {
    const make = (seed: number) => new Sequential([
      new Dense(20, 16, { activation: 'relu', init: 'heNormal' }),
      new Dense(16, 8, { init: 'xavierUniform' }),
      new Dense(8, 3),
    ], { seed }).build();
    const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
    const a = make(123);
    const b = make(123);
    expect(a.params().map((p) => bits(p.value))).toEqual(b.params().map((p) => bits(p.value)));
    expect(make(124).params().map((p) => bits(p.value))).not.toEqual(a.params().map((p) => bits(p.value)));
    const x = new Float32Array(5 * 20).fill(0.5);
    expect(bits(a.forward(x).data)).toEqual(bits(b.forward(x).data));
  });
});

it('uniform is the default and also draws the bias from U(±1/√in); other initialisers zero the bias', () => {
  const layer = new Dense(25, 400);
  layer.build([25], { rng: new Random(7) });
  const b = layer.bias!.value;
  expect(stats(b).maxAbs).toBeLessThanOrEqual(1 / 5);
  expect(stats(b).maxAbs).toBeGreaterThan(0.19);
  const he = new Dense(25, 4, { init: 'heNormal' });
  he.build([25], { rng: new Random(7) });
  expect(Array.from(he.bias!.value)).toEqual([0, 0, 0, 0]);
});

it('zeros for weights warns once on stderr that symmetric units learn the same feature', () => {
  resetInitWarnings();
  const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const layer = new Dense(3, 4, { init: 'zeros' });
  layer.build([3], { rng: new Random(1) });
  new Dense(3, 4, { init: 'zeros' }).build([3], { rng: new Random(1) });
  expect(Array.from(layer.weight.value)).toEqual(new Array(12).fill(0));
  const warnings = write.mock.calls.map((c) => String(c[0])).filter((s) => s.includes('zeros'));
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toContain('symmetric units learn the same feature');
});

it('zero biases do not warn', () => {
  resetInitWarnings();
  const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  new Dense(3, 4, { init: 'heNormal', biasInit: 'zeros' }).build([3], { rng: new Random(1) });
  expect(write).not.toHaveBeenCalled();
});

it('rejects unknown initialisers and a std on anything but normal', () => {
  expect(() => checkInit('Dense', 'options.init', 'he')).toThrow(RangeError);
  expect(() => checkInit('Dense', 'options.init', 'he')).toThrow(/^Dense: expected options\.init to be one of 'zeros', 'uniform', .*received "he"$/);
  expect(() => checkInit('Dense', 'options.init', { name: 'heNormal', std: 2 }))
    .toThrow("Dense: expected options.init.std to be absent (only 'normal' takes a std), received 2");
  expect(() => checkInit('Dense', 'options.init', { name: 'normal', std: -1 })).toThrow('Dense: expected options.init.std to be a number ≥ 0, received -1');
  expect(() => checkInit('Dense', 'options.init', 5)).toThrow(TypeError);
});
