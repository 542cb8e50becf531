'use strict';
// OpenBLAS's cblas_sgemm timed from C (bench/c), the reference the addon's gemm is held to. The C
// program times each call and reports the median; kernels.cjs times the addon the same way, with
// the same warm-up and repetition counts and thread count, and runs the two back to back per shape
// so that a change in the machine's load hits both alike.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..', '..');
const buildScript = path.join(root, 'bench', 'c', 'build.sh');
const binary = path.join(root, 'build', 'bench', 'gemm_openblas');

function lastLine(text) {
  return (text || '').trim().split('\n').pop() || '';
}

/** Builds bench/c: { status: 'ok', binary } or { status: 'skipped', reason }. */
function buildCGemm() {
  if (!fs.existsSync(buildScript)) return { status: 'skipped', reason: 'bench/c/build.sh not present' };
  const build = spawnSync('sh', [buildScript], { encoding: 'utf8', timeout: 120000 });
  if (build.status !== 0 || !fs.existsSync(binary)) {
    return { status: 'skipped', reason: `bench/c did not build: ${lastLine(build.stderr) || lastLine(build.stdout) || build.error?.message}` };
  }
  return { status: 'ok', binary };
}

/** One shape timed in C: { gflops, medianUs, threads } (throws with the program's message on failure). */
function timeCGemm(program, c, { reps, warmup, threads }) {
  const args = ['--reps', String(reps), '--warmup', String(warmup),
    ...(c.transA ? ['--trans-a'] : []), ...(c.transB ? ['--trans-b'] : []), String(c.m), String(c.n), String(c.k)];
  const run = spawnSync(program, args, {
    encoding: 'utf8',
    timeout: 120000,
    env: { ...process.env, OPENBLAS_NUM_THREADS: String(threads) },
  });
  const line = (run.stdout || '').split('\n').find((l) => l.startsWith('{'));
  if (run.status !== 0 || !line) throw new Error(`gemm_openblas ${args.join(' ')}: ${lastLine(run.stderr) || `exit code ${run.status}`}`);
  const r = JSON.parse(line);
  return { gflops: r.gflops, medianUs: r.median_us, threads: r.threads };
}

module.exports = { buildCGemm, timeCGemm };
