import { expect, it } from 'vitest';
import { allocationCount } from '../../lib/alloc';
import { compose, gaussianNoise, randomFlip, randomShift, type Augmentation } from '../../lib/data/augment';
import { Dense } from '../../lib/layers/dense';
import { Sequential } from '../../lib/model/sequential';
import { adam } from '../../lib/optim/index';
import { Random } from '../../lib/random';
import { Tensor } from '../../lib/tensor';
import { describeEachBackend } from '../helpers/backends';
import { expectError } from '../helpers/errors';

/** n 4×4 images in k classes: class c lights column c, plus noise. */
function images(seed: number, n: number, k = 3): { x: Tensor; y: Tensor } {
  const rng = new Random(seed);
  const x = new Float32Array(n * 16);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % k;
    for (let p = 0; p < 16; p++) x[i * 16 + p] = (p % 4 === i % k ? 1 : 0) + rng.normal(0, 0.2);
  }
  return { x: new Tensor(x, [n, 16]), y: new Tensor(y, [n]) };
}

function classifier(seed = 1): Sequential {
  const model = new Sequential([new Dense(16, 10, { activation: 'relu' }), new Dense(10, 3)], { seed });
  model.compile({ loss: 'softmaxCrossentropy', optimizer: adam({ lr: 0.01 }), metrics: ['accuracy'] });
  return model;
}

const weightsOf = (model: Sequential): number[][] => model.params().map((p) => Array.from(p.value));

describeEachBackend('fit with augmentation', () => {
  it('changes training, reproducibly by seed, and leaves the data set untouched (with and without shuffling)', () => {
    const { x, y } = images(1, 40);
    const original = x.data.slice();
    for (const shuffle of [true, false]) {
      const train = (augment: Augmentation | undefined): number[][] => {
        const model = classifier(2);
        model.fitSync(x, y, { epochs: 2, batchSize: 8, verbose: 0, seed: 3, shuffle, augment });
        return weightsOf(model);
      };
      const plain = train(undefined);
      const noisy = train(gaussianNoise({ std: 0.3 }));
      expect(noisy, `shuffle ${shuffle}`).not.toEqual(plain);
      expect(train(gaussianNoise({ std: 0.3 })), `shuffle ${shuffle}`).toEqual(noisy);
      expect(train(randomShift({ height: 4, width: 4, maxShift: 1 })), `shuffle ${shuffle}`).not.toEqual(plain);
      expect(x.data, `shuffle ${shuffle}`).toEqual(original);
    }
  });

  it('augments only the training batches: every training row once per epoch, never a validation row', () => {
    const { x, y } = images(2, 50);
    const calls: { m: number; width: number }[] = [];
    let checkedWidth = -1;
    const recorder: Augmentation = {
      name: 'recorder',
      check: (_fn, width) => { checkedWidth = width; },
      apply: (_x, m, width) => { calls.push({ m, width }); },
    };
    classifier().fitSync(x, y, { epochs: 3, batchSize: 16, verbose: 0, validationSplit: 0.2, augment: recorder });
    expect(checkedWidth).toBe(16);
    // 40 training rows in batches of 16: 16, 16, 8 per epoch; the 10 validation rows never appear.
    expect(calls.map((c) => c.m)).toEqual([16, 16, 8, 16, 16, 8, 16, 16, 8]);
    expect(calls.every((c) => c.width === 16)).toBe(true);
  });

  it('leaves validation, evaluate and predict unaugmented', () => {
    const { x, y } = images(3, 60);
    const val = images(4, 20);
    const model = classifier(5);
    const history = model.fitSync(x, y, {
      epochs: 2, batchSize: 10, verbose: 0, seed: 1, validationData: [val.x, val.y], augment: gaussianNoise({ std: 1 }),
    });
    // The last validation pass ran on the final weights: evaluate on the same data must agree (noise
    // of std 1 on the inputs would move the loss far more than summation order does).
    const scores = model.evaluate(val.x, val.y);
    expect(history.valLoss![1]).toBeCloseTo(scores.loss, 5);
    expect(history.valAccuracy![1]).toBe(scores.accuracy);
    expect(model.evaluate(val.x, val.y)).toEqual(scores);
    expect(model.predict(val.x).data).toEqual(model.predict(val.x).data);
  });

  it('allocates no typed array in a step after the first batch, shuffled or not', () => {
    const { x, y } = images(5, 50);
    for (const shuffle of [true, false]) {
      const model = classifier(6);
      const counts: number[] = [];
      model.fitSync(x, y, {
        epochs: 3, batchSize: 16, verbose: 0, shuffle,
        augment: compose(gaussianNoise({ std: 0.1 }), randomShift({ height: 4, width: 4 }), randomFlip({ height: 4, width: 4 })),
        callbacks: { onBatchEnd: () => { counts.push(allocationCount()); } },
      });
      expect(counts.length).toBe(3 * 4);
      // The partial last batch (2 rows) and every later epoch reuse the first batch's buffers.
      expect(new Set(counts).size, `shuffle ${shuffle}`).toBe(1);
    }
  });

  it('rejects an augmentation that does not fit the rows before training starts', () => {
    const { x, y } = images(6, 20);
    const model = classifier(7);
    const before = weightsOf(model);
    expectError(() => model.fitSync(x, y, { verbose: 0, augment: randomFlip({ height: 5, width: 5 }) }), RangeError,
      "fitSync: expected rows of x to be images of 5×5 = 25 values (from the augmentation's height and width), received rows of 16 values");
    expectError(() => model.fitSync(x, y, { verbose: 0, augment: { name: 'x' } as never }), TypeError,
      'fitSync: expected options.augment to be an Augmentation (gaussianNoise, randomShift, randomFlip or compose), received Object');
    expect(weightsOf(model)).toEqual(before);
  });
});
