// blasnet train --stream: the file is read each epoch; the model file carries the same encoding,
// scalers and class names as an in-memory run, so predict works the same on it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadModel } from '../../lib/model/model-file';
import { blasnet, readCsvOutput, tempDir } from './helpers';

function separable(n: number): string {
  const lines = ['x1,x2,shade,label'];
  for (let i = 0; i < n; i++) {
    const a = ((i * 37) % 101) / 10 - 5;
    const b = ((i * 53) % 97) / 10 - 5;
    const shade = i % 11 === 0 ? '?' : ['light', 'dark'][i % 2];
    lines.push(`${a.toFixed(2)},${i % 13 === 0 ? '' : b.toFixed(2)},${shade},${a + b > 0 ? 'up' : 'down'}`);
  }
  return lines.join('\n') + '\n';
}

describe('blasnet train --stream', () => {
  test('classification: holds out every 5th row, saves the encoding, predict applies it', () => {
    const dir = tempDir();
    const csv = path.join(dir, 'data.csv');
    fs.writeFileSync(csv, separable(500));
    const r = blasnet('train', csv, '--stream', '--epochs', '30', '--lr', '0.02', '--out', dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('blasnet: data, 400 training / 100 test samples');
    expect(r.stdout).toContain('streaming 400 training rows from the file each epoch; every 5th row held out (100 kept for the test figures); no validation split');
    expect(r.stdout).toMatch(/^Epoch 30\/30 .* 400 samples/m);
    const accuracy = Number(/test accuracy (\d\.\d+)/.exec(r.stdout)![1]);
    expect(accuracy).toBeGreaterThan(0.85);
    const { extra } = loadModel(dir);
    expect(extra.classNames).toEqual(['down', 'up']);
    expect(extra.featureNames).toEqual(['x1', 'x2', 'shade=dark', 'shade=light']);
    const p = blasnet('predict', dir, csv);
    expect(p.status).toBe(0);
    expect(readCsvOutput(p.stdout)).toHaveLength(501);
    expect(Number(/accuracy (\d\.\d+) on 500 rows/.exec(p.stderr)![1])).toBeGreaterThan(0.85);
  });

  test('regression: the target is standardised from the streaming pass and un-scaled by predict', () => {
    const dir = tempDir();
    const csv = path.join(dir, 'price.csv');
    const rows = Array.from({ length: 200 }, (_, i) => `${(i % 20) / 2},${1000 * ((i % 20) / 2) + 5000}`);
    fs.writeFileSync(csv, ['x,price', ...rows].join('\n') + '\n');
    const r = blasnet('train', csv, '--stream', '--task', 'regression', '--epochs', '40', '--lr', '0.02', '--out', dir, '-q');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/R² (0\.9\d+|1\.0000)/);
    const t = loadModel(dir).extra.targetScaler as { mean: number[] };
    // Training rows have index % 5 ≠ 4, i.e. i mod 20 ∉ {4, 9, 14, 19}: (190 − 46)/16 = 9, so x averages 4.5 → 9500.
    expect(t.mean[0]).toBeCloseTo(9500, 3);
    const p = blasnet('predict', dir, csv);
    expect(Math.abs(Number(readCsvOutput(p.stdout)[1][1]) - 5000)).toBeLessThan(800);
  });

  test('options that need the data in memory are refused with --stream', () => {
    expect(blasnet('train', 'iris', '--stream').stderr.split('\n')[0]).toBe("blasnet: --stream applies to CSV files; 'iris' is a built-in data set");
    expect(blasnet('train', 'data/iris.csv', '--stream', '--validation-split', '0.2').stderr.split('\n')[0]).toBe('blasnet: --validation-split is not available with --stream');
  });
});
