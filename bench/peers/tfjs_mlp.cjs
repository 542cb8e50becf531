'use strict';
// TensorFlow.js peer for the end-to-end benchmark, on its WebAssembly backend or its pure-JS 'cpu'
// backend: the same MLP configurations, data and batch sizes as blasnet's run, timed the same way.
// The libraries come from bench/peers/node_modules (npm install --prefix bench/peers), never from
// the main package. Run by run.cjs with a JSON spec as the last argument.
const { loadPlain } = require('../lib/fashion.cjs');
const { median, now } = require('../lib/stats.cjs');
const { report, specFromArgv } = require('../lib/child.cjs');

const log = (msg) => process.stderr.write(`${msg}\n`);

function build(tf, spec, features, classes) {
  const model = tf.sequential();
  let inputShape = [features];
  for (const units of spec.hidden) {
    if (spec.batchNorm) {
      model.add(tf.layers.dense({ units, inputShape }));
      model.add(tf.layers.batchNormalization());
      model.add(tf.layers.activation({ activation: 'relu' }));
    } else {
      model.add(tf.layers.dense({ units, activation: 'relu', inputShape }));
    }
    if (spec.dropout > 0) model.add(tf.layers.dropout({ rate: spec.dropout }));
    inputShape = undefined;
  }
  model.add(tf.layers.dense({ units: classes }));
  // Logits out and the fused softmax cross-entropy, as blasnet and PyTorch compute it.
  model.compile({
    optimizer: tf.train.adam(spec.lr),
    loss: (yTrue, yPred) => tf.losses.softmaxCrossEntropy(yTrue, yPred),
  });
  return model;
}

async function main() {
  const spec = specFromArgv();
  // tfjs greets Node users on stdout; keep stdout for the result line.
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk, ...rest) => process.stderr.write(chunk, ...rest);
  const tf = require('@tensorflow/tfjs');
  if (spec.backend === 'wasm') require('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend(spec.backend))) throw new Error(`tfjs backend ${spec.backend} did not initialise`);
  await tf.ready();
  const version = require('@tensorflow/tfjs/package.json').version;
  process.stdout.write = write;

  const data = loadPlain();
  const n = Math.min(spec.trainSamples, data.nTrain);
  const x = tf.tensor2d(data.xTrain.subarray(0, n * data.features), [n, data.features]);
  const y = tf.oneHot(tf.tensor1d(data.yTrain.subarray(0, n), 'int32'), 10).toFloat();
  const nTest = Math.min(spec.inferSamples ?? data.nTest, data.nTest);
  const xTest = tf.tensor2d(data.xTest.subarray(0, nTest * data.features), [nTest, data.features]);
  const model = build(tf, spec, data.features, 10);

  // One fit call for all epochs, as a user would; epochs are timed from its callbacks.
  const epochSeconds = [];
  let t0 = 0;
  await model.fit(x, y, {
    batchSize: spec.batch, epochs: spec.warmupEpochs + spec.timedEpochs, shuffle: true, verbose: 0,
    callbacks: {
      onEpochBegin: async () => { t0 = now(); },
      onEpochEnd: async (epoch) => {
        const dt = now() - t0;
        if (epoch >= spec.warmupEpochs) epochSeconds.push(dt);
        log(`epoch ${epoch + 1}: ${dt.toFixed(3)} s (${Math.round(n / dt)} samples/s)${epoch < spec.warmupEpochs ? ' warm-up' : ''}`);
      },
    },
  });

  let correct = 0;
  const infer = () => {
    const classes = tf.tidy(() => model.predict(xTest, { batchSize: spec.inferBatch }).argMax(1));
    const predicted = classes.dataSync();
    classes.dispose();
    correct = 0;
    for (let i = 0; i < nTest; i++) if (predicted[i] === data.yTest[i]) correct++;
  };
  infer();
  const inferSeconds = [];
  for (let r = 0; r < spec.inferReps; r++) {
    const t0 = now();
    infer();
    inferSeconds.push(now() - t0);
  }

  const train = median(epochSeconds);
  report({
    library: `tfjs ${version} (${spec.backend})`,
    trainSamples: n,
    epochSeconds: train,
    trainSamplesPerSec: n / train,
    inferSamples: nTest,
    inferSamplesPerSec: nTest / median(inferSeconds),
    testAccuracy: correct / nTest,
  });
}

main().catch((err) => {
  process.stderr.write(`${err.stack || err}\n`);
  process.exit(1);
});
