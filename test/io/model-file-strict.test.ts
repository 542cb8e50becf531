// Loading checks a model file whole before it builds anything: the architecture against the tensors
// (exact shapes, a bounded allocation), finite numbers, the data checksum, and clear messages.
import { describe, expect, test } from 'vitest';
import { allocationCount } from '../../lib/alloc';
import { decodeModelRecord, encodeModelRecord, type ModelRecord } from '../../lib/io/model-record';
import { decodeSafetensors, encodeSafetensors } from '../../lib/io/safetensors';
import { Dense } from '../../lib/layers/index';
import { Sequential } from '../../lib/model/sequential';
import { expectError } from '../helpers/errors';

function trained(): Sequential {
  const model = new Sequential([new Dense(2, 16, { activation: 'relu' }), new Dense(16, 2)], { seed: 4 });
  model.compile({ loss: 'softmaxCrossentropy', optimizer: 'adam' });
  const x = new Float32Array(64).map((_, i) => Math.sin(i));
  model.fitSync(x, new Float32Array(32).map((_, i) => i % 2), { epochs: 1, batchSize: 8, verbose: 0 });
  return model;
}

const model = trained();
const good = model.toBuffer();

/** The saved record, changed by `edit`, written again (with a checksum of the changed data). */
function edited(edit: (r: ModelRecord) => void): Buffer {
  const record = decodeModelRecord('test', good);
  edit(record);
  return encodeModelRecord(record);
}

/** A file with this architecture and these tensors, as a foreign writer would make it (raw header). */
function crafted(architecture: unknown, tensors: Map<string, { shape: number[]; data: Float32Array }>, extra: Record<string, unknown> = {}): Buffer {
  return encodeSafetensors(tensors, { blasnet: JSON.stringify({ format: 'blasnet.model', version: 1, architecture, ...extra }) });
}

const denseArch = (inputs: number, units: number) =>
  ({ format: 'blasnet.sequential', version: 1, inputShape: [inputs], layers: [{ kind: 'Dense', config: { inputs, units } }] });

describe('loading a model file strictly', () => {
  test('a 300-byte file declaring Dense(20000, 20000) fails before the layer allocates anything', () => {
    const file = crafted(denseArch(20000, 20000), new Map([['0.weight', { shape: [1], data: new Float32Array(1) }]]));
    expect(file.length).toBeLessThan(400);
    const before = allocationCount();
    expectError(() => Sequential.load(file), RangeError, 'loadModel: the architecture asks for a buffer of 400000000 values, more than ' +
      'a file storing 1 values may allocate (65539: 3 × its values + 65536); the architecture does not match the tensors (corrupted file?)');
    // The only typed array made is the file's own one-value tensor: the layer's were refused unmade.
    expect(allocationCount() - before).toBe(1);
  });

  test('a tensor with the right length but another shape is refused', () => {
    const file = edited((r) => {
      const w = r.tensors.get('0.weight')!;
      r.tensors.set('0.weight', { shape: [2, 16], data: w.data });
    });
    expectError(() => Sequential.load(file), RangeError, "loadModel: tensor '0.weight' has shape [2, 16], the architecture needs [16, 2] (corrupted file?)");
    const flat = edited((r) => r.tensors.set('1.bias', { shape: [1, 2], data: r.tensors.get('1.bias')!.data }));
    expectError(() => Sequential.load(flat), RangeError, "loadModel: tensor '1.bias' has shape [1, 2], the architecture needs [2] (corrupted file?)");
  });

  test('tensors and optimizer state that the architecture does not use are refused', () => {
    const extraTensor = edited((r) => r.tensors.set('9.weight', { shape: [1], data: new Float32Array(1) }));
    expectError(() => Sequential.load(extraTensor), RangeError, "loadModel: the file has a tensor '9.weight' that the architecture does not use (corrupted file?)");
    const extraSlot = edited((r) => r.optimizer!.tensors.set('s3.0.weight', { shape: [16, 2], data: new Float32Array(32) }));
    expectError(() => Sequential.load(extraSlot), RangeError,
      "loadModel: the file has optimizer state 'optimizer.s3.0.weight' that the architecture does not use (corrupted file?)");
    const badSlot = edited((r) => r.optimizer!.tensors.set('s1.0.weight', { shape: [32], data: new Float32Array(32) }));
    expectError(() => Sequential.load(badSlot), RangeError, "loadModel: tensor 'optimizer.s1.0.weight' has shape [32], the architecture needs [16, 2] (corrupted file?)");
    const missingSlot = edited((r) => r.optimizer!.tensors.delete('s2.0.bias'));
    expectError(() => Sequential.load(missingSlot), RangeError, 'loadModel: the optimizer state in the file does not fit the optimizer (corrupted file?): ' +
      'adam.importState: expected state.buffers[1] to be 2 buffers for adam, received 1');
  });

  test('a non-finite number anywhere is refused, naming the tensor and the index', () => {
    const nan = edited((r) => { r.tensors.get('0.weight')!.data[5] = NaN; });
    expectError(() => Sequential.load(nan), RangeError, "loadModel: tensor '0.weight' holds NaN at index 5 (corrupted file?)");
    const inf = edited((r) => { r.optimizer!.tensors.get('s2.1.bias')!.data[1] = -Infinity; });
    expectError(() => Sequential.load(inf), RangeError, "loadModel: tensor 'optimizer.s2.1.bias' holds -Infinity at index 1 (corrupted file?)");
    const broken = trained();
    broken.layers[1].params()[0].value[3] = Infinity;
    expectError(() => broken.toBuffer(), RangeError, "model.toBuffer: tensor '1.weight' holds Infinity at index 3; a model with non-finite numbers cannot be saved");
  });

  test('a flipped bit in the weights is an error; a file without a checksum still loads', () => {
    const flipped = Buffer.from(good);
    flipped[flipped.length - 5] ^= 0x01;
    expectError(() => Sequential.load(flipped), RangeError, 'loadModel: the tensor data does not match the checksum saved with it (corrupted file?)');
    const { tensors, metadata } = decodeSafetensors(good);
    const header = JSON.parse(metadata.blasnet);
    expect(header.dataSha256).toMatch(/^[0-9a-f]{64}$/);
    delete header.dataSha256;
    const legacy = Sequential.load(encodeSafetensors(tensors, { blasnet: JSON.stringify(header) }));
    const x = new Float32Array([0.3, -0.7, 1, 2]);
    expect(legacy.predict(x).data).toEqual(model.predict(x).data);
    header.dataSha256 = 'abc';
    expectError(() => Sequential.load(encodeSafetensors(tensors, { blasnet: JSON.stringify(header) })), RangeError,
      'loadModel: the data checksum in the file is "abc", expected 64 hex digits (corrupted file?)');
  });

  test('null or mistyped header parts get messages that say what and where', () => {
    const header = JSON.parse(decodeSafetensors(good).metadata.blasnet);
    const { tensors } = decodeSafetensors(good);
    const withHeader = (h: unknown) => encodeSafetensors(tensors, { blasnet: JSON.stringify(h) });
    expectError(() => Sequential.load(withHeader(null)), RangeError, 'loadModel: not a blasnet model file (format null)');
    expectError(() => Sequential.load(withHeader({ ...header, architecture: null })), RangeError,
      'loadModel: the architecture in the file is null, expected an object (corrupted file?)');
    expectError(() => Sequential.load(withHeader({ ...header, training: null })), RangeError,
      "loadModel: the 'training' entry in the file is null, expected an object (corrupted file?)");
    expectError(() => Sequential.load(withHeader({ ...header, extra: [1] })), RangeError,
      "loadModel: the 'extra' entry in the file is [1], expected an object (corrupted file?)");
    expectError(() => Sequential.load(withHeader({ ...header, random: { s: [0, 0, 0, 0], spare: null } })), RangeError,
      'loadModel: the random generator state in the file is not valid (corrupted file?): ' +
      'Random.setState: expected state.s to be four words not all zero, received [0, 0, 0, 0]');
    expectError(() => Sequential.load(withHeader({ ...header, random: null })), TypeError,
      'loadModel: the random generator state in the file is not valid (corrupted file?): ' +
      'Random.setState: expected state to be an object { s, spare } from getState(), received null');
    expect(() => Sequential.load(withHeader({ ...header, training: { ...header.training, loss: 'nope' } }))).toThrow(
      /^loadModel: the training configuration in the file is not valid \(corrupted file\?\): compile: expected options.loss/);
    expectError(() => Sequential.load(crafted({ ...denseArch(2, 2), layers: [] }, new Map())), RangeError,
      'Sequential.fromJSON: expected json.layers to be a non-empty array of layers, received []');
    expect(() => Sequential.load(crafted({ ...denseArch(2, 2), layers: [null] }, new Map()))).toThrow(
      /^Sequential.fromJSON: expected json.layers\[0\].kind to be one of Dense, .*, received undefined$/);
  });
});
