import type { NamedTensor } from '../io/safetensors';
import type { ModelRecord } from '../io/model-record';
import type { Layer, Param } from '../layers/layer';
import type { Random, RandomState } from '../random';
import { compiledOf, isCompiled, type CompileOptions } from '../train/compile';
import { checkBoolean, fail } from '../validate';

// The model's side of a saved file: what a model puts into the plain record io writes, and how a
// freshly built model takes its weights, state, training configuration and generator back.

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

function copyInto(fn: string, name: string, dest: { shape: readonly number[]; value: Float32Array }, tensors: ReadonlyMap<string, NamedTensor>): void {
  const t = tensors.get(name);
  if (t === undefined) throw new RangeError(`${fn}: the file has no tensor '${name}' that the architecture needs (corrupted file?)`);
  if (t.data.length !== dest.value.length) {
    throw new RangeError(`${fn}: tensor '${name}' has ${t.data.length} values, the architecture needs ${dest.value.length}`);
  }
  dest.value.set(t.data);
}

/** Gives a model freshly built from record.architecture the record's weights, state, training
 *  configuration (with the optimizer's state) and generator state. */
export function restoreRecord(fn: string, model: RecordableModel, record: ModelRecord): void {
  if (!model.built) throw new RangeError(`${fn}: the saved architecture has no input shape`);
  const entries = model.paramEntries();
  for (const { key, param } of entries) copyInto(fn, key, param, record.tensors);
  model.layers.forEach((layer, i) => {
    for (const s of layer.state()) copyInto(fn, stateKey(i, s.name), s, record.tensors);
  });
  if (record.random !== undefined) model.rng.setState(record.random as RandomState);
  if (record.training === undefined) return;
  model.compile(record.training as unknown as CompileOptions);
  if (record.optimizer === undefined) return;
  const slots = record.optimizer.tensors;
  const buffers = entries.map((e) => [1, 2]
    .map((j) => slots.get(slotKey(j, e.key))?.data)
    .filter((d): d is Float32Array => d !== undefined));
  compiledOf(fn, model).optimizer.importState(entries.map((e) => e.param), { step: record.optimizer.step, buffers });
}
