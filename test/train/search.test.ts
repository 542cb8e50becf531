import { describe, expect, it } from 'vitest';
import { circles } from '../../lib/data/datasets';
import { Dense } from '../../lib/layers/dense';
import { Sequential } from '../../lib/model/sequential';
import { adam } from '../../lib/optim/index';
import { Random } from '../../lib/random';
import { choice, gridSearch, intUniform, logUniform, randomSearch, uniform, type SearchParams } from '../../lib/train/index';

const train = circles({ n: 120, noise: 0.05, seed: 1 });
const val = circles({ n: 60, noise: 0.05, seed: 2 });

function build(params: SearchParams): Sequential {
  const model = new Sequential([new Dense(2, params.hidden as number, { activation: 'tanh' }), new Dense(params.hidden as number, 2)], { seed: 1 });
  model.compile({ loss: 'softmaxCrossentropy', optimizer: adam({ lr: params.lr as number }), metrics: ['accuracy'] });
  return model;
}

describe('hyper-parameter search', () => {
  it('gridSearch tries every combination and ranks them by validation loss', async () => {
    const result = await gridSearch(build, { lr: [1e-4, 0.05], hidden: [2, 8] }, {
      x: train.x, y: train.y, validationData: [val.x, val.y], epochs: 5, batchSize: 16, seed: 1,
    });
    expect(result.length).toBe(4);
    expect(result.map((e) => e.params).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
      { lr: 1e-4, hidden: 2 }, { lr: 1e-4, hidden: 8 }, { lr: 0.05, hidden: 2 }, { lr: 0.05, hidden: 8 },
    ]);
    expect(result.map((e) => e.rank)).toEqual([1, 2, 3, 4]);
    for (let i = 1; i < 4; i++) expect(result[i].score).toBeGreaterThanOrEqual(result[i - 1].score);
    for (const entry of result) {
      // The score is the trained model's loss on the validation data.
      expect(entry.score).toBe((entry.model as Sequential).evaluate(val.x, val.y).loss);
      expect(entry.history.loss.length).toBe(5);
    }
    // The tiny learning rate cannot win in 5 epochs.
    expect(result.best.params.lr).toBe(0.05);
    const table = String(result).split('\n');
    expect(table[0]).toMatch(/^rank\s+lr\s+hidden\s+loss \*\s+accuracy$/);
    expect(table.length).toBe(2 + 4);
    expect(table[2]).toMatch(/^\s*1\s+0\.05000\s+\d\s+\d\.\d+\s+\d/);
  });

  it('randomSearch draws reproducible parameters from the space and can rank by accuracy', async () => {
    const space = { lr: logUniform(1e-3, 1e-1), hidden: choice([4, 8]), activation: 'tanh' };
    const options = {
      x: train.x, y: train.y, validationSplit: 0.25, epochs: 3, trials: 3, seed: 7, metric: 'accuracy',
    };
    const a = await randomSearch(build, space, options);
    const b = await randomSearch(build, space, options);
    expect(a.map((e) => e.params).sort((p, q) => (p.lr as number) - (q.lr as number)))
      .toEqual(b.map((e) => e.params).sort((p, q) => (p.lr as number) - (q.lr as number)));
    for (const e of a) {
      expect(e.params.lr).toBeGreaterThanOrEqual(1e-3);
      expect(e.params.lr).toBeLessThanOrEqual(1e-1);
      expect([4, 8]).toContain(e.params.hidden);
      expect(e.params.activation).toBe('tanh');
      // With validationSplit the score is the last epoch's validation accuracy.
      expect(e.score).toBe(e.history.valAccuracy![2]);
    }
    for (let i = 1; i < a.length; i++) expect(a[i].score).toBeLessThanOrEqual(a[i - 1].score);
  });

  it('samplers cover their ranges; logUniform spreads evenly over decades', () => {
    const rng = new Random(1);
    const lr = logUniform(1e-4, 1e-1);
    const draws = Array.from({ length: 3000 }, () => lr.sample(rng));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(1e-4);
    expect(Math.max(...draws)).toBeLessThanOrEqual(1e-1);
    // Two of the three decades lie below 1e-2.
    const below = draws.filter((d) => d < 1e-2).length / draws.length;
    expect(below).toBeGreaterThan(0.62);
    expect(below).toBeLessThan(0.71);
    const ints = new Set(Array.from({ length: 200 }, () => intUniform(1, 3).sample(rng)));
    expect([...ints].sort()).toEqual([1, 2, 3]);
    const u = uniform(2, 3).sample(rng);
    expect(u >= 2 && u < 3).toBe(true);
    expect(String(lr)).toBe('logUniform(0.0001, 0.1)');
  });

  it('rejects bad arguments', async () => {
    expect(() => logUniform(0, 1)).toThrow('logUniform: expected lo to be a number > 0, received 0');
    expect(() => choice([])).toThrow(RangeError);
    await expect(gridSearch(build, { lr: [] }, { x: train.x, y: train.y, validationSplit: 0.2 })).rejects.toThrow(
      'gridSearch: expected grid.lr to be a non-empty array of values');
    await expect(gridSearch(build, { lr: [0.01] }, { x: train.x, y: train.y } as never)).rejects.toThrow(
      'gridSearch: expected options to be validationData, validationSplit or folds (trials are scored on held-out data), received none');
    const uncompiled = () => new Sequential([new Dense(2, 2)]);
    await expect(gridSearch(uncompiled, { lr: [0.01] }, { x: train.x, y: train.y, validationSplit: 0.2 })).rejects.toThrow(
      /the model is not compiled/);
    await expect(randomSearch(build, { lr: 0.01, hidden: 4 }, { x: train.x, y: train.y, validationSplit: 0.2, trials: 0 })).rejects.toThrow(
      'randomSearch: expected options.trials to be an integer ≥ 1, received 0');
  });
});

describe('ranking by a whole-data-set metric', () => {
  it('accepts f1 and ranks it highest first, as early stopping does for valF1', async () => {
    const buildF1 = (params: SearchParams): Sequential => {
      const model = build(params);
      model.compile({ loss: 'softmaxCrossentropy', optimizer: adam({ lr: params.lr as number }), metrics: ['f1'] });
      return model;
    };
    const result = await gridSearch(buildF1, { lr: [1e-4, 0.05], hidden: [8] }, {
      x: train.x, y: train.y, validationData: [val.x, val.y], epochs: 5, batchSize: 16, seed: 1, metric: 'f1',
    });
    expect(result.map((e) => e.rank)).toEqual([1, 2]);
    expect(result[0].score).toBeGreaterThanOrEqual(result[1].score);
    expect(result[0].score).toBe(result[0].validation.f1);
  });
});

it('passes classWeight on to every trial\'s fit', async () => {
  const result = await gridSearch(build, { lr: [0.05], hidden: [4] }, {
    x: train.x, y: train.y, validationData: [val.x, val.y], epochs: 2, batchSize: 16, seed: 1, classWeight: { 0: 1, 1: 3 },
  });
  const plain = await gridSearch(build, { lr: [0.05], hidden: [4] }, {
    x: train.x, y: train.y, validationData: [val.x, val.y], epochs: 2, batchSize: 16, seed: 1,
  });
  expect(result[0].error).toBeUndefined();
  expect(result[0].score).not.toBe(plain[0].score);
});
