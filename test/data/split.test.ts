// Stratified splitting and folds: every class keeps its share (within one row) in each part.
import { describe, expect, it } from 'vitest';
import { classLabels, kFolds, trainTestSplit } from '../../lib/data/split';
import { Tensor } from '../../lib/tensor';
import { expectError } from '../helpers/errors';

/** 100 rows: 70 of class 0, 20 of class 1, 10 of class 2; x holds the row number. */
const n = 100;
const labels = Array.from({ length: n }, (_, i) => (i < 70 ? 0 : i < 90 ? 1 : 2));
const x = new Tensor(Float32Array.from({ length: n }, (_, i) => i), [n, 1]);
const y = new Tensor(Float32Array.from(labels), [n]);
const count = (values: ArrayLike<number>, c: number): number => Array.from(values).filter((v) => v === c).length;

describe('stratified splits', () => {
  it('trainTestSplit with stratify holds out each class in proportion, rows kept whole', () => {
    const { train, test } = trainTestSplit(x, y, { testFraction: 0.2, seed: 3, stratify: true });
    expect(test.x.shape).toEqual([20, 1]);
    expect([0, 1, 2].map((c) => count(test.y.data, c))).toEqual([14, 4, 2]);
    expect([0, 1, 2].map((c) => count(train.y.data, c))).toEqual([56, 16, 8]);
    // Each row keeps its label, and every row is in exactly one part.
    for (const part of [train, test]) part.x.data.forEach((row, i) => expect(part.y.data[i]).toBe(labels[row]));
    expect([...train.x.data, ...test.x.data].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it('reads one-hot targets as classes, and rejects targets that are not classes', () => {
    const oneHot = new Tensor(Float32Array.from(labels.flatMap((c) => [0, 1, 2].map((j) => (j === c ? 1 : 0)))), [n, 3]);
    const { validation } = trainTestSplit(x, oneHot, { validationFraction: 0.1, seed: 1, stratify: true });
    expect([0, 1, 2].map((c) => Array.from({ length: 10 }, (_, i) => validation.y.data[i * 3 + c]).filter((v) => v === 1).length)).toEqual([7, 2, 1]);
    expect(classLabels(new Tensor(Float32Array.from([0.5, 1]), [2]))).toBeUndefined();
    expectError(() => trainTestSplit(x, new Tensor(Float32Array.from({ length: n }, (_, i) => i / 7), [n]), { testFraction: 0.2, stratify: true }), RangeError,
      'trainTestSplit: expected y to be class labels (non-negative integers [n]) or one-hot rows [n, k] with options.stratify, received shape [100] of other values');
  });

  it('kFolds partitions the rows; stratified folds keep each class within one row of its share', () => {
    const folds = kFolds(n, 3, { seed: 5, labels: classLabels(y) });
    expect(folds.map((f) => f.length)).toEqual([34, 33, 33]);
    expect(folds.flatMap((f) => Array.from(f)).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    for (const fold of folds) {
      const classes = Array.from(fold, (r) => labels[r]);
      expect(Math.abs(count(classes, 0) - 70 / 3)).toBeLessThanOrEqual(1);
      expect(Math.abs(count(classes, 1) - 20 / 3)).toBeLessThanOrEqual(1);
      expect(Math.abs(count(classes, 2) - 10 / 3)).toBeLessThanOrEqual(1);
    }
    // Plain folds are a seeded shuffle: repeatable, and other seeds give other folds.
    expect(kFolds(n, 4, { seed: 1 })).toEqual(kFolds(n, 4, { seed: 1 }));
    expect(kFolds(n, 4, { seed: 1 })).not.toEqual(kFolds(n, 4, { seed: 2 }));
    expect(Array.from(kFolds(6, 3, { shuffle: false })[1])).toEqual([1, 4]);
  });

  it('kFolds rejects bad arguments', () => {
    expectError(() => kFolds(10, 1), RangeError, 'kFolds: expected k to be an integer ≥ 2, received 1');
    expectError(() => kFolds(3, 4), RangeError, 'kFolds: expected k to be at most n (3) folds, received 4');
    expectError(() => kFolds(10, 2, { labels: new Int32Array(3) }), TypeError, 'kFolds: expected options.labels to be an Int32Array of 10 class labels, received Int32Array(3)');
  });
});
