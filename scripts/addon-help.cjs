// Why the native addon is missing and what fixes it, worded once for the install step
// (scripts/install.cjs) and for the library's one-line notice when it falls back to the JS backend
// (lib/backend/native.ts). Loaded only when the addon did not load.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** The command that makes the addon build here, for the three families of Linux systems. */
const FIX = 'install a C++ compiler, make, python3 and OpenBLAS (Debian/Ubuntu: apt-get install g++ make python3 ' +
  'libopenblas-dev; Fedora/RHEL: dnf install gcc-c++ make python3 openblas-devel; Alpine: apk add g++ make ' +
  'python3 openblas-dev), then run npm rebuild blasnet';

/** What prebuilds are named by, as node-gyp-build matches them: e.g. 'linux-x64 (glibc)'. */
function target() {
  if (process.platform !== 'linux') return `${process.platform}-${process.arch}`;
  const musl = fs.existsSync('/etc/alpine-release') || process.env.LIBC === 'musl';
  return `${process.platform}-${process.arch} (${musl ? 'musl' : 'glibc'})`;
}

/** The real cause behind node-gyp-build's error: no build at all, or one that would not load. */
function loadFailureCause(err) {
  const message = String((err && err.message) || err).split('\n')[0];
  if (message.startsWith('No native build was found')) {
    return `no prebuilt addon for ${target()} in the package and no local build`;
  }
  return `the addon failed to load: ${message}`;
}

function onPath(name, searchPath) {
  return searchPath.split(path.delimiter).some((dir) => {
    if (dir === '') return false;
    try {
      fs.accessSync(path.join(dir, name), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const includeDirs = ['/usr/include', '/usr/include/openblas', '/usr/local/include', '/usr/local/include/openblas',
  `/usr/include/${process.arch === 'x64' ? 'x86_64' : process.arch === 'arm64' ? 'aarch64' : process.arch}-linux-gnu`];

/** What compiling the addon with node-gyp needs and this machine lacks (empty when all is there). */
function missingBuildTools({ searchPath = process.env.PATH || '', headerDirs = includeDirs } = {}) {
  const missing = [];
  const compiler = process.env.CXX ? [process.env.CXX] : ['g++', 'c++', 'clang++'];
  if (!compiler.some((name) => path.isAbsolute(name) ? fs.existsSync(name) : onPath(name, searchPath))) {
    missing.push('a C++ compiler (g++)');
  }
  if (!onPath('make', searchPath)) missing.push('make');
  if (!process.env.PYTHON && !onPath('python3', searchPath)) missing.push('python3');
  if (!headerDirs.some((dir) => fs.existsSync(path.join(dir, 'cblas.h')))) missing.push("OpenBLAS's headers (cblas.h)");
  return missing;
}

module.exports = { FIX, target, loadFailureCause, missingBuildTools };
