// Exact resume: 10 epochs straight give the same model, bit for bit, as 5 epochs, a save, a load in a
// new process and 5 more — with dropout, shuffling and augmentation on and no fit seed, so every
// random draw comes from the model's generator, which the file keeps.
import { describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeSafetensors } from '../../lib/io/safetensors';
import { Dense, Dropout } from '../../lib/layers/index';
import { Sequential } from '../../lib/model/sequential';
import { Random } from '../../lib/random';
import { backendNames, skipBackend } from '../helpers/backends';
import { builtPackage } from '../helpers/dist';

// argv: dist, mode (straight | first | second), file in, file out.
const trainer = `
const [dist, mode, input, output] = process.argv.slice(1);
const b = require(dist);
const rng = new b.Random(1);
const n = 90;
const x = new Float32Array(n * 16).map(() => rng.uniform(0, 1));
const y = new Float32Array(n).map(() => rng.int(3));
const options = (epochs) => ({ epochs, batchSize: 16, verbose: 0, augment: b.compose(
  b.gaussianNoise({ std: 0.05 }), b.randomShift({ height: 4, width: 4, maxShift: 1 }), b.randomFlip({ height: 4, width: 4 })) });
let model;
if (mode === 'second') model = b.Sequential.load(input);
else {
  model = new b.Sequential([new b.Dense(16, 32, { activation: 'relu' }), new b.Dropout(0.3), new b.Dense(32, 3)], { seed: 5 });
  model.compile({ loss: 'softmaxCrossentropy', optimizer: b.adam({ lr: 0.01 }), metrics: ['accuracy'] });
}
model.fitSync(x, y, options(mode === 'straight' ? 10 : 5));
model.save(output);
`;

function train(dist: string, backend: string, mode: string, input: string, output: string): void {
  execFileSync(process.execPath, ['-e', trainer, dist, mode, input, output], {
    env: { ...process.env, BLASNET_BACKEND: backend }, stdio: 'pipe', timeout: 60_000,
  });
}

describe('exact resume across processes', () => {
  for (const backend of backendNames) {
    test.skipIf(skipBackend(backend))(`[${backend}] 10 epochs straight == 5 epochs, save, load in a new process, 5 more`, () => {
      const dist = builtPackage();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blasnet-resume-'));
      const at = (name: string) => path.join(dir, `${name}.safetensors`);
      train(dist, backend, 'straight', '', at('straight'));
      train(dist, backend, 'first', '', at('half'));
      train(dist, backend, 'second', at('half'), at('resumed'));
      const straight = fs.readFileSync(at('straight'));
      const resumed = fs.readFileSync(at('resumed'));
      // Weights, optimizer moments and step, generator state: the whole file, byte for byte.
      expect(resumed.equals(straight)).toBe(true);
      // And the run really did move: the half-way model is another model.
      const half = decodeSafetensors(fs.readFileSync(at('half'))).tensors.get('0.weight')!.data;
      expect(decodeSafetensors(straight).tensors.get('0.weight')!.data).not.toEqual(half);
    });
  }
});

describe('resuming a seeded fit', () => {
  test('with a fit seed, dropout still continues from the saved generator', () => {
    const rng = new Random(2);
    const x = new Float32Array(40 * 6).map(() => rng.normal());
    const y = new Float32Array(40).map(() => rng.int(2));
    const model = new Sequential([new Dense(6, 12, { activation: 'tanh' }), new Dropout(0.5), new Dense(12, 2)], { seed: 8 });
    model.compile({ loss: 'softmaxCrossentropy', optimizer: 'adam' });
    const options = { epochs: 2, batchSize: 8, verbose: 0 as const, seed: 3 };
    model.fitSync(x, y, options);
    const copy = Sequential.load(model.toBuffer());
    model.fitSync(x, y, options);
    copy.fitSync(x, y, options);
    expect(copy.toBuffer().equals(model.toBuffer())).toBe(true);
  });
});
