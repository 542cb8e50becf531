import { expect, it } from 'vitest';
import { Dense } from '../../lib/layers/dense';
import { Activation } from '../../lib/layers/activation';
import { layerClasses } from '../../lib/layers/index';
import { Random } from '../../lib/random';
import { describeEachBackend } from '../helpers/backends';
import { randomFloat32 } from '../helpers/arrays';
import { maxAbsDiff } from '../model/fixtures';

const ctx = (seed: number) => ({ rng: new Random(seed) });

// Reference products in double, straight from the definitions z = X·Wᵀ + b, dW = dZᵀ·X, db = Σ dZ,
// dX = dZ·W (W stored [out, in], all row-major).
function referenceForward(x: Float32Array, w: Float32Array, b: Float32Array | undefined, m: number, inp: number, out: number) {
  const z = new Float64Array(m * out);
  for (let i = 0; i < m; i++) {
    for (let o = 0; o < out; o++) {
      let s = b === undefined ? 0 : b[o];
      for (let k = 0; k < inp; k++) s += x[i * inp + k] * w[o * inp + k];
      z[i * out + o] = s;
    }
  }
  return z;
}

function referenceBackward(dz: Float32Array, x: Float32Array, w: Float32Array, m: number, inp: number, out: number) {
  const dw = new Float64Array(out * inp);
  const db = new Float64Array(out);
  const dx = new Float64Array(m * inp);
  for (let i = 0; i < m; i++) {
    for (let o = 0; o < out; o++) {
      const d = dz[i * out + o];
      db[o] += d;
      for (let k = 0; k < inp; k++) {
        dw[o * inp + k] += d * x[i * inp + k];
        dx[i * inp + k] += d * w[o * inp + k];
      }
    }
  }
  return { dw, db, dx };
}

describeEachBackend('Dense', () => {
  it('forward computes X·Wᵀ + b and backward dZᵀ·X, Σ dZ, dZ·W', () => {
    const [m, inp, out] = [5, 7, 3];
    const layer = new Dense(inp, out);
    layer.build([inp], ctx(1));
    const x = randomFloat32(2, m * inp);
    const y = layer.forward(x, m, true);
    expect(y.length).toBe(m * out);
    const z = referenceForward(x, layer.weight.value, layer.bias!.value, m, inp, out);
    expect(maxAbsDiff(y, z)).toBeLessThan(1e-6);

    const dy = randomFloat32(3, m * out);
    const dx = layer.backward(dy, m, true);
    const ref = referenceBackward(dy, x, layer.weight.value, m, inp, out);
    expect(maxAbsDiff(layer.weight.grad, ref.dw)).toBeLessThan(1e-6);
    expect(maxAbsDiff(layer.bias!.grad, ref.db)).toBeLessThan(1e-6);
    expect(maxAbsDiff(dx, ref.dx)).toBeLessThan(1e-6);
  });

  it('backward overwrites gradients (no accumulation) and skips dX when not needed', () => {
    const layer = new Dense(4, 2);
    layer.build([4], ctx(4));
    const x = randomFloat32(5, 3 * 4);
    const dy = randomFloat32(6, 3 * 2);
    layer.forward(x, 3, true);
    layer.backward(dy, 3, true);
    const first = Float32Array.from(layer.weight.grad);
    layer.forward(x, 3, true);
    const dx = layer.backward(dy, 3, false);
    expect(dx.length).toBe(0);
    expect(Array.from(layer.weight.grad)).toEqual(Array.from(first));
  });

  it('without bias has only a weight and computes X·Wᵀ', () => {
    const layer = new Dense(3, 2, { bias: false });
    layer.build([3], ctx(7));
    expect(layer.params().map((p) => p.name)).toEqual(['weight']);
    const x = randomFloat32(8, 4 * 3);
    const y = layer.forward(x, 4, false);
    expect(maxAbsDiff(y, referenceForward(x, layer.weight.value, undefined, 4, 3, 2))).toBeLessThan(1e-6);
  });

  it('a fused activation equals Dense followed by an Activation layer, forward and backward', () => {
    for (const activation of ['sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu', 'softmax'] as const) {
      const fused = new Dense(4, 3, { activation });
      const plain = new Dense(4, 3);
      const act = new Activation(activation);
      fused.build([4], ctx(9));
      plain.build([4], ctx(9));
      act.build([3], ctx(0));
      const x = randomFloat32(10, 6 * 4, -2, 2);
      const dy = randomFloat32(11, 6 * 3);
      const yFused = fused.forward(x, 6, true);
      const yPlain = act.forward(plain.forward(x, 6, true), 6, true);
      expect(maxAbsDiff(yFused, yPlain), activation).toBeLessThan(1e-6);
      const dxFused = fused.backward(dy, 6, true);
      const dxPlain = plain.backward(act.backward(dy, 6, true), 6, true);
      expect(maxAbsDiff(dxFused, dxPlain), activation).toBeLessThan(1e-6);
      expect(maxAbsDiff(fused.weight.grad, plain.weight.grad), activation).toBeLessThan(1e-6);
    }
  });

  it('reuses its buffers across steps, including a smaller last batch', () => {
    const layer = new Dense(3, 2);
    layer.build([3], ctx(12));
    const big = layer.forward(randomFloat32(13, 8 * 3), 8, true);
    const small = layer.forward(randomFloat32(14, 5 * 3), 5, true);
    expect(small.length).toBe(10);
    expect(small.buffer).toBe(big.buffer);
    expect(layer.forward(randomFloat32(15, 8 * 3), 8, true)).toBe(big);
  });
});

it('config() rebuilds an equal layer through the registry', () => {
  const layer = new Dense(6, 4, { activation: 'leakyRelu', alpha: 0.2, init: { name: 'normal', std: 0.5 }, bias: false });
  const config = JSON.parse(JSON.stringify(layer.config()));
  expect(config).toEqual({ inputs: 6, units: 4, init: { name: 'normal', std: 0.5 }, biasInit: 'zeros', bias: false,
    activation: 'leakyRelu', alpha: 0.2 });
  const again = new layerClasses[layer.kind](config) as Dense;
  expect(again.config()).toEqual(layer.config());
  expect(String(again)).toBe('Dense(6→4, leakyRelu(0.2), no bias)');
});

it('defaults: uniform weights and biases, identity activation, bias on', () => {
  expect(new Dense(3, 2).config()).toEqual({ inputs: 3, units: 2, init: 'uniform', biasInit: 'uniform', bias: true,
    activation: 'identity' });
  expect(new Dense(3, 2, { init: 'heNormal' }).config().biasInit).toBe('zeros');
});

it('rejects bad constructor arguments with the argument named', () => {
  expect(() => new Dense(0, 3)).toThrow(RangeError);
  expect(() => new Dense(0, 3)).toThrow('Dense: expected inputs to be an integer ≥ 1, received 0');
  expect(() => new Dense(3, 2.5)).toThrow('Dense: expected units to be an integer ≥ 1, received 2.5');
  expect(() => new Dense('3' as unknown as number, 2)).toThrow(TypeError);
  expect(() => new Dense(3, 2, { activation: 'swish' as 'relu' })).toThrow(/Dense: expected options\.activation to be one of 'identity'.*received "swish"/);
  expect(() => new Dense(3, 2, { init: 'glorot' as 'zeros' })).toThrow(/Dense: expected options\.init to be one of 'zeros'/);
  expect(() => new Dense(3, 2, { activation: 'relu', alpha: 0.1 })).toThrow("Dense: expected alpha to be absent ('relu' takes no alpha; only leakyRelu and elu do), received 0.1");
  expect(() => new Dense(3, 2, { units: 4 } as object)).toThrow("Dense: expected options to be keys among init, biasInit, bias, activation, alpha, received unknown key 'units'");
});

it('rejects a wrong input shape at build and wrong batches at forward/backward', () => {
  const layer = new Dense(4, 2);
  expect(() => layer.forward(new Float32Array(8), 2, false)).toThrow('Dense.forward: the layer is not built yet');
  expect(() => layer.build([5], ctx(1))).toThrow(RangeError);
  expect(() => layer.build([5], ctx(1))).toThrow('Dense.build: expected inputShape to be [4] (4 features per sample), received [5]');
  layer.build([2, 2], ctx(1)); // 2×2 samples are 4 features, read row-major
  expect(() => layer.forward(new Float32Array(7), 2, false)).toThrow('Dense.forward: expected x to be 2 rows of 4 floats (8), received 7 floats');
  expect(() => layer.forward([1, 2, 3, 4] as unknown as Float32Array, 1, false)).toThrow(TypeError);
  expect(() => layer.forward(new Float32Array(8), 0, false)).toThrow('Dense.forward: expected m to be an integer ≥ 1 (the number of rows), received 0');
  expect(() => layer.backward(new Float32Array(4), 2, true)).toThrow('Dense.backward: called before forward');
  layer.forward(new Float32Array(8), 2, true);
  expect(() => layer.backward(new Float32Array(2), 1, true)).toThrow('Dense.backward: expected m to be 2, the row count of the last forward, received 1');
});
