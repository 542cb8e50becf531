// Training the members of an ensemble: the same architecture from different seeds, so each member
// starts from other initial weights and sees the data in another order.

import type { DataInput } from '../train/data';
import type { FitOptions } from '../train/fit';
import { checkInt, fail } from '../validate';
import { Ensemble, type EnsembleOptions } from './ensemble';
import { Sequential } from './sequential';

/** Options of {@link trainEnsemble}: fit's options, the ensemble's, and how many members. */
export interface TrainEnsembleOptions extends FitOptions, EnsembleOptions {
  /** How many members (default 5, or seeds.length when seeds are given). */
  members?: number;
  /** One seed per member (default 1, 2, …, members). */
  seeds?: readonly number[];
}

const ensembleKeys = ['members', 'seeds', 'combine'];

/**
 * Builds one model per seed with `build(seed)` (which returns a compiled Sequential, typically
 * `new Sequential([...], { seed }).compile(...)`), fits each on (x, y) in turn with the fit options,
 * and returns their Ensemble.
 *
 * @example
 *   const ensemble = await trainEnsemble(
 *     (seed) => new Sequential([new Dense(2, 16, { activation: 'tanh' }), new Dense(16, 2)], { seed })
 *       .compile({ loss: 'softmaxCrossentropy', optimizer: 'adam' }),
 *     x, y, { members: 5, epochs: 50 });
 */
export async function trainEnsemble(build: (seed: number) => Sequential, x: DataInput, y: DataInput,
  options: TrainEnsembleOptions = {}): Promise<Ensemble> {
  const fn = 'trainEnsemble';
  if (typeof build !== 'function') fail(fn, 'build', 'a function (seed) => Sequential', build, 'type');
  if (options === null || typeof options !== 'object' || Array.isArray(options)) fail(fn, 'options', 'an options object', options, 'type');
  const seeds = seedsOf(fn, options);
  // Everything that is not about the ensemble goes to fit, which checks it.
  const fitOptions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) if (!ensembleKeys.includes(key)) fitOptions[key] = value;
  const models: Sequential[] = [];
  for (let i = 0; i < seeds.length; i++) {
    const model = build(seeds[i]);
    if (!(model instanceof Sequential)) fail(fn, `build(${seeds[i]})'s result`, 'a Sequential model', model, 'type');
    await model.fit(x, y, fitOptions as FitOptions);
    models.push(model);
  }
  return new Ensemble(models, options.combine === undefined ? {} : { combine: options.combine });
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
