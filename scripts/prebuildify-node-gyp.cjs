#!/usr/bin/env node
// The node-gyp that prebuildify drives (scripts/build-prebuild.sh passes it with --node-gyp): the
// offline node-gyp of scripts/node-gyp.cjs, building in parallel, with OpenBLAS linked in statically
// so the prebuild needs no OpenBLAS where it runs. Debian's pthread libopenblas.a is DYNAMIC_ARCH
// (every core's kernels inside, chosen when the addon loads, OPENBLAS_CORETYPE included);
// BLASNET_OPENBLAS_STATIC names another archive. binding.gyp hides the archive's symbols.
'use strict';
const fs = require('node:fs');
const { runNodeGyp } = require('./node-gyp.cjs');

const archive = process.env.BLASNET_OPENBLAS_STATIC || '/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.a';
if (!fs.existsSync(archive)) {
  process.stderr.write(`prebuildify-node-gyp: ${archive} not found: install libopenblas-pthread-dev ` +
    '(Debian/Ubuntu) or set BLASNET_OPENBLAS_STATIC to a static OpenBLAS\n');
  process.exit(1);
}
const args = process.argv.slice(2);
if (!args.some((a) => a.startsWith('--jobs') || a === '-j')) args.push('--jobs=max');
const result = runNodeGyp([...args, `--openblas_static=${archive}`]);
if (result.error) throw result.error;
process.exit(result.status ?? 1);
