import { Sequential, type SequentialJSON } from './sequential';
import { layerLabel } from './summary';
import type { Layer } from '../layers/layer';
import { fail, shapeString } from '../validate';
import { decodeSafetensors } from '../io/safetensors';
import { readSource } from '../io/read-source';

// A PyTorch nn.Sequential's state_dict (saved with safetensors) onto a blasnet architecture. The
// layouts already agree (nn.Linear's weight is [out, in], as Dense's); only the keys differ:
// PyTorch numbers every module, parameterised or not (`0.weight`, `2.weight` around a ReLU at 1),
// so the k-th module with parameters maps onto the k-th blasnet layer with parameters.

/** Options of {@link loadPyTorch}: the blasnet architecture the state_dict's tensors go into. */
export interface LoadPyTorchOptions {
  /** The blasnet architecture (Sequential.toJSON(), the model file's `architecture`), with its input shape. */
  architecture: SequentialJSON | Sequential;
  /** A prefix in front of every key, e.g. 'net.' for a state_dict of a module holding the Sequential. */
  prefix?: string;
}

const FN = 'loadPyTorch';
const KEY = /^(\d+)\.(weight|bias|running_mean|running_var|num_batches_tracked)$/;

/** The PyTorch names of a layer's values, with blasnet's name and expected shape. */
function expectedKeys(layer: Layer, where: string): { torch: string; blasnet: string; shape: readonly number[] }[] {
  const shapeOf = (name: string): readonly number[] => [...layer.params(), ...layer.state()].find((p) => p.name === name)!.shape;
  switch (layer.kind) {
    case 'Dense':
      return layer.params().map((p) => ({ torch: p.name, blasnet: p.name, shape: p.shape }));
    case 'LayerNorm':
      return [{ torch: 'weight', blasnet: 'gamma', shape: shapeOf('gamma') }, { torch: 'bias', blasnet: 'beta', shape: shapeOf('beta') }];
    case 'BatchNorm':
      return [{ torch: 'weight', blasnet: 'gamma', shape: shapeOf('gamma') }, { torch: 'bias', blasnet: 'beta', shape: shapeOf('beta') },
        { torch: 'running_mean', blasnet: 'runningMean', shape: shapeOf('runningMean') },
        { torch: 'running_var', blasnet: 'runningVar', shape: shapeOf('runningVar') }];
    default:
      if (layer.params().length === 0 && layer.state().length === 0) return [];
      throw new RangeError(`${FN}: ${where} ${layerLabel(layer)} has no nn.Sequential counterpart whose keys blasnet knows`);
  }
}

/**
 * Loads the weights of a PyTorch nn.Sequential (Linear, BatchNorm1d, LayerNorm and parameter-free
 * modules in between) saved as safetensors into a new model of the given architecture. Every key
 * is checked: a missing or surplus key, or a shape other than the architecture's, is a RangeError
 * naming the key, the expected and the received.
 *
 * @example
 *   // Python: safetensors.torch.save_file(net.state_dict(), 'net.safetensors')
 *   const model = loadPyTorch('net.safetensors', { architecture: new Sequential([
 *     new Dense(4, 16, { activation: 'relu' }), new Dense(16, 3)]).toJSON() });
 */
export function loadPyTorch(source: Uint8Array | string, options: LoadPyTorchOptions): Sequential {
  const bytes = readSource(FN, source, 'a safetensors path or its bytes (Uint8Array)');
  if (typeof options !== 'object' || options === null) fail(FN, 'options', 'an object { architecture }', options, 'type');
  const prefix = options.prefix ?? '';
  if (typeof prefix !== 'string') fail(FN, 'options.prefix', 'a string', prefix, 'type');
  const arch = options.architecture instanceof Sequential ? options.architecture.toJSON() : options.architecture;
  if (typeof arch !== 'object' || arch === null) fail(FN, 'options.architecture', 'a Sequential or its toJSON()', arch, 'type');
  const model = Sequential.fromJSON(arch);
  if (!model.built) fail(FN, 'options.architecture', 'an architecture with an input shape', 'inputShape null');

  const { tensors, skipped } = decodeSafetensors(bytes, { otherDtypes: 'skip' });
  // Module index → its keys, in module order.
  const modules = new Map<number, Set<string>>();
  for (const key of [...tensors.keys(), ...skipped.keys()]) {
    const m = key.startsWith(prefix) ? KEY.exec(key.slice(prefix.length)) : null;
    if (m === null) {
      throw new RangeError(`${FN}: key '${key}' is not an nn.Sequential parameter ('${prefix}<index>.weight', 'bias', 'running_mean', ` +
        "'running_var' or 'num_batches_tracked')");
    }
    const index = Number(m[1]);
    if (!modules.has(index)) modules.set(index, new Set());
    modules.get(index)!.add(m[2]);
  }
  const torchModules = [...modules.keys()].sort((a, b) => a - b);
  const layers = model.layers.map((layer, i) => ({ layer, i, keys: expectedKeys(layer, `layer ${i}`) })).filter((l) => l.keys.length > 0);
  if (torchModules.length !== layers.length) {
    throw new RangeError(`${FN}: the file has ${torchModules.length} modules with parameters (${torchModules.map((i) => `${prefix}${i}`).join(', ') || 'none'}), ` +
      `the architecture ${layers.length} layers with parameters (${layers.map((l) => `${l.i} ${layerLabel(l.layer)}`).join(', ') || 'none'})`);
  }
  layers.forEach(({ layer, i, keys }, k) => {
    const index = torchModules[k];
    const present = modules.get(index)!;
    const where = `layer ${i} ${layerLabel(layer)}`;
    for (const { torch, blasnet, shape } of keys) {
      const key = `${prefix}${index}.${torch}`;
      if (skipped.has(key)) throw new RangeError(`${FN}: key '${key}' is ${skipped.get(key)}; blasnet reads F32 (save with model.float())`);
      const t = tensors.get(key);
      if (t === undefined) throw new RangeError(`${FN}: key '${key}' is missing; ${where} expects it with shape ${shapeString(shape)}`);
      if (shapeString(t.shape) !== shapeString(shape)) {
        throw new RangeError(`${FN}: key '${key}' has shape ${shapeString(t.shape)}; ${where} expects ${shapeString(shape)}`);
      }
      [...layer.params(), ...layer.state()].find((p) => p.name === blasnet)!.value.set(t.data);
      present.delete(torch);
    }
    present.delete(layer.kind === 'BatchNorm' ? 'num_batches_tracked' : '');
    const extra = [...present][0];
    if (extra !== undefined) throw new RangeError(`${FN}: key '${prefix}${index}.${extra}' has no place in ${where}`);
  });
  return model;
}
