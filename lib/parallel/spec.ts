// A model description that can cross into a worker thread: the trial is rebuilt there from plain
// data (or from a module the worker loads), because a closure cannot be sent to another thread.

import * as path from 'node:path';
import type { OptName } from '../backend/types';
import { buildMlp } from '../model/mlp';
import { activationNames, type ActivationName } from '../layers/activation-fn';
import { layerClasses } from '../layers/index';
import { lossNames, type LossName } from '../losses/index';
import { Sequential, type SequentialJSON } from '../model/sequential';
import type { OptimizerConfig } from '../optim/optimizer';
import { optimizerNames } from '../optim/optimizers';
import type { CompileOptions } from '../train/compile';
import type { TrainableModel } from '../train/model';
import { checkBoolean, checkInt, checkOneOf, checkRange, fail } from '../validate';

/** compile()'s options as plain data: the loss and optimizer by name. */
export interface SpecCompileOptions extends Omit<CompileOptions, 'loss' | 'optimizer'> {
  loss: LossName;
  /** A name or { name, ...settings } (default 'adam'). */
  optimizer?: OptName | OptimizerConfig;
}

/** The multilayer perceptron `blasnet train` builds (Dense → (BatchNorm) → activation → (Dropout)
 *  per hidden layer, then a linear output layer). */
export interface MlpModelSpec {
  mlp: { inputs: number; outputs: number; hidden?: readonly number[]; activation?: ActivationName; dropout?: number; batchNorm?: boolean };
  compile: SpecCompileOptions;
  /** Seed of the weights (default 0). */
  seed?: number;
}

/** Any architecture, as Sequential.toJSON() (and save/load) writes it. */
export interface ArchitectureSpec {
  architecture: SequentialJSON;
  compile: SpecCompileOptions;
  seed?: number;
}

/** A CommonJS module (a path, or a package name) whose export (default `build`) makes the compiled model;
 *  it is called with what a closure builder would be given (the parameters, or the seed). */
export interface ModuleSpec {
  module: string;
  export?: string;
}

/** A model that a worker thread can rebuild: an MLP description, an architecture JSON, or a module path. */
export type ModelSpec = MlpModelSpec | ArchitectureSpec | ModuleSpec;

/** Search parameters a data spec understands, by what they change. */
const modelParams = ['hidden', 'activation', 'dropout', 'batchNorm'];
const compileParams = ['loss', 'optimizer', 'lr', 'metrics', 'l1', 'l2', 'clipValue', 'clipNorm'];
/** Parameters that are fit options rather than part of the model. */
export const fitParams = ['epochs', 'batchSize'];

export function isModelSpec(value: unknown): value is ModelSpec {
  return value !== null && typeof value === 'object' && !Array.isArray(value) &&
    ('mlp' in value || 'architecture' in value || 'module' in value);
}

/** Fails unless the value is plain data a worker can receive (no functions, no class instances). */
export function checkPlainData(fn: string, arg: string, value: unknown): void {
  if (value === null || ['number', 'string', 'boolean', 'undefined'].includes(typeof value)) return;
  if (typeof value === 'function') fail(fn, arg, 'plain data (a function cannot be sent to a worker thread; use workers: 1)', value, 'type');
  if (typeof value !== 'object') fail(fn, arg, 'plain data', value, 'type');
  if (ArrayBuffer.isView(value)) return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkPlainData(fn, `${arg}[${i}]`, v));
    return;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    fail(fn, arg, 'plain data (a class instance cannot be sent to a worker thread; give it by name, or use workers: 1)', value, 'type');
  }
  for (const [key, v] of Object.entries(value)) checkPlainData(fn, `${arg}.${key}`, v);
}

/**
 * Checks a spec before any worker starts: its form, its layer kinds, its compile options, the
 * module and its export. Returns the spec with a module path made absolute (workers load it from
 * there, whatever their working directory).
 */
export function checkModelSpec(fn: string, arg: string, spec: ModelSpec): ModelSpec {
  if (!isModelSpec(spec)) fail(fn, arg, 'a function, or a model spec: { mlp, compile }, { architecture, compile } or { module }', spec, 'type');
  const forms = ['mlp', 'architecture', 'module'].filter((k) => k in spec);
  if (forms.length !== 1) fail(fn, arg, 'exactly one of mlp, architecture and module', forms.join(' and '));
  if ('module' in spec) return checkModuleSpec(fn, arg, spec);
  checkPlainData(fn, arg, spec);
  for (const key of Object.keys(spec)) {
    if (![forms[0], 'compile', 'seed'].includes(key)) fail(fn, arg, `keys among ${forms[0]}, compile, seed`, `unknown key '${key}'`);
  }
  if (spec.seed !== undefined) checkInt(fn, `${arg}.seed`, spec.seed, 0, 2 ** 32 - 1);
  checkCompile(fn, `${arg}.compile`, spec.compile);
  if ('mlp' in spec) checkMlp(fn, `${arg}.mlp`, spec.mlp);
  else checkArchitecture(fn, `${arg}.architecture`, spec.architecture);
  return spec;
}

function checkModuleSpec(fn: string, arg: string, spec: ModuleSpec): ModuleSpec {
  if (typeof spec.module !== 'string' || spec.module === '') fail(fn, `${arg}.module`, 'a module path or package name', spec.module, 'type');
  const name = spec.export ?? 'build';
  if (typeof name !== 'string') fail(fn, `${arg}.export`, 'the name of an exported function', name, 'type');
  const request = spec.module.startsWith('.') ? path.resolve(spec.module) : spec.module;
  let file: string;
  try {
    file = require.resolve(request);
  } catch {
    return fail(fn, `${arg}.module`, 'a module that exists', JSON.stringify(spec.module));
  }
  let loaded: Record<string, unknown>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(file) as Record<string, unknown>;
  } catch (err) {
    return fail(fn, `${arg}.module`, 'a CommonJS module that loads', `${file}, which threw: ${(err as Error).message.split('\n')[0]}`);
  }
  const exported = loaded[name];
  if (typeof exported !== 'function') fail(fn, `${arg}.export`, `a function exported by ${file} as '${name}'`, exported, 'type');
  return { module: file, export: name };
}

function checkCompile(fn: string, arg: string, compile: SpecCompileOptions): void {
  if (compile === null || typeof compile !== 'object') fail(fn, arg, "compile options as plain data ({ loss: 'mse', optimizer: 'adam' })", compile, 'type');
  checkOneOf(fn, `${arg}.loss`, compile.loss, lossNames);
  const opt = compile.optimizer;
  if (opt !== undefined) {
    if (typeof opt === 'string') checkOneOf(fn, `${arg}.optimizer`, opt, optimizerNames);
    else if (opt === null || typeof opt !== 'object') fail(fn, `${arg}.optimizer`, 'a name or { name, ...settings }', opt, 'type');
    else checkOneOf(fn, `${arg}.optimizer.name`, opt.name, optimizerNames);
  }
}

function checkMlp(fn: string, arg: string, mlp: MlpModelSpec['mlp']): void {
  if (mlp === null || typeof mlp !== 'object') fail(fn, arg, '{ inputs, outputs, hidden?, activation?, dropout?, batchNorm? }', mlp, 'type');
  for (const key of Object.keys(mlp)) {
    if (!['inputs', 'outputs', ...modelParams].includes(key)) fail(fn, arg, `keys among inputs, outputs, ${modelParams.join(', ')}`, `unknown key '${key}'`);
  }
  checkInt(fn, `${arg}.inputs`, mlp.inputs, 1);
  checkInt(fn, `${arg}.outputs`, mlp.outputs, 1);
  if (mlp.hidden !== undefined) hiddenOf(fn, `${arg}.hidden`, mlp.hidden);
  if (mlp.activation !== undefined) checkOneOf(fn, `${arg}.activation`, mlp.activation, activationNames);
  if (mlp.dropout !== undefined) checkRange(fn, `${arg}.dropout`, mlp.dropout, 0, 1, true);
  if (mlp.batchNorm !== undefined) checkBoolean(fn, `${arg}.batchNorm`, mlp.batchNorm);
}

function checkArchitecture(fn: string, arg: string, json: SequentialJSON): void {
  if (json === null || typeof json !== 'object' || json.format !== 'blasnet.sequential') {
    fail(fn, arg, "Sequential.toJSON()'s output (format 'blasnet.sequential')", json, 'type');
  }
  if (!Array.isArray(json.layers) || json.layers.length === 0) fail(fn, `${arg}.layers`, 'a non-empty array of layers', json.layers, 'type');
  json.layers.forEach((layer, i) => {
    if (typeof layer?.kind !== 'string' || !Object.hasOwn(layerClasses, layer.kind)) {
      fail(fn, `${arg}.layers[${i}].kind`, `one of ${Object.keys(layerClasses).join(', ')}`, JSON.stringify(layer?.kind));
    }
  });
}

function hiddenOf(fn: string, arg: string, value: unknown): number[] {
  const list = typeof value === 'number' ? [value] : value;
  if (!Array.isArray(list)) fail(fn, arg, 'hidden layer widths (an array of integers ≥ 1)', value, 'type');
  return list.map((v, i) => checkInt(fn, `${arg}[${i}]`, v, 1));
}

/** Fails on a parameter name a data spec does not know (a module builder receives them all). */
export function checkSpecParams(fn: string, arg: string, spec: ModelSpec, names: readonly string[]): void {
  if ('module' in spec) return;
  const known = ['seed', ...compileParams, ...fitParams, ...('mlp' in spec ? modelParams : [])];
  for (const name of names) {
    if (!known.includes(name)) {
      fail(fn, arg, `parameters a ${'mlp' in spec ? 'mlp' : 'architecture'} spec understands (${known.join(', ')}); ` +
        'for others use a module spec { module } whose build function reads them', `'${name}'`);
    }
  }
}

/** What a spec's build is called with: search parameters, an ensemble member's seed, or nothing. */
export type BuildArg = Record<string, unknown> | number | undefined;

/** Builds the compiled model a spec describes, with the parameters (or seed) applied. */
export async function buildFromSpec(spec: ModelSpec, arg: BuildArg): Promise<TrainableModel> {
  if ('module' in spec) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const build = (require(spec.module) as Record<string, (a?: unknown) => TrainableModel | Promise<TrainableModel>>)[spec.export ?? 'build'];
    return arg === undefined ? build() : build(arg);
  }
  const params: Record<string, unknown> = typeof arg === 'object' ? arg : {};
  const seed = typeof arg === 'number' ? arg : ((params.seed as number | undefined) ?? spec.seed ?? 0);
  let model: Sequential;
  if ('mlp' in spec) {
    const m = spec.mlp;
    model = buildMlp({
      inputs: m.inputs,
      outputs: m.outputs,
      hidden: hiddenOf('buildFromSpec', 'hidden', params.hidden ?? m.hidden ?? []),
      activation: (params.activation ?? m.activation ?? 'relu') as ActivationName,
      dropout: (params.dropout ?? m.dropout ?? 0) as number,
      batchNorm: (params.batchNorm ?? m.batchNorm ?? false) as boolean,
      seed,
    });
  } else {
    model = Sequential.fromJSON(spec.architecture, { seed });
  }
  const { lr, loss, optimizer, metrics, l1, l2, clipValue, clipNorm } = params;
  const base = spec.compile;
  let opt: OptName | OptimizerConfig = (optimizer ?? base.optimizer ?? 'adam') as OptName | OptimizerConfig;
  if (lr !== undefined) opt = typeof opt === 'string' ? { name: opt, lr: lr as number } : { ...opt, lr: lr as number };
  const overrides = Object.fromEntries(Object.entries({ loss, metrics, l1, l2, clipValue, clipNorm }).filter(([, v]) => v !== undefined));
  model.compile({ ...base, ...overrides, optimizer: opt } as CompileOptions);
  return model;
}
