'use strict';
// The performance targets blasnet is held to (2 cores), each checked against this run's figures.
// Every row states its goal, the measured figure and ratio = measured / goal oriented so that ≥ 1
// passes; a figure that could not be measured (peer not installed, run failed) is "skipped".
const { int, fixed } = require('./table.cjs');

const GEMM_TARGET_FLOPS = 2 * 128 * 784 * 256;

function okResult(runs, id) {
  const run = runs[id];
  return run && run.status === 'ok' ? run.result : undefined;
}

/** The faster PyTorch setting for a config, with which one it was. */
function torchBest(runs, config) {
  const candidates = Object.entries(runs)
    .filter(([id, r]) => id.startsWith('torch-') && id.endsWith(`-${config}`) && r.status === 'ok')
    .map(([id, r]) => ({ id, ...r.result }));
  if (candidates.length === 0) return undefined;
  return candidates.reduce((a, b) => (b.trainSamplesPerSec > a.trainSamplesPerSec ? b : a));
}

function row(target, goal, measured, ratio, note) {
  const status = Number.isFinite(ratio) ? (ratio >= 1 ? 'PASS' : 'MISS') : 'skipped';
  return { target, goal, measured, ratio: Number.isFinite(ratio) ? +ratio.toFixed(3) : null, status, note };
}

function evaluateTargets({ kernels, runs, search }) {
  const rows = [];

  // 1. gemm through the addon within 5% of the same sgemm called from C.
  const pairs = (kernels?.gemm ?? [])
    .filter((g) => g.flops >= GEMM_TARGET_FLOPS && g.native && g.c)
    .map((g) => ({ label: g.label, ratio: g.native.gflops / g.c.gflops }));
  const worst = pairs.reduce((a, b) => (a === undefined || b.ratio < a.ratio ? b : a), undefined);
  rows.push(row('gemm via addon vs C, shapes ≥ 128×784×256 (worst)', '≥ 0.95 × C',
    worst ? `${fixed(worst.ratio, 3)} × C (${worst.label})` : '–', worst ? worst.ratio / 0.95 : NaN,
    pairs.length ? `${pairs.length} shapes` : 'needs the native addon and bench/c'));

  const a = okResult(runs, 'blasnet-native-A');
  const b = okResult(runs, 'blasnet-native-B');
  const torchA = torchBest(runs, 'A');
  const torchB = torchBest(runs, 'B');
  const jsA = okResult(runs, 'blasnet-js-A');
  const tfjsCpuA = okResult(runs, 'tfjs-cpu-A');

  rows.push(row('config A training', '≥ 180,000 samples/s', a ? int(a.trainSamplesPerSec) : '–',
    a ? a.trainSamplesPerSec / 180000 : NaN));
  rows.push(row('config A training vs PyTorch best', '≥ 1.6 × PyTorch',
    a && torchA ? `${fixed(a.trainSamplesPerSec / torchA.trainSamplesPerSec, 2)} × (${torchA.id})` : '–',
    a && torchA ? a.trainSamplesPerSec / torchA.trainSamplesPerSec / 1.6 : NaN));
  rows.push(row('config A inference', '≥ 500,000 samples/s', a ? int(a.inferSamplesPerSec) : '–',
    a ? a.inferSamplesPerSec / 500000 : NaN));
  const ortA = a?.onnxruntime?.status === 'ok' ? a.onnxruntime : undefined;
  rows.push(row('config A inference vs onnxruntime-node (CPU)', '≥ 1 × onnxruntime',
    ortA ? `${fixed(ortA.blasnetInferSamplesPerSec / ortA.inferSamplesPerSec, 2)} × (${int(ortA.inferSamplesPerSec)} samples/s)` : '–',
    ortA ? ortA.blasnetInferSamplesPerSec / ortA.inferSamplesPerSec : NaN, ortA ? undefined : 'needs onnxruntime-node'));
  rows.push(row('config B training vs PyTorch best', '≥ 1.5 × PyTorch',
    b && torchB ? `${fixed(b.trainSamplesPerSec / torchB.trainSamplesPerSec, 2)} × (${torchB.id})` : '–',
    b && torchB ? b.trainSamplesPerSec / torchB.trainSamplesPerSec / 1.5 : NaN));
  rows.push(row('JS backend config A training vs tfjs cpu', '≥ 2 × tfjs cpu',
    jsA && tfjsCpuA ? `${fixed(jsA.trainSamplesPerSec / tfjsCpuA.trainSamplesPerSec, 2)} ×` : '–',
    jsA && tfjsCpuA ? jsA.trainSamplesPerSec / tfjsCpuA.trainSamplesPerSec / 2 : NaN));
  rows.push(row('config A longest event-loop stall during async fit', '< 20 ms',
    a?.maxEventLoopStallMs !== undefined ? `${fixed(a.maxEventLoopStallMs, 1)} ms (p99 ${fixed(a.p99EventLoopStallMs, 1)} ms)` : '–',
    a?.maxEventLoopStallMs !== undefined ? 20 / a.maxEventLoopStallMs : NaN));
  rows.push(row('config A peak RSS vs PyTorch best', '≤ PyTorch',
    a && torchA ? `${int(a.peakRssMiB)} MiB vs ${int(torchA.peakRssMiB)} MiB` : '–',
    a && torchA ? torchA.peakRssMiB / a.peakRssMiB : NaN));
  const s = search?.status === 'ok' ? search : undefined;
  rows.push(row(`parallel search, ${s ? s.trials : 12}-trial grid: 2 workers vs 1`, '≥ 1.8 × 1 worker',
    s ? `${fixed(s.speedup, 2)} × (${fixed(s.twoWorkers.trialsPerSec, 2)} vs ${fixed(s.oneWorker.trialsPerSec, 2)} trials/s)` : '–',
    s ? s.speedup / 1.8 : NaN));
  return rows;
}

module.exports = { evaluateTargets, torchBest, GEMM_TARGET_FLOPS };
