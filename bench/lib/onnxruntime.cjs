'use strict';
// onnxruntime-node's CPU inference of the blasnet model just trained, exported with exportOnnx: the
// same test rows, the same batch size and the same thread count as blasnet's predict, in the same
// process. Skipped (with the reason) when onnxruntime-node is not installed or cannot load.
const { root } = require('./load.cjs');
const { median, now } = require('./stats.cjs');

function loadOrt() {
  try {
    const ort = require(require.resolve('onnxruntime-node', { paths: [root] }));
    return { ort, version: require(require.resolve('onnxruntime-node/package.json', { paths: [root] })).version };
  } catch (err) {
    return { reason: `onnxruntime-node not installed or not loadable (${String(err.message).split('\n')[0]}); npm install` };
  }
}

/**
 * Median samples/s of `reps` passes over the n rows of x in batches of `batch` (after one warm-up
 * pass), and the largest |onnxruntime − expected| over the last pass's outputs. blasnetPass (the
 * same rows through predict) is timed in alternation with onnxruntime's passes, so that a busy
 * machine slows both alike, with a pause before each pass: both runtimes' threads keep spinning for
 * a while after a pass, and without it each pass competed with the other's spinning threads
 * (measured: blasnet 136k samples/s back to back, 355k with the pause; onnxruntime 396k and 430k).
 */
async function ortInference(bytes, x, n, features, { batch, reps, threads, expected, blasnetPass }) {
  const loaded = loadOrt();
  if (loaded.reason) return { status: 'skipped', reason: loaded.reason };
  const { ort, version } = loaded;
  const session = await ort.InferenceSession.create(bytes, {
    intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
  });
  const input = session.inputNames[0];
  const output = session.outputNames[0];
  const outputs = [];
  const pass = async () => {
    outputs.length = 0;
    for (let start = 0; start < n; start += batch) {
      const m = Math.min(batch, n - start);
      const result = await session.run({ [input]: new ort.Tensor('float32', x.subarray(start * features, (start + m) * features), [m, features]) });
      outputs.push(result[output].data);
    }
  };
  await pass();
  blasnetPass();
  const seconds = [];
  const blasnetSeconds = [];
  const settle = () => new Promise((resolve) => setTimeout(resolve, 100));
  for (let r = 0; r < reps; r++) {
    await settle();
    let t0 = now();
    await pass();
    seconds.push(now() - t0);
    await settle();
    t0 = now();
    blasnetPass();
    blasnetSeconds.push(now() - t0);
  }
  let maxAbsDiff = 0;
  let at = 0;
  for (const out of outputs) {
    for (let i = 0; i < out.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(out[i] - expected[at + i]));
    at += out.length;
  }
  await session.release();
  return {
    status: 'ok', library: `onnxruntime-node ${version} (CPU)`, threads, inferSamplesPerSec: n / median(seconds), maxAbsDiff,
    blasnetInferSamplesPerSec: n / median(blasnetSeconds),
  };
}

module.exports = { ortInference };
