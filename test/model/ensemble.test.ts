import { expect, it } from 'vitest';
import { circles } from '../../lib/data/datasets';
import { Activation } from '../../lib/layers/activation';
import { Dense, type DenseOptions } from '../../lib/layers/dense';
import { Ensemble } from '../../lib/model/ensemble';
import { Sequential } from '../../lib/model/sequential';
import { trainEnsemble } from '../../lib/model/train-ensemble';
import { adam } from '../../lib/optim/index';
import { Tensor } from '../../lib/tensor';
import { describeEachBackend } from '../helpers/backends';
import { expectError } from '../helpers/errors';
import { maxAbsDiff } from './fixtures';

/** A one-layer model y = W x + b with the given weight rows ([out][in]) and bias. */
function affine(weight: number[][], bias: number[], options: DenseOptions = {}): Sequential {
  const model = new Sequential([new Dense(weight[0].length, weight.length, options)], { seed: 0 }).build();
  const [w, b] = model.params();
  w.value.set(weight.flat());
  b.value.set(bias);
  return model;
}

// Hand-worked reference, in double precision, independent of the library.
function affineRows(weight: number[][], bias: number[], x: number[][]): number[][] {
  return x.map((row) => weight.map((wr, j) => wr.reduce((s, w, i) => s + w * row[i], bias[j])));
}
function softmaxRows(z: number[][]): number[][] {
  return z.map((row) => {
    const e = row.map((v) => Math.exp(v - Math.max(...row)));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  });
}
function meanOf(rowsList: number[][][]): number[] {
  return rowsList[0].flat().map((_, i) => rowsList.reduce((s, r) => s + r.flat()[i], 0) / rowsList.length);
}

const WA = [[1, 0], [0, 1]];
const BA = [0, 0];
const WB = [[0, 2], [1, -1]];
const BB = [0.5, -0.5];
const X = [[1, 2], [-1, 0.5], [0, 0], [3, -2]];

function argmaxRows(flat: ArrayLike<number>, k: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < flat.length / k; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (flat[i * k + j] > flat[i * k + best]) best = j;
    out.push(best);
  }
  return out;
}

async function expectRejection(promise: Promise<unknown>, cls: typeof TypeError | typeof RangeError, message: string): Promise<void> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  expectError(() => { if (caught !== undefined) throw caught; }, cls, message);
}

describeEachBackend('Ensemble', () => {
  it("'softmaxMean' averages the members' softmax probabilities (hand-worked)", () => {
    const ensemble = new Ensemble([affine(WA, BA), affine(WB, BB)]);
    expect(ensemble.combine).toBe('softmaxMean');
    const expected = meanOf([softmaxRows(affineRows(WA, BA, X)), softmaxRows(affineRows(WB, BB, X))]);
    // Row 1 by hand: logits A = (1, 2), B = (4.5, -1.5); softmax A = (0.268941, 0.731059),
    // B = (0.997527, 0.002473); mean = (0.633234, 0.366766).
    expect(expected[0]).toBeCloseTo(0.633234, 5);
    const out = ensemble.predict(Tensor.from(X));
    expect(out.shape).toEqual([4, 2]);
    expect(maxAbsDiff(out.data, expected)).toBeLessThan(1e-6);
  });

  it("'mean' averages the raw outputs (hand-worked), and differs from 'softmaxMean'", () => {
    const ensemble = new Ensemble([affine(WA, BA), affine(WB, BB)], { combine: 'mean' });
    const expected = meanOf([affineRows(WA, BA, X), affineRows(WB, BB, X)]);
    expect(expected.slice(0, 2)).toEqual([2.75, 0.25]);
    const out = ensemble.predict(X);
    expect(maxAbsDiff(out.data, expected)).toBeLessThan(1e-6);
    const soft = new Ensemble([affine(WA, BA), affine(WB, BB)], { combine: 'softmaxMean' }).predict(X);
    expect(maxAbsDiff(out.data, soft.data)).toBeGreaterThan(0.1);
  });

  it("defaults to 'mean' for members ending in softmax or with one output", () => {
    const probs = new Ensemble([affine(WA, BA, { activation: 'softmax' }), affine(WB, BB, { activation: 'softmax' })]);
    expect(probs.combine).toBe('mean');
    // Members that already output probabilities: the plain mean of their softmaxes.
    const expected = meanOf([softmaxRows(affineRows(WA, BA, X)), softmaxRows(affineRows(WB, BB, X))]);
    expect(maxAbsDiff(probs.predict(X).data, expected)).toBeLessThan(1e-6);
    const withLayer = new Sequential([new Dense(2, 2), new Activation('softmax')], { seed: 1 });
    expect(new Ensemble([withLayer]).combine).toBe('mean');
    const regression = new Ensemble([affine([[1, 2]], [0.5]), affine([[-1, 0]], [1])]);
    expect(regression.combine).toBe('mean');
    expect(maxAbsDiff(regression.predict(X).data, meanOf([affineRows([[1, 2]], [0.5], X), affineRows([[-1, 0]], [1], X)])))
      .toBeLessThan(1e-6);
  });

  it('evaluate: accuracy of the averaged output from labels or one-hot rows; mse and mae for regression', () => {
    const ensemble = new Ensemble([affine(WA, BA), affine(WB, BB)]);
    const predicted = argmaxRows(meanOf([softmaxRows(affineRows(WA, BA, X)), softmaxRows(affineRows(WB, BB, X))]), 2);
    // Rows 0 and 3 keep their predicted class, rows 1 and 2 get the other one: accuracy 1/2.
    const labels = predicted.map((c, i) => (i === 1 || i === 2 ? 1 - c : c));
    expect(ensemble.evaluate(X, labels)).toEqual({ accuracy: 0.5 });
    const oneHot = labels.map((c) => (c === 0 ? [1, 0] : [0, 1]));
    expect(ensemble.evaluate(X, oneHot)).toEqual({ accuracy: 0.5 });

    const regression = new Ensemble([affine([[1, 2]], [0.5]), affine([[-1, 0]], [1])]);
    const mean = meanOf([affineRows([[1, 2]], [0.5], X), affineRows([[-1, 0]], [1], X)]);
    const targets = [1, 0, -1, 2];
    const mse = mean.reduce((s, p, i) => s + (p - targets[i]) ** 2, 0) / 4;
    const mae = mean.reduce((s, p, i) => s + Math.abs(p - targets[i]), 0) / 4;
    const result = regression.evaluate(X, targets);
    expect(Object.keys(result).sort()).toEqual(['mae', 'mse']);
    expect(result.mse).toBeCloseTo(mse, 5);
    expect(result.mae).toBeCloseTo(mae, 5);
    expect(Object.keys(ensemble.evaluate(X, labels, { metrics: ['accuracy', 'mse'] })).sort()).toEqual(['accuracy', 'mse']);
  });

  it('predictAsync equals predict, with any batch size', async () => {
    const members = [affine(WA, BA), affine(WB, BB), affine([[0.5, -1], [2, 0.25]], [0, 1])];
    const ensemble = new Ensemble(members);
    const x = Tensor.from(Array.from({ length: 14 }, (_, i) => Math.sin(i + 1) * 3), [7, 2]);
    const sync = ensemble.predict(x);
    expect(Array.from((await ensemble.predictAsync(x)).data)).toEqual(Array.from(sync.data));
    expect(Array.from((await ensemble.predictAsync(x, { batchSize: 3 })).data)).toEqual(Array.from(sync.data));
    expect(Array.from(ensemble.predict(x, { batchSize: 2 }).data)).toEqual(Array.from(sync.data));
  });

  it('validates members, options and inputs (class and message)', () => {
    expectError(() => new Ensemble([]), RangeError, 'Ensemble: expected members to be a non-empty array of Sequential models, received an empty array');
    expectError(() => new Ensemble(affine(WA, BA) as never), TypeError, 'Ensemble: expected members to be a non-empty array of Sequential models, received Sequential');
    expectError(() => new Ensemble([affine(WA, BA), {} as Sequential]), TypeError, 'Ensemble: expected members[1] to be a Sequential model, received Object');
    expectError(() => new Ensemble([affine(WA, BA), affine([[1, 0], [0, 1], [1, 1]], [0, 0, 0])]), RangeError,
      'Ensemble: expected members[1] to be a model of input shape [2] and output shape [2] (as members[0]), received input shape [2] and output shape [3]');
    expectError(() => new Ensemble([affine(WA, BA), affine([[1, 0, 0], [0, 1, 0]], [0, 0])]), RangeError,
      'Ensemble: expected members[1] to be a model of input shape [2] and output shape [2] (as members[0]), received input shape [3] and output shape [2]');
    expectError(() => new Ensemble([affine(WA, BA), new Sequential([new Activation('relu')])]), RangeError,
      'Ensemble: expected members[1] to be a built model (or one whose input shape is known), received a Sequential without an input shape');
    expectError(() => new Ensemble([new Sequential()]), RangeError,
      'Ensemble: expected members[0] to be a model with at least one layer, received a Sequential with no layers');
    expectError(() => new Ensemble([affine(WA, BA)], { combine: 'max' as never }), RangeError,
      "Ensemble: expected options.combine to be one of 'mean', 'softmaxMean', received \"max\"");
    expectError(() => new Ensemble([affine([[1, 2]], [0])], { combine: 'softmaxMean' }), RangeError,
      "Ensemble: expected options.combine to be 'mean' for single-output members (a softmax over one value is always 1), received 'softmaxMean'");
    expectError(() => new Ensemble([affine(WA, BA)], { weights: [1] } as never), RangeError,
      "Ensemble: expected options to be options among combine, received unknown option 'weights'");

    const ensemble = new Ensemble([affine(WA, BA), affine(WB, BB)]);
    expectError(() => ensemble.predict([[1, 2, 3]]), RangeError,
      'Ensemble.predict: expected x to be samples of 2 floats (shape [n, 2]), received 3 floats per sample (shape [1, 3])');
    expectError(() => ensemble.predict(X, { batch: 2 } as never), RangeError,
      "Ensemble.predict: expected options to be options among batchSize, checkFinite, received unknown option 'batch'");
    expectError(() => ensemble.evaluate(X, [0, 1, 2, 0]), RangeError,
      'Ensemble.evaluate: expected y[2] to be an integer class index in [0, 1], received 2');
    expectError(() => ensemble.evaluate(X, [0, 1]), RangeError,
      'Ensemble.evaluate: expected y to be 4 samples (as many as x), received 2');
    expectError(() => ensemble.evaluate(X, [0, 1, 1, 0], { metrics: ['loss'] as never }), RangeError,
      "Ensemble.evaluate: expected metrics[0] to be one of 'accuracy', 'mse', 'mae', 'precision', 'recall', 'f1', 'rocAuc', 'logLoss', 'rmse', 'r2', received \"loss\"");
  });

  it('an ensemble of 5 MLPs trained from different seeds beats its average member on held-out circles', async () => {
    // Noisy, overlapping circles: each member reaches ~85% and errs on different points. What is
    // asserted: ensemble accuracy ≥ the members' mean accuracy (an empirical property, not a
    // theorem), and ensemble cross-entropy ≤ the members' mean cross-entropy (Jensen's inequality:
    // −log is convex, so this one must hold when the averaging is right).
    const train = circles({ n: 300, noise: 0.2, seed: 1 });
    const test = circles({ n: 1000, noise: 0.2, seed: 2 });
    const build = (seed: number): Sequential => new Sequential([
      new Dense(2, 24, { activation: 'tanh' }), new Dense(24, 24, { activation: 'tanh' }), new Dense(24, 2),
    ], { seed }).compile({ loss: 'softmaxCrossentropy', optimizer: adam({ lr: 0.02 }) });
    const ensemble = await trainEnsemble(build, train.x, train.y, { members: 5, epochs: 100, batchSize: 32, verbose: 0 });
    expect(ensemble.members.length).toBe(5);
    const labels = Array.from(test.y.data);
    const accuracyOf = (p: ArrayLike<number>): number => argmaxRows(p, 2).filter((c, i) => c === labels[i]).length / labels.length;
    const crossEntropyOf = (p: ArrayLike<number>): number => -labels.reduce((s, c, i) => s + Math.log(p[2 * i + c]), 0) / labels.length;
    const memberProbs = ensemble.members.map((m) => softmaxRows(Array.from(m.predict(test.x).data).reduce<number[][]>(
      (rows, v, i) => {
        if (i % 2 === 0) rows.push([v]);
        else rows[rows.length - 1].push(v);
        return rows;
      }, [])).flat());
    const memberAccuracy = memberProbs.map(accuracyOf);
    // Different seeds gave different members.
    expect(new Set(memberAccuracy).size).toBeGreaterThan(1);
    const meanMemberAccuracy = memberAccuracy.reduce((a, b) => a + b, 0) / memberAccuracy.length;
    expect(meanMemberAccuracy).toBeGreaterThan(0.8);
    const probs = ensemble.predict(test.x).data;
    const ensembleAccuracy = accuracyOf(probs);
    expect(ensembleAccuracy).toBeGreaterThanOrEqual(meanMemberAccuracy);
    expect(ensemble.evaluate(test.x, test.y)).toEqual({ accuracy: ensembleAccuracy });
    const meanMemberCrossEntropy = memberProbs.map(crossEntropyOf).reduce((a, b) => a + b, 0) / memberProbs.length;
    expect(crossEntropyOf(probs)).toBeLessThanOrEqual(meanMemberCrossEntropy);
  });

  it('trainEnsemble validates its arguments (class and message)', async () => {
    const { x, y } = circles({ n: 20, seed: 3 });
    const build = (seed: number): Sequential => new Sequential([new Dense(2, 2)], { seed }).compile({ loss: 'softmaxCrossentropy' });
    await expectRejection(trainEnsemble(null as never, x, y), TypeError,
      'trainEnsemble: expected build to be a function (seed) => Sequential, or a model spec ({ mlp, compile }, { architecture, compile } or { module }), received null');
    await expectRejection(trainEnsemble(build, x, y, { members: 0 }), RangeError,
      'trainEnsemble: expected options.members to be an integer ≥ 1, received 0');
    await expectRejection(trainEnsemble(build, x, y, { members: 3, seeds: [1, 2] }), RangeError,
      'trainEnsemble: expected options.seeds to be 3 seeds (one per member), received 2');
    await expectRejection(trainEnsemble(build, x, y, { seeds: [1, -2] }), RangeError,
      'trainEnsemble: expected options.seeds[1] to be an integer in [0, 4294967295], received -2');
    await expectRejection(trainEnsemble(() => ({}) as Sequential, x, y, { members: 1 }), TypeError,
      "trainEnsemble: expected build(1)'s result to be a Sequential model, received Object");
    const seen: number[] = [];
    const ensemble = await trainEnsemble((seed) => { seen.push(seed); return build(seed); }, x, y, { seeds: [7, 9], epochs: 1, verbose: 0 });
    expect(seen).toEqual([7, 9]);
    expect(ensemble.members.length).toBe(2);
    expect(ensemble.combine).toBe('softmaxMean');
  });
});
