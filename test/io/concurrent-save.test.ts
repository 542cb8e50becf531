// Two worker threads save the same model file round after round while this thread keeps reading it:
// every save lands whole or throws, and every read sees one whole saved model, never a mix.
import { describe, expect, test } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Sequential } from '../../lib/model/sequential';
import { Dense } from '../../lib/layers/index';
import { loadModel } from '../../lib/model/model-file';
import { builtPackage } from '../helpers/dist';

const ROUNDS = 150;

// Each round: wait until both workers are there (a barrier on shared memory), save, wait again, and
// check that the file now holds one of this round's two saves (a later rename may win, never an older).
const workerSource = `
const { workerData, parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const { Sequential } = require(workerData.dist);
const { id, rounds, file, base, barrier } = workerData;
const sync = new Int32Array(barrier);
let generation = 0;
function meet() {
  generation++;
  if (Atomics.add(sync, 0, 1) + 1 === 2 * generation) Atomics.notify(sync, 0);
  else while (Atomics.load(sync, 0) < 2 * generation) Atomics.wait(sync, 0, Atomics.load(sync, 0), 1000);
}
const model = Sequential.load(base);
const errors = [];
const stale = [];
for (let round = 0; round < rounds; round++) {
  meet();
  try { model.save(file, { extra: { worker: id, round } }); } catch (err) { errors.push(round + ': ' + err.message); }
  meet();
  const { extra } = require(workerData.dist).loadModel(fs.readFileSync(file));
  if (extra.round !== round) stale.push(round + ': found round ' + extra.round);
}
parentPort.postMessage({ errors, stale });
`;

describe('concurrent saves from two worker threads', () => {
  test(`${ROUNDS} rounds: no save throws, every read parses and equals a save, the last save stays`, async () => {
    const dist = builtPackage();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blasnet-concurrent-'));
    const file = path.join(dir, 'model.safetensors');
    const model = new Sequential([new Dense(8, 32, { activation: 'relu' }), new Dense(32, 4)], { seed: 1 });
    model.compile({ loss: 'mse', optimizer: 'adam' });
    model.build([8]);
    const base = model.toBuffer();
    const expected = (worker: number, round: number): Buffer => model.toBuffer({ extra: { worker, round } });
    model.save(file, { extra: { worker: -1, round: -1 } });

    const barrier = new SharedArrayBuffer(4);
    const results: { errors: string[]; stale: string[] }[] = [];
    const workers = [0, 1].map((id) => new Worker(workerSource, {
      eval: true, workerData: { id, rounds: ROUNDS, file, base, barrier, dist }, env: { ...process.env, BLASNET_BACKEND: 'js' },
    }));
    const done = Promise.all(workers.map((w) => new Promise<void>((resolve, reject) => {
      w.on('message', (r) => results.push(r));
      w.on('error', reject);
      w.on('exit', () => resolve());
    })));
    let finished = false;
    void done.then(() => { finished = true; });

    let reads = 0;
    const badReads: string[] = [];
    while (!finished) {
      const bytes = fs.readFileSync(file);
      reads++;
      try {
        const { worker, round } = loadModel(bytes).extra as { worker: number; round: number };
        if (!bytes.equals(expected(worker, round))) badReads.push(`read ${reads}: bytes differ from save ${worker}/${round}`);
      } catch (err) {
        badReads.push(`read ${reads}: ${(err as Error).message}`);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    await done;
    expect(results.length).toBe(2);
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    expect(results.flatMap((r) => r.stale)).toEqual([]);
    expect(badReads).toEqual([]);
    expect(reads).toBeGreaterThan(10);
    const final = fs.readFileSync(file);
    expect([expected(0, ROUNDS - 1), expected(1, ROUNDS - 1)].some((b) => b.equals(final))).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['model.safetensors']);

    // Alone again, the save that returned is the file.
    model.save(file, { extra: { worker: 9, round: 9 } });
    expect(fs.readFileSync(file).equals(expected(9, 9))).toBe(true);
  });
});
