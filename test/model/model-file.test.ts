import { describe, expect, test } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeEachBackend } from '../helpers/backends';
import { Sequential } from '../../lib/model/sequential';
import { BatchNorm, Dense, Dropout } from '../../lib/layers/index';
import { circles } from '../../lib/data/datasets';
import { adam } from '../../lib/optim/index';
import { loadModel } from '../../lib/model/model-file';
import { MODEL_FILE } from '../../lib/io/model-record';
import { decodeSafetensors, encodeSafetensors } from '../../lib/io/safetensors';

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'blasnet-model-'));
}

function classifier(seed: number, regularised: boolean): Sequential {
  const layers = regularised
    ? [new Dense(2, 16, { bias: false }), new BatchNorm(), new Dense(16, 16, { activation: 'tanh' }), new Dropout(0.2), new Dense(16, 2)]
    : [new Dense(2, 16, { activation: 'relu' }), new Dense(16, 2)];
  const model = new Sequential(layers, { seed });
  model.compile({ loss: 'softmaxCrossentropy', optimizer: adam({ lr: 0.01 }), metrics: ['accuracy'] });
  return model;
}

const data = circles({ n: 200, seed: 3 });

describeEachBackend('model files', () => {
  test('a saved and loaded model predicts bit-identically (batch norm state and dropout included)', () => {
    const model = classifier(5, true);
    model.fitSync(data.x, data.y, { epochs: 3, batchSize: 32, verbose: 0, seed: 1 });
    const dir = tmpDir();
    const file = model.save(dir);
    expect(file).toBe(path.join(dir, MODEL_FILE));
    const loaded = Sequential.load(dir);
    expect(loaded.predict(data.x).data).toEqual(model.predict(data.x).data);
    expect(Sequential.load(model.toBuffer()).predict(data.x).data).toEqual(model.predict(data.x).data);
    expect(loaded.summary()).toBe(model.summary());
  });

  test('with the optimizer state, training resumes exactly where it stopped', () => {
    const original = classifier(7, false);
    original.fitSync(data.x, data.y, { epochs: 2, batchSize: 16, verbose: 0, seed: 11 });
    const resumed = Sequential.load(original.toBuffer());
    original.fitSync(data.x, data.y, { epochs: 1, batchSize: 16, verbose: 0, seed: 12 });
    resumed.fitSync(data.x, data.y, { epochs: 1, batchSize: 16, verbose: 0, seed: 12 });
    expect(resumed.predict(data.x).data).toEqual(original.predict(data.x).data);

    // Without it, Adam restarts from zero moments and the two runs part ways.
    const fresh = Sequential.load(classifierAfterTwoEpochs().toBuffer({ optimizer: false }));
    fresh.fitSync(data.x, data.y, { epochs: 1, batchSize: 16, verbose: 0, seed: 12 });
    expect(fresh.predict(data.x).data).not.toEqual(original.predict(data.x).data);
  });

  test('extras travel with the model and the weights are readable as plain safetensors', () => {
    const model = classifier(1, false);
    model.build([2]);
    const { extra } = loadModel(model.toBuffer({ extra: { classNames: ['outer', 'inner'] } }));
    expect(extra).toEqual({ classNames: ['outer', 'inner'] });
    const { tensors } = decodeSafetensors(model.toBuffer());
    expect(tensors.get('0.weight')!.shape).toEqual([16, 2]);
    expect(tensors.get('0.weight')!.data).toEqual(model.layers[0].params()[0].value);
  });
});

function classifierAfterTwoEpochs(): Sequential {
  const m = classifier(7, false);
  m.fitSync(data.x, data.y, { epochs: 2, batchSize: 16, verbose: 0, seed: 11 });
  return m;
}

describe('model file errors', () => {
  const model = classifier(2, false);
  model.build([2]);
  const good = model.toBuffer();

  test('a missing file, a truncated file and a foreign file are named clearly', () => {
    expect(() => Sequential.load(path.join(tmpDir(), 'nothing-here'))).toThrow(/loadModel: no model at .*nothing-here\/model.safetensors/);
    expect(() => Sequential.load(good.subarray(0, good.length - 10))).toThrow(/truncated\?/);
    const foreign = encodeSafetensors(new Map([['w', { shape: [1], data: new Float32Array(1) }]]));
    expect(() => Sequential.load(foreign)).toThrow(/holds no blasnet model/);
  });

  test('a file from an unknown version is refused with advice', () => {
    const { tensors, metadata } = decodeSafetensors(good);
    const header = JSON.parse(metadata.blasnet);
    header.version = 99;
    const future = encodeSafetensors(tensors, { blasnet: JSON.stringify(header) });
    expect(() => Sequential.load(future)).toThrow(RangeError);
    expect(() => Sequential.load(future)).toThrow(/model file version 99 is not supported .* reads version 1/);
  });

  test('a crafted optimizer step count is refused as a corrupted file, before any training', () => {
    const trained = classifier(4, false);
    trained.fitSync(data.x, data.y, { epochs: 1, batchSize: 50, verbose: 0, seed: 2 });
    const { tensors, metadata } = decodeSafetensors(trained.toBuffer());
    const header = JSON.parse(metadata.blasnet);
    expect(header.optimizerStep).toBe(4);
    for (const [step, printed] of [[-1, '-1'], ['abc', '"abc"'], [0, '0'], [2.5, '2.5'], [null, 'null']] as const) {
      header.optimizerStep = step;
      let caught: unknown;
      try {
        Sequential.load(encodeSafetensors(tensors, { blasnet: JSON.stringify(header) }));
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(RangeError);
      expect((caught as Error).message).toBe(
        `loadModel: the optimizer step count in the file is ${printed}, expected an integer ≥ 1 (corrupted file?)`);
    }
  });

  test('a tensor missing from the file is reported by name', () => {
    const { tensors, metadata } = decodeSafetensors(good);
    tensors.delete('1.bias');
    // As a file written before the data checksum existed (which would report the change first).
    const { dataSha256: _, ...header } = JSON.parse(metadata.blasnet);
    expect(() => Sequential.load(encodeSafetensors(tensors, { blasnet: JSON.stringify(header) }))).toThrow(/no tensor '1.bias'/);
  });
});
