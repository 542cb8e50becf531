'use strict';
// One end-to-end configuration on blasnet, in a process of its own (so its peak RSS is its own):
// load Fashion-MNIST, train, time epochs and inference. Run by run.cjs with a JSON spec.
const { blasnet, hasModule, requireModule } = require('./lib/load.cjs');
const { loadPlain } = require('./lib/fashion.cjs');
const { buildModel, trainEpochs, inferTest } = require('./lib/blasnet-mlp.cjs');
const { report, specFromArgv } = require('./lib/child.cjs');
const { ortInference } = require('./lib/onnxruntime.cjs');

const log = (msg) => process.stderr.write(`${msg}\n`);

/** The library's own Fashion-MNIST loader when it has one, else the bench's reader. */
function loadData() {
  const lib = blasnet();
  const load = lib.loadFashionMnist ?? (hasModule('data/fashion-mnist') ? requireModule('data/fashion-mnist').loadFashionMnist : undefined);
  if (typeof load !== 'function') return { ...loadPlain(), loader: 'bench' };
  const d = load(process.env.FASHION_MNIST_DIR ? { dir: process.env.FASHION_MNIST_DIR } : {});
  return {
    xTrain: d.train.x.data, yTrain: d.train.y.data, xTest: d.test.x.data, yTest: d.test.y.data,
    nTrain: d.train.x.shape[0], nTest: d.test.x.shape[0], features: d.train.x.shape[1], loader: 'blasnet',
  };
}

async function main() {
  const spec = specFromArgv();
  const lib = blasnet();
  lib.useBackend(spec.backend);
  const threads = lib.threads(spec.threads ?? 0);
  const data = loadData();
  const n = Math.min(spec.trainSamples, data.nTrain);
  const run = { ...spec, features: data.features, log };
  const model = buildModel(run, data.features, 10);
  const training = await trainEpochs(model, data.xTrain.subarray(0, n * data.features), data.yTrain.subarray(0, n), run);
  const nTest = Math.min(spec.inferSamples ?? data.nTest, data.nTest);
  const xTest = data.xTest.subarray(0, nTest * data.features);
  const inference = inferTest(model, xTest, data.yTest.subarray(0, nTest), run);
  const onnxruntime = spec.onnxruntime ? await onnxruntimeBeside(lib, model, xTest, nTest, data.features, spec, threads) : undefined;
  const native = lib.backend() === 'native' ? lib.nativeInfo() : undefined;
  const core = native && { openblasCore: native.openblasCore, openblasOwnCore: native.openblasOwnCore, coreReason: native.coreReason };
  report({ library: `blasnet (${lib.backend()})`, threads, dataLoader: data.loader, ...core, ...training, ...inference, ...(onnxruntime ? { onnxruntime } : {}) });
}

/** The trained model exported to ONNX and run by onnxruntime-node on the same rows and batches. */
async function onnxruntimeBeside(lib, model, xTest, n, features, spec, threads) {
  if (typeof lib.exportOnnx !== 'function') return { status: 'skipped', reason: 'this blasnet has no exportOnnx' };
  const x = new lib.Tensor(xTest, [n, features]);
  const blasnetPass = () => model.predict(x, { batchSize: spec.inferBatch });
  const expected = blasnetPass().data;
  log(`onnxruntime-node: ${n} test rows in batches of ${spec.inferBatch}, ${threads} threads, alternating with predict`);
  return ortInference(lib.exportOnnx(model), xTest, n, features, { batch: spec.inferBatch, reps: spec.inferReps, threads, expected, blasnetPass });
}

main().catch((err) => {
  process.stderr.write(`${err.stack || err}\n`);
  process.exit(1);
});
