// What a parallel run does besides computing: a failing trial is reported while the others go on,
// an abort stops every worker, workers never outlive the call, and bad builders fail before any
// worker starts, with a message naming the option.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { threads } from '../../lib/backend/index';
import { circles } from '../../lib/data/datasets';
import { Dense } from '../../lib/layers/dense';
import { Sequential } from '../../lib/model/sequential';
import { trainEnsemble } from '../../lib/model/train-ensemble';
import { adam } from '../../lib/optim/index';
import type { ArchitectureSpec, MlpModelSpec } from '../../lib/parallel/spec';
import { crossValidate } from '../../lib/train/cross-validate';
import { gridSearch } from '../../lib/train/search';

const train = circles({ n: 160, noise: 0.05, seed: 1 });
const val = circles({ n: 60, noise: 0.05, seed: 2 });
const spec: MlpModelSpec = { mlp: { inputs: 2, outputs: 2, hidden: [6], activation: 'tanh' }, compile: { loss: 'softmaxCrossentropy', optimizer: 'sgd', metrics: ['accuracy'] } };
const common = { x: train.x, y: train.y, validationData: [val.x, val.y] as const, epochs: 2, batchSize: 16, seed: 1 };

/** OS threads of this process: worker threads add to it while they live. */
const osThreads = (): number => fs.readdirSync('/proc/self/task').length;

let threadsBefore = 1;
beforeAll(() => { threadsBefore = threads(); threads(1); });
afterAll(() => { threads(threadsBefore); });

describe('parallel runs: failures, abort, lifetime', () => {
  it('a diverging trial and a trial with a bad option are reported in the table; the others are ranked', async () => {
    const grid = { lr: [0.05, 1e30], dropout: [0, 1.5] };
    const relu = { ...spec, mlp: { ...spec.mlp, activation: 'relu' as const } };
    const serial = await gridSearch(relu, grid, { ...common, workers: 1 });
    const parallel = await gridSearch(relu, grid, { ...common, workers: 2 });
    expect(String(parallel)).toBe(String(serial));
    expect(parallel.map((e) => e.error?.message)).toEqual(serial.map((e) => e.error?.message));
    // lr 0.05 without dropout is the one good trial; dropout 1.5 fails to build, lr 1e30 diverges.
    expect(parallel[0].params).toEqual({ lr: 0.05, dropout: 0 });
    expect(parallel[0].error).toBeUndefined();
    expect(Number.isFinite(parallel[0].score)).toBe(true);
    const failed = parallel.slice(1);
    expect(failed.map((e) => e.score)).toEqual([NaN, NaN, NaN]);
    expect(failed.map((e) => e.model)).toEqual([undefined, undefined, undefined]);
    expect(failed.find((e) => e.params.lr === 1e30 && e.params.dropout === 0)!.error!.message).toMatch(/^fit: the loss became (NaN|Infinity|-Infinity) at epoch 1\/2/);
    expect(failed.filter((e) => e.params.dropout === 1.5).map((e) => e.error!.constructor)).toEqual([RangeError, RangeError]);
    expect(String(parallel).split('\n')[0]).toMatch(/accuracy\s+error$/);
  });

  it('when every trial fails, the search rejects with the first error', async () => {
    await expect(gridSearch(spec, { dropout: [1.5, 2] }, { ...common, workers: 2 })).rejects.toThrow(RangeError);
  });

  it('an abort stops the running trials after their current batch, starts no others, and ends every worker', async () => {
    const before = osThreads();
    const controller = new AbortController();
    const lines: string[] = [];
    let liveDuring = 0;
    // Aborts once both workers are up (however long a loaded machine takes to start them), after
    // they have had a moment to start training.
    const poll = setInterval(() => {
      if (osThreads() < before + 2) return;
      clearInterval(poll);
      liveDuring = osThreads();
      setTimeout(() => controller.abort(), 300);
    }, 25);
    const result = await gridSearch(spec, { lr: [0.01, 0.02, 0.03, 0.04, 0.05, 0.06] }, {
      ...common, epochs: 100_000, batchSize: 8, workers: 2, signal: controller.signal, verbose: 2, output: { write: (t: string) => { lines.push(t); } },
    });
    clearInterval(poll);
    // The two running trials end as aborted, each far from its 100 000 epochs; no others began.
    expect(result.length).toBe(2);
    for (const e of result) {
      expect(e.history.stopped).toBe('aborted');
      expect(e.history.epoch.length).toBeLessThan(100_000);
    }
    expect(lines.length).toBe(2);
    expect(liveDuring).toBeGreaterThanOrEqual(before + 2);
    expect(osThreads()).toBeLessThanOrEqual(before);
    expect(threads()).toBe(1);
  });

  it('workers end with the call, and the thread setting is restored', async () => {
    threads(2);
    try {
      const before = osThreads();
      await crossValidate(spec, train.x, train.y, { folds: 3, epochs: 1, workers: 3 });
      expect(osThreads()).toBeLessThanOrEqual(before);
      expect(threads()).toBe(2);
    } finally {
      threads(1);
    }
  });
});

describe('parallel runs: bad builders fail before any worker starts', () => {
  const closure = (): Sequential => new Sequential([new Dense(2, 2)]).compile({ loss: 'softmaxCrossentropy', optimizer: adam() });

  async function rejection(run: () => Promise<unknown>): Promise<Error> {
    const before = osThreads();
    let caught: unknown;
    try { await run(); } catch (err) { caught = err; }
    expect(osThreads()).toBeLessThanOrEqual(before);
    expect(caught).toBeInstanceOf(Error);
    return caught as Error;
  }

  it('a closure with workers > 1', async () => {
    const err = await rejection(() => gridSearch(closure, { lr: [1] }, { ...common, workers: 2 }));
    expect(err.constructor).toBe(TypeError);
    expect(err.message).toBe('gridSearch: expected builder to be a model spec ({ mlp, compile }, { architecture, compile } or { module }) ' +
      'with options.workers 2, since a closure cannot be sent to a worker thread (or workers: 1 to run the closure here), received function');
    const ens = await rejection(() => trainEnsemble(closure, train.x, train.y, { workers: 4 }));
    expect(ens.message).toMatch(/^trainEnsemble: expected build to be a model spec .* with options\.workers 4/);
    const cv = await rejection(() => crossValidate(closure, train.x, train.y, { workers: 2 }));
    expect(cv.message).toMatch(/^crossValidate: expected build to be a model spec .* with options\.workers 2/);
  });

  it('an unknown layer kind, an unknown parameter, a missing module, an optimizer instance, a callback', async () => {
    const arch = new Sequential([new Dense(2, 4), new Dense(4, 2)]).toJSON();
    const bad: ArchitectureSpec = { architecture: { ...arch, layers: [arch.layers[0], { kind: 'Convolution', config: {} }] }, compile: { loss: 'mse' } };
    const kind = await rejection(() => gridSearch(bad, { lr: [1] }, { ...common, workers: 2 }));
    expect(kind.message).toMatch(/^gridSearch: expected builder\.architecture\.layers\[1\]\.kind to be one of Dense, .*, received "Convolution"$/);
    const param = await rejection(() => gridSearch(spec, { units: [4] }, { ...common, workers: 2 }));
    expect(param.message).toMatch(/^gridSearch: expected grid to be parameters a mlp spec understands \(seed, loss, .*\); for others use a module spec \{ module \} whose build function reads them, received 'units'$/);
    const missing = await rejection(() => gridSearch({ module: './no/such/module.js' }, { lr: [1] }, { ...common, workers: 2 }));
    expect(missing.message).toBe('gridSearch: expected builder.module to be a module that exists, received "./no/such/module.js"');
    const broken = path.join(__dirname, 'fixtures', 'broken-module.cjs');
    const throws = await rejection(() => gridSearch({ module: broken }, { lr: [1] }, { ...common, workers: 2 }));
    expect(throws.message).toBe(`gridSearch: expected builder.module to be a CommonJS module that loads, received ${broken}, which threw: boom`);
    const instance = await rejection(() => crossValidate({ ...spec, compile: { loss: 'mse', optimizer: adam() as never } }, train.x, train.y, { workers: 2 }));
    expect(instance.constructor).toBe(TypeError);
    expect(instance.message).toMatch(/^crossValidate: expected build.compile.optimizer to be/);
    const callback = await rejection(() => gridSearch(spec, { lr: [1] }, { ...common, workers: 2, callbacks: { onEpochEnd: () => undefined } }));
    expect(callback.message).toMatch(/^gridSearch: expected options\.callbacks\.onEpochEnd to be plain data \(a function cannot be sent to a worker thread; use workers: 1\), received/);
  });
});
