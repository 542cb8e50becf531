#!/usr/bin/env node
// npm's install step: use the prebuild (prebuilds/, in the published package) or an existing build
// if one loads; else compile the addon against the system OpenBLAS: with cmake-js where it and cmake
// are installed (a clone of the repository, where cmake-js is a devDependency), else with node-gyp,
// which npm bundles, so installing blasnet adds no build tool. A failed compile is not a failed
// install: blasnet then runs on its JS backend and says so, in one line, with the cause and the fix.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const help = require('./addon-help.cjs');
const { runNodeGyp } = require('./node-gyp.cjs');

const root = path.resolve(__dirname, '..');
let loadError = new Error('BLASNET_FORCE_BUILD is set');

function addonLoads() {
  try {
    require('node-gyp-build')(root);
    return true;
  } catch (err) {
    loadError = err;
    return false;
  }
}

function cmakeJs() {
  if (!fs.existsSync(path.join(root, 'CMakeLists.txt'))) return undefined; // the package ships binding.gyp only
  try {
    const bin = require.resolve('cmake-js/bin/cmake-js');
    return spawnSync('cmake', ['--version'], { stdio: 'ignore' }).status === 0 ? bin : undefined;
  } catch {
    return undefined;
  }
}

function compileAndLoad() {
  const cause = help.loadFailureCause(loadError);
  const cmakeJsBin = cmakeJs();
  const missing = help.missingBuildTools();
  if (cmakeJsBin === undefined && missing.length > 0) {
    process.stderr.write(`blasnet: ${cause}, and compiling it here needs ${missing.join(', ')}; the JS backend ` +
      `will be used. Fix: ${help.FIX}\n`);
    return false;
  }
  process.stderr.write(`blasnet: ${cause}; compiling it with ${cmakeJsBin ? 'cmake-js' : 'node-gyp'}\n`);
  const options = { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] };
  const build = cmakeJsBin
    ? spawnSync(process.execPath, [cmakeJsBin, 'compile', '--CDCMAKE_BUILD_TYPE=Release'], options)
    : runNodeGyp(['rebuild', '--jobs=max'], options);
  if (build.status === 0 && addonLoads()) return true;
  process.stderr.write(`blasnet: compiling the native addon failed (${build.error ? build.error.message : 'see the ' +
    'output above'}); the JS backend will be used. Fix: ${help.FIX}\n`);
  return false;
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
const loaded = (!process.env.BLASNET_FORCE_BUILD && addonLoads()) || compileAndLoad();
if (!loaded) process.exit(0);
chooseCore();
