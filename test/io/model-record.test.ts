// The model file as plain data: io reads and writes a record without knowing what a model is.
import { describe, expect, test } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeModelRecord, encodeModelRecord, type ModelRecord } from '../../lib/io/model-record';

const record: ModelRecord = {
  architecture: { anything: ['the model decides'] },
  tensors: new Map([['0.weight', { shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6]) }]]),
  training: { loss: 'mse' },
  optimizer: { step: 7, tensors: new Map([['s1.0.weight', { shape: [2, 3], data: new Float32Array([6, 5, 4, 3, 2, 1]) }]]) },
  random: { s: [1, 2, 3, 4], spare: null },
  extra: { classNames: ['a', 'b'], scaler: { kind: 'StandardScaler' } },
};

describe('model record', () => {
  test('round-trips every slot without a model', () => {
    const back = decodeModelRecord('test', encodeModelRecord(record));
    expect(back.architecture).toEqual(record.architecture);
    expect([...back.tensors.keys()]).toEqual(['0.weight']);
    expect(back.tensors.get('0.weight')!.data).toEqual(record.tensors.get('0.weight')!.data);
    expect(back.training).toEqual({ loss: 'mse' });
    expect(back.optimizer!.step).toBe(7);
    expect(back.optimizer!.tensors.get('s1.0.weight')!.data).toEqual(new Float32Array([6, 5, 4, 3, 2, 1]));
    expect(back.random).toEqual(record.random);
    expect(back.extra).toEqual(record.extra);
  });

  test('optional slots stay absent', () => {
    const back = decodeModelRecord('test', encodeModelRecord({ architecture: {}, tensors: new Map(), extra: {} }));
    expect(back.training).toBeUndefined();
    expect(back.optimizer).toBeUndefined();
    expect(back.random).toBeUndefined();
    expect(back.extra).toEqual({});
  });

  test('io imports nothing above it (model, train, layers, …)', () => {
    const dir = path.resolve(__dirname, '../../lib/io');
    for (const file of fs.readdirSync(dir)) {
      const source = fs.readFileSync(path.join(dir, file), 'utf8');
      const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      for (const spec of imports) expect(`${file}: ${spec}`).toMatch(/: (node:[a-z_/]+|\.\/[\w-]+|\.\.\/(validate|alloc|tensor))$/);
    }
  });
});
