'use strict';
// Which end-to-end runners can run on this machine, and the command that runs each. A runner that
// is not installed is reported as skipped with the reason, never as a failure.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { blasnet, hasModule, requireModule } = require('./load.cjs');

const benchDir = path.resolve(__dirname, '..');
const peersDir = path.join(benchDir, 'peers');
const PYTHON = process.env.BENCH_PYTHON || '/usr/bin/python3';
const MODEL_MODULES = ['model/sequential'];

function once(fn) {
  let done = false, value;
  return () => { if (!done) { value = fn(); done = true; } return value; };
}

const torchMissing = once(() => {
  if (!fs.existsSync(PYTHON)) return `${PYTHON} not found (set BENCH_PYTHON)`;
  const probe = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8', timeout: 60000 });
  if (probe.status === 0) return undefined;
  const why = (probe.stderr || '').trim().split('\n').pop() || `exit code ${probe.status}`;
  return `PyTorch not importable by ${PYTHON} (${why}); on Debian: apt-get install python3-torch`;
});

function tfjsMissing(backend) {
  const needed = ['@tensorflow/tfjs', ...(backend === 'wasm' ? ['@tensorflow/tfjs-backend-wasm'] : [])];
  for (const pkg of needed) {
    try {
      require.resolve(`${pkg}/package.json`, { paths: [peersDir] });
    } catch {
      return `${pkg} not installed (npm install --prefix bench/peers)`;
    }
  }
  return undefined;
}

const blasnetLoads = once(() => {
  try {
    blasnet();
  } catch (err) {
    return `blasnet did not load: ${err.message.split('\n')[0]}`;
  }
  return undefined;
});

const blasnetMissing = once(() => {
  const absent = MODEL_MODULES.filter((m) => !hasModule(m));
  if (absent.length) return `blasnet has no ${absent.join(', ')} yet`;
  const model = requireModule('model/sequential').Sequential;
  if (typeof model?.prototype?.fit !== 'function') return 'blasnet\'s Sequential has no fit() yet';
  return blasnetLoads();
});

function nativeMissing() {
  const status = blasnet().nativeStatus();
  return status.available ? undefined : `native addon unavailable: ${status.reason}`;
}

function peerAvailability() {
  return {
    /** Undefined when spec's runner can run, else why not. */
    reason(spec) {
      switch (spec.runner) {
        case 'blasnet': return blasnetMissing() ?? (spec.backend === 'native' ? nativeMissing() : undefined);
        case 'kernel-loop': return blasnetLoads() ?? nativeMissing();
        case 'torch': return torchMissing();
        case 'tfjs': return tfjsMissing(spec.backend);
        default: return `unknown runner ${spec.runner}`;
      }
    },
    /** [command, args] that runs spec in a process of its own.
     *  @returns {[string, string[]]} */
    command(spec) {
      const json = JSON.stringify(spec);
      switch (spec.runner) {
        case 'blasnet': return [process.execPath, [path.join(benchDir, 'train.cjs'), json]];
        case 'kernel-loop': return [process.execPath, [path.join(benchDir, 'kernel-loop.cjs'), json]];
        case 'torch': return [PYTHON, [path.join(peersDir, 'torch_mlp.py'), json]];
        case 'tfjs': return [process.execPath, [path.join(peersDir, 'tfjs_mlp.cjs'), json]];
        default: throw new RangeError(`unknown runner ${spec.runner}`);
      }
    },
  };
}

module.exports = { peerAvailability };
