// Parallel searches, ensembles and cross-validation compute exactly what the serial runs do: the
// same tables, parameters, scores, histories and weights, bit for bit, with one compute thread.
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { threads } from '../../lib/backend/index';
import { circles } from '../../lib/data/datasets';
import { classLabels, kFolds } from '../../lib/data/split';
import { Dense } from '../../lib/layers/dense';
import { trainEnsemble } from '../../lib/model/train-ensemble';
import { Sequential } from '../../lib/model/sequential';
import type { MlpModelSpec } from '../../lib/parallel/spec';
import { Tensor } from '../../lib/tensor';
import { crossValidate } from '../../lib/train/cross-validate';
import { gridSearch, randomSearch, logUniform, choice, type SearchResult } from '../../lib/train/search';

const train = circles({ n: 160, noise: 0.05, seed: 1 });
const val = circles({ n: 60, noise: 0.05, seed: 2 });
const spec: MlpModelSpec = {
  mlp: { inputs: 2, outputs: 2, activation: 'tanh' },
  compile: { loss: 'softmaxCrossentropy', optimizer: 'adam', metrics: ['accuracy'] },
  seed: 3,
};
const common = { x: train.x, y: train.y, validationData: [val.x, val.y] as const, epochs: 3, batchSize: 16, seed: 1 };

let threadsBefore = 1;
beforeAll(() => { threadsBefore = threads(); threads(1); });
afterAll(() => { threads(threadsBefore); });

/** Everything a result holds, models as their predictions on the validation inputs. */
function snapshot(result: SearchResult): unknown {
  return {
    table: String(result),
    best: result.best.params,
    entries: result.map((e) => ({
      rank: e.rank, params: e.params, score: e.score, validation: e.validation, folds: e.folds, sd: e.sd, history: e.history,
      error: e.error?.message, outputs: e.model === undefined ? undefined : Array.from((e.model as Sequential).predict(val.x).data),
    })),
  };
}

describe('parallel search equals serial search', () => {
  it('gridSearch: 1, 2 and 7 workers (more than the 6 trials) give the same table, scores, histories and weights', async () => {
    const grid = { hidden: [[4], [8, 4]], lr: [1e-3, 1e-2, 5e-2] };
    const serial = await gridSearch(spec, grid, { ...common, workers: 1 });
    const two = await gridSearch(spec, grid, { ...common, workers: 2 });
    const seven = await gridSearch(spec, grid, { ...common, workers: 7 });
    expect(serial.length).toBe(6);
    expect(snapshot(two)).toEqual(snapshot(serial));
    expect(snapshot(seven)).toEqual(snapshot(serial));
    // The serial run is an ordinary one: each score is the model's own loss on the validation data.
    for (const e of serial) expect(e.score).toBe((e.model as Sequential).evaluate(val.x, val.y).loss);
    expect(threads()).toBe(1);
  });

  it('randomSearch with a module builder on 2 workers equals the same builder as a closure run serially', async () => {
    const builder = { module: path.join(__dirname, 'fixtures', 'build-model.cjs') };
    // What the fixture module builds, written here against this source tree.
    const closure = (params: Record<string, unknown>): Sequential => {
      const hidden = params.hidden as number;
      return new Sequential([new Dense(2, hidden, { activation: 'tanh' }), new Dense(hidden, 2)], { seed: 1 })
        .compile({ loss: 'softmaxCrossentropy', optimizer: { name: 'adam', lr: params.lr as number }, metrics: ['accuracy'] });
    };
    const space = { lr: logUniform(1e-3, 1e-1), hidden: choice([3, 6]) };
    const options = { ...common, trials: 4, seed: 5, metric: 'accuracy' };
    const serial = await randomSearch(closure, space, options);
    const parallel = await randomSearch(builder, space, { ...options, workers: 2 });
    expect(snapshot(parallel)).toEqual(snapshot(serial));
    for (let i = 1; i < serial.length; i++) expect(serial[i].score).toBeLessThanOrEqual(serial[i - 1].score);
  });

  it('scoring by cross-validation: per-fold scores, mean and sd equal on 1 and 2 workers', async () => {
    const grid = { lr: [1e-2, 5e-2] };
    const options = { x: train.x, y: train.y, folds: 3, epochs: 2, batchSize: 16, seed: 1 };
    const serial = await gridSearch(spec, grid, { ...options, workers: 1 });
    const parallel = await gridSearch(spec, grid, { ...options, workers: 2 });
    expect(snapshot(parallel)).toEqual(snapshot(serial));
    for (const e of serial) {
      expect(e.folds!.length).toBe(3);
      const losses = e.folds!.map((f) => f.loss);
      const mean = (losses[0] + losses[1] + losses[2]) / 3;
      expect(e.validation.loss).toBeCloseTo(mean, 12);
      expect(e.sd!.loss).toBeCloseTo(Math.sqrt(losses.reduce((a, v) => a + (v - mean) ** 2, 0) / 2), 12);
    }
    expect(String(serial).split('\n')[0]).toMatch(/loss sd$/);
  });
});

describe('parallel ensembles and cross-validation equal serial ones', () => {
  it('trainEnsemble: members trained on 2 workers predict bit-identically to serial members', async () => {
    const options = { members: 3, epochs: 2, batchSize: 16, verbose: 0 as const };
    const serial = await trainEnsemble(spec, train.x, train.y, { ...options, workers: 1 });
    const parallel = await trainEnsemble(spec, train.x, train.y, { ...options, workers: 2 });
    expect(Array.from(parallel.predict(val.x).data)).toEqual(Array.from(serial.predict(val.x).data));
    // Member i is seeded with seed i + 1: the serial closure form gives the same weights.
    const closure = await trainEnsemble((seed) => buildLike(seed), train.x, train.y, options);
    expect(Array.from(closure.predict(val.x).data)).toEqual(Array.from(serial.predict(val.x).data));
  });

  it('crossValidate: 1 and 2 workers agree, and each fold equals a model trained by hand on the other folds', async () => {
    const options = { folds: 4, epochs: 2, batchSize: 20, shuffle: false, seed: 2 };
    const serial = await crossValidate(spec, train.x, train.y, { ...options, workers: 1 });
    const parallel = await crossValidate(spec, train.x, train.y, { ...options, workers: 2 });
    expect(parallel.folds).toEqual(serial.folds);
    expect(parallel.mean).toEqual(serial.mean);
    expect(parallel.sd).toEqual(serial.sd);
    expect(serial.stratified).toBe(true);
    // A closure building the same model gives the same folds (it runs in this thread).
    const closure = await crossValidate(() => buildLike(3), train.x, train.y, options);
    expect(closure.folds).toEqual(serial.folds);
    // The same folds from kFolds, the rows gathered by hand: folds after f, then folds before f.
    const folds = kFolds(160, 4, { seed: 2, labels: classLabels(train.y) });
    for (let f = 0; f < 4; f++) {
      const rest = [...folds.slice(f + 1), ...folds.slice(0, f)].flatMap((fold) => Array.from(fold));
      const model = buildLike(3);
      await model.fit(rows(train.x, rest), rows(train.y, rest), { epochs: 2, batchSize: 20, shuffle: false, verbose: 0 });
      expect(serial.folds[f].validation).toEqual(model.evaluate(rows(train.x, Array.from(folds[f])), rows(train.y, Array.from(folds[f]))));
    }
    expect(String(serial).split('\n').at(-1)).toMatch(/^mean\s+\d\.\d{4} ± \d\.\d{4}/);
  });
});

/** The model the spec describes (no hidden layer: one linear layer, Glorot-initialised), by hand. */
function buildLike(seed: number): Sequential {
  const model = new Sequential([new Dense(2, 2, { init: 'xavierUniform' })], { seed });
  return model.compile({ loss: 'softmaxCrossentropy', optimizer: 'adam', metrics: ['accuracy'] });
}

function rows(t: Tensor, index: number[]): Tensor {
  const w = t.shape.length === 1 ? 1 : t.shape[1];
  const out = new Float32Array(index.length * w);
  index.forEach((r, i) => out.set(t.data.subarray(r * w, (r + 1) * w), i * w));
  return new Tensor(out, [index.length, ...t.shape.slice(1)]);
}

