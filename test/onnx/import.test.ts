import { describe, expect, test } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Sequential } from '../../lib/model/sequential';
import { Activation, BatchNorm, Dense, Dropout, LayerNorm, Residual } from '../../lib/layers/index';
import { Tensor } from '../../lib/tensor';
import { MinMaxScaler, StandardScaler } from '../../lib/data/preprocess';
import { Random } from '../../lib/random';
import { encodeModel, TensorType, type ModelProto, type NodeProto } from '../../lib/onnx/proto';
import { exportOnnx } from '../../lib/onnx/export';
import { importOnnx } from '../../lib/onnx/import';
import { encodeSafetensors } from '../../lib/io/safetensors';
import { randomFloat32 } from '../helpers/arrays';
import { expectError } from '../helpers/errors';

const fixtures = path.resolve(__dirname, '..', 'fixtures', 'pytorch');

function roundTrip(model: Sequential, rows: number): void {
  const x = new Tensor(randomFloat32(3, rows * model.inputSize, -3, 3), [rows, ...model.inputShape!]);
  const { model: back } = importOnnx(exportOnnx(model));
  expect(back.inputShape).toEqual(model.inputShape);
  expect(back.paramCount()).toBe(model.paramCount());
  expect(back.predict(x).data).toEqual(model.predict(x).data);
}

describe('importOnnx: blasnet → ONNX → blasnet predicts identically', () => {
  test('every layer kind, nested residuals, a [4, 3] sample shape', () => {
    const model = new Sequential([
      new Activation('tanh'), new Dense(12, 10, { activation: 'relu' }), new BatchNorm({ eps: 1e-3 }), new Dropout(0.5), new LayerNorm(),
      new Residual([new Dense(10, 10, { activation: 'elu', alpha: 0.5 }), new Residual([new Dense(10, 10), new Activation('leakyRelu', { alpha: 0.3 })])]),
      // The skip starts at a Dense's output, before the activation inside the block: not fused.
      new Dense(10, 10), new Residual([new Activation('relu'), new Dense(10, 10)]), new Residual([new Dropout(0.2)]),
      new Dense(10, 6, { activation: 'step' }), new Dense(6, 5, { bias: false, activation: 'sigmoid' }), new Dense(5, 3), new Activation('softmax'),
    ], { seed: 2, inputShape: [4, 3] }).build();
    // Running statistics away from 0 and 1, as after training.
    const rng = new Random(4);
    for (const s of model.layers[2].state()) s.value.forEach((_, i) => { s.value[i] = s.name === 'runningVar' ? rng.uniform(0.5, 2) : rng.uniform(-1, 1); });
    roundTrip(model, 29);
  });

  test('the scaler comes back exactly, with the class names', () => {
    const raw = new Tensor(randomFloat32(5, 100 * 3, -7, 11), [100, 3]);
    const model = new Sequential([new Dense(3, 2)], { seed: 1 });
    for (const scaler of [new StandardScaler().fit(raw), new MinMaxScaler({ range: [-1, 2] }).fit(raw)]) {
      const { extra } = importOnnx(exportOnnx(model, { scaler, classNames: ['a', 'b'] }));
      expect(extra.scaler).toEqual(scaler.toJSON());
      expect(extra.classNames).toEqual(['a', 'b']);
    }
  });

  test('model.classNames travel through save({ format: \'onnx\' }) and back', () => {
    const model = new Sequential([new Dense(3, 2)], { seed: 1 });
    model.classNames = ['no', 'yes'];
    const file = model.save(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'blasnet-onnx-')), 'm.onnx'), { format: 'onnx' });
    const { model: back } = importOnnx(file);
    expect(back.classNames).toEqual(['no', 'yes']);
    const x = new Tensor(randomFloat32(6, 4 * 3, -2, 2), [4, 3]);
    expect(back.predictClassNames(x)).toEqual(model.predictClassNames(x));
  });
});

function graph(nodes: NodeProto[], extra: Partial<ModelProto['graph']> = {}): Uint8Array {
  return encodeModel({
    irVersion: 8, producerName: 'test', producerVersion: '', opsets: [{ domain: '', version: 17 }], metadata: {},
    graph: {
      name: 'g', nodes,
      initializers: [{ name: 'W', dims: [3, 2], dataType: TensorType.FLOAT, floats: new Float32Array(6), ints: [] }],
      inputs: [{ name: 'x', elemType: TensorType.FLOAT, dims: ['N', 2] }],
      outputs: [{ name: 'y', elemType: TensorType.FLOAT, dims: ['N', 3] }],
      ...extra,
    },
  });
}
const node = (opType: string, name: string, inputs: string[], outputs: string[]): NodeProto => ({ opType, name, domain: '', inputs, outputs, attributes: [] });

describe('importOnnx: bad input is a RangeError naming what and where', () => {
  const good = exportOnnx(new Sequential([new Dense(4, 8, { activation: 'relu' }), new Dense(8, 2)], { seed: 1 }));

  test('truncated and foreign bytes', () => {
    for (const cut of [9, 300, good.length - 3]) {
      expect(() => importOnnx(good.subarray(0, good.length - cut))).toThrow(
        /^importOnnx: not a valid ONNX model \((a field of \d+ bytes at byte \d+|a varint) runs past the end \(truncated\?\)\)$/);
    }
    expectError(() => importOnnx(encodeSafetensors(new Map([['w', { shape: [2], data: new Float32Array(2) }]]))), RangeError,
      'importOnnx: not a valid ONNX model (field number 0 at byte 3)');
    expectError(() => importOnnx(new TextEncoder().encode('{"format": "blasnet"}')), RangeError,
      'importOnnx: not a valid ONNX model (wire type 3 (field 15) is not one protobuf writes today)');
    expectError(() => importOnnx(new Uint8Array(0)), RangeError, 'importOnnx: not a valid ONNX model (no graph (field 7) in the model)');
    expectError(() => importOnnx('x' as unknown as Uint8Array), Error, 'importOnnx: no file at "x"');
    expectError(() => importOnnx(42 as unknown as Uint8Array), TypeError, 'importOnnx: expected source to be a Uint8Array (the .onnx bytes) or a path, received 42');
  });

  test('the first unsupported node, by op type and name', () => {
    expectError(() => importOnnx(graph([node('Conv', 'conv0', ['x', 'W'], ['y'])])), RangeError,
      "importOnnx: node 'conv0' (Conv) is not supported: blasnet imports MLPs made of Gemm/MatMul+Add, Relu, Sigmoid, Tanh, LeakyRelu, Elu, " +
      'Softmax, BatchNormalization, LayerNormalization, Dropout, Identity, Flatten, a step (GreaterOrEqual + Cast), residual Adds and a per-feature scaler in front');
    expectError(() => importOnnx(graph([node('Relu', 'r', ['x'], ['h']), node('Mul', 'scale', ['h', 'W'], ['y'])])), RangeError,
      "importOnnx: node 'scale' (Mul) with a constant is only imported as a Dense layer's bias (after MatMul) or as a scaler in front of the first layer");
    expectError(() => importOnnx(graph([node('Relu', 'r1', ['x'], ['h']), node('Relu', 'r2', ['x'], ['y'])])), RangeError,
      "importOnnx: node 'r2' (Relu) reads 'x', which is not the output of the node before it in the chain ('h'); blasnet imports a chain of layers from the input to the output");
    expect(() => importOnnx(graph([node('Relu', 'r', ['x'], ['h']), node('Erf', '', ['h'], ['y'])])))
      .toThrow(/^importOnnx: node '#1' \(Erf\) is not supported: /);
    expectError(() => importOnnx(graph([node('Relu', 'r', ['x'], ['h'])])), RangeError,
      "importOnnx: the graph's output 'y' is not the end of the chain of layers ('h')");
  });

  test('a weight aliased through Identity is still a weight', () => {
    const gemm = { ...node('Gemm', 'fc', ['x', 'W2'], ['y']), attributes: [{ name: 'transB', type: 2, i: 1 }] };
    const { model } = importOnnx(graph([node('Identity', 'alias', ['W'], ['W2']), gemm]));
    expect(model.layers.map(String)).toEqual(['Dense(2→3, no bias)']);
  });

  test('a graph of several outputs (a classifier with labels and probabilities)', () => {
    const y2 = { name: 'label', elemType: TensorType.INT64, dims: ['N'] };
    expectError(() => importOnnx(graph([node('MatMul', 'mm', ['x', 'W'], ['y'])], { outputs: [{ name: 'y', elemType: 1, dims: ['N', 2] }, y2] })), RangeError,
      'importOnnx: the graph has 1 input and 2 outputs (besides initializers); blasnet imports one of each');
  });

  test('shape mismatches and wrong-size tensors', () => {
    // W is [3, 2]: as MatMul's [in, out] it needs 3 features, the input has 2.
    expectError(() => importOnnx(graph([node('MatMul', 'mm', ['x', 'W'], ['y'])])), RangeError,
      "importOnnx: node 'mm' (MatMul) needs its weight 'W' of shape [2, ?], received [3, 2]");
    const gemm = { ...node('Gemm', 'fc', ['x', 'W', 'b'], ['y']), attributes: [{ name: 'transB', type: 2, i: 1 }] };
    const b = { name: 'b', dims: [4], dataType: TensorType.FLOAT, floats: new Float32Array(4), ints: [] };
    const W = { name: 'W', dims: [3, 2], dataType: TensorType.FLOAT, floats: new Float32Array(6), ints: [] };
    expectError(() => importOnnx(graph([gemm], { initializers: [W, b] })), RangeError,
      "importOnnx: node 'fc' (Gemm) needs its bias 'b' of shape [3], received [4]");
    expectError(() => importOnnx(graph([gemm], { initializers: [{ ...W, floats: new Float32Array(5) }, b] })), RangeError,
      "importOnnx: not a valid ONNX model (tensor 'W' holds 20 bytes, its dims [3, 2] need 24)");
    expectError(() => importOnnx(graph([gemm], { inputs: [{ name: 'x', elemType: TensorType.INT64, dims: ['N', 2] }] })), RangeError,
      "importOnnx: the graph input 'x' is of data type 7 with shape [N, 2]; blasnet imports float32 [batch, ...fixed sample shape]");
  });

  test('mutilated files never crash: every outcome is a model or a RangeError', () => {
    const rng = new Random(9);
    let rejected = 0;
    for (let trial = 0; trial < 400; trial++) {
      const bytes = Uint8Array.from(good);
      if (trial % 2 === 0) {
        for (let k = 0; k < 3; k++) bytes[Math.floor(rng.next() * bytes.length)] = Math.floor(rng.next() * 256);
      }
      const cut = trial % 2 === 1 ? Math.floor(rng.next() * bytes.length) : bytes.length;
      try {
        importOnnx(bytes.subarray(0, cut));
      } catch (err) {
        expect(err).toBeInstanceOf(RangeError);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(200);
  });
});

describe('importOnnx: files from torch.onnx.export', () => {
  for (const name of ['mlp_relu', 'mlp_norms', 'mlp_flatten', 'mlp_matmul']) {
    test(name, () => {
      const fixture = JSON.parse(fs.readFileSync(path.join(fixtures, `${name === 'mlp_matmul' ? 'mlp_relu' : name}.json`), 'utf8'));
      const { model } = importOnnx(path.join(fixtures, `${name}.onnx`));
      if (name === 'mlp_relu' || name === 'mlp_matmul') {
        expect(model.layers.map(String)).toEqual(['Dense(5→16, relu)', 'Dense(16→8, sigmoid)', 'Dense(8→3, softmax)']);
      }
      const out = model.predict(new Tensor(Float32Array.from(fixture.input.data), fixture.input.shape)).data;
      const expected = Float32Array.from(fixture.output.data);
      let worst = 0;
      out.forEach((v, i) => { worst = Math.max(worst, Math.abs(v - expected[i]) / Math.max(1, Math.abs(expected[i]))); });
      if (process.env.ONNX_PARITY) console.log(`parity importOnnx(torch ${name}.onnx) vs PyTorch: max error ${worst.toExponential(2)}`);
      expect(worst).toBeLessThanOrEqual(1e-5);
    });
  }
});
