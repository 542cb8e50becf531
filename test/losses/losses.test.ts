import { expect, it } from 'vitest';
import type { Param } from '../../lib/layers/layer';
import { applyPenalties, getLoss, l1, l1l2, l2, lossNames, penaltyValue, type LossName } from '../../lib/losses/index';
import { describeEachBackend } from '../helpers/backends';
import { randomDistributions, randomFloat32, randomLabels } from '../helpers/arrays';
import { maxAbsDiff, oneHotOf, signArray } from '../model/fixtures';

const [m, n] = [4, 3];

// Each loss written from its textbook formula in double: the batch value and ∂value/∂pred.
type Reference = (p: Float32Array, t: Float32Array) => { value: number; grad: Float64Array };
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
function elementwise(f: (p: number, t: number) => number, g: (p: number, t: number) => number, divisor: number): Reference {
  return (p, t) => {
    let value = 0;
    const grad = new Float64Array(p.length);
    for (let i = 0; i < p.length; i++) {
      value += f(p[i], t[i]);
      grad[i] = g(p[i], t[i]) / divisor;
    }
    return { value: value / divisor, grad };
  };
}
const softmaxCrossentropyReference: Reference = (z, y) => {
  let value = 0;
  const grad = new Float64Array(z.length);
  for (let i = 0; i < m; i++) {
    const row = Array.from(z.subarray(i * n, i * n + n));
    const max = Math.max(...row);
    const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
    for (let j = 0; j < n; j++) {
      value += y[i * n + j] * (lse - row[j]);
      grad[i * n + j] = (Math.exp(row[j] - lse) - y[i * n + j]) / m;
    }
  }
  return { value: value / m, grad };
};

interface Case { pred: Float32Array; target: Float32Array; reference: Reference }
const cases: Record<LossName, Case> = {
  mse: { pred: randomFloat32(1, m * n), target: randomFloat32(2, m * n),
    reference: elementwise((p, t) => (p - t) ** 2, (p, t) => 2 * (p - t), m * n) },
  halfMse: { pred: randomFloat32(3, m * n), target: randomFloat32(4, m * n),
    reference: elementwise((p, t) => 0.5 * (p - t) ** 2, (p, t) => p - t, m) },
  mae: { pred: randomFloat32(5, m * n), target: randomFloat32(6, m * n),
    reference: elementwise((p, t) => Math.abs(p - t), (p, t) => Math.sign(p - t), m * n) },
  binaryCrossentropy: { pred: randomFloat32(7, m * n, 0.05, 0.95), target: randomFloat32(8, m * n, 0, 1),
    reference: elementwise((p, t) => -(t * Math.log(p) + (1 - t) * Math.log(1 - p)), (p, t) => (p - t) / (p * (1 - p)), m * n) },
  binaryCrossentropyFromLogits: { pred: randomFloat32(9, m * n, -4, 4), target: randomFloat32(10, m * n, 0, 1),
    reference: elementwise((z, t) => Math.log(1 + Math.exp(z)) - t * z, (z, t) => sigmoid(z) - t, m * n) },
  categoricalCrossentropy: { pred: randomDistributions(11, m, n), target: oneHotOf(randomLabels(12, m, n), n),
    reference: elementwise((p, t) => -t * Math.log(p), (p, t) => -t / p, m) },
  softmaxCrossentropy: { pred: randomFloat32(13, m * n, -3, 3), target: oneHotOf(randomLabels(14, m, n), n),
    reference: softmaxCrossentropyReference },
  hinge: { pred: randomFloat32(15, m * n, -2, 2), target: signArray(16, m * n),
    reference: elementwise((p, t) => Math.max(0, 1 - t * p), (p, t) => (t * p < 1 ? -t : 0), m * n) },
  kl: { pred: randomDistributions(17, m, n), target: randomDistributions(18, m, n),
    reference: elementwise((p, t) => t * Math.log(t / p), (p, t) => -t / p, m) },
};

describeEachBackend('losses', () => {
  for (const name of lossNames) {
    it(`${name}: value and gradient match the closed form`, () => {
      const { pred, target, reference } = cases[name];
      const dpred = new Float32Array(m * n);
      const value = getLoss(name).compute(dpred, pred, target, m, n);
      const expected = reference(pred, target);
      expect(Math.abs(value - expected.value) / Math.max(1, Math.abs(expected.value))).toBeLessThan(1e-6);
      const scale = Math.max(...expected.grad.map(Math.abs));
      expect(maxAbsDiff(dpred, expected.grad) / scale).toBeLessThan(1e-5);
    });

    it(`${name}: the gradient is the derivative of the returned value (central differences, h = 1e-3)`, () => {
      const { pred: original, target } = cases[name];
      const pred = Float32Array.from(original);
      const loss = getLoss(name);
      const dpred = new Float32Array(m * n);
      const scratch = new Float32Array(m * n);
      loss.compute(dpred, pred, target, m, n);
      let worst = 0;
      for (let i = 0; i < pred.length; i++) {
        const v = pred[i];
        pred[i] = v + 1e-3;
        const up = pred[i] - v;
        const lossUp = loss.compute(scratch, pred, target, m, n);
        pred[i] = v - 1e-3;
        const down = v - pred[i];
        const lossDown = loss.compute(scratch, pred, target, m, n);
        pred[i] = v;
        const numeric = (lossUp - lossDown) / (up + down);
        worst = Math.max(worst, Math.abs(numeric - dpred[i]) / Math.max(Math.abs(dpred[i]), Math.abs(numeric), 1e-3));
      }
      // float32 inputs perturbed by 1e-3: truncation O(h²) plus rounding ~1e-7/h; both well under 1e-2.
      expect(worst).toBeLessThan(1e-2);
    });
  }

  it('softmaxCrossentropy: gradient is (softmax(z) − y)/m, and integer labels equal one-hot rows', () => {
    const z = randomFloat32(20, m * n, -5, 5);
    const labels = randomLabels(21, m, n);
    const dOneHot = new Float32Array(m * n);
    const dLabels = new Float32Array(m * n);
    const loss = getLoss('softmaxCrossentropy');
    const v1 = loss.compute(dOneHot, z, oneHotOf(labels, n), m, n);
    const v2 = loss.compute(dLabels, z, labels, m, n);
    expect(v2).toBeCloseTo(v1, 6);
    expect(maxAbsDiff(dLabels, dOneHot)).toBeLessThan(1e-7);
    for (let i = 0; i < m; i++) {
      const row = Array.from(z.subarray(i * n, i * n + n), Math.exp);
      const sum = row.reduce((a, b) => a + b, 0);
      for (let j = 0; j < n; j++) {
        const p = row[j] / sum;
        const y = labels[i] === j ? 1 : 0;
        expect(Math.abs(dLabels[i * n + j] - (p - y) / m)).toBeLessThan(1e-7);
      }
    }
  });

  it('categoricalCrossentropy: integer labels equal one-hot rows', () => {
    const p = randomDistributions(22, m, n);
    const labels = randomLabels(23, m, n);
    const d1 = new Float32Array(m * n);
    const d2 = new Float32Array(m * n);
    const loss = getLoss('categoricalCrossentropy');
    expect(loss.compute(d2, p, labels, m, n)).toBeCloseTo(loss.compute(d1, p, oneHotOf(labels, n), m, n), 6);
    expect(maxAbsDiff(d1, d2)).toBe(0);
  });

  it('binaryCrossentropy clamps probabilities of exactly 0 and 1 (finite loss and gradient)', () => {
    const d = new Float32Array(2);
    const value = getLoss('binaryCrossentropy').compute(d, Float32Array.from([0, 1]), Float32Array.from([1, 0]), 2, 1);
    expect(value).toBeCloseTo(-Math.log(1e-7), 4);
    expect(Number.isFinite(d[0]) && Number.isFinite(d[1])).toBe(true);
  });

  it('penalties: l2 adds λ/2·ΣW² and λW, l1 adds λΣ|W| and λ·sign(W), to decayed params only', () => {
    const w = randomFloat32(30, 6);
    const b = randomFloat32(31, 3);
    const gw = randomFloat32(32, 6);
    const gb = randomFloat32(33, 3);
    const params: Param[] = [
      { name: 'weight', shape: [2, 3], value: w, grad: Float32Array.from(gw), decay: true },
      { name: 'bias', shape: [3], value: b, grad: Float32Array.from(gb), decay: false },
    ];
    const [lambda1, lambda2] = [0.03, 0.2];
    const sumAbs = w.reduce((s, v) => s + Math.abs(v), 0);
    const sumSq = w.reduce((s, v) => s + v * v, 0);
    expect(penaltyValue(params, l2(lambda2))).toBeCloseTo(0.5 * lambda2 * sumSq, 6);
    expect(penaltyValue(params, l1(lambda1))).toBeCloseTo(lambda1 * sumAbs, 6);
    const value = applyPenalties(params, l1l2(lambda1, lambda2));
    expect(value).toBeCloseTo(lambda1 * sumAbs + 0.5 * lambda2 * sumSq, 6);
    expect(maxAbsDiff(params[0].grad, Array.from(gw, (g, i) => g + lambda1 * Math.sign(w[i]) + lambda2 * w[i]))).toBeLessThan(1e-6);
    expect(Array.from(params[1].grad)).toEqual(Array.from(gb));
    expect(applyPenalties(params, {})).toBe(0);
  });
});

it('getLoss returns fresh instances by name and accepts a LossFunction object', () => {
  expect(getLoss('mse')).not.toBe(getLoss('mse'));
  const custom = { name: 'mine', acceptsLabels: false, compute: () => 0, checkTarget: () => undefined };
  expect(getLoss(custom)).toBe(custom);
  expect(() => getLoss('crossentropy' as LossName)).toThrow(RangeError);
  expect(() => getLoss('crossentropy' as LossName)).toThrow(/^getLoss: expected loss to be one of 'mse', 'halfMse', .*, or a LossFunction object, received "crossentropy"$/);
  expect(() => getLoss({ name: 'x' } as never)).toThrow('getLoss: expected loss to be a LossFunction { name, acceptsLabels, compute, checkTarget }, received Object');
});

it('checkTarget rejects wrong counts, bad class indices, non-finite and out-of-domain targets', () => {
  const sce = getLoss('softmaxCrossentropy');
  expect(() => sce.checkTarget('fit', 'y', new Float32Array(5), 4, 3)).toThrow(RangeError);
  expect(() => sce.checkTarget('fit', 'y', new Float32Array(5), 4, 3))
    .toThrow("fit: expected y to be 4×3 = 12 floats (one row of 3 per sample) or 4 class labels for loss 'softmaxCrossentropy', received 5 floats");
  expect(() => sce.checkTarget('fit', 'y', Float32Array.from([0, 1, 3, 2]), 4, 3))
    .toThrow("fit: expected y[2] to be an integer class index in [0, 2] for loss 'softmaxCrossentropy', received 3");
  expect(() => sce.checkTarget('fit', 'y', Float32Array.from([0, 1.5, 1, 2]), 4, 3))
    .toThrow("fit: expected y[1] to be an integer class index in [0, 2] for loss 'softmaxCrossentropy', received 1.5");
  expect(() => sce.checkTarget('fit', 'y', Float32Array.from([0, -1, 1, 2]), 4, 3)).toThrow('received -1');
  expect(() => sce.checkTarget('fit', 'y', Float32Array.from([0, 1]), 2, 1))
    .toThrow("fit: expected the model output to be ≥ 2 units (one per class) for loss 'softmaxCrossentropy', received 1 unit");
  expect(() => getLoss('categoricalCrossentropy').checkTarget('fit', 'y', Float32Array.from([0, 1, NaN, 2]), 4, 1))
    .toThrow('fit: expected the model output to be ≥ 2 units');
  expect(() => getLoss('mse').checkTarget('fit', 'y', Float32Array.from([0, NaN, 1]), 3, 1))
    .toThrow('fit: expected y to be finite values only, received NaN at index 1');
  expect(() => getLoss('mse').checkTarget('fit', 'y', Float32Array.from([0, Infinity, 1]), 3, 1))
    .toThrow('fit: expected y to be finite values only, received Infinity at index 1');
  expect(() => getLoss('mse').checkTarget('fit', 'y', new Float32Array(3), 6, 1))
    .toThrow("fit: expected y to be 6×1 = 6 floats (one row of 1 per sample) for loss 'mse', received 3 floats");
  expect(() => getLoss('hinge').checkTarget('fit', 'y', Float32Array.from([1, 0]), 2, 1))
    .toThrow("fit: expected y[1] to be labels −1 or +1 for loss 'hinge', received 0");
  expect(() => getLoss('binaryCrossentropy').checkTarget('fit', 'y', Float32Array.from([1, 2]), 2, 1))
    .toThrow("fit: expected y[1] to be probabilities in [0, 1] for loss 'binaryCrossentropy', received 2");
  expect(() => getLoss('mse').checkTarget('fit', 'y', [1, 2] as unknown as Float32Array, 2, 1)).toThrow(TypeError);
  expect(() => getLoss('mse').compute(new Float32Array(2), new Float32Array(1), new Float32Array(2), 2, 1))
    .toThrow('mse.compute: expected pred to be ≥ 2 floats (2×1), received 1 floats');
});

it('l1/l2 reject negative or non-finite λ', () => {
  expect(() => l2(-1)).toThrow('l2: expected lambda to be a number ≥ 0, received -1');
  expect(() => l1(Infinity)).toThrow('l1: expected lambda to be a finite number, received Infinity');
  expect(() => applyPenalties([], { l2: -0.1 })).toThrow('applyPenalties: expected penalties.l2 to be a number ≥ 0, received -0.1');
});
