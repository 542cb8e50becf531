import { expect, it } from 'vitest';
import { circles, xor } from '../../lib/data/datasets';
import { Activation } from '../../lib/layers/activation';
import { BatchNorm } from '../../lib/layers/batchnorm';
import { Dense } from '../../lib/layers/dense';
import { Dropout } from '../../lib/layers/dropout';
import { LayerNorm } from '../../lib/layers/layernorm';
import { Residual } from '../../lib/layers/residual';
import { Sequential } from '../../lib/model/sequential';
import { adam, momentum, sgd } from '../../lib/optim/index';
import { Random } from '../../lib/random';
import { Tensor } from '../../lib/tensor';
import { describeEachBackend } from '../helpers/backends';

function uniform(seed: number, n: number, lo = -1, hi = 1): Float32Array {
  const rng = new Random(seed);
  return Float32Array.from({ length: n }, () => rng.uniform(lo, hi));
}

/** Three well-separated 4-feature classes, labels as floats. */
function threeClasses(seed: number, n: number): { x: Tensor; labels: Tensor; oneHot: Tensor } {
  const rng = new Random(seed);
  const x = new Float32Array(n * 4);
  const labels = new Float32Array(n);
  const oneHot = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    labels[i] = c;
    oneHot[i * 3 + c] = 1;
    for (let j = 0; j < 4; j++) x[i * 4 + j] = (j === c ? 2 : 0) + rng.normal(0, 0.5);
  }
  return { x: new Tensor(x, [n, 4]), labels: new Tensor(labels, [n]), oneHot: new Tensor(oneHot, [n, 3]) };
}

describeEachBackend('fit', () => {
  it('learns XOR with Adam to 100% accuracy (sigmoid output, binary cross-entropy)', async () => {
    const { x, y } = xor();
    const model = new Sequential([new Dense(2, 8, { activation: 'tanh' }), new Dense(8, 1, { activation: 'sigmoid' })], { seed: 3 });
    model.compile({ loss: 'binaryCrossentropy', optimizer: adam({ lr: 0.05 }), metrics: ['accuracy'] });
    const history = await model.fit(x, y, { epochs: 300, batchSize: 4, verbose: 0, seed: 1 });
    expect(history.accuracy![history.accuracy!.length - 1]).toBe(1);
    expect(model.evaluate(x, y).accuracy).toBe(1);
    const p = model.predict(x).data;
    expect([p[0] < 0.5, p[1] > 0.5, p[2] > 0.5, p[3] < 0.5]).toEqual([true, true, true, true]);
  });

  it('classifies the circles set with ≥ 97% accuracy on held-out points', async () => {
    const train = circles({ n: 400, noise: 0.08, seed: 1 });
    const test = circles({ n: 200, noise: 0.08, seed: 2 });
    const model = new Sequential([new Dense(2, 16, { activation: 'relu', init: 'heNormal' }), new Dense(16, 2)], { seed: 5 });
    model.compile({ loss: 'softmaxCrossentropy', optimizer: adam({ lr: 0.02 }), metrics: ['accuracy'] });
    const history = await model.fit(train.x, train.y, { epochs: 40, batchSize: 32, validationData: [test.x, test.y], verbose: 0 });
    expect(history.valAccuracy![history.valAccuracy!.length - 1]).toBeGreaterThanOrEqual(0.97);
    expect(model.evaluate(test.x, test.y).accuracy).toBeGreaterThanOrEqual(0.97);
  });

  it('trains a model with BatchNorm, Dropout, LayerNorm and a Residual block', async () => {
    const train = circles({ n: 300, noise: 0.05, seed: 3 });
    const model = new Sequential([
      new Dense(2, 16), new BatchNorm(), new Activation('relu'), new Dropout(0.1),
      new Residual([new Dense(16, 16, { activation: 'relu' }), new LayerNorm()]),
      new Dense(16, 2),
    ], { seed: 6 });
    model.compile({ loss: 'softmaxCrossentropy', optimizer: adam({ lr: 0.01 }), metrics: ['accuracy'] });
    const history = await model.fit(train.x, train.y, { epochs: 30, batchSize: 32, verbose: 0 });
    expect(model.evaluate(train.x, train.y).accuracy).toBeGreaterThanOrEqual(0.95);
    expect(history.loss[history.loss.length - 1]).toBeLessThan(history.loss[0]);
    // Inference is deterministic (dropout off, batch norm on running statistics).
    expect(Array.from(model.predict(train.x).data)).toEqual(Array.from(model.predict(train.x).data));
  });

  it('trains identically from integer labels and from one-hot rows', () => {
    const { x, labels, oneHot } = threeClasses(1, 60);
    const run = (y: Tensor) => {
      const model = new Sequential([new Dense(4, 6, { activation: 'tanh' }), new Dense(6, 3)], { seed: 2 });
      model.compile({ loss: 'softmaxCrossentropy', optimizer: momentum({ lr: 0.05 }), metrics: ['accuracy'] });
      const history = model.fitSync(x, y, { epochs: 3, batchSize: 16, seed: 4, verbose: 0 });
      return { history, weights: model.params().map((p) => Array.from(p.value)) };
    };
    const a = run(labels);
    const b = run(oneHot);
    expect(a.weights).toEqual(b.weights);
    expect(a.history.loss).toEqual(b.history.loss);
    expect(a.history.accuracy).toEqual(b.history.accuracy);
  });

  it('one-hot encodes integer labels for a loss that needs rows (mse on 3 outputs)', () => {
    const { x, labels, oneHot } = threeClasses(2, 30);
    const model = new Sequential([new Dense(4, 3)], { seed: 2 });
    model.compile({ loss: 'mse', optimizer: sgd({ lr: 0.1 }), metrics: ['accuracy', 'mse'] });
    const fromLabels = model.evaluate(x, labels);
    const fromRows = model.evaluate(x, oneHot);
    expect(fromLabels).toEqual(fromRows);
    expect(fromLabels.mse).toBeCloseTo(fromLabels.loss, 6);
  });

  it('is reproducible: the same seeds give the same run, fit and fitSync alike', async () => {
    const { x, labels } = threeClasses(3, 50);
    const make = () => {
      const model = new Sequential([new Dense(4, 5, { activation: 'relu' }), new Dropout(0.2), new Dense(5, 3)], { seed: 9 });
      model.compile({ loss: 'softmaxCrossentropy', optimizer: adam({ lr: 0.01 }) });
      return model;
    };
    const a = await make().fit(x, labels, { epochs: 3, batchSize: 8, seed: 5, verbose: 0 });
    const b = make().fitSync(x, labels, { epochs: 3, batchSize: 8, seed: 5, verbose: 0 });
    const c = make().fitSync(x, labels, { epochs: 3, batchSize: 8, seed: 6, verbose: 0 });
    expect(a.loss).toEqual(b.loss);
    expect(c.loss).not.toEqual(a.loss);
  });

  it('holds out the last rows with validationSplit and reports their loss and metrics', () => {
    const { x, labels } = threeClasses(4, 50);
    const model = new Sequential([new Dense(4, 3)], { seed: 1 });
    model.compile({ loss: 'softmaxCrossentropy', optimizer: sgd({ lr: 0.1 }), metrics: ['accuracy'] });
    const history = model.fitSync(x, labels, { epochs: 2, batchSize: 10, validationSplit: 0.2, verbose: 0 });
    const held = model.evaluate(x.rows(40, 50), labels.rows(40, 50));
    expect(history.valLoss![1]).toBeCloseTo(held.loss, 6);
    expect(history.valAccuracy![1]).toBe(held.accuracy);
  });

  it('evaluate and predict agree with the loss computed from the outputs, in any batch size', () => {
    const { x, labels } = threeClasses(5, 37);
    const model = new Sequential([new Dense(4, 7, { activation: 'tanh' }), new Dense(7, 3)], { seed: 3 });
    model.compile({ loss: 'softmaxCrossentropy', metrics: ['accuracy'], l2: 0.01 });
    const out = model.predict(x);
    expect(out.shape).toEqual([37, 3]);
    expect(Array.from(model.predict(x, { batchSize: 5 }).data)).toEqual(Array.from(out.data));
    // Cross-entropy of the softmax, accuracy of the argmax, and the L2 penalty ½λΣW², in float64.
    let ce = 0;
    let correct = 0;
    for (let i = 0; i < 37; i++) {
      const row = Array.from(out.data.subarray(i * 3, i * 3 + 3));
      const max = Math.max(...row);
      const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
      ce += lse - row[labels.data[i]];
      if (row.indexOf(max) === labels.data[i]) correct++;
    }
    let penalty = 0;
    for (const p of model.params()) if (p.decay) for (const w of p.value) penalty += 0.5 * 0.01 * w * w;
    const scores = model.evaluate(x, labels, { batchSize: 8 });
    expect(scores.loss).toBeCloseTo(ce / 37 + penalty, 5);
    expect(scores.accuracy).toBe(correct / 37);
  });

  it('reads a single output as a binary classifier: probabilities at 0.5, logits at 0; mse and mae metrics', () => {
    const x = new Tensor(uniform(6, 20 * 2), [20, 2]);
    const y = new Tensor(Float32Array.from({ length: 20 }, (_, i) => i % 2), [20]);
    for (const [loss, threshold] of [['binaryCrossentropy', 0.5], ['binaryCrossentropyFromLogits', 0]] as const) {
      const model = new Sequential([new Dense(2, 1, { activation: loss === 'binaryCrossentropy' ? 'sigmoid' : 'identity' })], { seed: 8 });
      model.compile({ loss, metrics: ['accuracy', 'mse', 'mae'] });
      const p = model.predict(x).data;
      let correct = 0;
      let se = 0;
      let ae = 0;
      for (let i = 0; i < 20; i++) {
        if ((p[i] > threshold) === (y.data[i] === 1)) correct++;
        se += (p[i] - y.data[i]) ** 2;
        ae += Math.abs(p[i] - y.data[i]);
      }
      const scores = model.evaluate(x, y);
      expect(scores.accuracy).toBe(correct / 20);
      expect(scores.mse).toBeCloseTo(se / 20, 6);
      expect(scores.mae).toBeCloseTo(ae / 20, 6);
    }
  });

  it('builds an unbuilt model from the data shape', () => {
    const model = new Sequential([new Activation('tanh'), new Dense(3, 2)]);
    model.compile({ loss: 'mse' });
    const history = model.fitSync(new Tensor(uniform(7, 12), [4, 3]), new Tensor(uniform(8, 8), [4, 2]), { verbose: 0 });
    expect(model.inputShape).toEqual([3]);
    expect(history.loss.length).toBe(1);
  });

  it('accepts flat Float32Arrays, { data, shape } pairs, nested arrays and Int32Array labels alike', () => {
    const { x, labels } = threeClasses(9, 12);
    const make = () => {
      const model = new Sequential([new Dense(4, 3)], { seed: 2 });
      model.compile({ loss: 'softmaxCrossentropy', optimizer: sgd({ lr: 0.1 }) });
      return model;
    };
    const reference = make().fitSync(x, labels, { epochs: 2, batchSize: 5, seed: 1, verbose: 0 }).loss;
    const nested = x.toArray() as number[][];
    const variants = [
      make().fitSync(x.data, labels.data, { epochs: 2, batchSize: 5, seed: 1, verbose: 0 }).loss,
      make().fitSync({ data: x.data, shape: [12, 4] }, Int32Array.from(labels.data), { epochs: 2, batchSize: 5, seed: 1, verbose: 0 }).loss,
      make().fitSync(nested, Array.from(labels.data), { epochs: 2, batchSize: 5, seed: 1, verbose: 0 }).loss,
    ];
    for (const loss of variants) expect(loss).toEqual(reference);
    const model = make();
    expect(Array.from(model.predict(x.data).data)).toEqual(Array.from(model.predict(x).data));
  });
});
