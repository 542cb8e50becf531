// Errors a user can act on, where the library used to overflow the stack or let V8 or an inner
// layer speak: deeply nested Residual blocks, fake typed arrays, a validation row named by the
// user's row number, a one-class data set.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTrainingData, streamTrainingData } from '../../lib/cli/data-source';
import { Dense } from '../../lib/layers/dense';
import { MAX_RESIDUAL_NESTING, Residual } from '../../lib/layers/residual';
import { Sequential } from '../../lib/model/sequential';
import { ops } from '../../lib/ops';
import { Tensor } from '../../lib/tensor';
import { expectError } from '../helpers/errors';

describe('Residual nesting', () => {
  const nestingMessage = (received: string) =>
    `Residual: expected layers to be Residual blocks nested at most ${MAX_RESIDUAL_NESTING} deep (chain deep networks in a Sequential instead), received blocks nested ${received} deep`;

  it('stops at the stated limit with a RangeError, not a stack overflow, when wrapping 5,000 deep', () => {
    let layer: Dense | Residual = new Dense(2, 2);
    let error: unknown;
    let depth = 0;
    try {
      for (; depth < 5000; depth++) layer = new Residual([layer]);
    } catch (err) {
      error = err;
    }
    expect(depth).toBe(MAX_RESIDUAL_NESTING);
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toBe(nestingMessage(String(MAX_RESIDUAL_NESTING + 1)));
  });

  it('measures a 5,000-deep description before rebuilding it', () => {
    let config: { kind: string; config: Record<string, unknown> } = { kind: 'Dense', config: { inputs: 2, units: 2 } };
    for (let i = 0; i < 5000; i++) config = { kind: 'Residual', config: { layers: [config] } };
    expectError(() => new Residual({ layers: [config] }), RangeError, nestingMessage(`more than ${10 * MAX_RESIDUAL_NESTING}`));
  });

  it('trains at the limit: 100 nested blocks build, run forward and backward', () => {
    let layer: Dense | Residual = new Dense(2, 2, { init: 'zeros' });
    for (let i = 0; i < MAX_RESIDUAL_NESTING; i++) layer = new Residual([layer]);
    const model = new Sequential([layer], { seed: 1 });
    model.build([2]);
    // The innermost Dense is 0 (zero weights and bias); each level adds its input once more:
    // y = 100·x, and dy/dx = 100 along each coordinate.
    const y = model.forward(Float32Array.from([0, 1]));
    expect(Array.from(y.data)).toEqual([0, 100]);
    const dx = model.backward(Float32Array.from([1, 1]), { inputGrad: true })!;
    expect(Array.from(dx.data)).toEqual([100, 100]);
  });
});

describe('fake typed arrays', () => {
  const fake = Object.create(Float32Array.prototype) as Float32Array;
  const proxy = new Proxy(new Float32Array(4), {});

  it('get a TypeError that says what they are, not V8\'s "incompatible receiver"', () => {
    const posing = 'an object posing as a Float32Array (a Proxy or a borrowed prototype, not a real typed array)';
    expectError(() => new Tensor(fake, [0]), TypeError, `Tensor: expected data to be a Float32Array, received ${posing}`);
    expectError(() => new Tensor(proxy, [4]), TypeError, `Tensor: expected data to be a Float32Array, received ${posing}`);
    expectError(() => ops.axpy(proxy, 1, new Float32Array(4), 4), TypeError, `ops.axpy: expected y to be a Float32Array, received ${posing}`);
    const model = new Sequential([new Dense(4, 2)], { seed: 1 });
    model.build([4]);
    expect(() => model.forward(proxy)).toThrow(TypeError);
    expect(() => model.forward(proxy)).toThrow(`Sequential.forward: expected x to be a Tensor or a Float32Array, received ${posing}`);
    model.compile({ loss: 'mse', optimizer: 'sgd' });
    expect(() => model.predict(fake)).toThrow(TypeError);
    expect(() => model.predict(fake)).toThrow(posing);
  });
});

describe('validationSplit', () => {
  it('names a bad value by the row of x it came from, not its row in the held-out part', () => {
    const n = 50;
    const x = new Float32Array(n * 2).map((_, i) => i / 100);
    const y = new Float32Array(n).map((_, i) => i % 2);
    x[45 * 2 + 1] = NaN; // row 45 falls in the last 10 % (rows 45–49)
    const model = new Sequential([new Dense(2, 1)], { seed: 1 });
    model.compile({ loss: 'mse', optimizer: 'sgd' });
    const xs = new Tensor(x, [n, 2]);
    const ys = new Tensor(y, [n, 1]);
    expect(() => model.fitSync(xs, ys, { validationSplit: 0.1, verbose: 0 }))
      .toThrow('fitSync: expected x to be finite values only, received NaN at row 45, column 1');
    x[45 * 2 + 1] = 0;
    y[47] = Infinity;
    expect(() => model.fitSync(xs, ys, { validationSplit: 0.1, verbose: 0 }))
      .toThrow('fitSync: expected y to be finite values only, received Infinity at index 47');
  });
});

describe('a one-class CSV', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blasnet-errors-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says a classifier needs two classes, naming the column and the class found', () => {
    const path = join(dir, 'one.csv');
    writeFileSync(path, `a,b,kind\n${Array.from({ length: 20 }, (_, i) => `${i},${i * 2},x`).join('\n')}\n`);
    expectError(() => loadTrainingData(path, { label: 'kind', testFraction: 0.2, seed: 1 }), RangeError,
      `${path}: a classifier needs at least 2 classes in column "kind", found 1: "x" (for a numeric target use --task regression)`);
  });

  it('says the same when the file is streamed', async () => {
    const path = join(dir, 'one-stream.csv');
    writeFileSync(path, `a,b,kind\n${Array.from({ length: 20 }, (_, i) => `${i},${i * 2},x`).join('\n')}\n`);
    await expect(streamTrainingData(path, { label: 'kind', testFraction: 0.2, seed: 1, batchSize: 4 })).rejects.toThrow(
      `${path}: a classifier needs at least 2 classes in column "kind", found 1: "x" (for a numeric target use --task regression)`);
  });
});
