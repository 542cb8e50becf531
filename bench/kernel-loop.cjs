'use strict';
// Config A trained by the bare kernel loop (lib/kernel-loop.cjs) in a process of its own: the
// ceiling for blasnet's model API on the same backend. Run by run.cjs with a JSON spec.
const { blasnet } = require('./lib/load.cjs');
const { loadPlain } = require('./lib/fashion.cjs');
const { kernelLoopMlp } = require('./lib/kernel-loop.cjs');
const { report, specFromArgv } = require('./lib/child.cjs');

function main() {
  const spec = specFromArgv();
  const threads = blasnet().threads(spec.threads ?? 0);
  const data = loadPlain();
  const n = Math.min(spec.trainSamples, data.nTrain);
  const nTest = Math.min(spec.inferSamples ?? data.nTest, data.nTest);
  const loop = kernelLoopMlp(spec.backend, spec, data.features, 10);
  const training = loop.train(data.xTrain, data.yTrain, n);
  process.stderr.write(`${training.epochSeconds.toFixed(3)} s per epoch (${Math.round(training.trainSamplesPerSec)} samples/s)\n`);
  const inference = loop.infer(data.xTest, data.yTest, nTest);
  report({ library: `blasnet ${spec.backend} kernels`, threads, ...training, ...inference });
}

main();
