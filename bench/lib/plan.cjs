'use strict';
// What a run measures: the full plan (`npm run bench`, a few minutes) or the smoke plan (--quick,
// seconds, for CI). Sizes here are the only knobs; the measuring code takes them as given.
const { dataDir } = require('./fashion.cjs');

/** The two end-to-end configurations of the report. */
const CONFIGS = {
  A: { config: 'A', title: '784-256-128-10 ReLU, Adam, batch 128', hidden: [256, 128], batchNorm: false, dropout: 0, batch: 128, lr: 1e-3 },
  B: { config: 'B', title: '784-512-256-10 BatchNorm+ReLU+Dropout 0.2, Adam, batch 256', hidden: [512, 256], batchNorm: true, dropout: 0.2, batch: 256, lr: 1e-3 },
};

function plan(quick) {
  const epochs = quick ? { warmupEpochs: 1, timedEpochs: 1 } : { warmupEpochs: 1, timedEpochs: 3 };
  const common = { dataDir: dataDir(), seed: 1, inferBatch: 1000, inferReps: quick ? 1 : 5, ...epochs };
  // Fast runners train on all 60k samples; the slow JavaScript ones on a prefix (samples/s is what
  // is compared, and it does not depend on the prefix length once an epoch is hundreds of steps).
  const full = quick ? 2048 : 60000;
  const slow = quick ? 1024 : 6000;
  // The pure-JS runners (blasnet's JS backend, tfjs 'cpu') manage a few hundred to a few thousand
  // samples/s: a smaller prefix, fewer timed epochs, and inference on part of the test set.
  const slowest = quick
    ? { trainSamples: 512, inferSamples: 500 }
    : { trainSamples: 2000, timedEpochs: 2, inferSamples: 1000, inferReps: 2 };
  const run = (id, runner, config, extra) => ({ id, runner, ...CONFIGS[config], ...common, ...extra });
  return {
    quick,
    kernels: {
      squares: quick ? [128] : [256, 512, 1024],
      mlpBatch: 128,
      mlpLayers: [[784, 256], [256, 128], [128, 10]],
      reps: quick ? 2 : 5,
      minSeconds: quick ? 0.005 : 0.05,
      gemmRounds: quick ? 1 : 2,
      gemmReps: quick ? 10 : 50,
      gemmWarmup: quick ? 2 : 5,
      gemmMaxSeconds: quick ? 0.1 : 1,
      jsGemmMaxVolume: quick ? 128 ** 3 : 1024 ** 3,
      elementwiseSizes: quick ? [1 << 16] : [1 << 16, 1 << 22],
      threads: [1, 2],
      tinyGemm: 4,
      tinyElementwise: 16,
    },
    endToEnd: [
      run('blasnet-native-A', 'blasnet', 'A', { backend: 'native', trainSamples: full, measureStall: true, onnxruntime: true }),
      run('kernels-native-A', 'kernel-loop', 'A', { backend: 'native', trainSamples: full }),
      run('torch-1t-A', 'torch', 'A', { threads: 1, trainSamples: full }),
      // The naive 2-thread PyTorch setting oversubscribes the cores (OpenMP and OpenBLAS threads) and
      // can crawl on a busy machine: a prefix, and only in a full run.
      ...(quick ? [] : [run('torch-2t-A', 'torch', 'A', { threads: 2, trainSamples: slow, timedEpochs: 2 })]),
      run('tfjs-wasm-A', 'tfjs', 'A', { backend: 'wasm', trainSamples: slow, timedEpochs: quick ? 1 : 2 }),
      run('blasnet-js-A', 'blasnet', 'A', { backend: 'js', ...slowest, measureStall: true }),
      run('tfjs-cpu-A', 'tfjs', 'A', { backend: 'cpu', ...slowest }),
      run('blasnet-native-B', 'blasnet', 'B', { backend: 'native', trainSamples: full, measureStall: true }),
      run('torch-1t-B', 'torch', 'B', { threads: 1, trainSamples: full }),
      ...(quick ? [] : [
        run('torch-2t-B', 'torch', 'B', { threads: 2, trainSamples: slow, timedEpochs: 2 }),
        run('tfjs-wasm-B', 'tfjs', 'B', { backend: 'wasm', trainSamples: slow, timedEpochs: 2 }),
      ]),
    ],
    // A 12-trial grid (--quick: 4 trials) of small MLPs, 1 worker against 2. Each trial trains on
    // 30k images for 3 epochs (a fraction of a second), so starting the workers, which a real
    // search pays once, does not dominate the figure.
    search: {
      backend: 'native', seed: 1, batch: 128, dataDir: dataDir(), quick,
      trainSamples: quick ? 512 : 30000,
      epochs: quick ? 1 : 3,
      reps: quick ? 1 : 3,
      grid: quick ? { hidden: [[16], [32]], lr: [1e-3, 1e-2] } : { hidden: [[32], [64], [128]], lr: [1e-3, 3e-3, 1e-2, 3e-2] },
    },
    scaling: {
      ...CONFIGS.A,
      ...common,
      backend: 'native',
      warmupEpochs: 1,
      timedEpochs: quick ? 1 : 2,
      samples: quick ? [1024, 2048] : [7500, 15000, 30000, 60000],
      widths: quick ? [32, 64] : [64, 128, 256, 512],
      widthSamples: quick ? 2048 : 15000,
    },
    // Config A at 1, 2, 4, … threads up to the cores, blasnet beside PyTorch (bench/lib/threads.cjs).
    threads: {
      ...CONFIGS.A,
      ...common,
      trainSamples: quick ? 1024 : 30000,
      inferSamples: quick ? 1000 : 10000,
      timedEpochs: quick ? 1 : 3,
      rounds: quick ? 1 : 2,
    },
  };
}

module.exports = { CONFIGS, plan };
