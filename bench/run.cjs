#!/usr/bin/env node
'use strict';
// blasnet's benchmark suite: kernels (gemm, elementwise, call overhead) against OpenBLAS from C and
// plain JavaScript, end-to-end MLP training and inference on Fashion-MNIST against PyTorch and
// TensorFlow.js, and scaling with data size and width. Prints markdown tables and writes
// bench/results/latest.json and bench/results/scaling.svg.
//
//   node bench/run.cjs            full run (a few minutes)
//   node bench/run.cjs --quick    smoke run (seconds): every path, tiny sizes
//   node bench/run.cjs --only=kernels,train,scaling,search,threads
//   node bench/run.cjs --only=threads --simulate-core=Prescott [--rounds=N]
//                                 thread scaling, plus blasnet as if OpenBLAS had detected Prescott,
//                                 with the kernel chooser off (the fallback) and on (its rescue)
//   node bench/run.cjs --report   print the report of the last run again (bench/results/latest.json)
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { plan: makePlan } = require('./lib/plan.cjs');
const { describeMachine, machineLines } = require('./lib/machine.cjs');
const { runChild } = require('./lib/child.cjs');
const { missingReason: datasetMissing } = require('./lib/fashion.cjs');
const { buildCGemm } = require('./lib/gemm-c.cjs');
const { peerAvailability } = require('./lib/peers.cjs');
const { evaluateTargets } = require('./lib/targets.cjs');
const { runThreadScaling } = require('./lib/threads.cjs');
const { chartsSideBySide } = require('./lib/svg.cjs');
const report = require('./lib/report.cjs');

const SECTIONS = ['kernels', 'train', 'scaling', 'search', 'threads'];
const resultsDir = path.join(__dirname, 'results');

function parseArgs(argv) {
  const args = { quick: false, only: SECTIONS };
  for (const arg of argv) {
    if (arg === '--quick') args.quick = true;
    else if (arg === '--report') args.reportOnly = true;
    else if (arg.startsWith('--simulate-core=')) args.simulateCore = arg.slice('--simulate-core='.length);
    else if (arg.startsWith('--rounds=')) {
      args.rounds = Number(arg.slice('--rounds='.length));
      if (!Number.isInteger(args.rounds) || args.rounds < 1) throw new RangeError(`run.cjs: expected --rounds=<integer ≥ 1>, received ${arg}`);
    }
    else if (arg.startsWith('--only=')) {
      args.only = arg.slice('--only='.length).split(',').filter(Boolean);
      const unknown = args.only.filter((s) => !SECTIONS.includes(s));
      if (unknown.length) throw new RangeError(`run.cjs: unknown section ${unknown.join(', ')}; expected some of ${SECTIONS.join(', ')}`);
    } else if (arg === '--help' || arg === '-h') {
      process.stdout.write('usage: node bench/run.cjs [--quick] [--only=kernels,train,scaling,search,threads] [--simulate-core=Prescott] [--rounds=N] | --report (print the last results again)\n');
      process.exit(0);
    } else {
      throw new RangeError(`run.cjs: unknown argument ${arg}; expected --quick, --only=<sections>, --simulate-core=<core> or --rounds=<n>`);
    }
  }
  return args;
}

const progress = (msg) => process.stderr.write(`${msg}\n`);

function node(script, spec, timeoutSeconds) {
  return runChild(path.basename(script, '.cjs'), process.execPath, [path.join(__dirname, script), JSON.stringify(spec)], { timeoutSeconds });
}

async function runKernels(plan, timeoutSeconds) {
  progress('== kernels');
  const cBuild = buildCGemm();
  if (cBuild.status !== 'ok') progress(`  OpenBLAS from C skipped: ${cBuild.reason}`);
  const kernels = await node('kernels.cjs', { ...plan.kernels, cGemmBinary: cBuild.binary }, timeoutSeconds);
  return {
    kernels: kernels.ok ? kernels.result : { error: kernels.error },
    cGemm: cBuild.status === 'ok' ? { status: 'ok' } : cBuild,
  };
}

/** Runs each end-to-end configuration in its own process, in plan order; never throws. */
async function runEndToEnd(plan, timeoutSeconds) {
  progress('== end to end (Fashion-MNIST)');
  const noData = datasetMissing();
  const availability = peerAvailability();
  const runs = {};
  for (const spec of plan.endToEnd) {
    const unavailable = noData ?? availability.reason(spec);
    if (unavailable) {
      runs[spec.id] = { status: 'skipped', reason: unavailable, spec };
      progress(`  ${spec.id}: skipped (${unavailable})`);
      continue;
    }
    progress(`  ${spec.id}: ${spec.trainSamples} samples, ${spec.warmupEpochs}+${spec.timedEpochs} epochs`);
    const [command, args] = availability.command(spec);
    const out = await runChild(spec.id, command, args, { timeoutSeconds });
    runs[spec.id] = out.ok
      ? { status: 'ok', result: out.result, spec, wallSeconds: out.seconds }
      : { status: 'failed', reason: out.error, spec, wallSeconds: out.seconds };
    if (!out.ok) progress(`  ${spec.id}: FAILED (${out.error})`);
  }
  return runs;
}

async function runScaling(plan, timeoutSeconds) {
  progress('== scaling');
  const noData = datasetMissing();
  if (noData) return { status: 'skipped', reason: noData };
  const availability = peerAvailability();
  // Through fit when the model API can run, else through the bare kernel loop (said in the report).
  const viaModel = availability.reason({ runner: 'blasnet', backend: 'native' });
  const viaKernels = availability.reason({ runner: 'kernel-loop', backend: 'native' });
  if (viaModel && viaKernels) return { status: 'skipped', reason: viaModel };
  const engine = viaModel ? 'kernel-loop' : 'model';
  if (viaModel) progress(`  model API unavailable (${viaModel}): timing the bare kernel loop instead`);
  const out = await node('scaling.cjs', { ...plan.scaling, engine }, timeoutSeconds);
  return out.ok ? { status: 'ok', ...out.result } : { status: 'failed', reason: out.error };
}

async function runSearch(plan, timeoutSeconds) {
  progress('== parallel search');
  const noData = datasetMissing();
  if (noData) return { status: 'skipped', reason: noData };
  const unavailable = peerAvailability().reason({ runner: 'blasnet', backend: 'native' });
  if (unavailable) return { status: 'skipped', reason: unavailable };
  const out = await node('search.cjs', plan.search, timeoutSeconds);
  return out.ok ? { status: 'ok', ...out.result } : { status: 'failed', reason: out.error };
}

async function runThreads(plan, timeoutSeconds, simulateCore) {
  progress(`== threads${simulateCore ? ` (and OpenBLAS simulated as ${simulateCore})` : ''}`);
  const noData = datasetMissing();
  if (noData) return { status: 'skipped', reason: noData };
  return runThreadScaling(plan.threads, timeoutSeconds, simulateCore, progress);
}

function scalingSvg(scaling) {
  const perSample = scaling.samples.map((p) => [p.samples / 1000, p.epochSeconds]);
  const first = scaling.samples[scaling.samples.length - 1];
  const linear = scaling.samples.map((p) => [p.samples / 1000, (first.epochSeconds * p.samples) / first.samples]);
  const ref = scaling.widths.find((w) => w.hidden === 256) ?? scaling.widths[scaling.widths.length - 1];
  const byWidth = scaling.widths.map((w) => [w.hidden, w.epochSeconds]);
  const byFlops = scaling.widths.map((w) => [w.hidden, (ref.epochSeconds * w.flopsPerSample) / ref.flopsPerSample]);
  return chartsSideBySide([
    {
      title: 'Epoch time vs training samples (config A)', xLabel: 'samples (thousands)', yLabel: 'seconds per epoch',
      series: [{ name: 'measured', points: perSample }, { name: 'linear from the largest', points: linear, dashed: true }],
    },
    {
      title: "Epoch time vs width (784-w-w/2-10)", xLabel: `hidden width w (${scaling.widthSamples} samples)`, yLabel: 'seconds per epoch',
      series: [{ name: 'measured', points: byWidth }, { name: `FLOP count, scaled at w=${ref.hidden}`, points: byFlops, dashed: true }],
    },
  ]);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.reportOnly) {
    const last = JSON.parse(fs.readFileSync(path.join(resultsDir, 'latest.json'), 'utf8'));
    process.stdout.write(`${report.render(last)}\n`);
    return;
  }
  const plan = makePlan(args.quick);
  if (args.rounds) plan.threads.rounds = args.rounds;
  const started = Date.now();
  const timeoutSeconds = args.quick ? 180 : 600;
  const machine = describeMachine();
  progress(machineLines(machine).join('\n'));

  const results = { date: new Date().toISOString(), quick: args.quick, sections: args.only, machine, plan };
  if (args.only.includes('kernels')) Object.assign(results, await runKernels(plan, timeoutSeconds));
  if (args.only.includes('train')) results.endToEnd = await runEndToEnd(plan, timeoutSeconds);
  if (args.only.includes('scaling')) results.scaling = await runScaling(plan, timeoutSeconds);
  if (args.only.includes('search')) results.search = await runSearch(plan, timeoutSeconds);
  if (args.only.includes('threads')) results.threads = await runThreads(plan, timeoutSeconds, args.simulateCore);
  results.targets = evaluateTargets({ kernels: results.kernels, runs: results.endToEnd ?? {}, search: results.search });
  results.durationSeconds = (Date.now() - started) / 1000;
  results.loadAverageEnd = os.loadavg().map((v) => +v.toFixed(2));

  fs.mkdirSync(resultsDir, { recursive: true });
  if (results.scaling?.status === 'ok') {
    fs.writeFileSync(path.join(resultsDir, 'scaling.svg'), scalingSvg(results.scaling));
  }
  fs.writeFileSync(path.join(resultsDir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${report.render(results)}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof RangeError ? err.message : err.stack || err}\n`);
  process.exit(1);
});
