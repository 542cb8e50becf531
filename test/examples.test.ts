// Every example runs here, so none of them rots. They import 'blasnet', i.e. the built package
// (dist/, made by `npm install`); Fashion-MNIST runs on a subset.
import { describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');

function run(file: string, ...args: string[]): string {
  return execFileSync(process.execPath, [path.join(root, 'examples', file), ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
}

describe('examples', () => {
  test('xor: the perceptron fails, the MLP succeeds', () => {
    const out = run('xor.mjs');
    expect(out).toMatch(/perceptron on AND: converged/);
    expect(out).toMatch(/perceptron on XOR: did not converge/);
    expect(out).toMatch(/MLP on XOR: accuracy 1 /);
  });

  test('circles: writes a decision-boundary picture', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blasnet-ex-'));
    expect(run('circles.mjs', dir)).toMatch(/test accuracy (0\.9[5-9]|1\.0)/);
    expect(fs.readFileSync(path.join(dir, 'circles-boundary.svg'), 'utf8')).toMatch(/<svg[^>]*xmlns/);
  });

  test('iris: trains from CSV and reloads identically', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blasnet-ex-'));
    expect(run('iris.mjs', dir)).toMatch(/reloaded model predicts identically: true/);
  });

  test.skipIf(!fs.existsSync('/usr/share/datasets/fashion-mnist'))('fashion-mnist on a subset', () => {
    // Seeds 1–5 and 42 reach 0.71–0.75 on this subset (3 epochs); chance is 0.1.
    const match = /test accuracy (\d\.\d+)/.exec(run('fashion-mnist.mjs', '--subset', '2000'));
    expect(match).not.toBeNull();
    expect(Number(match![1])).toBeGreaterThanOrEqual(0.65);
  });
});

describe('blasnet command', () => {
  const cli = (...args: string[]) => execFileSync(process.execPath, [path.join(root, 'dist', 'cli', 'main.js'), ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });

  /** The error a failing command throws: its exit status and what it wrote to stderr. */
  const cliFailure = (...args: string[]): { status: number | null; stderr: string } => {
    try {
      cli(...args);
    } catch (err) {
      const { status, stderr } = err as { status: number | null; stderr: string };
      return { status, stderr };
    }
    throw new Error(`blasnet ${args.join(' ')} succeeded; expected it to fail`);
  };

  test('train a CSV, then predict with the saved model', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blasnet-cli-'));
    const out = cli('train', 'data/iris.csv', '--label', 'species', '--layers', '16', '--epochs', '150', '--out', dir, '--quiet');
    expect(out).toMatch(/test accuracy 0\.9\d+/);
    for (const f of ['model.safetensors', 'loss.svg', 'accuracy.svg', 'confusion-matrix.svg']) expect(fs.existsSync(path.join(dir, f))).toBe(true);
    const predictions = cli('predict', dir, 'data/iris.csv').trim().split('\n');
    expect(predictions[0]).toBe('row,prediction');
    expect(predictions).toHaveLength(151);
    expect(predictions[1]).toBe('1,setosa');
  });

  test('a bad option is a usage error naming it (exit code 2)', () => {
    const failure = cliFailure('train', 'circles', '--epochs', 'many');
    expect(failure.status).toBe(2);
    expect(failure.stderr).toMatch(/--epochs expects an integer ≥ 1, received 'many'/);
  });

  test('info names the backend and OpenBLAS', () => {
    expect(cli('info')).toMatch(/backend: (native|js)/);
  });
});
