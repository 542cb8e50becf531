'use strict';
// One end-to-end configuration on blasnet, in a process of its own (so its peak RSS is its own):
// load Fashion-MNIST, train, time epochs and inference. Run by run.cjs with a JSON spec.
const { blasnet, hasModule, requireModule } = require('./lib/load.cjs');
const { loadPlain } = require('./lib/fashion.cjs');
const { buildModel, trainEpochs, inferTest } = require('./lib/blasnet-mlp.cjs');
const { report, specFromArgv } = require('./lib/child.cjs');

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
  const inference = inferTest(model, data.xTest.subarray(0, nTest * data.features), data.yTest.subarray(0, nTest), run);
  const native = lib.backend() === 'native' ? lib.nativeInfo() : undefined;
  const core = native && { openblasCore: native.openblasCore, openblasOwnCore: native.openblasOwnCore, coreReason: native.coreReason };
  report({ library: `blasnet (${lib.backend()})`, threads, dataLoader: data.loader, ...core, ...training, ...inference });
}

main().catch((err) => {
  process.stderr.write(`${err.stack || err}\n`);
  process.exit(1);
});
