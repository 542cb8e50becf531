// The command on small data and its messages: what a new user meets first.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { Dense } from '../../lib/layers/dense';
import { saveModel } from '../../lib/model/model-file';
import { Sequential } from '../../lib/model/sequential';
import { blasnet, readCsvOutput, tempDir } from './helpers';

describe('blasnet train on small data', () => {
  test('train xor: no validation split below 50 rows, said in one line; plurals agree', () => {
    const dir = tempDir();
    const r = blasnet('train', 'xor', '--epochs', '300', '--out', dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('4 rows (fewer than 20): no test split, the test figures are on the training rows\n');
    expect(r.stdout).toContain('4 training rows (fewer than 50): no validation split, the curves show training only\n');
    expect(r.stdout).toMatch(/test accuracy \d\.\d{4} \(test loss \d+\.\d{4}\) after 300 epochs, trained in/);
    const one = blasnet('train', 'xor', '--epochs', '1', '--out', dir, '-q');
    expect(one.status).toBe(0);
    expect(one.stdout).toMatch(/after 1 epoch, trained in/);
    // -q: only the result lines.
    expect(one.stdout.trim().split('\n')).toHaveLength(2);
  });

  test('a 5-row CSV trains and predicts', () => {
    const dir = tempDir();
    const csv = path.join(dir, 'five.csv');
    fs.writeFileSync(csv, 'a,b,label\n0,0,"x, quoted"\n0,1,y\n1,0,y\n1,1,"x, quoted"\n0.5,0.5,y\n');
    const r = blasnet('train', csv, '--epochs', '20', '--out', dir, '--quiet');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/after 20 epochs/);
    const p = blasnet('predict', dir, csv, '--proba');
    expect(p.status).toBe(0);
    const rows = readCsvOutput(p.stdout);
    expect(rows[0]).toEqual(['row', 'prediction', 'p(x, quoted)', 'p(y)']);
    expect(rows).toHaveLength(6);
    for (const row of rows.slice(1)) {
      expect(row).toHaveLength(4);
      expect(['x, quoted', 'y']).toContain(row[1]);
      const [p0, p1] = [Number(row[2]), Number(row[3])];
      expect(p0 + p1).toBeCloseTo(1, 5);
      // The named class is the more probable one.
      expect(row[1]).toBe(p0 > p1 ? 'x, quoted' : 'y');
    }
    // The raw text keeps the quoted field whole.
    expect(p.stdout).toContain('"p(x, quoted)"');
    expect(p.stderr).toMatch(/^accuracy \d\.\d{4} on 5 rows\n$/);
  });

  test('predict reports labels it never saw in the accuracy line instead of stopping', () => {
    const dir = tempDir();
    const train = path.join(dir, 'train.csv');
    fs.writeFileSync(train, 'a,label\n0,lo\n1,hi\n0.1,lo\n0.9,hi\n');
    expect(blasnet('train', train, '--epochs', '200', '--lr', '0.1', '--out', dir, '-q').status).toBe(0);
    const test = path.join(dir, 'test.csv');
    fs.writeFileSync(test, 'a,label\n0,lo\n1,hi\n0.5,mid\n0.6,mid\n0.2,new\n');
    const p = blasnet('predict', dir, test);
    expect(p.status).toBe(0);
    expect(readCsvOutput(p.stdout)).toHaveLength(6);
    expect(p.stderr).toMatch(/^accuracy \d\.\d{4} on 2 rows; 3 rows with labels the model never saw \("mid", "new"\) not counted\n$/);
    expect(p.stdout).not.toContain('undefined');
  });
});

test('a model with fewer class names than outputs names the rest by index, never undefined', () => {
  const dir = tempDir();
  const model = new Sequential([new Dense(1, 3)], { seed: 1 });
  model.build([1]);
  // Weights and biases picked so each row's winner is known: logits = [0, x, 2x] → x > 0 picks class 2.
  const [w, b] = model.layers[0].params();
  w.value.set([0, 1, 2]);
  b.value.fill(0);
  saveModel(model, dir, { extra: { featureNames: ['x'], labelName: 'y', classNames: ['a', 'b'] } });
  const csv = path.join(dir, 'in.csv');
  fs.writeFileSync(csv, 'x\n1\n-1\n');
  const p = blasnet('predict', dir, csv, '--proba');
  expect(p.status).toBe(0);
  expect(readCsvOutput(p.stdout)).toEqual([
    ['row', 'prediction', 'p(a)', 'p(b)', 'p(class 2)'],
    // softmax([0, 1, 2]) and softmax([0, -1, -2]), worked by hand to 6 significant digits.
    ['1', 'class 2', '0.0900306', '0.244728', '0.665241'],
    ['2', 'a', '0.665241', '0.244728', '0.0900306'],
  ]);
});

describe('blasnet messages', () => {
  test('--label and --task are rejected for built-in data', () => {
    const r = blasnet('train', 'xor', '--label', 'y', '--task', 'regression');
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe("blasnet: --label, --task apply to CSV files; 'xor' is a built-in data set");
    expect(blasnet('train', 'iris', '--delimiter', ';').stderr.split('\n')[0]).toBe("blasnet: --delimiter applies to CSV files; 'iris' is a built-in data set");
  });

  test('--class-weight balanced trains; it is refused for regression', () => {
    const dir = tempDir();
    const csv = path.join(dir, 'skewed.csv');
    fs.writeFileSync(csv, 'a,label\n0,x\n0.1,x\n0.2,x\n0.3,x\n1,y\n');
    expect(blasnet('train', csv, '--class-weight', 'balanced', '--epochs', '3', '-q', '--out', dir).status).toBe(0);
    const r = blasnet('train', csv, '--class-weight', 'balanced', '--task', 'regression', '--label', 'a');
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('blasnet: --class-weight applies to classification; regression has no classes');
    expect(blasnet('train', csv, '--class-weight', 'even').stderr.split('\n')[0]).toBe("blasnet: --class-weight expects one of balanced, received 'even'");
  });

  test('help <command> shows that command; an unknown one is named', () => {
    const r = blasnet('help', 'train');
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith('Usage: blasnet train <data> [options]')).toBe(true);
    expect(blasnet('help', 'predict').stdout.startsWith('Usage: blasnet predict')).toBe(true);
    const bad = blasnet('help', 'trian');
    expect(bad.status).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe("blasnet: no command 'trian'; the commands are train, predict, search, export, info");
  });

  test('unknown options and missing values get the command\'s own message', () => {
    const r = blasnet('train', 'xor', '--epohcs', '3');
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe("blasnet: unknown option '--epohcs' (did you mean --epochs?)");
    expect(r.stderr).not.toContain('To specify a positional argument');
    expect(blasnet('train', 'xor', '--zzz').stderr.split('\n')[0]).toBe("blasnet: unknown option '--zzz'");
    expect(blasnet('train', 'xor', '--epochs').stderr.split('\n')[0]).toBe('blasnet: --epochs needs a value');
    expect(blasnet('train', 'xor', '--quiet=yes').stderr.split('\n')[0]).toBe('blasnet: --quiet takes no value');
  });
});
