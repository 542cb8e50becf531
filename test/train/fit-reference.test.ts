import { expect, it } from 'vitest';
import { Dense } from '../../lib/layers/dense';
import { Sequential } from '../../lib/model/sequential';
import { inverseTimeDecay, sgd } from '../../lib/optim/index';
import { Random } from '../../lib/random';
import { Tensor } from '../../lib/tensor';
import { describeEachBackend } from '../helpers/backends';

// Mini-batch training of a linear model z = x·Wᵀ + b under MSE, replayed in float64 from the
// formulas: batches of the actual size (the last one smaller), the gradient of the batch mean,
// L1/L2 penalty gradients on W only, clipping by value and by global norm, plain SGD. The fit loop
// must land on the same weights.

const N = 10;
const IN = 3;
const OUT = 2;

function data(seed: number): { x: Float32Array; y: Float32Array } {
  const rng = new Random(seed);
  const x = new Float32Array(N * IN);
  const y = new Float32Array(N * OUT);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform(-1, 1);
  for (let i = 0; i < y.length; i++) y[i] = rng.uniform(-2, 2);
  return { x, y };
}

interface Setup {
  batchSize: number;
  epochs: number;
  lr: number;
  l1?: number;
  l2?: number;
  clipValue?: number;
  clipNorm?: number;
  shuffleSeed?: number;
  decay?: number;
}

function reference(x: Float32Array, y: Float32Array, w0: Float32Array, b0: Float32Array, s: Setup) {
  const W = Float64Array.from(w0);
  const b = Float64Array.from(b0);
  const order = Int32Array.from({ length: N }, (_, i) => i);
  const rng = s.shuffleSeed === undefined ? undefined : new Random(s.shuffleSeed);
  const losses: number[] = [];
  for (let epoch = 0; epoch < s.epochs; epoch++) {
    const lr = s.decay === undefined ? s.lr : s.lr / (1 + s.decay * epoch);
    if (rng !== undefined) {
      // Each epoch's order is a fresh shuffle of 0..n−1 (not of the previous epoch's order).
      for (let i = 0; i < N; i++) order[i] = i;
      rng.shuffle(order);
    }
    let lossSum = 0;
    for (let start = 0; start < N; start += s.batchSize) {
      const rows = Array.from(order.subarray(start, Math.min(N, start + s.batchSize)));
      const m = rows.length;
      const dW = new Float64Array(OUT * IN);
      const db = new Float64Array(OUT);
      let loss = 0;
      for (const r of rows) {
        for (let o = 0; o < OUT; o++) {
          let z = b[o];
          for (let k = 0; k < IN; k++) z += W[o * IN + k] * x[r * IN + k];
          const diff = z - y[r * OUT + o];
          loss += diff * diff / (m * OUT);
          const g = (2 * diff) / (m * OUT);
          db[o] += g;
          for (let k = 0; k < IN; k++) dW[o * IN + k] += g * x[r * IN + k];
        }
      }
      for (let i = 0; i < W.length; i++) {
        if (s.l1 !== undefined) { dW[i] += s.l1 * Math.sign(W[i]); loss += s.l1 * Math.abs(W[i]); }
        if (s.l2 !== undefined) { dW[i] += s.l2 * W[i]; loss += 0.5 * s.l2 * W[i] * W[i]; }
      }
      if (s.clipValue !== undefined) {
        const c = s.clipValue;
        for (let i = 0; i < dW.length; i++) dW[i] = Math.min(c, Math.max(-c, dW[i]));
        for (let i = 0; i < db.length; i++) db[i] = Math.min(c, Math.max(-c, db[i]));
      }
      if (s.clipNorm !== undefined) {
        let sq = 0;
        for (const g of dW) sq += g * g;
        for (const g of db) sq += g * g;
        const norm = Math.sqrt(sq);
        if (norm > s.clipNorm) {
          for (let i = 0; i < dW.length; i++) dW[i] *= s.clipNorm / norm;
          for (let i = 0; i < db.length; i++) db[i] *= s.clipNorm / norm;
        }
      }
      for (let i = 0; i < W.length; i++) W[i] -= lr * dW[i];
      for (let i = 0; i < b.length; i++) b[i] -= lr * db[i];
      lossSum += loss * m;
    }
    losses.push(lossSum / N);
  }
  return { W, b, losses };
}

const cases: [string, Setup][] = [
  ['mini-batches with a smaller last batch (4, 4, 2)', { batchSize: 4, epochs: 3, lr: 0.1 }],
  ['batch gradient descent (batchSize = n)', { batchSize: N, epochs: 4, lr: 0.2 }],
  ['pure SGD (batchSize 1)', { batchSize: 1, epochs: 2, lr: 0.05 }],
  ['L2 penalty (weight decay on W, not b)', { batchSize: 4, epochs: 3, lr: 0.1, l2: 0.3 }],
  ['L1 penalty', { batchSize: 5, epochs: 3, lr: 0.1, l1: 0.05 }],
  ['clipping by value', { batchSize: 4, epochs: 3, lr: 0.1, clipValue: 0.2 }],
  ['clipping by global norm', { batchSize: 4, epochs: 3, lr: 0.1, clipNorm: 0.5 }],
  ['a seeded shuffle per epoch', { batchSize: 3, epochs: 3, lr: 0.1, shuffleSeed: 7 }],
  ['an inverse-time learning-rate schedule', { batchSize: 4, epochs: 4, lr: 0.2, decay: 0.5 }],
];

describeEachBackend('fit reproduces mini-batch gradient descent computed from the formulas', () => {
  for (const [title, s] of cases) {
    it(title, () => {
      const { x, y } = data(3);
      const model = new Sequential([new Dense(IN, OUT)], { seed: 11 });
      const [weight, bias] = model.params();
      const w0 = weight.value.slice();
      const b0 = bias.value.slice();
      model.compile({ loss: 'mse', optimizer: sgd({ lr: s.lr }), l1: s.l1, l2: s.l2, clipValue: s.clipValue, clipNorm: s.clipNorm });
      const history = model.fitSync(new Tensor(x, [N, IN]), new Tensor(y, [N, OUT]), {
        epochs: s.epochs, batchSize: s.batchSize, verbose: 0,
        shuffle: s.shuffleSeed !== undefined, seed: s.shuffleSeed,
        lrSchedule: s.decay === undefined ? undefined : inverseTimeDecay({ decay: s.decay }),
      });
      const ref = reference(x, y, w0, b0, s);
      for (let i = 0; i < ref.W.length; i++) expect(weight.value[i]).toBeCloseTo(ref.W[i], 5);
      for (let i = 0; i < ref.b.length; i++) expect(bias.value[i]).toBeCloseTo(ref.b[i], 5);
      history.loss.forEach((loss, e) => expect(loss).toBeCloseTo(ref.losses[e], 5));
      expect(history.epoch).toEqual(Array.from({ length: s.epochs }, (_, e) => e));
      if (s.decay !== undefined) expect(history.lr).toEqual(history.epoch.map((e) => s.lr / (1 + s.decay! * e)));
      else expect(history.lr).toEqual(history.epoch.map(() => s.lr));
    });
  }
});
