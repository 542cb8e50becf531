'use strict';
// Streaming a CSV larger than memory versus loading it: generates a numeric CSV of the given size,
// then, each in a process of its own (so each peak RSS is its own):
//   stream  — csvDataset's first pass (encoding + scaler), one epoch of reading only (parse +
//             encode + shuffle buffer), and one training epoch of model.fit(dataset);
//   memory  — loadCsv + StandardScaler (the parse cost) and one training epoch of model.fit(x, y),
//             on a file small enough to load (--memory-mb, default 100 MB: loading takes ~9× the
//             file's size).
// Same model, batch size and rows per second in both, so "stream / memory" compares the training
// loops with the parse cost stated apart. Nothing is asserted.
//
//   node bench/stream-csv.cjs [--mb=200] [--memory-mb=100] [--features=32] [--batch=256] [--dir=/tmp]
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { blasnet } = require('./lib/load.cjs');
const { report, runChild, specFromArgv } = require('./lib/child.cjs');

const log = (msg) => process.stderr.write(`${msg}\n`);

function args() {
  const get = (name, fallback) => {
    const a = process.argv.find((s) => s.startsWith(`--${name}=`));
    return a === undefined ? fallback : a.slice(name.length + 3);
  };
  return {
    mb: Number(get('mb', 200)), memoryMb: Number(get('memory-mb', 100)), features: Number(get('features', 32)),
    batch: Number(get('batch', 256)), dir: get('dir', os.tmpdir()),
  };
}

/** Writes rows of `features` numbers and a 0/1 class until the file reaches `bytes`. */
function generate(file, bytes, features) {
  if (fs.existsSync(file) && fs.statSync(file).size >= bytes) return;
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, [...Array.from({ length: features }, (_, j) => `f${j}`), 'label'].join(',') + '\n');
  let written = 0;
  let seed = 12345;
  const rand = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed / 2 ** 32; };
  while (written < bytes) {
    const lines = [];
    for (let i = 0; i < 10000; i++) {
      let s = 0;
      const row = [];
      for (let j = 0; j < features; j++) { const v = rand() * 20 - 10; s += j % 2 ? v : -v; row.push(v.toFixed(3)); }
      row.push(s > 0 ? '1' : '0');
      lines.push(row.join(','));
    }
    const chunk = lines.join('\n') + '\n';
    fs.writeSync(fd, chunk);
    written += chunk.length;
  }
  fs.closeSync(fd);
}

function buildModel(lib, features, seed = 1) {
  const { Sequential, Dense, adam } = lib;
  const model = new Sequential([new Dense(features, 64, { activation: 'relu' }), new Dense(64, 32, { activation: 'relu' }), new Dense(32, 2)], { seed });
  model.compile({ loss: 'softmaxCrossentropy', optimizer: adam({ lr: 1e-3 }) });
  return model;
}

async function child(spec) {
  const lib = blasnet();
  const now = () => performance.now() / 1000;
  if (spec.mode === 'stream') {
    let t = now();
    const ds = await lib.csvDataset(spec.file, { batchSize: spec.batch, shuffleBuffer: 10000, seed: 1 });
    const firstPass = now() - t;
    t = now();
    let rows = 0;
    for await (const b of ds) rows += b.y.shape[0];
    const readEpoch = now() - t;
    const model = buildModel(lib, ds.featureCount);
    t = now();
    await model.fit(ds, { epochs: 1, verbose: 0 });
    const trainEpoch = now() - t;
    report({ mode: 'stream', rows, firstPass, readEpoch, trainEpoch, fileMiB: fs.statSync(spec.file).size / 2 ** 20 });
    return;
  }
  let t = now();
  const d = lib.loadCsv(spec.file);
  const scaler = new lib.StandardScaler().fit(d.x);
  const x = scaler.transform(d.x);
  const parse = now() - t;
  const model = buildModel(lib, x.shape[1]);
  t = now();
  await model.fit(x, d.y, { epochs: 1, batchSize: spec.batch, verbose: 0, seed: 1 });
  const trainEpoch = now() - t;
  report({ mode: 'memory', rows: x.shape[0], parse, trainEpoch, fileMiB: fs.statSync(spec.file).size / 2 ** 20 });
}

async function main() {
  const a = args();
  const big = path.join(a.dir, `blasnet-stream-${a.features}f-${a.mb}mb.csv`);
  const small = path.join(a.dir, `blasnet-stream-${a.features}f-${a.memoryMb}mb.csv`);
  log(`generating ${big} (${a.mb} MB) and ${small} (${a.memoryMb} MB) …`);
  generate(big, a.mb * 1e6, a.features);
  generate(small, a.memoryMb * 1e6, a.features);
  const runs = [
    ['stream', big], ['stream', small], ['memory', small],
  ];
  const results = [];
  for (const [mode, file] of runs) {
    log(`${mode} ${path.basename(file)} …`);
    const r = await runChild(`${mode}`, process.execPath, [__filename, JSON.stringify({ mode, file, batch: a.batch })], { timeoutSeconds: 3600 });
    if (!r.ok) { log(`  failed: ${r.error}`); continue; }
    results.push(r.result);
  }
  const rate = (rows, s) => Math.round(rows / s).toLocaleString('en-US');
  console.log(`| Run | File MiB | Rows | First pass s | Parse s (read-only epoch / load) | Train epoch s | Train rows/s | Parse rows/s | Peak RSS MiB |`);
  console.log(`| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`);
  for (const r of results) {
    const parse = r.mode === 'stream' ? r.readEpoch : r.parse;
    console.log(`| ${r.mode} | ${r.fileMiB.toFixed(0)} | ${r.rows.toLocaleString('en-US')} | ${r.firstPass?.toFixed(1) ?? '–'} | ${parse.toFixed(1)} | ${r.trainEpoch.toFixed(1)} | ${rate(r.rows, r.trainEpoch)} | ${rate(r.rows, parse)} | ${r.peakRssMiB.toFixed(0)} |`);
  }
}

if (process.argv.length > 2 && process.argv[process.argv.length - 1].startsWith('{')) {
  child(specFromArgv()).catch((err) => { process.stderr.write(`${err.stack || err}\n`); process.exit(1); });
} else {
  main().catch((err) => { process.stderr.write(`${err.stack || err}\n`); process.exit(1); });
}
