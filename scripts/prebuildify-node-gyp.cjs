#!/usr/bin/env node
// prebuildify always drives node-gyp, and node-gyp downloads Node's headers unless it is given a
// local Node install (--nodedir). This stand-in, passed as
//   prebuildify --napi --strip --node-gyp=./scripts/prebuildify-node-gyp.cjs
// runs the package's own node-gyp with --nodedir pointing at the headers of the Node that is
// running it (Debian's /usr, or an official tarball's prefix), so prebuilds build offline. A Node-API
// addon does not depend on the header version, so the local headers are the right ones for any
// target prebuildify asks for.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

function localNodeDir() {
  const candidates = [process.env.npm_config_nodedir, path.resolve(process.execPath, '..', '..'), '/usr'];
  return candidates.find((dir) => dir && fs.existsSync(path.join(dir, 'include', 'node', 'node_api.h')));
}

const args = process.argv.slice(2);
if (!args.some((a) => a.startsWith('--nodedir'))) {
  const nodedir = localNodeDir();
  if (nodedir !== undefined) args.push(`--nodedir=${nodedir}`);
  else process.stderr.write('prebuildify-node-gyp: no local Node headers found; node-gyp will try to download them\n');
}

const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');
const result = spawnSync(process.execPath, [nodeGyp, ...args], { stdio: 'inherit' });
if (result.error) throw result.error;
process.exit(result.status ?? 1);
