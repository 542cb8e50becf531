// csvDataset against the in-memory reader it must agree with: the same encoding and scaler from one
// streaming pass, the same rows batch by batch, and a streamed fit equal to an in-memory fit over
// the same order of rows.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCsv } from '../../lib/data/csv';
import { csvDataset } from '../../lib/data/csv-stream';
import { StandardScaler } from '../../lib/data/preprocess';
import { Dense } from '../../lib/layers/dense';
import { Sequential } from '../../lib/model/sequential';
import { sgd } from '../../lib/optim/index';
import { Random } from '../../lib/random';

const fixture = (name: string) => join(__dirname, '..', 'fixtures', 'csv', name);

async function allRows(stream: AsyncIterable<{ x: { data: Float32Array }; y: { data: Float32Array } }>): Promise<{ x: number[]; y: number[]; sizes: number[] }> {
  const x: number[] = [];
  const y: number[] = [];
  const sizes: number[] = [];
  for await (const b of stream) {
    x.push(...b.x.data);
    y.push(...b.y.data);
    sizes.push(b.y.data.length);
  }
  return { x, y, sizes };
}

/** A file of n rows: two numeric features (one with missing cells), a text feature, a class. */
function generated(n: number, seed = 5): string {
  const rng = new Random(seed);
  const lines = ['a,b,"colour, name",label'];
  for (let i = 0; i < n; i++) {
    const a = rng.normal(10, 3).toFixed(3);
    const b = i % 7 === 3 ? 'NA' : rng.uniform(-1, 1).toFixed(4);
    const colour = ['red', 'green', '"blue, dark"'][rng.int(3)];
    lines.push(`${a},${b},${colour},${Number(a) > 10 ? 'hi' : 'lo'}`);
  }
  return lines.join('\n') + '\n';
}

describe('csvDataset', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blasnet-stream-'));
  const big = join(dir, 'gen.csv');
  writeFileSync(big, generated(700));

  it('has 5 encoded features: a, b and three colours', async () => {
    expect((await csvDataset(big)).featureNames).toEqual(['a', 'b', 'colour, name=blue, dark', 'colour, name=green', 'colour, name=red']);
  });

  it('fits the same encoding and scaler in one pass as parseCsv + StandardScaler', async () => {
    for (const name of ['missing.csv', 'text-features.csv', 'semicolon.csv', 'quoted-newline.csv']) {
      const memory = loadCsv(fixture(name));
      const stream = await csvDataset(fixture(name));
      expect(stream.encoding).toEqual(memory.encoding);
      expect(stream.classNames).toEqual(memory.classNames);
      expect(stream.rows).toBe(memory.x.shape[0]);
      const scaler = new StandardScaler().fit(memory.x);
      stream.scaler!.mean.forEach((v, j) => expect(v).toBeCloseTo(scaler.mean[j], 5));
      stream.scaler!.std.forEach((v, j) => expect(v).toBeCloseTo(scaler.std[j], 5));
    }
  });

  it('gives the in-memory rows, scaled, in file order without a shuffle buffer — across small read chunks', async () => {
    const memory = loadCsv(big);
    const stream = await csvDataset(big, { shuffleBuffer: 0, batchSize: 64, chunkSize: 1024 });
    // Scaled with the stream's own scaler: the same arithmetic as StandardScaler.transform.
    const expected = stream.scaler!.transform(memory.x);
    const got = await allRows(stream);
    expect(got.sizes).toEqual([...Array(10).fill(64), 60]);
    expect(Float32Array.from(got.x)).toEqual(expected.data);
    expect(got.y).toEqual(Array.from(memory.y.data));
  });

  it('reads quote-free chunks in place: the same rows as parseCsv, blank lines, spaces, fills and CRLF included', async () => {
    const rng = new Random(8);
    const lines = ['x;y;kind;target'];
    for (let i = 0; i < 900; i++) {
      if (i % 97 === 5) lines.push('');
      const x = i % 31 === 0 ? 'NA' : rng.normal(0, 50).toFixed(rng.int(6));
      const y = i % 17 === 0 ? ` ${rng.uniform(-1, 1).toExponential(3)} ` : rng.uniform(-1, 1).toPrecision(17);
      lines.push(`${x};${y};${['a', 'b', ''][rng.int(3)]};${(i * 7.25 - 3000).toFixed(2)}`);
    }
    for (const eol of ['\n', '\r\n']) {
      const file = join(dir, `plain${eol.length}.csv`);
      writeFileSync(file, lines.join(eol) + eol);
      const memory = loadCsv(file, { labelType: 'number' });
      const stream = await csvDataset(file, { labelType: 'number', shuffleBuffer: 0, batchSize: 100, chunkSize: 1024 });
      expect(stream.encoding).toEqual(memory.encoding);
      const got = await allRows(stream);
      expect(Float32Array.from(got.x)).toEqual(stream.scaler!.transform(memory.x).data);
      expect(Float32Array.from(got.y)).toEqual(memory.y.data);
    }
  });

  it('shuffles within a bounded buffer: every row once per epoch, a new order each epoch, the same for a seed', async () => {
    const stream = await csvDataset(big, { shuffleBuffer: 100, batchSize: 50, seed: 3 });
    const first = await allRows(stream);
    const second = await allRows(stream);
    const rowsOf = (r: { x: number[] }) => Array.from({ length: 700 }, (_, i) => r.x.slice(i * 5, i * 5 + 5).join(',')).sort();
    expect(rowsOf(first)).toEqual(rowsOf(second));
    expect(first.x).not.toEqual(second.x);
    const again = await csvDataset(big, { shuffleBuffer: 100, batchSize: 50, seed: 3 });
    expect((await allRows(again)).x).toEqual(first.x);
  });

  it('reuses a saved encoding with the saved scaler, and says so when no scaler comes with it', async () => {
    const fitted = await csvDataset(big, { shuffleBuffer: 0 });
    const again = await csvDataset(big, { shuffleBuffer: 0, encoding: fitted.encoding, scale: fitted.scaler });
    expect((await allRows(again)).x).toEqual((await allRows(fitted)).x);
    await expect(csvDataset(big, { encoding: fitted.encoding })).rejects.toThrow(
      'csvDataset: expected options.scale to be a fitted StandardScaler or false when options.encoding is given, received nothing (the default is true)');
  });

  it('selects rows: a held-out tenth, fitted without it', async () => {
    const train = await csvDataset(big, { rows: (r) => r % 10 !== 9, shuffleBuffer: 0 });
    expect(train.rows).toBe(630);
    const held = await train.withRows((r) => r % 10 === 9).load();
    expect(held.x.shape).toEqual([70, 5]);
    const memory = loadCsv(big);
    // Row 9 of the file is the first held-out row; scaled with the training part's scaler.
    const row9 = train.scaler!.transform(memory.x).data.subarray(9 * 5, 10 * 5);
    expect(Array.from(held.x.data.subarray(0, 5))).toEqual(Array.from(row9));
    expect((await train.withRows(() => true).load(5)).x.shape).toEqual([5, 5]);
  });

  it('a streamed fit equals an in-memory fit over the same order of rows', async () => {
    const make = () => {
      const m = new Sequential([new Dense(5, 4, { activation: 'tanh' }), new Dense(4, 2)], { seed: 9 });
      m.compile({ loss: 'softmaxCrossentropy', optimizer: sgd({ lr: 0.05 }), metrics: ['accuracy'] });
      return m;
    };
    const stream = await csvDataset(big, { shuffleBuffer: 0, batchSize: 32, chunkSize: 4096 });
    const memory = loadCsv(big);
    const x = stream.scaler!.transform(memory.x);
    const a = make();
    const ha = await a.fit(stream, { epochs: 3, verbose: 0 });
    const b = make();
    const hb = await b.fit(x, memory.y, { epochs: 3, batchSize: 32, shuffle: false, verbose: 0 });
    expect(a.params().map((p) => Array.from(p.value))).toEqual(b.params().map((p) => Array.from(p.value)));
    expect(ha.loss).toEqual(hb.loss);
    expect(ha.accuracy).toEqual(hb.accuracy);
  });

  it('errors name the file, row and column', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'a,y\n1,p\n2,q\n1e39,p\n');
    await expect(csvDataset(bad)).rejects.toThrow(`csvDataset: ${bad} row 3, column "a": 1e39 overflows float32`);
    writeFileSync(bad, 'a,y\n1,p\n2\n');
    await expect(csvDataset(bad)).rejects.toThrow(`csvDataset: ${bad} row 2 (line 3) has 1 fields, the header has 2`);
    await expect(csvDataset(join(dir, 'none.csv'))).rejects.toThrow(`csvDataset: cannot read ${join(dir, 'none.csv')}: no such file`);
    await expect(csvDataset(bad, { batchSize: 0 })).rejects.toThrow(new RangeError('csvDataset: expected options.batchSize to be an integer ≥ 1, received 0'));
  });

  it('fit refuses a one-shot generator for a second epoch, with a clear message', async () => {
    const m = new Sequential([new Dense(2, 2)], { seed: 1 });
    m.compile({ loss: 'softmaxCrossentropy', optimizer: 'sgd' });
    async function* once() { yield { x: Float32Array.of(0, 1, 1, 0), y: Float32Array.of(0, 1) }; }
    await expect(m.fit(once(), { epochs: 2, verbose: 0 })).rejects.toThrow('fit: the data gave no batches in epoch 2 (a generator can be read only once; pass an object whose [Symbol.asyncIterator]() starts over each epoch)');
  });
});
