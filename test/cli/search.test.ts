// `blasnet search`: the ranked table, search.json, search.svg and the best model, from the CLI.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { layersGrid } from '../../lib/cli/search';
import { loadTrainingData } from '../../lib/cli/data-source';
import { Sequential } from '../../lib/model/sequential';

const main = path.join(__dirname, '..', '..', 'dist', 'cli', 'main.js');
const run = (args: string[]) => spawnSync(process.execPath, [main, ...args], { encoding: 'utf8' });

describe('blasnet search', () => {
  it('parses --layers choices', () => {
    expect(layersGrid('64|128,64', [])).toEqual([[64], [128, 64]]);
    expect(layersGrid(undefined, [[3]])).toEqual([[3]]);
    expect(() => layersGrid('64|a', [])).toThrow("--layers expects choices like 64|128,64 (widths ≥ 1, choices separated by |), received '64|a'");
  });

  it('ranks a grid on 2 workers, writes search.json and search.svg, and saves the best model', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'blasnet-search-'));
    try {
      const r = run(['search', 'circles', '--layers', '4|8,4', '--lr', '1e-3,3e-2', '--epochs', '3', '--workers', '2', '--quiet', '--out', out]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^rank\s+hidden\s+lr\s+loss\s+accuracy \*$/m);
      const json = JSON.parse(fs.readFileSync(path.join(out, 'search.json'), 'utf8'));
      expect(json.trials.map((t: { params: unknown }) => t.params)).toEqual([
        { hidden: [4], lr: 1e-3 }, { hidden: [4], lr: 3e-2 }, { hidden: [8, 4], lr: 1e-3 }, { hidden: [8, 4], lr: 3e-2 }]);
      const ranked = [...json.trials].sort((a, b) => a.rank - b.rank);
      for (let i = 1; i < 4; i++) expect(ranked[i].score).toBeLessThanOrEqual(ranked[i - 1].score);
      expect(json.best.params).toEqual(ranked[0].params);
      expect(fs.readFileSync(path.join(out, 'search.svg'), 'utf8')).toContain('<svg');
      // The saved model is the best trial's: it scores what search.json says on the test rows.
      const model = Sequential.load(out);
      const data = loadTrainingData('circles', { testFraction: 0.2, seed: 1 });
      expect(model.evaluate(data.test.x, data.test.y).accuracy).toBe(json.best.test.accuracy);
      expect(model.layers.filter((l) => l.kind === 'Dense').length).toBe(ranked[0].params.hidden.length + 1);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('a bad option is a usage error (exit code 2) naming it', () => {
    const r = run(['search', 'circles', '--lr', 'fast']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^blasnet: --lr expects comma-separated positive numbers like 1e-3,1e-2, received 'fast'\n\nUsage: blasnet search/);
  });
});

describe('blasnet search on a CSV', () => {
  it('saves the best model with the CSV\'s encoding, so predict reads the same file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blasnet-search-csv-'));
    try {
      // A text column (one-hot encoded) and a missing cell (filled) in a semicolon file.
      const rows = ['size;color;label'];
      for (let i = 0; i < 40; i++) rows.push(`${i === 3 ? '' : (i % 7) + 0.5};${['red', 'blue', 'green'][i % 3]};${i % 2 === 0 ? 'a' : 'b'}`);
      const file = path.join(dir, 'shop.csv');
      fs.writeFileSync(file, `${rows.join('\n')}\n`);
      const out = path.join(dir, 'out');
      const r = run(['search', file, '--layers', '4', '--lr', '1e-2', '--epochs', '2', '--workers', '1', '--quiet', '--out', out]);
      expect(r.status, r.stderr).toBe(0);
      const p = run(['predict', out, file]);
      expect(p.status, p.stderr).toBe(0);
      expect(p.stdout.trim().split('\n').length).toBe(41);
      expect(run(['search', 'circles', '--delimiter', ';']).stderr).toMatch("--delimiter applies to CSV files; 'circles' is a built-in data set");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
