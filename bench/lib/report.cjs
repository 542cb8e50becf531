'use strict';
// Turns a run's results into the markdown report printed at the end of `npm run bench`.
const { markdownTable, int, fixed } = require('./table.cjs');
const { machineLines } = require('./machine.cjs');
const { torchBest } = require('./targets.cjs');
const { CONFIGS } = require('./plan.cjs');
const { mlpCost } = require('./flops.cjs');

const RUN_LABELS = {
  blasnet: (s) => `blasnet ${s.backend}`,
  torch: (s, x) => `PyTorch${x ? ` ${x.library.replace(/^torch /, '')}` : ''}, set_num_threads(${s.threads})`,
  tfjs: (s, x) => (x ? x.library : `tfjs (${s.backend})`),
  'kernel-loop': (s) => `blasnet ${s.backend}, bare kernel loop (no model API)`,
};

function kernelSection(r) {
  const out = ['## Kernels'];
  if (!r.kernels || r.kernels.error) {
    out.push(`Kernel run failed: ${r.kernels?.error ?? 'not run'}`);
    return out;
  }
  const k = r.kernels;
  const cNote = r.cGemm?.status === 'ok' ? `OpenBLAS from C at ${k.cThreads} threads, run alternately with the addon`
    : `OpenBLAS from C: ${r.cGemm?.status ?? 'not run'}${r.cGemm?.reason ? ` (${r.cGemm.reason})` : ''}`;
  const rounds = r.plan.kernels.gemmRounds;
  out.push(`### gemm, GFLOP/s: median of up to ${r.plan.kernels.gemmReps} timed calls${rounds > 1 ? `, best of ${rounds} rounds` : ''}; ` +
    `blasnet native at ${k.defaultThreads} threads, JS single-threaded; ${cNote}`);
  out.push(markdownTable(
    ['Shape (m×n×k)', 'Product', 'op', 'blasnet native', 'OpenBLAS C', 'native / C', 'blasnet js'],
    k.gemm.map((g) => [`${g.m}×${g.n}×${g.k}`, g.label, `${g.transA ? 'T' : 'N'}${g.transB ? 'T' : 'N'}`,
      fixed(g.native?.gflops), fixed(g.c?.gflops), g.native && g.c ? fixed(g.native.gflops / g.c.gflops, 3) : '–', fixed(g.js?.gflops, 2)]),
    ['left', 'left', 'left', 'right', 'right', 'right', 'right']));
  const threads = Object.keys(k.elementwise[0]?.native ?? {});
  out.push('### Elementwise kernels, GB/s (bytes read + written per call / median time)');
  out.push(markdownTable(
    ['Kernel', 'n', 'bytes/elem', ...threads.map((t) => `native ${t} thr`), 'blasnet js', 'plain JS loop'],
    k.elementwise.map((e) => [e.kernel, int(e.n), e.bytesPerElement, ...threads.map((t) => fixed(e.native[t])), fixed(e.js), fixed(e.loop)]),
    ['left', 'right', 'right', ...threads.map(() => 'right'), 'right', 'right']));
  out.push('### Per-call overhead, ns per call (median)');
  const tiny = r.plan.kernels;
  out.push(markdownTable(
    ['Backend', `gemm ${tiny.tinyGemm}×${tiny.tinyGemm}×${tiny.tinyGemm}`, `axpy n=${tiny.tinyElementwise}`],
    k.overhead.map((o) => [o.backend, int(o.gemmNs), int(o.axpyNs)]),
    ['left', 'right', 'right']));
  return out;
}

function endToEndSection(r) {
  const out = ['## End to end: Fashion-MNIST MLP (each run in its own process)'];
  const runs = r.endToEnd;
  for (const config of Object.keys(CONFIGS)) {
    const ids = Object.keys(runs).filter((id) => runs[id].spec.config === config);
    if (ids.length === 0) continue;
    out.push(`### Config ${config}: ${CONFIGS[config].title}`);
    const best = torchBest(runs, config);
    const notes = [];
    const { flopsPerSample } = mlpCost(CONFIGS[config].hidden, 784, 10);
    out.push(markdownTable(
      ['Run', 'Train samples/s', 'Train GFLOP/s', 'Epoch s', 'Samples train / test', 'Inference samples/s', 'Test acc', 'Peak RSS MiB', 'Loop stall ms p99 / max'],
      ids.map((id) => {
        const run = runs[id];
        const label = RUN_LABELS[run.spec.runner](run.spec, run.result) + (best && best.id === id ? ' = PyTorch best' : '');
        if (run.status !== 'ok') {
          notes.push(`- ${label}: ${run.status}: ${run.reason}`);
          return [label, `${run.status} (${notes.length})`, '', '', '', '', '', '', ''];
        }
        const x = run.result;
        return [label, int(x.trainSamplesPerSec), fixed((x.trainSamplesPerSec * flopsPerSample) / 1e9), fixed(x.epochSeconds, 3), `${int(x.trainSamples)} / ${int(x.inferSamples)}`, int(x.inferSamplesPerSec),
          fixed(x.testAccuracy, 3), int(x.peakRssMiB), x.maxEventLoopStallMs === undefined ? '' : `${fixed(x.p99EventLoopStallMs ?? NaN, 1)} / ${fixed(x.maxEventLoopStallMs, 1)}`];
      }),
      ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right']));
    if (notes.length) out.push(notes.map((n, i) => n.replace(/^- /, `${i + 1}. `)).join('\n'));
    out.push(...onnxruntimeRows(runs, ids));
  }
  out.push('Train samples/s: median timed epoch after a warm-up epoch (the pure-JS runners train on a prefix of the ' +
    `training set). Inference: test images in batches of ${r.plan.endToEnd[0].inferBatch}, median of several passes. ` +
    `Train GFLOP/s: samples/s × the gemm work of a training step per sample (${Object.keys(CONFIGS).map((c) =>
      `config ${c} ${fixed(mlpCost(CONFIGS[c].hidden, 784, 10).flopsPerSample / 1e6, 2)} MFLOP`).join(', ')}). ` +
    'Test accuracy after the few epochs run is a sanity check only. ' +
    'Loop stall: the 99th percentile and the longest event-loop delay during the timed epochs of an async fit (monitorEventLoopDelay, 1 ms resolution); the longest includes the machine\'s own scheduling hiccups.');
  return out;
}

/** blasnet's predict beside onnxruntime-node on the same exported model, rows, batches and process. */
function onnxruntimeRows(runs, ids) {
  const out = [];
  for (const id of ids) {
    const run = runs[id];
    const ort = run.status === 'ok' ? run.result.onnxruntime : undefined;
    if (ort === undefined) continue;
    out.push(`#### Inference beside onnxruntime-node (${id}: the trained model through exportOnnx, same test rows, batch ${run.spec.inferBatch}, ` +
      'same process and thread count, passes alternating)');
    if (ort.status !== 'ok') {
      out.push(`onnxruntime-node ${ort.status}: ${ort.reason}`);
      continue;
    }
    const x = run.result;
    out.push(markdownTable(['Runtime', 'Threads', 'Inference samples/s', 'vs onnxruntime', 'max |output − predict|'], [
      [RUN_LABELS[run.spec.runner](run.spec, x), x.threads, int(ort.blasnetInferSamplesPerSec), fixed(ort.blasnetInferSamplesPerSec / ort.inferSamplesPerSec, 2), '–'],
      [ort.library, ort.threads, int(ort.inferSamplesPerSec), '1.00', ort.maxAbsDiff.toExponential(1)],
    ], ['left', 'right', 'right', 'right', 'right']));
  }
  return out;
}

function scalingSection(s) {
  const out = ['## Scaling (blasnet native, config A shape)'];
  if (s.status !== 'ok') {
    out.push(`${s.status}: ${s.reason}`);
    return out;
  }
  if (s.engine === 'kernel-loop') out.push('Timed with the bare kernel loop: the model API (fit) was not available.');
  const largest = s.samples[s.samples.length - 1];
  out.push(markdownTable(
    ['Training samples', 'Epoch s', 'µs per sample', 'vs linear'],
    s.samples.map((p) => [int(p.samples), fixed(p.epochSeconds, 3), fixed((p.epochSeconds / p.samples) * 1e6, 2),
      fixed(p.epochSeconds / ((largest.epochSeconds * p.samples) / largest.samples), 2)]),
    ['right', 'right', 'right', 'right']));
  const ref = s.widths.find((w) => w.hidden === 256) ?? s.widths[s.widths.length - 1];
  out.push(markdownTable(
    ['Hidden (784-w-w/2-10)', 'Parameters', 'MFLOP/sample', 'Epoch s', `time ratio vs w=${ref.hidden}`, 'FLOP ratio'],
    s.widths.map((w) => [w.hidden, int(w.params), fixed(w.flopsPerSample / 1e6, 2), fixed(w.epochSeconds, 3),
      fixed(w.epochSeconds / ref.epochSeconds, 2), fixed(w.flopsPerSample / ref.flopsPerSample, 2)]),
    ['right', 'right', 'right', 'right', 'right', 'right']));
  out.push(`Width runs train on ${int(s.widthSamples)} samples. FLOP/sample counts forward (2·in·out) and backward ` +
    '(4·in·out, 2·in·out for the first layer, which needs no input gradient). Plot: bench/results/scaling.svg');
  return out;
}

function searchSection(s) {
  const out = ['## Parallel search (blasnet native, Fashion-MNIST subset)'];
  if (s.status !== 'ok') {
    out.push(`${s.status}: ${s.reason}`);
    return out;
  }
  out.push(markdownTable(
    ['Setting', 'Trials/s', 'vs 1 worker', 'RSS added MiB'],
    [['1 worker (1 compute thread)', s.oneWorker], ['2 workers (1 compute thread each)', s.twoWorkers],
      ['1 worker, 2 OpenBLAS threads', s.threadedSerial]]
      .map(([label, r]) => [label, fixed(r.trialsPerSec, 2), fixed(r.trialsPerSec / s.oneWorker.trialsPerSec, 2), fixed(r.rssAddedMiB, 1)]),
    ['left', 'right', 'right', 'right']));
  out.push(`${s.trials} trials of 784-h-10 ReLU MLPs (Adam, batch 128), ${int(s.trainSamples)} samples, ${s.epochs} epoch(s) each, validation split 0.1; ` +
    `median of ${s.reps} alternated repetitions. Each worker adds about ${fixed(s.rssPerWorkerMiB, 1)} MiB; the data is shared, not copied. ` +
    `Same best parameters with 1 and 2 workers: ${s.sameBest ? 'yes' : 'NO'}. ` +
    `CPU available to a second thread during this run: 2 busy threads did ${fixed(s.cpuCeiling, 2)} × the work of 1 ` +
    '(2.00 on idle cores), the ceiling of any 2-worker speed-up here.');
  return out;
}

function threadsSection(t) {
  const out = ['## Threads (config A: train batch 128, inference batch 1000)'];
  if (t.status !== 'ok') {
    out.push(`${t.status}: ${t.reason}`);
    return out;
  }
  const ok = (p) => p.status === 'ok';
  const torchBestAt = (threads, key) => Math.max(0, ...t.points.filter((p) => ok(p) && p.threads === threads && p.id.startsWith('torch')).map((p) => p.result[key]));
  const vsTorch = (p, key) => {
    const best = torchBestAt(p.threads, key);
    return ok(p) && best > 0 && !p.id.startsWith('torch') ? fixed(p.result[key] / best, 2) : '';
  };
  const notes = [];
  out.push(markdownTable(
    ['Threads', 'Run', 'OpenBLAS core', 'Train samples/s', 'Inference samples/s', 'Train / PyTorch best', 'Inference / PyTorch best'],
    t.points.map((p) => {
      if (!ok(p)) {
        notes.push(`- ${p.label}, ${p.threads} threads: ${p.status}: ${p.reason}`);
        return [p.threads, p.label, '', p.status, '', '', ''];
      }
      const core = p.result.openblasCore ? `${p.result.openblasCore}${p.result.openblasOwnCore?.startsWith(p.result.openblasCore) ? '' : ` (own: ${p.result.openblasOwnCore.replace(/ \(simulated.*/, ', simulated')})`}` : '';
      return [p.threads, p.label, core, int(p.result.trainSamplesPerSec), int(p.result.inferSamplesPerSec),
        vsTorch(p, 'trainSamplesPerSec'), vsTorch(p, 'inferSamplesPerSec')];
    }),
    ['right', 'left', 'left', 'right', 'right', 'right', 'right']));
  out.push(`Each row is a process of its own, run one after the other${t.rounds > 1 ? `, and the whole set ${t.rounds} times over (median of the rounds)` : ''}: median timed epoch after a warm-up, and the test images ` +
    'in batches of 1000 (median of several passes). blasnet at t threads is threads(t). "PyTorch best" is the faster PyTorch row at ' +
    'the same thread count.' + (t.simulateCore ? ' "detected, chooser off/on": BLASNET_SIMULATE_OPENBLAS_CORE makes blasnet see that core as ' +
    'OpenBLAS\'s own choice (the fallback a CPU newer than OpenBLAS gets), with the kernel chooser off and on.' : ''));
  if (notes.length) out.push(notes.join('\n'));
  return out;
}

/** What the config A throughput target asks of the hardware, next to the best gemm of the run. */
function feasibilityNote(r) {
  const widths = [784, ...CONFIGS.A.hidden, 10];
  let forward = 0;
  for (let i = 0; i + 1 < widths.length; i++) forward += 2 * widths[i] * widths[i + 1];
  const train = mlpCost(CONFIGS.A.hidden, 784, 10).flopsPerSample;
  const best = Math.max(...(r.kernels?.gemm ?? []).map((g) => g.native?.gflops ?? 0), 0);
  return `In gemm work alone, config A at 180,000 training samples/s needs ${fixed((180000 * train) / 1e9, 0)} GFLOP/s ` +
    `(${fixed(train / 1e6, 2)} MFLOP/sample) and 500,000 inference samples/s needs ${fixed((500000 * forward) / 1e9, 0)} GFLOP/s ` +
    `(${fixed(forward / 1e6, 2)} MFLOP/sample)` + (best > 0 ? `; the fastest single gemm of this run reached ${fixed(best, 0)} GFLOP/s.` : '.');
}

function targetSection(r) {
  return [
    '## Targets (2 cores)',
    markdownTable(['Target', 'Goal', 'Measured', 'Ratio to goal', 'Status'],
      r.targets.map((t) => [t.target, t.goal, t.measured, t.ratio === null ? '–' : fixed(t.ratio, 2), t.status]),
      ['left', 'left', 'left', 'right', 'left']),
    feasibilityNote(r),
  ];
}

function render(r) {
  const out = [`# blasnet benchmark${r.quick ? ' (--quick smoke run: sizes too small to compare)' : ''}`,
    `${r.date}, ${fixed(r.durationSeconds, 0)} s, load average at the end ${r.loadAverageEnd.join(' / ')}\n\n${machineLines(r.machine).join('\n')}`];
  if (r.sections.includes('kernels')) out.push(...kernelSection(r));
  if (r.endToEnd) out.push(...endToEndSection(r));
  if (r.scaling) out.push(...scalingSection(r.scaling));
  if (r.search) out.push(...searchSection(r.search));
  if (r.threads) out.push(...threadsSection(r.threads));
  out.push(...targetSection(r));
  out.push('Results: bench/results/latest.json');
  return out.join('\n\n');
}

module.exports = { render };
