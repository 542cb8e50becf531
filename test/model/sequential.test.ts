import { expect, it } from 'vitest';
import { allocationCount } from '../../lib/alloc';
import { Activation } from '../../lib/layers/activation';
import { Dense } from '../../lib/layers/dense';
import { getLoss } from '../../lib/losses/index';
import { Sequential } from '../../lib/model/sequential';
import { Tensor } from '../../lib/tensor';
import { describeEachBackend } from '../helpers/backends';
import { randomFloat32, randomLabels } from '../helpers/arrays';
import { maxAbsDiff } from './fixtures';

describeEachBackend('Sequential', () => {
  it('forward chains the layers (equal to calling them by hand) and returns [m, ...outputShape]', () => {
    const model = new Sequential([new Dense(4, 6, { activation: 'tanh' }), new Dense(6, 3), new Activation('softmax')], { seed: 3 });
    const x = Tensor.fromFloat32Array(randomFloat32(1, 5 * 4), [5, 4]);
    const y = model.forward(x);
    expect(y.shape).toEqual([5, 3]);
    const [d1, d2, act] = model.layers;
    const byHand = act.forward(d2.forward(d1.forward(x.data, 5, false), 5, false), 5, false);
    expect(maxAbsDiff(y.data, byHand)).toBe(0);
    const viaArray = model.forward(x.data);
    expect(viaArray.shape).toEqual([5, 3]);
  });

  it('accepts images [m, 2, 3] for a model whose input is 6 features', () => {
    const model = new Sequential([new Dense(6, 2)], { seed: 1 });
    const flat = randomFloat32(2, 4 * 6);
    const a = Array.from(model.forward(Tensor.fromFloat32Array(flat, [4, 6])).data);
    const b = Array.from(model.forward(Tensor.fromFloat32Array(flat, [4, 2, 3])).data);
    expect(b).toEqual(a);
  });

  it('backward fills every grad and, on request, returns ∂L/∂x shaped like the input', () => {
    const model = new Sequential([new Dense(3, 4, { activation: 'relu' }), new Dense(4, 2)], { seed: 5 });
    const x = Tensor.fromFloat32Array(randomFloat32(3, 6 * 3), [6, 3]);
    const out = model.forward(x, { training: true });
    const d = new Float32Array(out.size);
    getLoss('mse').compute(d, out.data, randomFloat32(4, 12), 6, 2);
    for (const p of model.params()) p.grad.fill(NaN);
    expect(model.backward(d)).toBeUndefined();
    for (const p of model.params()) expect(p.grad.every(Number.isFinite)).toBe(true);
    const dx = model.backward(d, { inputGrad: true })!;
    expect(dx.shape).toEqual([6, 3]);
    // ∂L/∂x written out: δ₁ = (d·W₂) ⊙ [z₁ > 0], ∂L/∂x = δ₁·W₁ (W stored [out, in]).
    const [w1, b1] = model.layers[0].params().map((p) => p.value);
    const w2 = model.layers[1].params()[0].value;
    const expected = new Float64Array(6 * 3);
    for (let i = 0; i < 6; i++) {
      for (let h = 0; h < 4; h++) {
        let z = b1[h];
        for (let k = 0; k < 3; k++) z += x.data[i * 3 + k] * w1[h * 3 + k];
        let g = 0;
        for (let o = 0; o < 2; o++) g += d[i * 2 + o] * w2[o * 4 + h];
        const delta = z > 0 ? g : 0;
        for (let k = 0; k < 3; k++) expected[i * 3 + k] += delta * w1[h * 3 + k];
      }
    }
    expect(maxAbsDiff(dx.data, expected)).toBeLessThan(1e-6);
  });

  it('allocates no typed arrays in steady state, including an alternating smaller last batch', () => {
    const model = new Sequential([new Dense(8, 16, { activation: 'relu' }), new Dense(16, 4)], { seed: 9 });
    model.build();
    const loss = getLoss('softmaxCrossentropy');
    const full = randomFloat32(5, 32 * 8);
    const last = full.subarray(0, 7 * 8);
    const yFull = randomLabels(6, 32, 4);
    const yLast = yFull.subarray(0, 7);
    const dpredFull = new Float32Array(32 * 4);
    const dpredLast = dpredFull.subarray(0, 7 * 4);
    const step = (x: Float32Array, y: Float32Array, d: Float32Array, m: number) => {
      const out = model.forwardBatch(x, m, true);
      loss.compute(d, out, y, m, 4);
      model.backwardBatch(d, m);
    };
    step(full, yFull, dpredFull, 32);
    step(last, yLast, dpredLast, 7);
    const before = allocationCount();
    for (let i = 0; i < 5; i++) {
      step(full, yFull, dpredFull, 32);
      step(last, yLast, dpredLast, 7);
    }
    expect(allocationCount()).toBe(before);
  });
});

it('build raises a RangeError naming both layers when shapes do not chain', () => {
  const model = new Sequential([new Dense(784, 256, { activation: 'relu' }), new Dense(128, 10)]);
  expect(() => model.build()).toThrow(RangeError);
  expect(() => model.build()).toThrow('Sequential.build: layer 1 Dense(128→10) cannot follow layer 0 Dense(784→256, relu), ' +
    'whose output shape is [256] (Dense.build: expected inputShape to be [128] (128 features per sample), received [256])');
  expect(model.built).toBe(false);
  const first = new Sequential([new Dense(10, 2)], { inputShape: [12] });
  expect(() => first.build()).toThrow('Sequential.build: layer 0 Dense(10→2) cannot follow the model input, whose output shape is [12]');
});

it('infers the input shape from the first Dense, and add() after build builds the new layer', () => {
  const model = new Sequential([new Dense(5, 3)], { seed: 1 });
  expect(model.built).toBe(false);
  expect(model.paramCount()).toBe(5 * 3 + 3);
  expect(model.built).toBe(true);
  expect(model.inputShape).toEqual([5]);
  model.add(new Activation('relu')).add(new Dense(3, 2, { bias: false }));
  expect(model.outputShape).toEqual([2]);
  expect(model.paramCount()).toBe(18 + 6);
  expect(model.paramEntries().map((e) => e.key)).toEqual(['0.weight', '0.bias', '2.weight']);
  expect(() => model.add(new Dense(4, 1))).toThrow('Sequential.build: layer 3 Dense(4→1) cannot follow layer 2 Dense(3→2, no bias)');
  expect(() => model.build([6])).toThrow('Sequential.build: expected inputShape to be [5], the shape the model was built with, received [6]');
});

it('a model starting with an Activation takes its input shape from options or the first tensor', () => {
  const model = new Sequential([new Activation('tanh'), new Dense(3, 1)], { seed: 2 });
  expect(() => model.summary()).toThrow('Sequential.summary: the model is not built; call build(inputShape) or pass { inputShape } to the constructor');
  const y = model.forward(Tensor.fromFloat32Array(new Float32Array(6), [2, 3]));
  expect(y.shape).toEqual([2, 1]);
  expect(model.inputShape).toEqual([3]);
});

it('summary() lists each layer with its output shape and parameter count, and the total', () => {
  const model = new Sequential([
    new Dense(784, 256, { activation: 'relu' }),
    new Dense(256, 128, { activation: 'relu' }),
    new Dense(128, 10),
    new Activation('softmax'),
  ], { seed: 1 });
  const text = model.summary();
  const group = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const counts = [784 * 256 + 256, 256 * 128 + 128, 128 * 10 + 10];
  const lines = text.split('\n');
  expect(lines.find((l) => l.includes('Dense(784→256, relu)'))).toMatch(new RegExp(`\\[m, 256\\]\\s+${group(counts[0])}$`));
  expect(lines.find((l) => l.includes('Dense(256→128, relu)'))).toMatch(new RegExp(`\\[m, 128\\]\\s+${group(counts[1])}$`));
  expect(lines.find((l) => l.includes('Dense(128→10)'))).toMatch(new RegExp(`\\[m, 10\\]\\s+${group(counts[2])}$`));
  expect(lines.find((l) => l.includes('Activation(softmax)'))).toMatch(/\[m, 10\]\s+0$/);
  const total = counts.reduce((a, b) => a + b, 0);
  expect(text).toContain(`Total params: ${group(total)}`);
  expect(total).toBe(235146);
  expect(model.paramCount()).toBe(total);
  expect(lines.length).toBeLessThan(25);
});

it('toJSON describes the architecture and fromJSON rebuilds it', () => {
  const model = new Sequential([new Dense(4, 8, { activation: 'elu', init: 'heNormal' }), new Activation('leakyRelu', { alpha: 0.1 }),
    new Dense(8, 2, { bias: false })], { seed: 4 });
  const json = JSON.parse(JSON.stringify(model.toJSON()));
  expect(json).toEqual({
    format: 'blasnet.sequential', version: 1, inputShape: [4],
    layers: [
      { kind: 'Dense', config: { inputs: 4, units: 8, init: 'heNormal', biasInit: 'zeros', bias: true, activation: 'elu', alpha: 1 } },
      { kind: 'Activation', config: { activation: 'leakyRelu', alpha: 0.1 } },
      { kind: 'Dense', config: { inputs: 8, units: 2, init: 'uniform', biasInit: 'uniform', bias: false, activation: 'identity' } },
    ],
  });
  const again = Sequential.fromJSON(json, { seed: 4 });
  expect(again.built).toBe(true);
  expect(again.toJSON()).toEqual(json);
  model.build();
  expect(again.params().map((p) => Array.from(p.value))).toEqual(model.params().map((p) => Array.from(p.value)));
  expect(() => Sequential.fromJSON({ ...json, layers: [{ kind: 'Conv2d', config: {} }] }))
    .toThrow('Sequential.fromJSON: expected json.layers[0].kind to be one of Dense, Activation');
});

it('rejects bad arguments with the argument named', () => {
  expect(() => new Sequential({} as never)).toThrow('Sequential: expected layers to be an array of layers, received Object');
  expect(() => new Sequential([{ kind: 'X' } as never])).toThrow(TypeError);
  expect(() => new Sequential([{ kind: 'X' } as never])).toThrow('Sequential.add: expected layers[0] to be a Layer (an object with kind and build, forward, backward, params, state, config), received Object');
  expect(() => new Sequential([], { seed: -1 })).toThrow('Sequential: expected options.seed to be an integer in [0, 4294967295], received -1');
  expect(() => new Sequential([], { inputShape: [0] })).toThrow('Sequential: expected options.inputShape to be an array of positive integers (the per-sample shape), received [0]');
  expect(() => new Sequential().build([3])).toThrow('Sequential.build: the model has no layers');
  const model = new Sequential([new Dense(3, 2)], { seed: 1 });
  expect(() => model.forward(new Float32Array(7))).toThrow('Sequential.forward: expected x to be a whole number ≥ 1 of rows of 3 floats, received 7 floats');
  expect(() => model.forward(Tensor.zeros([2, 4]))).toThrow('Sequential.forward: expected x to be a tensor of shape [m, 3] with m ≥ 1, received [2, 4]');
  expect(() => model.forward([1, 2, 3] as never)).toThrow(TypeError);
  expect(() => model.backward(new Float32Array(2))).toThrow('Sequential.backward: called before forward');
  model.forward(new Float32Array(6));
  expect(() => model.backward(new Float32Array(2))).toThrow('Sequential.backward: expected dLoss to be 2 rows, as in the last forward, received 1 rows');
  expect(() => model.forward(new Float32Array(6), { training: 1 as never })).toThrow('Sequential.forward: expected options.training to be a boolean, received 1');
});
