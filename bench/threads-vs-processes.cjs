'use strict';
// The measurement behind running parallel trials on worker threads rather than child processes:
// the same 8 trials (784-256-128-10 ReLU MLPs, Adam, batch 128, 2 epochs on 4096 random rows, one
// compute thread each) trained one after another, on 2 worker threads of one process, and in 2
// child processes; trials/s and memory of each. Run several times: the machine's load moves it.
//
//   node bench/threads-vs-processes.cjs
const path = require('node:path');
const { Worker, isMainThread, workerData, parentPort } = require('node:worker_threads');
const { fork } = require('node:child_process');
const { blasnet } = require('./lib/load.cjs');

const N = 4096, D = 784, K = 10, TRIALS = 8, WORKERS = 2;

function trial(lib, seed, x, y) {
  const { Sequential, Dense } = lib;
  const m = new Sequential([new Dense(D, 256, { activation: 'relu' }), new Dense(256, 128, { activation: 'relu' }), new Dense(128, K)], { seed });
  m.compile({ loss: 'softmaxCrossentropy', optimizer: { name: 'adam', lr: 1e-3 } });
  m.fitSync(x, y, { epochs: 2, batchSize: 128, verbose: 0, seed });
}

function data(shared) {
  const make = (n) => (shared ? new Float32Array(new SharedArrayBuffer(n * 4)) : new Float32Array(n));
  const x = make(N * D), y = make(N);
  let s = 1;
  for (let i = 0; i < x.length; i++) { s = (s * 1103515245 + 12345) >>> 0; x[i] = s / 2 ** 32; }
  for (let i = 0; i < N; i++) y[i] = i % K;
  return { x, y };
}

const seedsOf = (w) => Array.from({ length: TRIALS / WORKERS }, (_, i) => w * 100 + i);
const mib = (kib) => (kib / 1024).toFixed(0);

async function main(mode) {
  const lib = blasnet();
  lib.threads(1);
  const started = performance.now();
  let memory;
  if (mode === 'serial') {
    const { x, y } = data(false);
    const X = new lib.Tensor(x, [N, D]);
    for (let i = 0; i < TRIALS; i++) trial(lib, i, X, y);
    memory = `peak RSS ${mib(process.resourceUsage().maxRSS)} MiB`;
  } else if (mode === 'threads') {
    const { x, y } = data(true);
    await Promise.all(Array.from({ length: WORKERS }, (_, w) => new Promise((resolve, reject) => {
      const worker = new Worker(__filename, { workerData: { x, y, seeds: seedsOf(w) } });
      worker.on('message', resolve);
      worker.on('error', reject);
    })));
    memory = `peak RSS of the process ${mib(process.resourceUsage().maxRSS)} MiB`;
  } else {
    const children = await Promise.all(Array.from({ length: WORKERS }, (_, w) => new Promise((resolve) => {
      fork(__filename, ['child', JSON.stringify(seedsOf(w))]).on('message', (m) => resolve(/** @type {{ maxRSS: number }} */ (m).maxRSS));
    })));
    memory = `peak RSS ${mib(process.resourceUsage().maxRSS)} MiB (parent) + ${children.map(mib).join(' + ')} MiB (children)`;
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`${mode.padEnd(9)} ${(TRIALS / seconds).toFixed(2)} trials/s, ${memory}`);
}

if (process.argv[2] === 'child') {
  const lib = blasnet();
  lib.threads(1);
  const { x, y } = data(false);
  for (const seed of JSON.parse(process.argv[3])) trial(lib, seed, new lib.Tensor(x, [N, D]), y);
  process.send({ maxRSS: process.resourceUsage().maxRSS }, () => process.exit(0));
} else if (!isMainThread) {
  const lib = blasnet();
  for (const seed of workerData.seeds) trial(lib, seed, new lib.Tensor(workerData.x, [N, D]), workerData.y);
  parentPort.postMessage('done');
} else if (process.argv[2]) {
  main(process.argv[2]);
} else {
  // Each mode in a fresh process, so each peak RSS is its own.
  const { execFileSync } = require('node:child_process');
  for (const mode of ['serial', 'threads', 'processes']) {
    process.stdout.write(execFileSync(process.execPath, [path.join(__dirname, 'threads-vs-processes.cjs'), mode], { encoding: 'utf8' }));
  }
}
