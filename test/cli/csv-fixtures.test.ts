// The messy-CSV fixtures through the command: train reads each, predict applies the saved fills,
// encodings and scaling to new rows.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { scalerFromJSON, type ScalerJSON } from '../../lib/data/preprocess';
import { loadModel } from '../../lib/model/model-file';
import { Tensor } from '../../lib/tensor';
import { blasnet, fixture, readCsvOutput, tempDir } from './helpers';

const quick = ['--epochs', '5', '-q'];

describe('blasnet train/predict on the CSV fixtures', () => {
  test('headerless: warned and read as data; --no-header is silent; predict reads it the same way', () => {
    const dir = tempDir();
    const r = blasnet('train', fixture('headerless.csv'), ...quick, '--out', dir);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('blasnet: warning: parseCsv:');
    expect(r.stderr).toContain('the first row (line 1) is numeric like the rows below it, so it is read as data');
    const silent = blasnet('train', fixture('headerless.csv'), ...quick, '--no-header', '--out', dir);
    expect(silent.status).toBe(0);
    expect(silent.stderr).toBe('');
    const p = blasnet('predict', dir, fixture('headerless.csv'), '--no-header');
    expect(p.status).toBe(0);
    expect(readCsvOutput(p.stdout)).toHaveLength(7);
    expect(p.stderr).toMatch(/^accuracy \d\.\d{4} on 6 rows\n$/);
  });

  test('metadata line: --skip-rows 1; without it, an error that suggests skipping it', () => {
    const dir = tempDir();
    expect(blasnet('train', fixture('metadata.csv'), '--skip-rows', '1', ...quick, '--out', dir).status).toBe(0);
    const bad = blasnet('train', fixture('metadata.csv'), ...quick, '--out', dir);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe(`blasnet: parseCsv: ${fixture('metadata.csv')} row 1 (line 2) has 3 fields, the header has 2 (is line 1 a title or metadata line? skip it with skipRows)\n`);
    expect(blasnet('predict', dir, fixture('metadata.csv'), '--skip-rows', '1').stderr).toMatch(/^accuracy \d\.\d{4} on 4 rows\n$/);
  });

  test('semicolon and tab files are detected; --delimiter forces one', () => {
    const dir = tempDir();
    expect(blasnet('train', fixture('semicolon.csv'), ...quick, '--out', dir).status).toBe(0);
    expect(blasnet('train', fixture('tab.tsv'), ...quick, '--out', dir).status).toBe(0);
    expect(blasnet('train', fixture('tab.tsv'), ...quick, '--delimiter', 'tab', '--out', dir).status).toBe(0);
    const wrong = blasnet('train', fixture('semicolon.csv'), ...quick, '--delimiter', ',', '--out', dir);
    expect(wrong.status).toBe(1);
    expect(blasnet('train', fixture('tab.tsv'), '--delimiter', '::').stderr.split('\n')[0]).toBe("blasnet: --delimiter expects one character (or 'tab'), received '::'");
  });

  test('quoted newlines and commas survive into the predictions, quoted again on output', () => {
    const dir = tempDir();
    expect(blasnet('train', fixture('quoted-newline.csv'), '--epochs', '200', '--lr', '0.05', '-q', '--out', dir).status).toBe(0);
    const p = blasnet('predict', dir, fixture('quoted-newline.csv'), '--proba');
    expect(p.status).toBe(0);
    const rows = readCsvOutput(p.stdout);
    expect(rows[0]).toEqual(['row', 'prediction', 'p(no)', 'p(yes)', 'p(yes, really)']);
    expect(rows.slice(1).map((r) => r[1])).toEqual(['yes', 'no', 'yes, really']);
  });

  test('missing cells: predict fills new rows with the training file\'s values (checked against a hand-built row)', () => {
    const dir = tempDir();
    const r = blasnet('train', fixture('missing.csv'), '--epochs', '30', '--out', dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('column "age": 2 missing cells get the mean 40\n');
    expect(r.stdout).toContain('column "income": 2 missing cells get the mean 63.3333\n');
    expect(r.stdout).toContain('column "city": one-hot over 2 categories; 1 missing cell gets the most frequent value "berlin"\n');
    const fresh = path.join(dir, 'new.csv');
    fs.writeFileSync(fresh, 'city,income,age\n?,NA,\nparis,100,20\n');
    const p = blasnet('predict', dir, fresh, '--proba');
    expect(p.status).toBe(0);
    const rows = readCsvOutput(p.stdout).slice(1);
    // Hand-built encoded rows: [age, income, city=berlin, city=paris].
    const { model, extra } = loadModel(dir);
    const raw = Tensor.from([[40, 190 / 3, 1, 0], [20, 100, 0, 1]]);
    const logits = model.predict(scalerFromJSON(extra.scaler as ScalerJSON).transform(raw)).toArray() as number[][];
    logits.forEach((row, i) => {
      const e = row.map((v) => Math.exp(v - Math.max(...row)));
      const s = e[0] + e[1];
      expect(Number(rows[i][2])).toBeCloseTo(e[0] / s, 5);
      expect(rows[i][1]).toBe(e[0] > e[1] ? 'no' : 'yes');
    });
  });

  test('text features: one-hot at train time, the same columns at predict time, unseen values warned', () => {
    const dir = tempDir();
    const r = blasnet('train', fixture('text-features.csv'), ...quick, '--out', dir);
    expect(r.status).toBe(0);
    const fresh = path.join(dir, 'new.csv');
    fs.writeFileSync(fresh, 'label,shape,color,size\na,round,purple,1\n');
    const p = blasnet('predict', dir, fresh);
    expect(p.status).toBe(0);
    expect(p.stderr).toContain('blasnet: warning: parseCsv: ' + fresh + ', column "color": "purple" did not occur in the training data; encoded as no category (all zeros)');
  });

  test('overflow: an error naming the row and column, exit 1', () => {
    const r = blasnet('train', fixture('overflow.csv'), ...quick);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`blasnet: parseCsv: ${fixture('overflow.csv')} row 2 (line 3), column "x2": 1e39 overflows float32 (largest magnitude 3.4028235e+38)\n`);
  });
});
