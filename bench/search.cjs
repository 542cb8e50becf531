'use strict';
// Many models at once: a 12-trial grid search on a Fashion-MNIST subset with 1 worker (trials one
// after another, each on one compute thread) and with 2 workers (two trials side by side on worker
// threads, the data shared), alternated over a few repetitions; the median trials/s of each and
// their ratio. Also one model trained with 2 OpenBLAS threads per trial, for comparison, and the
// RSS each worker adds.
const { blasnet } = require('./lib/load.cjs');
const { loadPlain } = require('./lib/fashion.cjs');
const { median } = require('./lib/stats.cjs');
const { report, specFromArgv } = require('./lib/child.cjs');

const { Worker } = require('node:worker_threads');

const log = (msg) => process.stderr.write(`${msg}\n`);

/** How much more arithmetic 2 busy threads get done than 1 in the same time: the most any
 *  2-worker speed-up can reach on this machine right now (2 when the cores are free). */
async function cpuCeiling(seconds) {
  const spin = `let x = 0; const end = Date.now() + ${Math.round(seconds * 1000)}; while (Date.now() < end) x++;
    require('node:worker_threads').parentPort.postMessage(x);`;
  const work = async (n) => (await Promise.all(Array.from({ length: n }, () => new Promise((resolve, reject) => {
    const w = new Worker(spin, { eval: true });
    w.once('message', resolve);
    w.once('error', reject);
  })))).reduce((a, b) => a + b, 0);
  const one = await work(1);
  return (await work(2)) / one;
}

async function timedSearch(lib, spec, data, workers) {
  const modelSpec = {
    mlp: { inputs: data.features, outputs: 10, activation: 'relu' },
    compile: { loss: 'softmaxCrossentropy', optimizer: 'adam', metrics: ['accuracy'] },
    seed: spec.seed,
  };
  const rssBefore = process.memoryUsage.rss();
  let peak = rssBefore;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 10);
  const started = process.hrtime.bigint();
  const result = await lib.gridSearch(modelSpec, spec.grid, {
    x: data.x, y: data.y, validationSplit: 0.1, epochs: spec.epochs, batchSize: spec.batch, seed: spec.seed, workers,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  const failed = result.filter((e) => e.error !== undefined);
  if (failed.length > 0) throw new Error(`search: ${failed.length} trial(s) failed: ${failed[0].error.message}`);
  return { seconds, trialsPerSec: result.length / seconds, rssAddedMiB: (peak - rssBefore) / 2 ** 20, best: result.best.params };
}

async function main() {
  const spec = specFromArgv();
  const lib = blasnet();
  lib.useBackend(spec.backend);
  const plain = loadPlain(spec.trainSamples);
  const data = {
    features: plain.features,
    x: lib.shareTensor(new lib.Tensor(plain.xTrain, [plain.nTrain, plain.features])),
    y: new lib.Tensor(plain.yTrain, [plain.nTrain]),
  };
  const trials = Object.values(spec.grid).reduce((n, values) => n * values.length, 1);
  const runs = { 1: [], 2: [], threaded: [] };
  const ceilings = [];
  for (let rep = 0; rep < spec.reps; rep++) {
    ceilings.push(await cpuCeiling(spec.quick ? 0.1 : 0.5));
    // Alternated, so a change in the machine's load hits both settings alike.
    for (const key of ['1', '2', 'threaded']) {
      lib.threads(key === 'threaded' ? 2 : 1);
      const r = await timedSearch(lib, spec, data, key === '2' ? 2 : 1);
      runs[key].push(r);
      log(`rep ${rep + 1}: ${key === 'threaded' ? '1 worker, 2 OpenBLAS threads' : `${key} worker(s)`}: ${r.trialsPerSec.toFixed(2)} trials/s`);
    }
  }
  lib.threads(0);
  const summary = (list) => ({ trialsPerSec: median(list.map((r) => r.trialsPerSec)), rssAddedMiB: Math.max(...list.map((r) => r.rssAddedMiB)) });
  const one = summary(runs[1]);
  const two = summary(runs[2]);
  report({
    trials, trainSamples: plain.nTrain, epochs: spec.epochs, reps: spec.reps,
    oneWorker: one, twoWorkers: two, threadedSerial: summary(runs.threaded),
    speedup: two.trialsPerSec / one.trialsPerSec,
    cpuCeiling: median(ceilings),
    rssPerWorkerMiB: two.rssAddedMiB / 2,
    sameBest: JSON.stringify(runs[1][0].best) === JSON.stringify(runs[2][0].best),
  });
}

main().catch((err) => {
  process.stderr.write(`${err.stack || err}\n`);
  process.exit(1);
});
