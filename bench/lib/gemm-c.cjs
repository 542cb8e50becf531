'use strict';
// OpenBLAS's cblas_sgemm timed from C (bench/c), the reference the addon's gemm is held to.
const fs = require('node:fs');
const path = require('node:path');

const cDir = path.resolve(__dirname, '..', 'c');

async function runCGemm(cases, options) {
  if (!fs.existsSync(path.join(cDir, 'build.sh'))) return { status: 'skipped', reason: 'bench/c/build.sh not present', cases: [] };
  if (cases.length === 0) return { status: 'skipped', reason: 'no gemm cases (kernel run failed)', cases: [] };
  return { status: 'skipped', reason: 'bench/c interface not wired yet', cases: [], options };
}

module.exports = { runCGemm };
