'use strict';
// Kernel timings through blasnet's Backend objects: gemm in GFLOP/s for square and MLP shapes,
// memory-bound elementwise kernels in GB/s against a plain JavaScript loop, and the fixed cost of
// one call. Runs as a child process of run.cjs (spec as JSON in argv) or on its own.
const { blasnet, requireModule } = require('./lib/load.cjs');
const { secondsPerCall, medianCallSeconds } = require('./lib/stats.cjs');
const { filledRandom } = require('./lib/fill.cjs');
const { report, specFromArgv } = require('./lib/child.cjs');
const { timeCGemm } = require('./lib/gemm-c.cjs');

const log = (msg) => process.stderr.write(`${msg}\n`);

/** The gemm cases: square NN products and, per MLP layer at batch 128, the three training products. */
function gemmCases(spec) {
  const cases = spec.squares.map((s) => ({ group: 'square', label: `${s}×${s}×${s}`, transA: false, transB: false, m: s, n: s, k: s }));
  const batch = spec.mlpBatch;
  for (const [inputs, outputs] of spec.mlpLayers) {
    const layer = `${inputs}→${outputs}`;
    // forward z = x·Wᵀ; dW = dzᵀ·x; dx = dz·W
    cases.push({ group: 'mlp', label: `${layer} forward`, transA: false, transB: true, m: batch, n: outputs, k: inputs });
    cases.push({ group: 'mlp', label: `${layer} dW`, transA: true, transB: false, m: outputs, n: inputs, k: batch });
    cases.push({ group: 'mlp', label: `${layer} dX`, transA: false, transB: false, m: batch, n: inputs, k: outputs });
  }
  return cases;
}

function timeGemm(backend, c, timing) {
  const A = filledRandom(c.m * c.k, 1);
  const B = filledRandom(c.k * c.n, 2);
  const C = new Float32Array(c.m * c.n);
  const { seconds, reps } = medianCallSeconds(
    () => backend.gemm(c.transA, c.transB, c.m, c.n, c.k, 1, A, B, 0, C), timing);
  return { seconds, reps, gflops: (2 * c.m * c.n * c.k) / seconds / 1e9 };
}

/** Elementwise kernels: the backend call, the same work as a plain loop, and bytes moved per call. */
function elementwiseCases(types) {
  const { Act, Opt, OptHyper } = types;
  const hyper = new Float64Array(OptHyper.length);
  hyper[OptHyper.lr] = 1e-3; hyper[OptHyper.beta1] = 0.9; hyper[OptHyper.beta2] = 0.999;
  hyper[OptHyper.eps] = 1e-8; hyper[OptHyper.weightDecay] = 0; hyper[OptHyper.step] = 10;
  return [
    {
      name: 'relu forward',
      bytesPerElement: 8,
      setup: (n) => ({ x: filledRandom(n, 3), y: new Float32Array(n) }),
      backend: (b, a, n) => b.activationForward(Act.relu, 0, a.y, a.x, n),
      loop: (a, n) => { const { x, y } = a; for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v > 0 ? v : 0; } },
    },
    {
      name: 'axpy',
      bytesPerElement: 12,
      setup: (n) => ({ x: filledRandom(n, 4), y: filledRandom(n, 5) }),
      backend: (b, a, n) => b.axpy(a.y, 1e-7, a.x, n),
      loop: (a, n) => { const { x, y } = a; for (let i = 0; i < n; i++) y[i] += 1e-7 * x[i]; },
    },
    {
      name: 'adam step',
      bytesPerElement: 28,
      setup: (n) => ({ p: filledRandom(n, 6), g: filledRandom(n, 7, -1e-2, 1e-2), s1: new Float32Array(n), s2: new Float32Array(n) }),
      backend: (b, a, n) => b.optimizerStep(Opt.adam, a.p, a.g, a.s1, a.s2, n, hyper),
      loop: (a, n) => {
        const { p, g, s1, s2 } = a;
        const lr = hyper[OptHyper.lr], b1 = hyper[OptHyper.beta1], b2 = hyper[OptHyper.beta2], eps = hyper[OptHyper.eps];
        const t = hyper[OptHyper.step];
        const c1 = 1 / (1 - b1 ** t), c2 = 1 / (1 - b2 ** t);
        for (let i = 0; i < n; i++) {
          const gi = g[i];
          const m = b1 * s1[i] + (1 - b1) * gi;
          const v = b2 * s2[i] + (1 - b2) * gi * gi;
          s1[i] = m; s2[i] = v;
          p[i] -= (lr * m * c1) / (Math.sqrt(v * c2) + eps);
        }
      },
    },
  ];
}

function main() {
  const spec = specFromArgv();
  const lib = blasnet();
  const types = requireModule('backend/types');
  const native = lib.backendByName('native');
  const js = lib.backendByName('js');
  const timing = { reps: spec.reps, minSeconds: spec.minSeconds };
  const defaultThreads = native ? lib.threads(0) : 1;
  const result = { defaultThreads, nativeAvailable: Boolean(native), gemm: [], elementwise: [], overhead: [] };

  log(`gemm (native and C at ${defaultThreads} threads, js single-threaded)`);
  const gemmTiming = { reps: spec.gemmReps, warmup: spec.gemmWarmup, maxSeconds: spec.gemmMaxSeconds };
  const cTiming = { reps: spec.gemmReps, warmup: spec.gemmWarmup, threads: defaultThreads };
  if (spec.cGemmBinary) result.cThreads = defaultThreads;
  for (const c of gemmCases(spec)) {
    const row = { ...c, flops: 2 * c.m * c.n * c.k };
    // Addon and C alternate, `rounds` times; each keeps its best round (the least disturbed).
    for (let round = 0; round < spec.gemmRounds; round++) {
      if (native) {
        const t = timeGemm(native, c, gemmTiming);
        if (!row.native || t.gflops > row.native.gflops) row.native = t;
        if (spec.cGemmBinary) {
          const tc = timeCGemm(spec.cGemmBinary, c, cTiming);
          if (!row.c || tc.gflops > row.c.gflops) row.c = tc;
        }
      }
    }
    const jsAllowed = c.m * c.n * c.k <= spec.jsGemmMaxVolume;
    if (jsAllowed) row.js = timeGemm(js, c, { ...gemmTiming, warmup: 1 });
    result.gemm.push(row);
    const f = (t, d = 1) => (t ? t.gflops.toFixed(d) : '-');
    log(`  ${c.label}: native ${f(row.native)}, C ${f(row.c)}, js ${f(row.js, 2)} GFLOP/s`);
  }

  log('elementwise');
  for (const kernel of elementwiseCases(types)) {
    for (const n of spec.elementwiseSizes) {
      const args = kernel.setup(n);
      const gbps = (seconds) => (kernel.bytesPerElement * n) / seconds / 1e9;
      const row = { kernel: kernel.name, n, bytesPerElement: kernel.bytesPerElement, native: {} };
      if (native) {
        for (const t of spec.threads) {
          lib.threads(t);
          row.native[t] = gbps(secondsPerCall(() => kernel.backend(native, args, n), timing).seconds);
        }
        lib.threads(0);
      }
      row.js = gbps(secondsPerCall(() => kernel.backend(js, args, n), timing).seconds);
      row.loop = gbps(secondsPerCall(() => kernel.loop(args, n), timing).seconds);
      result.elementwise.push(row);
      const nat = Object.entries(row.native).map(([t, v]) => `${t}t ${v.toFixed(1)}`).join(', ');
      log(`  ${kernel.name} n=${n}: native ${nat || '-'} GB/s, js ${row.js.toFixed(1)}, loop ${row.loop.toFixed(1)}`);
    }
  }

  log('per-call overhead');
  const tiny = spec.tinyGemm;
  const A = filledRandom(tiny * tiny, 8), B = filledRandom(tiny * tiny, 9), C = new Float32Array(tiny * tiny);
  const x = filledRandom(spec.tinyElementwise, 10), y = filledRandom(spec.tinyElementwise, 11);
  const overheadTiming = { reps: spec.reps, minSeconds: spec.minSeconds };
  for (const [name, b] of [['native', native], ['js', js]]) {
    if (!b) continue;
    result.overhead.push({
      backend: name,
      gemmNs: secondsPerCall(() => b.gemm(false, false, tiny, tiny, tiny, 1, A, B, 0, C), overheadTiming).seconds * 1e9,
      axpyNs: secondsPerCall(() => b.axpy(y, 1e-7, x, spec.tinyElementwise), overheadTiming).seconds * 1e9,
    });
  }
  for (const o of result.overhead) log(`  ${o.backend}: gemm ${tiny}³ ${o.gemmNs.toFixed(0)} ns, axpy n=${spec.tinyElementwise} ${o.axpyNs.toFixed(0)} ns`);
  report(result);
}

main();
