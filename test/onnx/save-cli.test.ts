import { describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Sequential } from '../../lib/model/sequential';
import { BatchNorm, Dense } from '../../lib/layers/index';
import { Tensor } from '../../lib/tensor';
import { loadCsv } from '../../lib/data/csv';
import { scalerFromJSON, type ScalerJSON } from '../../lib/data/preprocess';
import { loadModel } from '../../lib/model/model-file';
import { importOnnx } from '../../lib/onnx/import';
import { randomFloat32 } from '../helpers/arrays';
import { expectAllClose } from '../helpers/close';
import { expectError } from '../helpers/errors';
import { runOnnxRuntime } from '../helpers/onnx';

const root = path.resolve(__dirname, '..', '..');
const tmpDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'blasnet-onnx-'));

describe("model.save(path, { format: 'onnx' })", () => {
  const model = new Sequential([new Dense(3, 5, { activation: 'tanh' }), new BatchNorm(), new Dense(5, 2)], { seed: 3 });
  const x = new Tensor(randomFloat32(1, 20 * 3), [20, 3]);

  test('a directory gets model.onnx, a .onnx path is the file; both import to the same predictions', () => {
    const dir = tmpDir();
    expect(model.save(dir, { format: 'onnx', classNames: ['no', 'yes'] })).toBe(path.join(dir, 'model.onnx'));
    expect(model.save(path.join(dir, 'other.onnx'), { format: 'onnx' })).toBe(path.join(dir, 'other.onnx'));
    for (const file of ['model.onnx', 'other.onnx']) {
      expect(importOnnx(path.join(dir, file)).model.predict(x).data).toEqual(model.predict(x).data);
    }
    expect(importOnnx(path.join(dir, 'model.onnx')).extra.classNames).toEqual(['no', 'yes']);
    // The blasnet format is still the default.
    expect(Sequential.load(model.save(dir)).predict(x).data).toEqual(model.predict(x).data);
  });

  test('an unknown format is named', () => {
    expectError(() => model.save(tmpDir(), { format: 'tflite' } as never), RangeError,
      "model.save: expected options.format to be 'onnx' (or absent, for blasnet's own file), received tflite");
  });
});

describe('blasnet export <model-dir> <out.onnx>', () => {
  const cli = path.join(root, 'dist', 'cli', 'main.js');

  test.skipIf(!fs.existsSync(cli))('a CLI model with its scaler: onnxruntime on raw rows equals blasnet predict, import round-trips', async () => {
    const dir = tmpDir();
    const csv = path.join(root, 'data', 'iris.csv');
    execFileSync(process.execPath, [cli, 'train', csv, '--label', 'species', '--epochs', '20', '--out', dir, '--quiet'], { encoding: 'utf8' });
    const onnxFile = path.join(dir, 'iris.onnx');
    const out = execFileSync(process.execPath, [cli, 'export', dir, onnxFile], { encoding: 'utf8' });
    expect(out).toMatch(/^wrote .*iris\.onnx \(\d+ bytes\): input \[batch, 4\] → output \[batch, 3\], scaler in front\n$/);

    const { model, extra } = loadModel(dir);
    const raw = loadCsv(csv, { label: 'species' });
    const expected = model.predict(scalerFromJSON(extra.scaler as ScalerJSON).transform(raw.x)).data;
    const actual = await runOnnxRuntime(fs.readFileSync(onnxFile), raw.x.data, raw.x.shape);
    expectAllClose(actual, expected, { rtol: 1e-5, atol: 1e-6 }, 'iris via onnxruntime');

    const back = importOnnx(onnxFile);
    expect(back.extra.scaler).toEqual(extra.scaler);
    expect(back.extra.classNames).toEqual(extra.classNames);
    expect(back.extra.featureNames).toEqual(extra.featureNames);
    expect(back.extra.labelName).toBe('species');
    expect(back.model.predict(scalerFromJSON(back.extra.scaler as ScalerJSON).transform(raw.x)).data).toEqual(expected);
  });

  test.skipIf(!fs.existsSync(cli))('usage errors', () => {
    const run = (...args: string[]) => {
      try {
        execFileSync(process.execPath, [cli, 'export', ...args], { encoding: 'utf8', stdio: 'pipe' });
        return '';
      } catch (err) {
        return (err as { stderr: string }).stderr.split('\n')[0];
      }
    };
    expect(run('only-one')).toBe('blasnet: export expects <model-dir> <out.onnx>, received 1 arguments');
    expect(run('dir', 'out.bin')).toBe("blasnet: the output file should end in .onnx, received 'out.bin'");
  });

  test.skipIf(!fs.existsSync(cli))('a model whose ONNX form would compute something else is refused', () => {
    const dir = tmpDir();
    const text = path.join(dir, 'text.csv');
    fs.writeFileSync(text, `size,color,label\n${Array.from({ length: 30 }, (_, i) => `${i % 5},${i % 2 ? 'red' : 'blue'},${i % 3 ? 'a' : 'b'}`).join('\n')}\n`);
    const regression = path.join(dir, 'price.csv');
    fs.writeFileSync(regression, `size,price\n${Array.from({ length: 30 }, (_, i) => `${i},${1000 + 50 * i}`).join('\n')}\n`);
    const exported = (csv: string, ...train: string[]) => {
      const out = path.join(dir, path.basename(csv, '.csv'));
      execFileSync(process.execPath, [cli, 'train', csv, '--epochs', '2', '--out', out, '--quiet', ...train], { encoding: 'utf8' });
      try {
        execFileSync(process.execPath, [cli, 'export', out, path.join(dir, 'm.onnx')], { encoding: 'utf8', stdio: 'pipe' });
        return '';
      } catch (err) {
        return (err as { stderr: string }).stderr.split('\n')[0];
      }
    };
    expect(exported(text)).toBe("blasnet: the model one-hot encodes the text column 'color', which ONNX export does not carry");
    expect(exported(regression, '--task', 'regression')).toMatch(/^blasnet: this is a regression model trained on a standardised target/);
    expect(fs.existsSync(path.join(dir, 'm.onnx'))).toBe(false);
  });
});
