import * as fs from 'node:fs';
import * as path from 'node:path';
import { Sequential, type SequentialJSON } from '../model/sequential';
import { compiledOf, isCompiled, type CompileOptions } from '../train/compile';
import { checkBoolean, fail } from '../validate';
import { writeFileAtomic } from './atomic';
import { decodeSafetensors, encodeSafetensors, type NamedTensor } from './safetensors';

// A saved model is one safetensors file: the weights (and, optionally, the optimizer's state) as F32
// tensors that other tools can read, and in the header's metadata, as JSON, the architecture, the
// training configuration and whatever the caller attaches (class names, the input scaler). One file
// means one atomic rename: a crash mid-save leaves the previous model whole.

export const MODEL_FILE = 'model.safetensors';
const FORMAT = 'blasnet.model';
const VERSION = 1;

/** What saveModel writes besides the weights. */
export interface SaveOptions {
  /** Also save the optimizer's state (moments, step count) so training resumes exactly. Default true. */
  optimizer?: boolean;
  /** JSON-serialisable extras kept with the model (e.g. { classNames, scaler }). */
  extra?: Record<string, unknown>;
}

interface ModelHeader {
  format: typeof FORMAT;
  version: number;
  architecture: SequentialJSON;
  training?: Omit<CompileOptions, 'loss' | 'optimizer'> & { loss: string; optimizer: Record<string, unknown> };
  optimizerStep?: number;
  extra?: Record<string, unknown>;
}

/** A model read from a file, with the extra JSON saved beside it. */
export interface LoadedModel {
  model: Sequential;
  extra: Record<string, unknown>;
}

/** Where a model lives: a `.safetensors` path is the file itself; anything else is a directory. */
export function modelFilePath(target: string): string {
  return target.endsWith('.safetensors') ? target : path.join(target, MODEL_FILE);
}

/** The bytes saveModel would write: the model (and, by default, its optimizer state) as safetensors. */
export function modelToBuffer(model: Sequential, options: SaveOptions = {}): Buffer {
  const fn = 'model.toBuffer';
  if (!(model instanceof Sequential)) fail(fn, 'model', 'a Sequential', model, 'type');
  if (!model.built) throw new Error(`${fn}: the model is not built yet; build(inputShape) or train it first`);
  const withOptimizer = options.optimizer === undefined ? true : checkBoolean(fn, 'options.optimizer', options.optimizer);
  const tensors = new Map<string, NamedTensor>();
  const entries = model.paramEntries();
  for (const { key, param } of entries) tensors.set(key, { shape: param.shape, data: param.value });
  model.layers.forEach((layer, i) => {
    for (const s of layer.state()) tensors.set(`state.${i}.${s.name}`, { shape: s.shape, data: s.value });
  });
  const header: ModelHeader = { format: FORMAT, version: VERSION, architecture: model.toJSON() };
  if (isCompiled(model)) {
    const c = compiledOf(fn, model);
    header.training = {
      loss: c.loss.name,
      optimizer: c.optimizer.config(),
      metrics: [...c.metrics],
      ...(c.penalties.l1 ? { l1: c.penalties.l1 } : {}),
      ...(c.penalties.l2 ? { l2: c.penalties.l2 } : {}),
      ...(c.clipValue ? { clipValue: c.clipValue } : {}),
      ...(c.clipNorm ? { clipNorm: c.clipNorm } : {}),
    };
    const state = withOptimizer ? c.optimizer.exportState(entries.map((e) => e.param)) : undefined;
    if (state !== undefined) {
      header.optimizerStep = state.step;
      state.buffers.forEach((bufs, i) => bufs.forEach((data, j) => {
        tensors.set(`optimizer.s${j + 1}.${entries[i].key}`, { shape: entries[i].param.shape, data });
      }));
    }
  }
  if (options.extra !== undefined) header.extra = options.extra;
  return encodeSafetensors(tensors, { blasnet: JSON.stringify(header) });
}

/** Saves to `target` (a directory, or a path ending in .safetensors) atomically; returns the file. */
export function saveModel(model: Sequential, target: string, options: SaveOptions = {}): string {
  if (typeof target !== 'string' || target === '') fail('model.save', 'path', 'a non-empty path string', target, 'type');
  const file = modelFilePath(target);
  writeFileAtomic(file, modelToBuffer(model, options));
  return file;
}

function readHeader(fn: string, metadata: Record<string, string>): ModelHeader {
  const raw = metadata.blasnet;
  if (typeof raw !== 'string') throw new RangeError(`${fn}: this safetensors file holds no blasnet model (no 'blasnet' metadata)`);
  let header: ModelHeader;
  try {
    header = JSON.parse(raw);
  } catch {
    throw new RangeError(`${fn}: the model description in the file is not valid JSON (corrupted file?)`);
  }
  if (header?.format !== FORMAT) throw new RangeError(`${fn}: not a blasnet model file (format ${JSON.stringify(header?.format)})`);
  if (header.version !== VERSION) {
    throw new RangeError(`${fn}: model file version ${JSON.stringify(header.version)} is not supported by this blasnet ` +
      `(it reads version ${VERSION}); upgrade blasnet or re-save the model`);
  }
  return header;
}

function copyInto(fn: string, name: string, dest: Float32Array, tensors: Map<string, NamedTensor>): void {
  const t = tensors.get(name);
  if (t === undefined) throw new RangeError(`${fn}: the file has no tensor '${name}' that the architecture needs (corrupted file?)`);
  if (t.data.length !== dest.length) {
    throw new RangeError(`${fn}: tensor '${name}' has ${t.data.length} values, the architecture needs ${dest.length}`);
  }
  dest.set(t.data);
}

/** Rebuilds a model from bytes written by modelToBuffer (weights bit-identical). */
export function modelFromBuffer(buf: Uint8Array): LoadedModel {
  const fn = 'loadModel';
  const { tensors, metadata } = decodeSafetensors(buf);
  const header = readHeader(fn, metadata);
  const model = Sequential.fromJSON(header.architecture);
  if (!model.built) throw new RangeError(`${fn}: the saved architecture has no input shape`);
  const entries = model.paramEntries();
  for (const { key, param } of entries) copyInto(fn, key, param.value, tensors);
  model.layers.forEach((layer, i) => {
    for (const s of layer.state()) copyInto(fn, `state.${i}.${s.name}`, s.value, tensors);
  });
  if (header.training !== undefined) {
    model.compile(header.training as unknown as CompileOptions);
    if (header.optimizerStep !== undefined) {
      const step: unknown = header.optimizerStep;
      if (typeof step !== 'number' || !Number.isInteger(step) || step < 1 || step > 2 ** 31 - 1) {
        throw new RangeError(`${fn}: the optimizer step count in the file is ${JSON.stringify(step)}, expected an integer ≥ 1 ` +
          '(corrupted file?)');
      }
      const optimizer = compiledOf(fn, model).optimizer;
      const params = entries.map((e) => e.param);
      const buffers = entries.map((e) => [1, 2]
        .map((j) => tensors.get(`optimizer.s${j}.${e.key}`)?.data)
        .filter((d): d is Float32Array => d !== undefined));
      optimizer.importState(params, { step, buffers });
    }
  }
  return { model, extra: header.extra ?? {} };
}

/** Loads a model saved with saveModel (a directory or a .safetensors file) or from a Buffer. */
export function loadModel(source: string | Uint8Array): LoadedModel {
  if (typeof source !== 'string') return modelFromBuffer(source);
  if (source === '') fail('loadModel', 'source', 'a path or a Buffer', '""');
  const file = modelFilePath(source);
  if (!fs.existsSync(file)) throw new Error(`loadModel: no model at ${file}`);
  return modelFromBuffer(fs.readFileSync(file));
}
