'use strict';
// How blasnet's epoch time grows with the number of training samples (should be linear) and with
// the hidden width (should follow the FLOP count). A fresh model per point, one process for all.
const { blasnet } = require('./lib/load.cjs');
const { loadPlain } = require('./lib/fashion.cjs');
const { buildModel, trainEpochs } = require('./lib/blasnet-mlp.cjs');
const { mlpCost } = require('./lib/flops.cjs');
const { kernelLoopMlp } = require('./lib/kernel-loop.cjs');
const { report, specFromArgv } = require('./lib/child.cjs');

const log = (msg) => process.stderr.write(`${msg}\n`);

/** One point: a fresh model trained through fit, or (engine 'kernel-loop', used while the model
 *  API is not available) the bare kernel loop. */
async function point(spec, data, samples, hidden) {
  const run = { ...spec, hidden, features: data.features, measureStall: false };
  const x = data.xTrain.subarray(0, samples * data.features), y = data.yTrain.subarray(0, samples);
  const t = spec.engine === 'kernel-loop'
    ? kernelLoopMlp(spec.backend, run, data.features, 10).train(x, y, samples)
    : await trainEpochs(buildModel(run, data.features, 10), x, y, run);
  return { samples, hidden: hidden[0], epochSeconds: t.epochSeconds, ...mlpCost(hidden, data.features, 10) };
}

async function main() {
  const spec = specFromArgv();
  const lib = blasnet();
  lib.useBackend(spec.backend);
  lib.threads(0);
  const data = loadPlain();
  const samples = [];
  for (const n of spec.samples) {
    const p = await point(spec, data, Math.min(n, data.nTrain), spec.hidden);
    log(`samples ${p.samples}: ${p.epochSeconds.toFixed(3)} s per epoch`);
    samples.push(p);
  }
  const widths = [];
  for (const w of spec.widths) {
    const p = await point(spec, data, Math.min(spec.widthSamples, data.nTrain), [w, w / 2]);
    log(`width ${w}: ${p.epochSeconds.toFixed(3)} s per epoch`);
    widths.push(p);
  }
  report({ engine: spec.engine, samples, widths, widthSamples: Math.min(spec.widthSamples, data.nTrain) });
}

main().catch((err) => {
  process.stderr.write(`${err.stack || err}\n`);
  process.exit(1);
});
