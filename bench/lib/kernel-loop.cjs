'use strict';
// A training loop written directly against blasnet's Backend primitives, bypassing the model API:
// Dense+ReLU layers, fused softmax cross-entropy, one Adam step over all parameters held in one flat
// buffer. It does what a training step must do and nothing else, so its speed is the ceiling the
// model API can reach on a backend; the gap between the two is the API's own cost.
const { blasnet, requireModule } = require('./load.cjs');
const { filledRandom } = require('./fill.cjs');
const { median, medianPassSeconds, now } = require('./stats.cjs');

function kernelLoopMlp(backendName, spec, features, classes) {
  const b = blasnet().backendByName(backendName);
  if (b === undefined) throw new Error(`kernel loop: the ${backendName} backend is unavailable: ${blasnet().nativeStatus().reason}`);
  const { Act, Opt, OptHyper } = requireModule('backend/types');
  const widths = [features, ...spec.hidden, classes];
  const layers = widths.length - 1;
  let total = 0;
  for (let l = 0; l < layers; l++) total += widths[l] * widths[l + 1] + widths[l + 1];
  const params = new Float32Array(total), grads = new Float32Array(total);
  const s1 = new Float32Array(total), s2 = new Float32Array(total);
  const W = [], bias = [], dW = [], db = [];
  let off = 0;
  for (let l = 0; l < layers; l++) {
    const [inp, out] = [widths[l], widths[l + 1]];
    W.push(params.subarray(off, off + inp * out)); dW.push(grads.subarray(off, off + inp * out));
    // He-uniform weights: the values only need to keep activations in range while timing.
    W[l].set(filledRandom(inp * out, 100 + l, -Math.sqrt(6 / inp), Math.sqrt(6 / inp)));
    off += inp * out;
    bias.push(params.subarray(off, off + out)); db.push(grads.subarray(off, off + out));
    off += out;
  }
  const hyper = new Float64Array(OptHyper.length);
  hyper[OptHyper.lr] = spec.lr; hyper[OptHyper.beta1] = 0.9; hyper[OptHyper.beta2] = 0.999; hyper[OptHyper.eps] = 1e-8;
  const maxM = Math.max(spec.batch, spec.inferBatch);
  const acts = widths.map((w) => new Float32Array(maxM * w)); // acts[0] = the gathered batch
  const pre = widths.map((w) => new Float32Array(maxM * w));  // pre-activations z
  const grad = widths.map((w) => new Float32Array(maxM * w));
  const labels = new Float32Array(maxM);

  function forward(x, m) {
    let a = x;
    for (let l = 0; l < layers; l++) {
      const [inp, out] = [widths[l], widths[l + 1]];
      b.gemm(false, true, m, out, inp, 1, a, W[l], 0, pre[l + 1]);
      b.addBias(pre[l + 1], bias[l], m, out);
      if (l + 1 < layers) b.activationForward(Act.relu, 0, acts[l + 1], pre[l + 1], m * out);
      a = l + 1 < layers ? acts[l + 1] : pre[l + 1];
    }
    return a;
  }

  function step(X, Y, idx, m) {
    b.gatherRows(acts[0], X, idx, m, features);
    b.gatherRows(labels, Y, idx, m, 1);
    const logits = forward(acts[0], m);
    b.softmaxCrossentropy(grad[layers], logits, labels, m, classes, true, 1 / m);
    for (let l = layers - 1; l >= 0; l--) {
      const [inp, out] = [widths[l], widths[l + 1]];
      b.gemm(true, false, out, inp, m, 1, grad[l + 1], acts[l], 0, dW[l]);
      b.sumRows(db[l], grad[l + 1], m, out, 1, 0);
      if (l > 0) {
        b.gemm(false, false, m, inp, out, 1, grad[l + 1], W[l], 0, grad[l]);
        b.activationBackward(Act.relu, 0, grad[l], grad[l], pre[l], acts[l], m * inp);
      }
    }
    hyper[OptHyper.step] += 1;
    b.optimizerStep(Opt.adam, params, grads, s1, s2, total, hyper);
  }

  return {
    /** Trains epochs over n rows with a fresh permutation each; returns the median timed epoch. */
    train(X, Y, n) {
      const order = new Int32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
      let seed = 12345;
      const seconds = [];
      for (let e = 0; e < spec.warmupEpochs + spec.timedEpochs; e++) {
        const t0 = now();
        for (let i = n - 1; i > 0; i--) {
          seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
          const j = seed % (i + 1);
          const t = order[i]; order[i] = order[j]; order[j] = t;
        }
        for (let i = 0; i < n; i += spec.batch) {
          const m = Math.min(spec.batch, n - i);
          step(X, Y, order.subarray(i, i + m), m);
        }
        if (e >= spec.warmupEpochs) seconds.push(now() - t0);
      }
      const epoch = median(seconds);
      return { trainSamples: n, epochSeconds: epoch, trainSamplesPerSec: n / epoch };
    },
    /** Forward over the test rows in batches; samples/s (median) and accuracy. */
    infer(X, Y, n) {
      const out = new Int32Array(spec.inferBatch);
      let correct = 0;
      const once = () => {
        correct = 0;
        for (let i = 0; i < n; i += spec.inferBatch) {
          const m = Math.min(spec.inferBatch, n - i);
          const logits = forward(X.subarray(i * features, (i + m) * features), m);
          b.argmaxRows(out, logits, m, classes);
          for (let r = 0; r < m; r++) if (out[r] === Y[i + r]) correct++;
        }
      };
      const seconds = medianPassSeconds(once, spec.inferReps);
      return { inferSamples: n, inferSamplesPerSec: n / seconds, testAccuracy: correct / n };
    },
  };
}

module.exports = { kernelLoopMlp };
