// Weighted fits: the weighted loss's gradient against finite differences and a hand-worked closed
// form, then fit-level identities that hold for plain SGD (a weight scales the gradient, so it can
// be traded for the learning rate), and the 'balanced' class weights worked by hand.
import { describe, expect, it } from 'vitest';
import { allocationCount } from '../../lib/alloc';
import { Dense } from '../../lib/layers/dense';
import { getLoss } from '../../lib/losses/index';
import { WeightedLoss } from '../../lib/losses/weighted';
import { Sequential } from '../../lib/model/sequential';
import { sgd } from '../../lib/optim/index';
import { Tensor } from '../../lib/tensor';
import { describeEachBackend } from '../helpers/backends';
import { numericGradient } from '../helpers/finite-difference';
import { expectError } from '../helpers/errors';

describeEachBackend('WeightedLoss', () => {
  it('softmax cross-entropy: the hand-worked loss and gradient', () => {
    // Row 0: logits [0, 0], class 0, weight 3 → L = ln 2, softmax [½, ½].
    // Row 1: logits [ln 3, 0], class 1, weight 1 → softmax [¾, ¼], L = ln 4.
    // Weighted mean (3 ln 2 + ln 4)/2 = 2.5 ln 2; gradient rows (w/m)(softmax − onehot):
    // (3/2)[−½, ½] = [−¾, ¾] and (1/2)[¾, −¾] = [⅜, −⅜].
    const loss = new WeightedLoss(getLoss('softmaxCrossentropy'), 2, 1);
    const dpred = new Float32Array(4);
    const value = loss.compute(dpred, Float32Array.of(0, 0, Math.log(3), 0), Float32Array.of(0, 1), Float32Array.of(3, 1), 2);
    expect(value).toBeCloseTo(2.5 * Math.LN2, 6);
    [-0.75, 0.75, 0.375, -0.375].forEach((v, i) => expect(dpred[i]).toBeCloseTo(v, 6));
  });

  for (const [name, labels] of [['softmaxCrossentropy', true], ['mse', false], ['binaryCrossentropy', false]] as const) {
    it(`${name}: the gradient matches finite differences of the weighted loss`, () => {
      const m = 3;
      const k = name === 'binaryCrossentropy' ? 1 : 3;
      const pred = name === 'binaryCrossentropy' ? Float32Array.of(0.2, 0.7, 0.55) : Float32Array.of(0.3, -1.2, 0.8, 1.1, 0.1, -0.4, -0.7, 0.9, 0.2);
      const target = labels ? Float32Array.of(2, 0, 1) : name === 'mse' ? Float32Array.of(1, 0, -1, 0.5, 0.5, 2, 0, 1, 0) : Float32Array.of(0, 1, 1);
      const weights = Float32Array.of(0.5, 2, 1.5);
      const loss = new WeightedLoss(getLoss(name), k, labels ? 1 : k);
      const dpred = new Float32Array(m * k);
      loss.compute(dpred, pred, target, weights, m);
      const scratch = new Float32Array(m * k);
      const numeric = numericGradient(() => loss.compute(scratch, pred, target, weights, m), pred, 1e-2);
      for (let i = 0; i < m * k; i++) expect(dpred[i]).toBeCloseTo(numeric[i], 3);
    });
  }
});

function model(seed = 3): Sequential {
  const net = new Sequential([new Dense(2, 3, { activation: 'tanh' }), new Dense(3, 2)], { seed });
  net.build([2]);
  return net;
}

const x = Tensor.from([[0, 1], [1, 0], [1, 1], [0.5, -1]]);
const y = [0, 1, 1, 0];
const fitOptions = { epochs: 4, batchSize: 4, shuffle: false, verbose: 0 as const };

function weightsAfter(net: Sequential): number[] {
  return net.params().flatMap((p) => Array.from(p.value));
}

describe('fit with sampleWeight and classWeight', () => {
  it('a uniform weight c under plain SGD equals the learning rate times c', async () => {
    const a = model();
    a.compile({ loss: 'softmaxCrossentropy', optimizer: sgd({ lr: 0.1 }) });
    await a.fit(x, y, { ...fitOptions, sampleWeight: [2.5, 2.5, 2.5, 2.5] });
    const b = model();
    b.compile({ loss: 'softmaxCrossentropy', optimizer: sgd({ lr: 0.25 }) });
    await b.fit(x, y, fitOptions);
    const wa = weightsAfter(a);
    weightsAfter(b).forEach((v, i) => expect(wa[i]).toBeCloseTo(v, 5));
  });

  it('zero weights drop rows: [1, 1, 0, 0] over 4 rows equals the first 2 rows at half the rate', async () => {
    const a = model();
    a.compile({ loss: 'softmaxCrossentropy', optimizer: sgd({ lr: 0.2 }) });
    const history = await a.fit(x, y, { ...fitOptions, sampleWeight: Float32Array.of(1, 1, 0, 0) });
    const b = model();
    b.compile({ loss: 'softmaxCrossentropy', optimizer: sgd({ lr: 0.1 }) });
    const plain = await b.fit(Tensor.from([[0, 1], [1, 0]]), [0, 1], { ...fitOptions, batchSize: 2 });
    const wa = weightsAfter(a);
    weightsAfter(b).forEach((v, i) => expect(wa[i]).toBeCloseTo(v, 5));
    // The logged loss is the weighted mean over 4 rows: half the 2-row mean.
    expect(history.loss[0]).toBeCloseTo(plain.loss[0] / 2, 5);
  });

  it("'balanced' gives class c the weight n / (classes · n_c): labels 0 0 0 1 → ⅔, ⅔, ⅔, 2", async () => {
    const yy = [0, 0, 0, 1];
    const a = model();
    a.compile({ loss: 'softmaxCrossentropy', optimizer: sgd({ lr: 0.1 }) });
    await a.fit(x, yy, { ...fitOptions, classWeight: 'balanced' });
    const b = model();
    b.compile({ loss: 'softmaxCrossentropy', optimizer: sgd({ lr: 0.1 }) });
    await b.fit(x, yy, { ...fitOptions, sampleWeight: [2 / 3, 2 / 3, 2 / 3, 2] });
    expect(weightsAfter(a)).toEqual(weightsAfter(b));
    // An explicit table multiplies sampleWeight; unlisted classes weigh 1.
    const c = model();
    c.compile({ loss: 'softmaxCrossentropy', optimizer: sgd({ lr: 0.1 }) });
    await c.fit(x, yy, { ...fitOptions, classWeight: { 1: 4 }, sampleWeight: [1, 1, 1, 0.5] });
    const d = model();
    d.compile({ loss: 'softmaxCrossentropy', optimizer: sgd({ lr: 0.1 }) });
    await d.fit(x, yy, { ...fitOptions, sampleWeight: [1, 1, 1, 2] });
    expect(weightsAfter(c)).toEqual(weightsAfter(d));
  });

  it('a shuffled weighted fit allocates nothing after its first epoch', () => {
    const net = model();
    net.compile({ loss: 'softmaxCrossentropy', optimizer: sgd({ lr: 0.1 }) });
    const counts: number[] = [];
    net.fitSync(x, y, { epochs: 4, batchSize: 2, verbose: 0, seed: 1, classWeight: 'balanced', callbacks: { onEpochEnd: () => { counts.push(allocationCount()); } } });
    expect(counts[3]).toBe(counts[1]);
  });

  it('validates the weights', () => {
    const net = model();
    net.compile({ loss: 'softmaxCrossentropy', optimizer: 'sgd' });
    expectError(() => net.fitSync(x, y, { verbose: 0, sampleWeight: [1, 2] }), RangeError, 'fitSync: expected options.sampleWeight to be 4 weights, one per sample of x, received 2 rows of 1');
    expectError(() => net.fitSync(x, y, { verbose: 0, sampleWeight: [1, -1, 1, 1] }), RangeError, 'fitSync: expected options.sampleWeight[1] to be a finite number ≥ 0, received -1');
    expectError(() => net.fitSync(x, y, { verbose: 0, sampleWeight: [0, 0, 0, 0] }), RangeError, 'fitSync: expected options.sampleWeight to be weights that are not all 0, received all 0');
    expectError(() => net.fitSync(x, y, { verbose: 0, classWeight: 'auto' as 'balanced' }), RangeError, `fitSync: expected options.classWeight to be 'balanced' or an object of class index → weight, received "auto"`);
    expectError(() => net.fitSync(x, y, { verbose: 0, classWeight: { 2: 1 } }), RangeError, 'fitSync: expected options.classWeight to be keys that are class indices in [0, 1], received "2"');
    const reg = new Sequential([new Dense(2, 1)], { seed: 1 });
    reg.compile({ loss: 'mse', optimizer: 'sgd' });
    expectError(() => reg.fitSync(x, [1, 2, 3, 4], { verbose: 0, classWeight: 'balanced' }), RangeError, 'fitSync: expected options.classWeight to be absent for a regression loss (use sampleWeight), received a value');
  });
});
