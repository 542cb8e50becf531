// Regression through the command: targets are learned standardised and reported in their own units.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadModel } from '../../lib/model/model-file';
import { Tensor } from '../../lib/tensor';
import { blasnet, readCsvOutput, tempDir } from './helpers';

describe('blasnet train --task regression', () => {
  test('large targets: standardised for training, un-scaled in the scores, the pictures and predict', () => {
    const dir = tempDir();
    const csv = path.join(dir, 'price.csv');
    // price = 1000·x + 5000 for x = 0 … 9: mean 9500, population std 1000·√8.25.
    const rows = Array.from({ length: 10 }, (_, x) => `${x},${1000 * x + 5000}`);
    fs.writeFileSync(csv, ['x,price', ...rows].join('\n') + '\n');
    const r = blasnet('train', csv, '--task', 'regression', '--epochs', '200', '--lr', '0.05', '--out', dir, '-q');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^test MAE [\d.e+-]+, RMSE [\d.e+-]+, R² (0\.9\d+|1\.0000) after 200 epochs/);
    expect(r.stdout).toContain('pictures: loss.svg, predicted-vs-actual.svg');
    const { model, extra } = loadModel(dir);
    const t = extra.targetScaler as { mean: number[]; std: number[] };
    expect(t.mean[0]).toBeCloseTo(9500, 6);
    expect(t.std[0]).toBeCloseTo(1000 * Math.sqrt(8.25), 3);
    // predict = raw output · std + mean, the raw output being in standardised units.
    const scaler = extra.scaler as { mean: number[]; std: number[] };
    const raw = model.predict(Tensor.from([[(3 - scaler.mean[0]) / scaler.std[0]]])).data[0];
    expect(Math.abs(raw)).toBeLessThan(3);
    const p = blasnet('predict', dir, csv);
    expect(p.status).toBe(0);
    const fourth = Number(readCsvOutput(p.stdout)[4][1]);
    expect(fourth).toBeCloseTo(raw * t.std[0] + t.mean[0], 0);
    expect(Math.abs(fourth - 8000)).toBeLessThan(1000);
    expect(p.stderr).toMatch(/^MAE [\d.e+-]+, RMSE [\d.e+-]+, R² (0\.9\d+|1\.0000) on 10 rows\n$/);
    const svg = fs.readFileSync(path.join(dir, 'predicted-vs-actual.svg'), 'utf8');
    expect(svg).toContain('actual price');
  });
});
