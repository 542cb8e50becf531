#!/usr/bin/env node
// Runs node-gyp without a network: node-gyp downloads Node's headers unless it is given a local Node
// install (--nodedir), so this adds the headers of the Node that is running it (Debian's /usr, or an
// official tarball's prefix) when they are there. A Node-API addon does not depend on the header
// version, so the local headers suit any target. node-gyp itself is the package's own (a
// devDependency, in a clone) or the one npm bundles (an install, where npm names it in
// npm_config_node_gyp): installing blasnet adds no build tool.
// CLI: node scripts/node-gyp.cjs <node-gyp arguments>   (npm run build:gyp)
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

function localNodeDir() {
  const candidates = [process.env.npm_config_nodedir, path.resolve(process.execPath, '..', '..'), '/usr'];
  return candidates.find((dir) => dir && fs.existsSync(path.join(dir, 'include', 'node', 'node_api.h')));
}

function nodeGypScript() {
  let own;
  try { own = require.resolve('node-gyp/bin/node-gyp.js'); } catch { own = undefined; }
  const npmBundled = path.resolve(process.execPath, '..', '..', 'lib', 'node_modules', 'npm', 'node_modules',
    'node-gyp', 'bin', 'node-gyp.js');
  return [own, process.env.npm_config_node_gyp, npmBundled].find((file) => file && fs.existsSync(file));
}

/** Runs node-gyp with `args` (plus --nodedir when local headers exist); returns spawnSync's result. */
function runNodeGyp(args, options = {}) {
  const script = nodeGypScript();
  if (script === undefined) return { status: 1, error: new Error('node-gyp not found (neither installed nor bundled with npm)') };
  const all = [...args];
  if (!all.some((a) => a.startsWith('--nodedir'))) {
    const nodedir = localNodeDir();
    if (nodedir !== undefined) all.push(`--nodedir=${nodedir}`);
  }
  return spawnSync(process.execPath, [script, ...all], { stdio: 'inherit', ...options });
}

module.exports = { runNodeGyp };

if (require.main === module) {
  const result = runNodeGyp(process.argv.slice(2));
  if (result.error) throw result.error;
  process.exit(result.status ?? 1);
}
