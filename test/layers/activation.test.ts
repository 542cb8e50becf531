import { expect, it } from 'vitest';
import { Activation } from '../../lib/layers/activation';
import { Dense } from '../../lib/layers/dense';
import { layerClasses } from '../../lib/layers/index';
import { Random } from '../../lib/random';
import { describeEachBackend } from '../helpers/backends';
import { randomFloat32 } from '../helpers/arrays';
import { maxAbsDiff } from '../model/fixtures';

// The textbook closed forms, in double: value and derivative at x.
const alpha = { leakyRelu: 0.01, elu: 1 };
const closedForms = {
  identity: { f: (x: number) => x, df: () => 1 },
  sigmoid: { f: (x: number) => 1 / (1 + Math.exp(-x)), df: (x: number) => { const s = 1 / (1 + Math.exp(-x)); return s * (1 - s); } },
  tanh: { f: Math.tanh, df: (x: number) => 1 - Math.tanh(x) ** 2 },
  relu: { f: (x: number) => Math.max(0, x), df: (x: number) => (x > 0 ? 1 : 0) },
  leakyRelu: { f: (x: number) => (x > 0 ? x : alpha.leakyRelu * x), df: (x: number) => (x > 0 ? 1 : alpha.leakyRelu) },
  elu: { f: (x: number) => (x > 0 ? x : alpha.elu * (Math.exp(x) - 1)), df: (x: number) => (x > 0 ? 1 : alpha.elu * Math.exp(x)) },
} as const;

function softmaxRows(x: Float32Array, m: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    let max = -Infinity;
    for (let j = 0; j < n; j++) max = Math.max(max, x[i * n + j]);
    let sum = 0;
    for (let j = 0; j < n; j++) sum += Math.exp(x[i * n + j] - max);
    for (let j = 0; j < n; j++) out[i * n + j] = Math.exp(x[i * n + j] - max) / sum;
  }
  return out;
}

const ctx = { rng: new Random(0) };

describeEachBackend('Activation', () => {
  for (const [kind, form] of Object.entries(closedForms)) {
    it(`${kind}: forward is φ(x), backward is dy ⊙ φ'(x)`, () => {
      const layer = new Activation(kind as keyof typeof closedForms);
      layer.build([6], ctx);
      const x = randomFloat32(1, 4 * 6, -3, 3);
      const dy = randomFloat32(2, 4 * 6);
      const y = layer.forward(x, 4, true);
      expect(maxAbsDiff(y, Array.from(x, form.f))).toBeLessThan(2e-6);
      const dx = layer.backward(dy, 4, true);
      expect(maxAbsDiff(dx, Array.from(x, (v, i) => dy[i] * form.df(v)))).toBeLessThan(2e-6);
    });
  }

  it('leakyRelu and elu honour a custom alpha', () => {
    const x = Float32Array.from([-2, -0.5, 0.5, 2]);
    const leaky = new Activation('leakyRelu', { alpha: 0.2 });
    leaky.build([4], ctx);
    expect(maxAbsDiff(leaky.forward(x, 1, false), [-0.4, -0.1, 0.5, 2])).toBeLessThan(1e-7);
    const elu = new Activation({ activation: 'elu', alpha: 0.5 });
    elu.build([4], ctx);
    expect(maxAbsDiff(elu.forward(x, 1, false), [0.5 * (Math.exp(-2) - 1), 0.5 * (Math.exp(-0.5) - 1), 0.5, 2])).toBeLessThan(1e-7);
  });

  it('step is 1 for x ≥ 0 else 0, and its derivative is taken as 0', () => {
    const layer = new Activation('step');
    layer.build([5], ctx);
    const x = Float32Array.from([-1, -1e-6, 0, 1e-6, 3]);
    expect(Array.from(layer.forward(x, 1, true))).toEqual([0, 0, 1, 1, 1]);
    const dx = layer.backward(Float32Array.from([1, 2, 3, 4, 5]), 1, true);
    expect(Array.from(dx)).toEqual([0, 0, 0, 0, 0]);
    const dense = new Dense(2, 3, { activation: 'step' });
    dense.build([2], { rng: new Random(3) });
    dense.forward(Float32Array.from([0.3, -0.7]), 1, true);
    dense.backward(Float32Array.from([1, 1, 1]), 1, true);
    expect(Array.from(dense.weight.grad)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('softmax normalises each row (stable for large logits) and backward applies the Jacobian s_i(δ_ij − s_j)', () => {
    const [m, n] = [3, 5];
    const layer = new Activation('softmax');
    layer.build([n], ctx);
    const x = randomFloat32(4, m * n, -4, 4);
    x[0] += 1000; // max subtraction keeps this finite
    const y = layer.forward(x, m, true);
    const s = softmaxRows(x, m, n);
    expect(maxAbsDiff(y, s)).toBeLessThan(1e-6);
    const dy = randomFloat32(5, m * n);
    const dx = layer.backward(dy, m, true);
    const expected = new Float64Array(m * n);
    for (let r = 0; r < m; r++) {
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const jacobian = s[r * n + i] * ((i === j ? 1 : 0) - s[r * n + j]);
          expected[r * n + i] += jacobian * dy[r * n + j];
        }
      }
    }
    expect(maxAbsDiff(dx, expected)).toBeLessThan(1e-6);
  });

  it('identity passes buffers through untouched', () => {
    const layer = new Activation('linear');
    layer.build([2], ctx);
    const x = Float32Array.from([1, 2]);
    expect(layer.forward(x, 1, true)).toBe(x);
    expect(layer.config()).toEqual({ activation: 'identity' });
  });
});

it('config() round-trips through the registry', () => {
  for (const layer of [new Activation('relu'), new Activation('elu', { alpha: 0.3 }), new Activation('softmax')]) {
    const again = new layerClasses.Activation(JSON.parse(JSON.stringify(layer.config())));
    expect(again.config()).toEqual(layer.config());
  }
  expect(new Activation('leakyRelu').config()).toEqual({ activation: 'leakyRelu', alpha: 0.01 });
});

it('rejects unknown kinds and misplaced alpha', () => {
  expect(() => new Activation('gelu' as 'relu')).toThrow(RangeError);
  expect(() => new Activation('gelu' as 'relu')).toThrow(/^Activation: expected activation to be one of 'identity', 'linear', 'step', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu', 'softmax', received "gelu"$/);
  expect(() => new Activation(3 as unknown as 'relu')).toThrow(TypeError);
  expect(() => new Activation('tanh', { alpha: 2 })).toThrow("Activation: expected alpha to be absent ('tanh' takes no alpha; only leakyRelu and elu do), received 2");
  expect(() => new Activation('elu', { alpha: NaN })).toThrow('Activation: expected alpha to be a finite number, received NaN');
  const layer = new Activation('relu');
  expect(() => layer.forward(new Float32Array(2), 1, false)).toThrow('Activation.forward: the layer is not built yet');
});
