// Training the members of an ensemble: the same architecture from different seeds, so each member
// starts from other initial weights and sees the data in another order.

import { dataSetOf, type Build, type JobOutcome } from '../parallel/job';
import { checkWorkerFitOptions, runJobs, workersFor } from '../parallel/pool';
import { TrialProgress } from '../parallel/progress';
import { checkModelSpec, isModelSpec, type ModelSpec } from '../parallel/spec';
import type { DataInput } from '../train/data';
import type { FitOptions } from '../train/fit';
import type { OutputStream, Verbosity } from '../train/progress';
import { checkInt, fail } from '../validate';
import { Ensemble, type EnsembleOptions } from './ensemble';
import { Sequential } from './sequential';

/** Options of {@link trainEnsemble}: fit's options, the ensemble's, and how many members. */
export interface TrainEnsembleOptions extends FitOptions, EnsembleOptions {
  /** How many members (default 5, or seeds.length when seeds are given). */
  members?: number;
  /** One seed per member (default 1, 2, …, members). */
  seeds?: readonly number[];
  /** Members trained at once, each on its own worker thread with one compute thread (default: the
   *  core count for a model spec; 1 for a build function, which cannot leave this thread). With
   *  workers > 1, `verbose` prints a line per finished member instead of fit's progress. */
  workers?: number;
}

const ensembleKeys = ['members', 'seeds', 'combine', 'workers'];

/**
 * Builds one model per seed with `build(seed)` (which returns a compiled Sequential, typically
 * `new Sequential([...], { seed }).compile(...)`), fits each on (x, y) with the fit options, and
 * returns their Ensemble. `build` may instead be a model spec ({ mlp, compile },
 * { architecture, compile } or { module }, its seed replaced by the member's): then members train
 * options.workers at a time on worker threads, with the same weights as one after another.
 *
 * @example
 *   const ensemble = await trainEnsemble(
 *     (seed) => new Sequential([new Dense(2, 16, { activation: 'tanh' }), new Dense(16, 2)], { seed })
 *       .compile({ loss: 'softmaxCrossentropy', optimizer: 'adam' }),
 *     x, y, { members: 5, epochs: 50 });
 */
export async function trainEnsemble(build: ((seed: number) => Sequential) | ModelSpec, x: DataInput, y: DataInput,
  options: TrainEnsembleOptions = {}): Promise<Ensemble> {
  const fn = 'trainEnsemble';
  if (typeof build !== 'function' && !isModelSpec(build)) {
    fail(fn, 'build', 'a function (seed) => Sequential, or a model spec ({ mlp, compile }, { architecture, compile } or { module })', build, 'type');
  }
  if (options === null || typeof options !== 'object' || Array.isArray(options)) fail(fn, 'options', 'an options object', options, 'type');
  const seeds = seedsOf(fn, options);
  const workers = workersFor(fn, 'build', build, options.workers);
  // Everything that is not about the ensemble goes to fit, which checks it.
  const fitOptions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) if (!ensembleKeys.includes(key)) fitOptions[key] = value;
  const combine = options.combine === undefined ? {} : { combine: options.combine };
  if (typeof build !== 'function') return new Ensemble(await trainOnWorkers(fn, checkModelSpec(fn, 'build', build), x, y, seeds, workers, fitOptions), combine);
  const models: Sequential[] = [];
  for (let i = 0; i < seeds.length; i++) {
    const model = build(seeds[i]);
    if (!(model instanceof Sequential)) fail(fn, `build(${seeds[i]})'s result`, 'a Sequential model', model, 'type');
    await model.fit(x, y, fitOptions as FitOptions);
    models.push(model);
  }
  return new Ensemble(models, combine);
}

/** One job per seed; the first failure (after all have run) is thrown, as the serial loop would. */
async function trainOnWorkers(fn: string, spec: ModelSpec, x: DataInput, y: DataInput, seeds: number[], workers: number,
  fitOptions: Record<string, unknown>): Promise<Sequential[]> {
  const { verbose, output, signal, ...fit } = fitOptions as FitOptions & Record<string, unknown>;
  if (workers > 1) checkWorkerFitOptions(fn, fit, []);
  const train = dataSetOf(fn, 'x', x, 'y', y);
  const progress = new TrialProgress((verbose ?? 1) as Verbosity, (output ?? process.stdout) as OutputStream, seeds.length, 'member');
  const jobs = seeds.map((seed, id) => ({ id, arg: seed, fit, train: { set: 'train', start: 0, end: train.n }, keepModel: true }));
  let outcomes: JobOutcome[];
  try {
    outcomes = await runJobs({
      fn, jobs, workers, build: spec as unknown as Build, sets: { train }, ...(signal === undefined ? {} : { signal }),
      onDone: (o) => progress.finished(`seed ${seeds[o.id]}`, o.ok ? lastLogs(o.history) : o.error, o.seconds),
    });
  } finally {
    progress.end();
  }
  return outcomes.map((o) => {
    if (!o.ok) throw o.error;
    if (!(o.model instanceof Sequential)) fail(fn, `build(${seeds[o.id]})'s result`, 'a Sequential model', o.model, 'type');
    return o.model;
  });
}

function lastLogs(history: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, list] of Object.entries(history)) {
    if (key !== 'epoch' && key !== 'lr' && Array.isArray(list) && list.length > 0) out[key] = list[list.length - 1] as number;
  }
  return out;
}

function seedsOf(fn: string, options: TrainEnsembleOptions): number[] {
  const count = options.members === undefined ? undefined : checkInt(fn, 'options.members', options.members, 1);
  if (options.seeds === undefined) return Array.from({ length: count ?? 5 }, (_, i) => i + 1);
  if (!Array.isArray(options.seeds)) fail(fn, 'options.seeds', 'an array of integer seeds', options.seeds, 'type');
  if (options.seeds.length === 0) fail(fn, 'options.seeds', 'a non-empty array of integer seeds', 'an empty array');
  if (count !== undefined && options.seeds.length !== count) {
    fail(fn, 'options.seeds', `${count} seeds (one per member)`, `${options.seeds.length}`);
  }
  return options.seeds.map((seed, i) => checkInt(fn, `options.seeds[${i}]`, seed, 0, 2 ** 32 - 1));
}
