import { describe, expect, test } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Sequential, type SequentialJSON } from '../../lib/model/sequential';
import { loadPyTorch } from '../../lib/model/load-pytorch';
import { Activation, Dense, Residual } from '../../lib/layers/index';
import { Tensor } from '../../lib/tensor';
import { decodeSafetensors, encodeSafetensors } from '../../lib/io/safetensors';
import { describeEachBackend } from '../helpers/backends';
import { expectError } from '../helpers/errors';

// The fixtures are nn.Sequential state_dicts and PyTorch's own eval-mode outputs, written by
// test/fixtures/pytorch/make.py (with num_batches_tracked as I64, as PyTorch saves it).
const fixtures = path.resolve(__dirname, '..', 'fixtures', 'pytorch');
const read = (name: string) => ({
  bytes: fs.readFileSync(path.join(fixtures, `${name}.safetensors`)),
  fixture: JSON.parse(fs.readFileSync(path.join(fixtures, `${name}.json`), 'utf8')) as {
    architecture: SequentialJSON; input: { shape: number[]; data: number[] }; output: { shape: number[]; data: number[] };
  },
});

describeEachBackend('loadPyTorch matches PyTorch', () => {
  for (const name of ['mlp_relu', 'mlp_norms', 'mlp_flatten']) {
    test(name, () => {
      const { bytes, fixture } = read(name);
      const model = loadPyTorch(bytes, { architecture: fixture.architecture });
      const out = model.predict(new Tensor(Float32Array.from(fixture.input.data), fixture.input.shape));
      expect(out.shape).toEqual(fixture.output.shape);
      let worst = 0;
      out.data.forEach((v, i) => { worst = Math.max(worst, Math.abs(v - fixture.output.data[i]) / Math.max(1, Math.abs(fixture.output.data[i]))); });
      if (process.env.ONNX_PARITY) console.log(`parity loadPyTorch ${name} vs PyTorch: max error ${worst.toExponential(2)}`);
      expect(worst).toBeLessThanOrEqual(1e-5);
    });
  }
});

/** A safetensors file with any dtypes (encodeSafetensors writes F32 only). */
function rawSafetensors(entries: Record<string, { dtype: string; shape: number[]; bytes: number }>): Uint8Array {
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [name, e] of Object.entries(entries)) {
    header[name] = { dtype: e.dtype, shape: e.shape, data_offsets: [offset, offset + e.bytes] };
    offset += e.bytes;
  }
  const json = Buffer.from(JSON.stringify(header));
  const out = Buffer.alloc(8 + json.length + offset);
  out.writeBigUInt64LE(BigInt(json.length), 0);
  json.copy(out, 8);
  return out;
}

describe('loadPyTorch: keys and shapes are checked', () => {
  const { bytes, fixture } = read('mlp_relu');
  const arch = (layers: SequentialJSON['layers'], inputShape = [5]): SequentialJSON => ({ format: 'blasnet.sequential', version: 1, inputShape, layers });

  test('a Sequential or a path works as well as JSON and bytes; a prefix is stripped', () => {
    const model = new Sequential([new Dense(5, 16, { activation: 'relu' }), new Dense(16, 8, { activation: 'sigmoid' }),
      new Dense(8, 3, { activation: 'softmax' })]);
    const x = new Tensor(Float32Array.from(fixture.input.data), fixture.input.shape);
    const a = loadPyTorch(path.join(fixtures, 'mlp_relu.safetensors'), { architecture: model }).predict(x).data;
    expect(a).toEqual(loadPyTorch(bytes, { architecture: fixture.architecture }).predict(x).data);
    const { tensors } = decodeSafetensors(bytes);
    const prefixed = encodeSafetensors(new Map([...tensors].map(([k, v]) => [`net.${k}`, v])));
    expect(loadPyTorch(prefixed, { architecture: model, prefix: 'net.' }).predict(x).data).toEqual(a);
  });

  test('a shape mismatch names the key, expected and received', () => {
    expectError(() => loadPyTorch(bytes, { architecture: arch([{ kind: 'Dense', config: { inputs: 5, units: 15 } }, { kind: 'Dense', config: { inputs: 15, units: 8 } },
      { kind: 'Dense', config: { inputs: 8, units: 3 } }]) }), RangeError,
    "loadPyTorch: key '0.weight' has shape [16, 5]; layer 0 Dense(5→15) expects [15, 5]");
  });

  test('missing, surplus and unknown keys; module counts; dtypes', () => {
    expectError(() => loadPyTorch(bytes, { architecture: arch([{ kind: 'Dense', config: { inputs: 5, units: 16 } }, { kind: 'Dense', config: { inputs: 16, units: 3 } }]) }),
      RangeError, 'loadPyTorch: the file has 3 modules with parameters (0, 2, 4), the architecture 2 layers with parameters (0 Dense(5→16), 1 Dense(16→3))');
    expectError(() => loadPyTorch(bytes, { architecture: arch([{ kind: 'Dense', config: { inputs: 5, units: 16 } }, { kind: 'Dense', config: { inputs: 16, units: 8 } },
      { kind: 'Dense', config: { inputs: 8, units: 3, bias: false } }]) }), RangeError, "loadPyTorch: key '4.bias' has no place in layer 2 Dense(8→3, no bias)");
    const norms = read('mlp_norms');
    const { tensors } = decodeSafetensors(norms.bytes, { otherDtypes: 'skip' });
    tensors.delete('1.running_mean');
    expectError(() => loadPyTorch(encodeSafetensors(tensors), { architecture: norms.fixture.architecture }), RangeError,
      "loadPyTorch: key '1.running_mean' is missing; layer 1 BatchNorm(eps=0.00001, momentum=0.1) expects it with shape [12]");
    expectError(() => loadPyTorch(encodeSafetensors(new Map([['0.kernel', { shape: [1], data: new Float32Array(1) }]])), { architecture: fixture.architecture }), RangeError,
      "loadPyTorch: key '0.kernel' is not an nn.Sequential parameter ('<index>.weight', 'bias', 'running_mean', 'running_var' or 'num_batches_tracked')");
    const half = rawSafetensors({ '0.weight': { dtype: 'F16', shape: [2, 1], bytes: 4 }, '0.bias': { dtype: 'F32', shape: [2], bytes: 8 } });
    expectError(() => loadPyTorch(half, { architecture: arch([{ kind: 'Dense', config: { inputs: 1, units: 2 } }], [1]) }), RangeError,
      "loadPyTorch: key '0.weight' is F16; blasnet reads F32 (save with model.float())");
    expectError(() => loadPyTorch(bytes, { architecture: new Sequential([new Residual([new Dense(5, 5)]), new Activation('relu')], { inputShape: [5] }) }), RangeError,
      'loadPyTorch: layer 0 Residual([Dense(5→5)]) has no nn.Sequential counterpart whose keys blasnet knows');
  });

  test('bad arguments', () => {
    expectError(() => loadPyTorch(42 as never, { architecture: fixture.architecture }), TypeError,
      'loadPyTorch: expected source to be a safetensors path or its bytes (Uint8Array), received 42');
    expectError(() => loadPyTorch('/nonexistent.safetensors', { architecture: fixture.architecture }), Error, 'loadPyTorch: no file at "/nonexistent.safetensors"');
    expectError(() => loadPyTorch(bytes, { architecture: arch([{ kind: 'Activation', config: { activation: 'relu' } }], null as never) }), RangeError,
      'loadPyTorch: expected options.architecture to be an architecture with an input shape, received inputShape null');
    expect(() => loadPyTorch(bytes.subarray(0, 100), { architecture: fixture.architecture }))
      .toThrow(/^decodeSafetensors: not a valid safetensors file \(header of \d+ bytes in a 100-byte file: truncated\?\)$/);
  });
});

describe('decodeSafetensors: other dtypes', () => {
  const file = rawSafetensors({ count: { dtype: 'I64', shape: [], bytes: 8 }, w: { dtype: 'F32', shape: [1], bytes: 4 } });
  test('are an error by default and listed with otherDtypes: skip', () => {
    expectError(() => decodeSafetensors(file), RangeError, 'decodeSafetensors: not a valid safetensors file (tensor \'count\' has dtype "I64"; blasnet reads F32)');
    const { tensors, skipped } = decodeSafetensors(file, { otherDtypes: 'skip' });
    expect([...tensors.keys()]).toEqual(['w']);
    expect([...skipped]).toEqual([['count', 'I64']]);
  });
});
