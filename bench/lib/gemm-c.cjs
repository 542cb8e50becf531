'use strict';
// OpenBLAS's cblas_sgemm timed from C (bench/c), the reference the addon's gemm is held to. The C
// program times each call and reports the median; kernels.cjs times the addon the same way, with
// the same warm-up and repetition counts and the same thread count.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..', '..');
const buildScript = path.join(root, 'bench', 'c', 'build.sh');
const binary = path.join(root, 'build', 'bench', 'gemm_openblas');

function lastLine(text) {
  return (text || '').trim().split('\n').pop() || '';
}

/** Times every gemm case in C; returns { status, threads, cases: [{ m, n, k, transA, transB, gflops }] }. */
function runCGemm(cases, { reps, warmup, threads }, timeoutSeconds = 600) {
  if (!fs.existsSync(buildScript)) return { status: 'skipped', reason: 'bench/c/build.sh not present', cases: [] };
  if (cases.length === 0) return { status: 'skipped', reason: 'no gemm cases to compare (kernel run failed)', cases: [] };
  const build = spawnSync('sh', [buildScript], { encoding: 'utf8', timeout: 120000 });
  if (build.status !== 0 || !fs.existsSync(binary)) {
    return { status: 'skipped', reason: `bench/c did not build: ${lastLine(build.stderr) || lastLine(build.stdout) || build.error?.message}`, cases: [] };
  }
  const groups = new Map();
  for (const c of cases) {
    const key = `${c.transA}/${c.transB}`;
    if (!groups.has(key)) groups.set(key, { transA: c.transA, transB: c.transB, sizes: [] });
    groups.get(key).sizes.push(c.m, c.n, c.k);
  }
  const out = [];
  for (const g of groups.values()) {
    const args = ['--reps', String(reps), '--warmup', String(warmup),
      ...(g.transA ? ['--trans-a'] : []), ...(g.transB ? ['--trans-b'] : []), ...g.sizes.map(String)];
    const run = spawnSync(binary, args, {
      encoding: 'utf8',
      timeout: timeoutSeconds * 1000,
      env: { ...process.env, OPENBLAS_NUM_THREADS: String(threads) },
    });
    if (run.status !== 0) return { status: 'failed', reason: lastLine(run.stderr) || `exit code ${run.status}`, cases: out };
    for (const line of run.stdout.split('\n')) {
      if (!line.startsWith('{')) continue;
      const r = JSON.parse(line);
      out.push({ m: r.m, n: r.n, k: r.k, transA: r.transA, transB: r.transB, threads: r.threads, medianUs: r.median_us, gflops: r.gflops });
    }
  }
  return { status: 'ok', threads: out[0]?.threads ?? threads, reps, warmup, cases: out };
}

module.exports = { runCGemm };
