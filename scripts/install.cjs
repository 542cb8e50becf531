#!/usr/bin/env node
// npm's install step: use a prebuild or an existing build if one loads, else compile the addon with
// cmake-js against the system OpenBLAS. A failed compile is not a failed install: blasnet then runs
// on its JS backend and says so, in one line, with the command that fixes it.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

function addonLoads() {
  try {
    require('node-gyp-build')(root);
    return true;
  } catch {
    return false;
  }
}

// Chooses OpenBLAS's kernels for this CPU now (trials in child processes, verdict cached), so that
// the first start need not; without a built dist/ it is left to the first start.
function chooseCore() {
  try {
    require('../dist/backend/core-chooser.js').prepareOpenblasCore({ ...process.env });
  } catch {
    // redone when blasnet first loads
  }
}

if (process.env.BLASNET_SKIP_NATIVE === '1') process.exit(0);
if (!process.env.BLASNET_FORCE_BUILD && addonLoads()) { chooseCore(); process.exit(0); }

const cmakeJs = require.resolve('cmake-js/bin/cmake-js');
const build = spawnSync(process.execPath, [cmakeJs, 'compile', '--CDCMAKE_BUILD_TYPE=Release'], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
});
if (build.status === 0 && addonLoads()) { chooseCore(); process.exit(0); }

process.stderr.write('blasnet: could not build the native addon (see the output above); the JS backend will be used. ' +
  'Fix: apt-get install -y libopenblas-dev cmake g++ && npm rebuild blasnet\n');
