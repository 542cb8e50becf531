'use strict';
// Thread scaling: config A trained and served by blasnet and by PyTorch at 1, 2, … up to the cores,
// each run in a process of its own, one after the other in this run. With a simulated OpenBLAS core
// (run.cjs --simulate-core=Prescott) each thread count also runs blasnet with that core as if
// OpenBLAS had picked it, once with the kernel chooser off (the fallback a too-new CPU gets) and
// once with it on (the chooser's rescue), side by side.
const os = require('node:os');
const { runChild } = require('./child.cjs');
const { peerAvailability } = require('./peers.cjs');
const { median } = require('./stats.cjs');

/** The variants at t threads: [id, runner, env, label, torch intra-op threads, spec overrides]. */
function variants(simulateCore, t) {
  const rows = [['blasnet', 'blasnet', {}, 'blasnet']];
  if (simulateCore) {
    rows.push(
      ['blasnet-fallback', 'blasnet', { BLASNET_SIMULATE_OPENBLAS_CORE: simulateCore, BLASNET_CORE_CHOOSER: 'off' }, `blasnet, ${simulateCore} detected, chooser off`],
      ['blasnet-rescued', 'blasnet', { BLASNET_SIMULATE_OPENBLAS_CORE: simulateCore }, `blasnet, ${simulateCore} detected, chooser on`],
    );
  }
  // PyTorch on t cores, two ways: intra-op threads and its BLAS's threads both t, and (where its
  // BLAS is OpenBLAS, which fights OpenMP for the cores) one intra-op thread over a t-thread BLAS.
  const blas = { OPENBLAS_NUM_THREADS: String(t), MKL_NUM_THREADS: String(t) };
  // OpenMP over a threaded OpenBLAS can crawl (hundreds of samples/s): that run trains on a prefix.
  const prefix = t > 1 ? { trainSamples: 6000, timedEpochs: 2 } : {};
  rows.push(['torch', 'torch', { ...blas, OMP_NUM_THREADS: String(t) }, `PyTorch set_num_threads(${t})`, t, prefix]);
  if (t > 1) rows.push(['torch-blas', 'torch', { ...blas, OMP_NUM_THREADS: '1' }, 'PyTorch set_num_threads(1), BLAS threads t', 1]);
  return rows;
}

function threadCounts(cores) {
  const counts = [];
  for (let t = 1; t < cores; t *= 2) counts.push(t);
  counts.push(cores);
  return counts;
}

/** Median of each rate over the rounds a variant ran; the other fields from its first round. */
function combine(results) {
  const rate = (key) => median(results.map((r) => r[key]));
  return { ...results[0], trainSamplesPerSec: rate('trainSamplesPerSec'), inferSamplesPerSec: rate('inferSamplesPerSec'),
    rounds: results.map((r) => ({ train: r.trainSamplesPerSec, infer: r.inferSamplesPerSec })) };
}

/**
 * Runs every variant at every thread count, spec.rounds times over (each round goes through all of
 * them, so load on a shared machine falls on every variant alike), and reports medians; never throws.
 */
async function runThreadScaling(spec, timeoutSeconds, simulateCore, progress) {
  const availability = peerAvailability();
  const counts = threadCounts(spec.maxThreads ?? os.availableParallelism());
  const runs = new Map();
  for (let round = 0; round < (spec.rounds ?? 1); round++) {
    for (const threads of counts) {
      for (const [id, runner, env, label, intraOp, overrides] of variants(simulateCore, threads)) {
        const run = { ...spec, ...overrides, id: `${id}-${threads}t`, runner, backend: 'native', threads: intraOp ?? threads };
        const point = runs.get(run.id) ?? { id, label, threads, status: 'ok', results: [] };
        runs.set(run.id, point);
        if (point.status !== 'ok') continue;
        const unavailable = availability.reason(run);
        if (unavailable) {
          Object.assign(point, { status: 'skipped', reason: unavailable });
          continue;
        }
        progress(`  ${run.id} (round ${round + 1}): ${run.trainSamples} samples, ${run.warmupEpochs}+${run.timedEpochs} epochs`);
        const [command, args] = availability.command(run);
        const out = await runChild(run.id, command, args, { env, timeoutSeconds });
        if (out.ok) point.results.push(out.result);
        else Object.assign(point, { status: 'failed', reason: out.error });
      }
    }
  }
  const points = [...runs.values()].map(({ results, ...p }) => (p.status === 'ok' ? { ...p, result: combine(results) } : p));
  return { status: 'ok', simulateCore: simulateCore ?? null, counts, rounds: spec.rounds ?? 1, points };
}

module.exports = { runThreadScaling, threadCounts };
