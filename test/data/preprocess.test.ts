import { describe, expect, it } from 'vitest';
import { MinMaxScaler, StandardScaler, scalerFromJSON, trainTestSplit } from '../../lib/data/preprocess';
import { Random } from '../../lib/random';
import { Tensor } from '../../lib/tensor';

// Columns: 1..4 (mean 2.5, population std √1.25), a constant 10, and ±1 (mean 0, std 1).
const x = Tensor.from([
  [1, 10, -1],
  [2, 10, 1],
  [3, 10, -1],
  [4, 10, 1],
]);
const s5 = Math.sqrt(1.25);

function expectClose(actual: Tensor, expected: number[][], digits = 6): void {
  expect(actual.shape).toEqual([expected.length, expected[0].length]);
  expected.flat().forEach((v, i) => expect(actual.data[i]).toBeCloseTo(v, digits));
}

describe('StandardScaler', () => {
  it('fits population mean and std per column; a constant column gets std 1', () => {
    const s = new StandardScaler().fit(x);
    expect(s.mean).toEqual([2.5, 10, 0]);
    expect(s.std[0]).toBeCloseTo(s5, 12);
    expect(s.std.slice(1)).toEqual([1, 1]);
  });

  it('transforms into a new tensor with the fitted statistics, leaving x alone', () => {
    const before = Array.from(x.data);
    const z = new StandardScaler().fitTransform(x);
    expect(z).not.toBe(x);
    expect(Array.from(x.data)).toEqual(before);
    expectClose(z, [
      [-1.5 / s5, 0, -1],
      [-0.5 / s5, 0, 1],
      [0.5 / s5, 0, -1],
      [1.5 / s5, 0, 1],
    ]);
    // Test data is scaled with the training statistics, not its own.
    const s = new StandardScaler().fit(x);
    expectClose(s.transform(Tensor.from([[2.5, 12, 3]])), [[0, 2, 3]]);
    expectClose(s.inverseTransform(s.transform(x)), x.toArray() as number[][], 5);
  });

  it('round-trips through JSON', () => {
    const s = new StandardScaler().fit(x);
    const json = JSON.parse(JSON.stringify(s));
    expect(json.kind).toBe('StandardScaler');
    const restored = StandardScaler.fromJSON(json);
    expect(Array.from(restored.transform(x).data)).toEqual(Array.from(s.transform(x).data));
    expect(scalerFromJSON(json)).toBeInstanceOf(StandardScaler);
  });

  it('validates its inputs and state', () => {
    const s = new StandardScaler();
    expect(() => s.transform(x)).toThrow('StandardScaler.transform: the scaler is not fitted; call fit(x) on the training data first');
    s.fit(x);
    expect(() => s.transform(Tensor.from([[1, 2]]))).toThrow(RangeError);
    expect(() => s.transform(Tensor.from([[1, 2]]))).toThrow('StandardScaler.transform: expected x to be a Tensor of shape [rows, 3], received shape [1, 2]');
    expect(() => s.fit(Tensor.from([1, 2]))).toThrow('StandardScaler.fit: expected x to be a Tensor of shape [rows, columns], received shape [2]');
    expect(() => s.fit([[1]] as unknown as Tensor)).toThrow(TypeError);
    expect(() => s.fit(Tensor.zeros([0, 2]))).toThrow('StandardScaler.fit: expected x to be at least one row, received shape [0, 2]');
    expect(() => s.fit(Tensor.from([[1], [Number.NaN]]))).toThrow('StandardScaler.fit: expected x to be finite values only, received a non-finite value in column 0');
    expect(() => StandardScaler.fromJSON({ kind: 'StandardScaler', mean: [0, 1], std: [1] })).toThrow('StandardScaler.fromJSON: expected json.std to be an array of 2 numbers, received Array(1)');
    expect(() => StandardScaler.fromJSON({ kind: 'StandardScaler', mean: [0], std: [0] })).toThrow('StandardScaler.fromJSON: expected json.std[0] to be a positive number, received 0');
    expect(() => StandardScaler.fromJSON({ kind: 'MinMaxScaler', mean: [0], std: [1] })).toThrow("StandardScaler.fromJSON: expected json.kind to be 'StandardScaler', received MinMaxScaler");
  });
});

describe('MinMaxScaler', () => {
  it('maps each fitted column onto [0, 1]; a constant column maps to the low end', () => {
    const s = new MinMaxScaler().fit(x);
    expect(s.min).toEqual([1, 10, -1]);
    expect(s.max).toEqual([4, 10, 1]);
    expectClose(s.transform(x), [
      [0, 0, 0],
      [1 / 3, 0, 1],
      [2 / 3, 0, 0],
      [1, 0, 1],
    ]);
    expect(s.transform(x).data[9]).toBe(1); // the maximum lands exactly on the top of the range
  });

  it('uses a given range and does not clip data beyond the fitted extremes', () => {
    const s = new MinMaxScaler({ range: [-1, 1] }).fit(x);
    expectClose(s.transform(Tensor.from([[7, 10, 0]])), [[3, -1, 0]]);
  });

  it('round-trips through JSON and validates', () => {
    const s = new MinMaxScaler({ range: [-2, 2] }).fit(x);
    const restored = scalerFromJSON(JSON.parse(JSON.stringify(s)));
    expect(restored).toBeInstanceOf(MinMaxScaler);
    expect(Array.from(restored.transform(x).data)).toEqual(Array.from(s.transform(x).data));
    expect(() => new MinMaxScaler({ range: [1, 1] })).toThrow('MinMaxScaler: expected options.range to be a pair [lo, hi] with lo < hi, received [1, 1]');
    expect(() => new MinMaxScaler().transform(x)).toThrow('MinMaxScaler.transform: the scaler is not fitted');
    expect(() => new MinMaxScaler().fit(Tensor.from([[1], [Infinity]]))).toThrow('MinMaxScaler.fit: expected x to be finite values only, received Infinity at row 1, column 0');
    expect(() => MinMaxScaler.fromJSON({ kind: 'MinMaxScaler', min: [2], max: [1], range: [0, 1] })).toThrow('MinMaxScaler.fromJSON: expected json.max[0] to be a number ≥ json.min[0] = 2, received 1');
    expect(() => scalerFromJSON({ kind: 'Other' })).toThrow("scalerFromJSON: expected json.kind to be 'StandardScaler' or 'MinMaxScaler', received Other");
  });
});

describe('trainTestSplit', () => {
  // Row i holds (i, 100 + i) and label i, so every row can be traced after the split.
  const n = 10;
  const xs = Tensor.from(Array.from({ length: n }, (_, i) => [i, 100 + i]));
  const ys = Tensor.from(Array.from({ length: n }, (_, i) => i));

  it('holds out round(n · fraction) rows, keeping x and y rows together and losing none', () => {
    const { train, test } = trainTestSplit(xs, ys, { testFraction: 0.3, seed: 7 });
    expect(train.x.shape).toEqual([7, 2]);
    expect(test.x.shape).toEqual([3, 2]);
    for (const part of [train, test]) {
      for (let r = 0; r < part.y.size; r++) {
        expect(part.x.get(r, 0)).toBe(part.y.data[r]);
        expect(part.x.get(r, 1)).toBe(100 + part.y.data[r]);
      }
    }
    const all = [...train.y.data, ...test.y.data].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it('is deterministic for a seed, differs across seeds, and takes the tail without shuffle', () => {
    const a = trainTestSplit(xs, ys, { validationFraction: 0.5, seed: 1 });
    const b = trainTestSplit(xs, ys, { validationFraction: 0.5, seed: 1 });
    const c = trainTestSplit(xs, ys, { validationFraction: 0.5, seed: 2 });
    expect(Array.from(a.validation.y.data)).toEqual(Array.from(b.validation.y.data));
    expect(Array.from(a.validation.y.data)).not.toEqual(Array.from(c.validation.y.data));
    const ordered = trainTestSplit(xs, ys, { testFraction: 0.2, shuffle: false });
    expect(Array.from(ordered.test.y.data)).toEqual([8, 9]);
    expect(Array.from(ordered.train.y.data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('uses the permutation of the seeded Random, and accepts a Random', () => {
    const order = new Random(5).shuffle(Int32Array.from({ length: n }, (_, i) => i));
    const { test } = trainTestSplit(xs, ys, { testFraction: 0.4, seed: 5 });
    expect(Array.from(test.y.data)).toEqual(Array.from(order.subarray(6)));
    const viaRandom = trainTestSplit(xs, ys, { testFraction: 0.4, seed: new Random(5) });
    expect(Array.from(viaRandom.test.y.data)).toEqual(Array.from(order.subarray(6)));
  });

  it('splits one-hot targets row-wise', () => {
    const y2 = Tensor.from(Array.from({ length: n }, (_, i) => [i, -i]));
    const { test } = trainTestSplit(xs, y2, { testFraction: 0.2, shuffle: false });
    expect(test.y.toArray()).toEqual([[8, -8], [9, -9]]);
  });

  it('validates shapes and fractions', () => {
    expect(() => trainTestSplit(xs, Tensor.from([1, 2]), { testFraction: 0.5 })).toThrow('trainTestSplit: expected y to be a Tensor with 10 rows like x, received shape [2]');
    expect(() => trainTestSplit(xs, ys, { testFraction: 1 })).toThrow('trainTestSplit: expected options.testFraction to be a number strictly between 0 and 1, received 1');
    expect(() => trainTestSplit(xs, ys, { testFraction: 1.5 })).toThrow(RangeError);
    expect(() => trainTestSplit(xs, ys, { validationFraction: -0.1 })).toThrow('trainTestSplit: expected options.validationFraction to be a number in [0, 1], received -0.1');
    expect(() => trainTestSplit(xs, ys, { testFraction: 0.01 })).toThrow('trainTestSplit: testFraction 0.01 of 10 rows holds out 0, leaving an empty part; each part needs at least one row');
    expect(() => trainTestSplit(xs, ys, {} as { testFraction: number })).toThrow('trainTestSplit: expected options to be exactly one of testFraction and validationFraction, received neither');
    expect(() => trainTestSplit(xs, ys, { testFraction: 0.2, seed: 0.5 })).toThrow('trainTestSplit: expected options.seed to be an integer or a Random, received 0.5');
    expect(() => trainTestSplit([1] as unknown as Tensor, ys, { testFraction: 0.2 })).toThrow(TypeError);
  });
});
