// A process killed (SIGKILL) at random points while it saves a model in a loop: the file always
// loads as a complete model, and the temporary files the killed saves left are cleaned later.
import { describe, expect, test } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { cleanStaleTemps, STALE_TEMP_MS, writeFileAtomic } from '../../lib/io/atomic';
import { loadModel } from '../../lib/model/model-file';
import { Random } from '../../lib/random';
import { builtPackage } from '../helpers/dist';

const ROUNDS = 12;

// Saves version 0, 1, 2, … of a small model (about 260 KB, so a kill often lands inside a write).
const childSource = `
const { Sequential, Dense } = require(process.argv[1]);
const model = new Sequential([new Dense(64, 1000), new Dense(1000, 2)], { seed: 3 });
model.build([64]);
const w = model.layers[0].params()[0].value;
for (let version = 0; ; version++) {
  w[0] = version;
  model.save(process.argv[2], { extra: { version } });
  if (version === 0) process.stdout.write('saved\\n');
}
`;

function saveThenKill(dist: string, dir: string, delayMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', childSource, dist, dir], { env: { ...process.env, BLASNET_BACKEND: 'js' } });
    child.on('error', reject);
    child.stderr.on('data', (d) => reject(new Error(String(d))));
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), delayMs));
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited with ${signal}`))));
  });
}

describe('killing a process mid-save', () => {
  test(`${ROUNDS} SIGKILLs at random points: the model always loads whole; stale temporary files are cleaned`, async () => {
    const dist = builtPackage();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blasnet-kill-'));
    const file = path.join(dir, 'model.safetensors');
    const rng = new Random(2024);
    for (let round = 0; round < ROUNDS; round++) {
      await saveThenKill(dist, dir, 5 + rng.int(120));
      const { model, extra } = loadModel(dir);
      const version = extra.version as number;
      expect(version).toBeGreaterThanOrEqual(0);
      expect(model.layers[0].params()[0].value[0]).toBe(version); // the weights are that version's
    }
    const temps = fs.readdirSync(dir).filter((name) => name.endsWith('.tmp'));
    // The killed processes are gone but their files are recent: a later save keeps them for now ...
    writeFileAtomic(file, fs.readFileSync(file));
    expect(fs.readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual(temps);
    // ... and removes them once they are older than the threshold.
    const old = (Date.now() - STALE_TEMP_MS - 1000) / 1000;
    for (const name of temps) fs.utimesSync(path.join(dir, name), old, old);
    writeFileAtomic(file, fs.readFileSync(file));
    expect(fs.readdirSync(dir)).toEqual(['model.safetensors']);
    expect(cleanStaleTemps(file, 0)).toEqual([]);
  });
});
