import type { NamedTensor } from '../io/safetensors';
import type { ModelRecord } from '../io/model-record';
import type { Layer, Param } from '../layers/layer';
import type { Random, RandomState } from '../random';
import { compiledOf, isCompiled, type CompileOptions } from '../train/compile';
import { checkBoolean, fail, shapeString } from '../validate';

// The model's side of a saved file: what a model puts into the plain record io writes, and how a
// freshly built model takes its weights, state, training configuration and generator back.

/** What a save writes besides the weights. */
export interface SaveOptions {
  /** Also save the optimizer's state (moments, step count) so training resumes exactly. Default true. */
  optimizer?: boolean;
  /** JSON-serialisable extras kept with the model (e.g. { classNames, scaler }). */
  extra?: Record<string, unknown>;
}

/** What saving and loading need from a model (Sequential provides it). */
export interface RecordableModel {
  readonly built: boolean;
  readonly layers: readonly Layer[];
  readonly rng: Random;
  paramEntries(): { key: string; param: Param }[];
  toJSON(): object;
  compile(options: CompileOptions): unknown;
}

const OPTIMIZER_NAME = 'optimizer.';

/** The optimizer's tensors under the names they have in the file, for messages. */
function prefixed(slots: ReadonlyMap<string, NamedTensor>): Map<string, NamedTensor> {
  return new Map([...slots].map(([k, t]) => [OPTIMIZER_NAME + k, t]));
}

/** The same error class with a message that says where in the file the problem is. */
function rewordError(err: unknown, prefix: string): unknown {
  if (err instanceof TypeError) return new TypeError(prefix + err.message);
  if (err instanceof RangeError) return new RangeError(prefix + err.message);
  return err;
}

const stateKey = (layerIndex: number, name: string): string => `state.${layerIndex}.${name}`;
const slotKey = (slot: number, paramKey: string): string => `s${slot}.${paramKey}`;

export function modelRecord(fn: string, model: RecordableModel, options: SaveOptions = {}): ModelRecord {
  if (typeof options !== 'object' || options === null) fail(fn, 'options', 'an object { optimizer?, extra? }', options, 'type');
  if (!model.built) throw new Error(`${fn}: the model is not built yet; build(inputShape) or train it first`);
  const withOptimizer = options.optimizer === undefined ? true : checkBoolean(fn, 'options.optimizer', options.optimizer);
  const extra = options.extra ?? {};
  if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) fail(fn, 'options.extra', 'a plain object', extra, 'type');
  const tensors = new Map<string, NamedTensor>();
  const entries = model.paramEntries();
  for (const { key, param } of entries) tensors.set(key, { shape: param.shape, data: param.value });
  model.layers.forEach((layer, i) => {
    for (const s of layer.state()) tensors.set(stateKey(i, s.name), { shape: s.shape, data: s.value });
  });
  for (const [name, t] of tensors) checkFinite(fn, `tensor '${name}'`, t.data);
  const record: ModelRecord = {
    architecture: model.toJSON() as Record<string, unknown>,
    tensors,
    random: model.rng.getState(),
    extra,
  };
  if (isCompiled(model)) {
    const c = compiledOf(fn, model);
    record.training = {
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
      const slots = new Map<string, NamedTensor>();
      state.buffers.forEach((bufs, i) => bufs.forEach((data, j) => {
        slots.set(slotKey(j + 1, entries[i].key), { shape: entries[i].param.shape, data });
      }));
      record.optimizer = { step: state.step, tensors: slots };
    }
  }
  return record;
}

/** The file's tensor for `name`, with exactly the shape the architecture gives it. */
function tensorFor(fn: string, name: string, shape: readonly number[], tensors: ReadonlyMap<string, NamedTensor>, used: Set<string>): Float32Array {
  const t = tensors.get(name);
  if (t === undefined) throw new RangeError(`${fn}: the file has no tensor '${name}' that the architecture needs (corrupted file?)`);
  if (shapeString(t.shape) !== shapeString(shape)) {
    throw new RangeError(`${fn}: tensor '${name}' has shape ${shapeString(t.shape)}, the architecture needs ${shapeString(shape)} (corrupted file?)`);
  }
  used.add(name);
  return t.data;
}

function checkAllUsed(fn: string, what: string, tensors: ReadonlyMap<string, NamedTensor>, used: Set<string>): void {
  for (const name of tensors.keys()) {
    if (!used.has(name)) throw new RangeError(`${fn}: the file has ${what} '${name}' that the architecture does not use (corrupted file?)`);
  }
}

/** Saving refuses what loading would: a model with a NaN or an infinity in its numbers. */
function checkFinite(fn: string, name: string, data: Float32Array): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new RangeError(`${fn}: ${name} holds ${data[i]} at index ${i}; a model with non-finite numbers cannot be saved`);
    }
  }
}

/** Gives a model freshly built from record.architecture the record's weights, state, training
 *  configuration (with the optimizer's state) and generator state. */
export function restoreRecord(fn: string, model: RecordableModel, record: ModelRecord): void {
  if (!model.built) throw new RangeError(`${fn}: the saved architecture has no input shape (corrupted file?)`);
  // Everything is checked before the model takes any of it.
  const used = new Set<string>();
  const entries = model.paramEntries();
  const copies: [Float32Array, Float32Array][] = [];
  for (const { key, param } of entries) copies.push([param.value, tensorFor(fn, key, param.shape, record.tensors, used)]);
  model.layers.forEach((layer, i) => {
    for (const s of layer.state()) copies.push([s.value, tensorFor(fn, stateKey(i, s.name), s.shape, record.tensors, used)]);
  });
  checkAllUsed(fn, 'a tensor', record.tensors, used);
  for (const [dest, src] of copies) dest.set(src);
  if (record.random !== undefined) {
    try {
      model.rng.setState(record.random as RandomState);
    } catch (err) {
      throw rewordError(err, `${fn}: the random generator state in the file is not valid (corrupted file?): `);
    }
  }
  if (record.training === undefined) return;
  try {
    model.compile(record.training as unknown as CompileOptions);
  } catch (err) {
    throw rewordError(err, `${fn}: the training configuration in the file is not valid (corrupted file?): `);
  }
  if (record.optimizer === undefined) return;
  const slots = record.optimizer.tensors;
  const usedSlots = new Set<string>();
  const buffers = entries.map((e) => [1, 2]
    .filter((j) => slots.has(slotKey(j, e.key)))
    .map((j) => tensorFor(fn, `${OPTIMIZER_NAME}${slotKey(j, e.key)}`, e.param.shape, prefixed(slots), usedSlots)));
  checkAllUsed(fn, 'optimizer state', prefixed(slots), usedSlots);
  try {
    compiledOf(fn, model).optimizer.importState(entries.map((e) => e.param), { step: record.optimizer.step, buffers });
  } catch (err) {
    throw rewordError(err, `${fn}: the optimizer state in the file does not fit the optimizer (corrupted file?): `);
  }
}
