import { expect, it } from 'vitest';
import { getBackend } from '../lib/backend/index';
import { Dense } from '../lib/layers/dense';
import { getLoss } from '../lib/losses/index';
import { Sequential } from '../lib/model/sequential';
import { Perceptron } from '../lib/perceptron';
import { Tensor } from '../lib/tensor';
import { describeEachBackend } from './helpers/backends';

const inputs = [[0, 0], [0, 1], [1, 0], [1, 1]];
const AND = [0, 0, 0, 1];
const OR = [0, 1, 1, 1];
const XOR = [0, 1, 1, 0];

it('learns AND and OR (converged, and every prediction right)', () => {
  for (const [name, y] of [['AND', AND], ['OR', OR]] as const) {
    const p = new Perceptron({ seed: 1 });
    const result = p.fit(inputs, y);
    expect(result.converged, name).toBe(true);
    expect(result.mistakesPerEpoch[result.epochs - 1]).toBe(0);
    expect(result.mistakesPerEpoch.length).toBe(result.epochs);
    expect(Array.from(p.predict(inputs)), name).toEqual(y);
    // The learned line separates the classes: w·x + b ≥ 0 exactly on the positive samples.
    const [w1, w2] = p.weights;
    inputs.forEach(([a, b], i) => expect(w1 * a + w2 * b + p.bias >= 0).toBe(y[i] === 1));
  }
});

it('with ±1 labels learns AND too', () => {
  const p = new Perceptron({ seed: 2, labels: 'pm1', lr: 0.1 });
  const y = AND.map((v) => (v === 1 ? 1 : -1));
  expect(p.fit(Tensor.from(inputs), y).converged).toBe(true);
  expect(Array.from(p.predict(inputs))).toEqual(y);
});

it('does not converge on XOR within 1000 epochs (not linearly separable)', () => {
  const p = new Perceptron({ seed: 3, maxEpochs: 1000 });
  const result = p.fit(inputs, XOR);
  expect(result.converged).toBe(false);
  expect(result.epochs).toBe(1000);
  expect(Math.min(...result.mistakesPerEpoch)).toBeGreaterThan(0);
  const wrong = Array.from(p.predict(inputs)).filter((v, i) => v !== XOR[i]).length;
  expect(wrong).toBeGreaterThan(0);
});

it('the same seed gives the same run', () => {
  const a = new Perceptron({ seed: 9 }).fit(inputs, OR);
  const b = new Perceptron({ seed: 9 }).fit(inputs, OR);
  expect(b).toEqual(a);
});

it('rejects bad labels, shapes and options with the argument named', () => {
  const p = new Perceptron({ seed: 1 });
  expect(() => p.fit(inputs, [0, 1, 2, 1])).toThrow(RangeError);
  expect(() => p.fit(inputs, [0, 1, 2, 1])).toThrow("Perceptron.fit: expected y[2] to be 0 or 1 (labels: '01'), received 2");
  expect(() => new Perceptron({ labels: 'pm1' }).fit(inputs, AND)).toThrow("Perceptron.fit: expected y[0] to be -1 or 1 (labels: 'pm1'), received 0");
  expect(() => p.fit(inputs, [0, 1, 1])).toThrow('Perceptron.fit: expected y to be 4 labels (one per sample of X), received 3 labels');
  expect(() => p.fit([[0, 0], [1, Infinity]], [0, 1])).toThrow('Perceptron.fit: expected X to be finite values only, received Infinity at row 1, column 1');
  expect(() => p.fit([[0, NaN]], [1])).toThrow(RangeError);
  expect(() => p.fit('x' as never, [1])).toThrow(TypeError);
  expect(() => p.fit('x' as never, [1])).toThrow('Perceptron.fit: expected X to be a Tensor [m, d] or an array of rows, received "x"');
  expect(() => p.fit(Tensor.from([1, 0]), [1, 0])).toThrow('Perceptron.fit: expected X to be a Tensor of shape [rows, columns], received shape [2]');
  expect(() => p.fit(Tensor.from([], [0, 2]), [])).toThrow('Perceptron.fit: expected X to be a non-empty matrix [m, d], received shape [0, 2]');
  expect(() => p.predict(inputs)).toThrow('Perceptron.predict: call fit() first');
  p.fit(inputs, OR);
  expect(() => p.predict([[1, 2, 3]])).toThrow('Perceptron.predict: expected X to be samples of 2 features (as in fit), received 3 features');
  expect(() => new Perceptron({ lr: 0 })).toThrow('Perceptron: expected options.lr to be a number > 0, received 0');
  expect(() => new Perceptron({ maxEpochs: 0 })).toThrow('Perceptron: expected options.maxEpochs to be an integer ≥ 1, received 0');
  expect(() => new Perceptron({ labels: '+-' as '01' })).toThrow("Perceptron: expected options.labels to be one of '01', 'pm1', received \"+-\"");
});

describeEachBackend('XOR', () => {
  it('a 2-4-1 MLP trained by plain gradient descent solves XOR', () => {
    const model = new Sequential([new Dense(2, 4, { activation: 'tanh' }), new Dense(4, 1, { activation: 'sigmoid' })], { seed: 7 });
    model.build();
    const x = Float32Array.from(inputs.flat());
    const y = Float32Array.from(XOR);
    const loss = getLoss('binaryCrossentropy');
    const dpred = new Float32Array(4);
    const lr = 0.5;
    let value = Infinity;
    for (let epoch = 0; epoch < 2000; epoch++) {
      const out = model.forwardBatch(x, 4, true);
      value = loss.compute(dpred, out, y, 4, 1);
      model.backwardBatch(dpred, 4);
      for (const p of model.params()) getBackend().axpy(p.value, -lr, p.grad, p.value.length);
    }
    expect(value).toBeLessThan(0.05);
    const predictions = Array.from(model.forward(x).data, (p) => (p >= 0.5 ? 1 : 0));
    expect(predictions).toEqual(XOR);
  });
});
