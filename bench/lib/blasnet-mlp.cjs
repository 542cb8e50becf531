'use strict';
// blasnet's side of the end-to-end benchmark: build the MLP of a spec with the public model API,
// train it epoch by epoch with the asynchronous fit, and predict over the test set. Shared by
// train.cjs (configs A and B) and scaling.cjs.
const { monitorEventLoopDelay } = require('node:perf_hooks');
const { blasnet, requireModule, hasModule } = require('./load.cjs');
const { median, medianPassSeconds, now } = require('./stats.cjs');
const { mlpCost } = require('./flops.cjs');

/** A public export of blasnet, looked up in the package first and then in the module defining it
 *  (so the bench also runs while the top-level index lags behind a new module). */
function pick(name, modules) {
  const lib = blasnet();
  if (lib[name] !== undefined) return lib[name];
  for (const m of modules) {
    if (!hasModule(m)) continue;
    const found = requireModule(m)[name];
    if (found !== undefined) return found;
  }
  throw new Error(`blasnet exports no ${name} (looked in the package and ${modules.join(', ')})`);
}

function api() {
  return {
    Sequential: pick('Sequential', ['model/sequential']),
    Dense: pick('Dense', ['layers/index', 'layers/dense']),
    Activation: pick('Activation', ['layers/index', 'layers/activation']),
    BatchNorm: () => pick('BatchNorm', ['layers/index', 'layers/batchnorm']),
    Dropout: () => pick('Dropout', ['layers/index', 'layers/dropout']),
    Tensor: pick('Tensor', ['tensor']),
  };
}

/** Dense→ReLU per hidden layer, or Dense→BatchNorm→ReLU→Dropout with spec.batchNorm / dropout. */
function buildModel(spec, features, classes) {
  const { Sequential, Dense, Activation, BatchNorm, Dropout } = api();
  const layers = [];
  let width = features;
  for (const units of spec.hidden) {
    if (spec.batchNorm) {
      layers.push(new Dense(width, units));
      layers.push(new (BatchNorm())());
      layers.push(new Activation('relu'));
    } else {
      layers.push(new Dense(width, units, { activation: 'relu' }));
    }
    if (spec.dropout > 0) layers.push(new (Dropout())(spec.dropout));
    width = units;
  }
  layers.push(new Dense(width, classes));
  const model = new Sequential(layers, { seed: spec.seed });
  model.compile({ loss: 'softmaxCrossentropy', optimizer: { name: 'adam', lr: spec.lr } });
  return model;
}

/**
 * Trains warmupEpochs + timedEpochs epochs in one async fit call, as a user would, timing each epoch
 * from the epoch callbacks, and returns the median timed epoch. With measureStall, also the event
 * loop's longest delay during the timed epochs (1 ms resolution).
 */
async function trainEpochs(model, x, y, spec) {
  const { Tensor } = api();
  const n = x.length / spec.features;
  const epochSeconds = [];
  const histogram = spec.measureStall ? monitorEventLoopDelay({ resolution: 1 }) : undefined;
  let t0 = 0;
  const timing = {
    onEpochBegin(epoch) {
      if (epoch === spec.warmupEpochs) histogram?.enable();
      t0 = now();
    },
    onEpochEnd(epoch) {
      const dt = now() - t0;
      const timed = epoch >= spec.warmupEpochs;
      if (timed) epochSeconds.push(dt);
      spec.log?.(`epoch ${epoch + 1}: ${dt.toFixed(3)} s (${Math.round(n / dt)} samples/s)${timed ? '' : ' warm-up'}`);
    },
  };
  await model.fit(new Tensor(x, [n, spec.features]), new Tensor(y, [n]), {
    epochs: spec.warmupEpochs + spec.timedEpochs, batchSize: spec.batch, shuffle: true, verbose: 0, callbacks: timing,
  });
  histogram?.disable();
  const epoch = median(epochSeconds);
  return {
    trainSamples: n,
    epochSeconds: epoch,
    epochSecondsAll: epochSeconds,
    trainSamplesPerSec: n / epoch,
    ...(histogram ? { maxEventLoopStallMs: histogram.max / 1e6, p99EventLoopStallMs: histogram.percentile(99) / 1e6 } : {}),
  };
}

/** Inference over the test images given, in batches of spec.inferBatch: samples/s (median) and accuracy. */
function inferTest(model, xTest, yTest, spec) {
  const { Tensor } = api();
  const n = yTest.length;
  const xs = new Tensor(xTest, [n, spec.features]);
  let correct = 0;
  const once = () => {
    const out = model.predict(xs, { batchSize: spec.inferBatch });
    const logits = out.data ?? out;
    const classes = logits.length / n;
    correct = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let j = 1; j < classes; j++) if (logits[i * classes + j] > logits[i * classes + best]) best = j;
      if (best === yTest[i]) correct++;
    }
  };
  const seconds = medianPassSeconds(once, spec.inferReps);
  return { inferSamples: n, inferSamplesPerSec: n / seconds, testAccuracy: correct / n };
}

module.exports = { api, buildModel, mlpCost, trainEpochs, inferTest };
