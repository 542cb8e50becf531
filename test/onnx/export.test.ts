import { describe, expect, test } from 'vitest';
import * as fs from 'node:fs';
import { Sequential } from '../../lib/model/sequential';
import { Activation, BatchNorm, Dense, Dropout, LayerNorm, Residual, type Layer } from '../../lib/layers/index';
import { Tensor } from '../../lib/tensor';
import { MinMaxScaler, StandardScaler } from '../../lib/data/preprocess';
import { loadFashionMnist, FASHION_MNIST_DIR } from '../../lib/data/fashion-mnist';
import { decodeModel } from '../../lib/onnx/proto';
import { exportOnnx } from '../../lib/onnx/export';
import { randomFloat32, randomLabels } from '../helpers/arrays';
import { expectAllClose } from '../helpers/close';
import { expectError } from '../helpers/errors';
import { errors, onnxCheck, runOnnxRuntime, skipChecker } from '../helpers/onnx';

// onnxruntime is the reference: its outputs on held-out rows must equal predict's within 1e-5
// relative (1e-6 absolute near zero). Set ONNX_PARITY=1 to print the worst errors per model.
const tol = { rtol: 1e-5, atol: 1e-6 };

function report(label: string, actual: Float32Array, expected: Float32Array): void {
  if (process.env.ONNX_PARITY) {
    const e = errors(actual, expected);
    console.log(`parity ${label}: max abs ${e.abs.toExponential(2)}, max rel ${e.rel.toExponential(2)} over ${expected.length} values`);
  }
}

/** Trains a few epochs so that batch-norm running statistics and weights are far from their start. */
function trained(layers: Layer[], features: number, classes: number, seed: number): Sequential {
  const model = new Sequential(layers, { seed });
  const n = 256;
  model.compile({ loss: 'softmaxCrossentropy', optimizer: { name: 'adam', lr: 0.01 } });
  model.fitSync(new Tensor(randomFloat32(seed, n * features, -2, 2), [n, features]), new Tensor(randomLabels(seed + 1, n, classes), [n]),
    { epochs: 3, batchSize: 32, verbose: 0 });
  return model;
}

const cases: { name: string; make: () => Sequential; features: number }[] = [
  {
    // At inference the block is the identity, so the layer is x + x.
    name: 'a residual block of Dropout alone',
    features: 3,
    make: () => new Sequential([new Dense(3, 4), new Residual([new Dropout(0.3)]), new Dense(4, 2)], { seed: 5 }).build(),
  },
  {
    name: 'every layer kind, trained',
    features: 6,
    make: () => trained([
      new Dense(6, 12, { activation: 'relu' }), new BatchNorm(), new Activation('tanh'), new Dropout(0.3), new LayerNorm(),
      new Dense(12, 12, { activation: 'sigmoid' }),
      new Residual([new Dense(12, 12, { activation: 'leakyRelu', alpha: 0.2 }), new Activation('elu', { alpha: 0.7 }), new Dropout(0.1)]),
      new Dense(12, 4, { bias: false }), new Activation('softmax'),
    ], 6, 4, 3),
  },
  {
    name: 'fused activations in Dense',
    features: 5,
    make: () => trained([
      new Dense(5, 8, { activation: 'elu' }), new Dense(8, 8, { activation: 'tanh' }), new Dense(8, 8, { activation: 'leakyRelu' }),
      new Dense(8, 3, { activation: 'softmax' }),
    ], 5, 3, 4),
  },
  {
    name: 'step, identity and linear',
    features: 3,
    make: () => new Sequential([new Dense(3, 6, { activation: 'step' }), new Activation('identity'), new Dense(6, 4, { activation: 'linear' }),
      new Activation('step'), new Dense(4, 2)], { seed: 5 }).build(),
  },
  {
    name: 'samples of shape [4, 3]',
    features: 12,
    make: () => new Sequential([new Activation('relu'), new Dense(12, 5, { activation: 'sigmoid' }), new Dense(5, 2)], { seed: 6, inputShape: [4, 3] }),
  },
  {
    name: 'only a dropout',
    features: 4,
    make: () => new Sequential([new Dropout(0.5)], { seed: 7, inputShape: [4] }),
  },
];

describe('exportOnnx against onnxruntime-node', () => {
  for (const c of cases) {
    test(c.name, async () => {
      const model = c.make();
      const rows = 37;
      const x = randomFloat32(100, rows * c.features, -3, 3);
      const shape = [rows, ...model.inputShape!];
      const expected = model.predict(new Tensor(x, shape)).data;
      const bytes = exportOnnx(model);
      const actual = await runOnnxRuntime(bytes, x, shape);
      report(c.name, actual, expected);
      expectAllClose(actual, expected, tol, c.name);
    });
  }

  test('a scaler in front: the ONNX model takes raw features', async () => {
    const features = 4;
    const raw = new Tensor(randomFloat32(8, 200 * features, -50, 80), [200, features]);
    for (const scaler of [new StandardScaler().fit(raw), new MinMaxScaler({ range: [-1, 1] }).fit(raw)]) {
      const model = trained([new Dense(4, 6, { activation: 'relu' }), new Dense(6, 3)], features, 3, 9);
      const heldOut = new Tensor(randomFloat32(10, 40 * features, -60, 90), [40, features]);
      const expected = model.predict(scaler.transform(heldOut)).data;
      const actual = await runOnnxRuntime(exportOnnx(model, { scaler }), heldOut.data, heldOut.shape);
      report(`${scaler.kind} in front`, actual, expected);
      expectAllClose(actual, expected, tol, scaler.kind);
    }
  });

  test.skipIf(!fs.existsSync(FASHION_MNIST_DIR))('a Fashion-MNIST model trained one epoch on a subset', async () => {
    const data = loadFashionMnist({ subset: 3000 });
    const model = new Sequential([new Dense(784, 64, { activation: 'relu' }), new Dense(64, 32, { activation: 'relu' }), new Dense(32, 10)], { seed: 1 });
    model.compile({ loss: 'softmaxCrossentropy', optimizer: { name: 'adam', lr: 1e-3 }, metrics: ['accuracy'] });
    model.fitSync(data.train.x, data.train.y, { epochs: 1, batchSize: 64, verbose: 0 });
    const heldOut = new Tensor(data.test.x.data.subarray(0, 500 * 784), [500, 784]);
    const expected = model.predict(heldOut).data;
    const actual = await runOnnxRuntime(exportOnnx(model, { classNames: data.classNames }), heldOut.data, heldOut.shape);
    report('Fashion-MNIST 784-64-32-10', actual, expected);
    // A logit near zero is the difference of 784-term sums: its rounding error scales with the
    // logits' magnitude, so the absolute floor is 1e-5 of the largest logit rather than 1e-6.
    const scale = expected.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expectAllClose(actual, expected, { rtol: tol.rtol, atol: tol.rtol * scale }, 'fashion-mnist');
  });
});

describe.skipIf(skipChecker)('exportOnnx passes onnx.checker (python3-onnx)', () => {
  test('every case, with and without a scaler', () => {
    for (const c of cases) expect(onnxCheck(exportOnnx(c.make())), c.name).toBe('');
    const raw = new Tensor(randomFloat32(8, 50 * 2, -5, 5), [50, 2]);
    const model = new Sequential([new Dense(2, 3)], { seed: 1 });
    expect(onnxCheck(exportOnnx(model, { scaler: new StandardScaler().fit(raw), classNames: ['a', 'b', 'c'] }))).toBe('');
    expect(onnxCheck(exportOnnx(model, { scaler: new MinMaxScaler().fit(raw) }))).toBe('');
  });

  test('the checker rejects a broken graph (it is a real check)', () => {
    const bytes = exportOnnx(new Sequential([new Dense(2, 3)], { seed: 1 }));
    const text = Buffer.from(bytes).toString('latin1').replace('Gemm', 'Gemx');
    expect(onnxCheck(Buffer.from(text, 'latin1'))).toMatch(/Gemx/);
  });
});

describe('exportOnnx: graph and errors', () => {
  test('opset 17, a dynamic batch dimension, metadata with class names and the version', () => {
    const model = new Sequential([new Dense(3, 2, { activation: 'softmax' })], { seed: 1 });
    const proto = decodeModel(exportOnnx(model, { classNames: ['no', 'yes'], metadata: { author: 'x' } }));
    const version = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
    expect(proto.opsets).toEqual([{ domain: '', version: 17 }]);
    expect(proto.graph.inputs).toEqual([{ name: 'input', elemType: 1, dims: ['batch', 3] }]);
    expect(proto.graph.outputs).toEqual([{ name: 'output', elemType: 1, dims: ['batch', 2] }]);
    expect(proto.graph.nodes.map((n) => n.opType)).toEqual(['Gemm', 'Softmax']);
    expect(proto.metadata).toEqual({ blasnet_version: version, class_names: '["no","yes"]', author: 'x' });
  });

  test('a layer with no ONNX form is named with the reason', () => {
    const odd = new Activation('relu');
    Object.defineProperty(odd, 'kind', { value: 'Maxout' });
    expectError(() => exportOnnx(new Sequential([new Dense(2, 3), odd], { seed: 1 })), RangeError,
      "exportOnnx: layer 1 Activation(relu) cannot be expressed in ONNX: no ONNX form is defined for the layer kind 'Maxout'");
    expectError(() => exportOnnx(new Sequential([new Activation('softmax'), new Dense(6, 2)], { seed: 1, inputShape: [2, 3] })), RangeError,
      'exportOnnx: layer 0 Activation(softmax) cannot be expressed in ONNX: softmax over the last axis of a [2, 3] sample (the graph flattens samples to rows)');
  });

  test('bad arguments', () => {
    const model = new Sequential([new Dense(2, 3)], { seed: 1 });
    expectError(() => exportOnnx({} as Sequential), TypeError, 'exportOnnx: expected model to be a Sequential, received Object');
    expectError(() => exportOnnx(model, { classNames: ['a'] }), RangeError, 'exportOnnx: expected options.classNames to be 3 names (one per class), received 1');
    expectError(() => exportOnnx(model, { scaler: new StandardScaler().fit(new Tensor(new Float32Array(6), [2, 3])) }), RangeError,
      "exportOnnx: expected options.scaler to be a scaler of 2 features (the model's input size), received 3 features");
    expectError(() => exportOnnx(model, { scaler: 3 as never }), TypeError,
      'exportOnnx: expected options.scaler to be a fitted StandardScaler or MinMaxScaler (or its toJSON()), received 3');
    expectError(() => exportOnnx(model, { scaler: { kind: 'PCA' } as never }), RangeError,
      "scalerFromJSON: expected json.kind to be 'StandardScaler' or 'MinMaxScaler', received PCA");
    expectError(() => exportOnnx(new Sequential([new Activation('relu')])), Error,
      'Sequential.build: the input shape is unknown; call build(inputShape) or pass { inputShape } to the constructor');
    expectError(() => exportOnnx(model, { format: 'onnx' } as never), RangeError,
      "exportOnnx: expected options to be keys among scaler, classNames, metadata, received unknown key 'format'");
  });
});
