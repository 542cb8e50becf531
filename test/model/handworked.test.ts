import { expect, it } from 'vitest';
import { Dense } from '../../lib/layers/dense';
import { getLoss } from '../../lib/losses/index';
import { Sequential } from '../../lib/model/sequential';
import { describeEachBackend } from '../helpers/backends';

// A 2-2-1 network with sigmoid units and E = ½(a₂ − y)², worked by hand as in a textbook. The
// weights and the sample are those of the classic worked example (M. Mazur, "A step by step
// backpropagation example"), whose first output unit is this network's output: the literature
// values out_h1 = 0.593269992, out_h2 = 0.596884378, out_o1 = 0.75136507 and ∂E/∂w5 = 0.082167041
// check the arithmetic below independently of any code.

const σ = (z: number): number => 1 / (1 + Math.exp(-z));

// Layer 1: W₁ = [[w1, w2], [w3, w4]] (rows = hidden units), b₁ = [b1, b1]. Layer 2: W₂ = [[w5, w6]], b₂.
const w1 = 0.15, w2 = 0.20, w3 = 0.25, w4 = 0.30, b1 = 0.35;
const w5 = 0.40, w6 = 0.45, b2 = 0.60;

/** Every step written out for one sample (x1, x2) with target t. */
function byHand(x1: number, x2: number, t: number) {
  // Forward.
  const zh1 = w1 * x1 + w2 * x2 + b1;         // 0.15·0.05 + 0.20·0.10 + 0.35 = 0.3775
  const zh2 = w3 * x1 + w4 * x2 + b1;         // 0.25·0.05 + 0.30·0.10 + 0.35 = 0.3925
  const h1 = σ(zh1);                          // 0.593269992
  const h2 = σ(zh2);                          // 0.596884378
  const zo = w5 * h1 + w6 * h2 + b2;          // 0.40·0.593269992 + 0.45·0.596884378 + 0.60 = 1.105905967
  const o = σ(zo);                            // 0.751365070
  const E = 0.5 * (o - t) ** 2;               // ½·0.741365070² = 0.274811083
  // Output error δo = ∂E/∂zo = (o − t)·σ'(zo) = (o − t)·o(1 − o).
  const δo = (o - t) * o * (1 - o);           // 0.741365070·0.751365070·0.248634930 = 0.138498562
  // Hidden errors δh = δo·w·h(1 − h).
  const δh1 = δo * w5 * h1 * (1 - h1);        // 0.138498562·0.40·0.241300709 = 0.013367920
  const δh2 = δo * w6 * h2 * (1 - h2);        // 0.138498562·0.45·0.240613417 = 0.014996075
  return {
    h1, h2, o, E,
    dW2: [δo * h1, δo * h2],                  // [0.082167041, 0.082667628]
    db2: [δo],                                // [0.138498562]
    dW1: [δh1 * x1, δh1 * x2, δh2 * x1, δh2 * x2], // [0.000668396, 0.001336792, 0.000749804, 0.001499608]
    db1: [δh1, δh2],                          // [0.013367920, 0.014996075]
  };
}

function handWorkedModel(): Sequential {
  const model = new Sequential([new Dense(2, 2, { activation: 'sigmoid' }), new Dense(2, 1, { activation: 'sigmoid' })], { seed: 0 });
  const [W1, B1, W2, B2] = model.params();
  W1.value.set([w1, w2, w3, w4]);
  B1.value.set([b1, b1]);
  W2.value.set([w5, w6]);
  B2.value.set([b2]);
  return model;
}

function expectNear(actual: ArrayLike<number>, expected: readonly number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThan(tol);
}

describeEachBackend('hand-worked 2-2-1 sigmoid network with ½-MSE', () => {
  it('the hand arithmetic reproduces the published values', () => {
    const r = byHand(0.05, 0.10, 0.01);
    expectNear([r.h1, r.h2, r.o, r.dW2[0]], [0.593269992, 0.596884378, 0.75136507, 0.082167041], 1e-8);
  });

  it('forward, loss and every gradient match the hand computation for one sample', () => {
    const model = handWorkedModel();
    const r = byHand(0.05, 0.10, 0.01);
    const out = model.forward(Float32Array.from([0.05, 0.10]));
    expectNear(out.data, [r.o], 1e-7);
    const dpred = new Float32Array(1);
    const E = getLoss('halfMse').compute(dpred, out.data, Float32Array.from([0.01]), 1, 1);
    expect(Math.abs(E - r.E)).toBeLessThan(1e-7);
    model.backward(dpred);
    const [W1, B1, W2, B2] = model.params();
    // float32 arithmetic: a few units in the 7th significant digit.
    expectNear(W2.grad, r.dW2, 1e-7);
    expectNear(B2.grad, r.db2, 1e-7);
    expectNear(W1.grad, r.dW1, 1e-8);
    expectNear(B1.grad, r.db1, 1e-8);
  });

  it('over a batch of two the gradients are the mean of the per-sample hand gradients', () => {
    const model = handWorkedModel();
    const a = byHand(0.05, 0.10, 0.01);
    const b = byHand(0.9, -0.3, 0.99);
    const out = model.forward(Float32Array.from([0.05, 0.10, 0.9, -0.3]));
    const dpred = new Float32Array(2);
    const E = getLoss('halfMse').compute(dpred, out.data, Float32Array.from([0.01, 0.99]), 2, 1);
    expect(Math.abs(E - (a.E + b.E) / 2)).toBeLessThan(1e-7);
    model.backward(dpred);
    const mean = (p: number[], q: number[]) => p.map((v, i) => (v + q[i]) / 2);
    const [W1, B1, W2, B2] = model.params();
    expectNear(W2.grad, mean(a.dW2, b.dW2), 1e-7);
    expectNear(B2.grad, mean(a.db2, b.db2), 1e-7);
    expectNear(W1.grad, mean(a.dW1, b.dW1), 1e-7);
    expectNear(B1.grad, mean(a.db1, b.db1), 1e-7);
  });
});
