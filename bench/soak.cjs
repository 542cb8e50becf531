'use strict';
// Soak run (not part of CI or `npm run bench`): a tiny model through 200k training steps, 100k
// predict calls and 2k save/load cycles, printing the resident set size as it goes. Steady state
// should allocate nothing, so RSS must level off after warm-up; a line that keeps climbing is a
// leak (JS or native). Takes a few minutes.
//   node bench/soak.cjs [--steps=200000] [--predicts=100000] [--cycles=2000] [--every=10]
// --every: how many progress lines per phase.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { blasnet } = require('./lib/load.cjs');

const { Sequential, Dense, Dropout, Tensor, backend } = blasnet();

function option(name, fallback) {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  const v = arg === undefined ? fallback : Number(arg.slice(name.length + 3));
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`soak: --${name} expects an integer ≥ 1, received ${arg}`);
  return v;
}
const steps = option('steps', 200_000);
const predicts = option('predicts', 100_000);
const cycles = option('cycles', 2_000);
const every = option('every', 10);

const mb = (bytes) => (bytes / 2 ** 20).toFixed(1);
const started = Date.now();
function report(phase, done, total, extra = '') {
  const m = process.memoryUsage();
  console.log(`${phase.padEnd(9)} ${String(done).padStart(7)}/${total}  rss ${mb(m.rss).padStart(6)} MB  ` +
    `heap ${mb(m.heapUsed).padStart(6)} MB  external ${mb(m.external).padStart(6)} MB  ` +
    `${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s${extra}`);
}

function model(seed) {
  const m = new Sequential([new Dense(4, 16, { activation: 'relu' }), new Dropout(0.1), new Dense(16, 3)], { seed });
  m.compile({ loss: 'softmaxCrossentropy', optimizer: 'adam', metrics: ['accuracy'] });
  return m;
}

// 64 samples of 4 features, 3 classes; batch 8 → 8 steps per epoch.
const n = 64;
const x = new Tensor(Float32Array.from({ length: n * 4 }, (_, i) => Math.sin(i * 0.37)), [n, 4]);
const y = new Tensor(Float32Array.from({ length: n }, (_, i) => i % 3), [n]);

console.log(`soak: backend ${backend()}, ${steps} steps, ${predicts} predicts, ${cycles} save/load cycles, node ${process.version}`);
report('start', 0, 0);

const m = model(1);
const batchSize = 8;
const epochs = Math.ceil(steps / (n / batchSize));
const epochEvery = Math.max(1, Math.floor(epochs / every));
m.fitSync(x, y, {
  epochs, batchSize, verbose: 0, seed: 2,
  callbacks: { onEpochEnd: (epoch) => { if ((epoch + 1) % epochEvery === 0) report('train', (epoch + 1) * (n / batchSize), epochs * (n / batchSize)); } },
});

const one = new Tensor(Float32Array.from([0.1, -0.2, 0.3, 0.4]), [1, 4]);
const predictEvery = Math.max(1, Math.floor(predicts / every));
let checksum = 0;
for (let i = 1; i <= predicts; i++) {
  checksum += m.predict(one).data[0];
  if (i % predictEvery === 0) report('predict', i, predicts);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blasnet-soak-'));
try {
  const cycleEvery = Math.max(1, Math.floor(cycles / every));
  const reference = m.predict(x).data;
  for (let i = 1; i <= cycles; i++) {
    m.save(dir, { optimizer: true });
    const again = Sequential.load(dir);
    if (i % cycleEvery === 0) {
      const same = again.predict(x).data.every((v, j) => Object.is(v, reference[j]));
      report('save/load', i, cycles, same ? '' : '  (reloaded model predicts differently!)');
    }
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
console.log(`soak: done (checksum ${checksum.toFixed(3)})`);
