// Indices and class labels that kernels index memory with: both backends refuse out-of-range values
// with the same RangeError and the same message, before writing anything. The JS backend is the
// definition; the native block runs when the addon is built.
import { afterAll, describe, expect, it } from 'vitest';
import { getBackend, useBackend } from '../../lib/backend/index';
import { jsBackend } from '../../lib/backend/js';
import type { Backend } from '../../lib/backend/types';
import { getLoss } from '../../lib/losses/index';
import { nativeBackend } from '../helpers/native';
import { expectError } from '../helpers/errors';

/** Runs fn and requires exactly this error class and message. */
const backends: [string, Backend | undefined][] = [['js', jsBackend], ['native', nativeBackend]];

for (const [name, backend] of backends) {
  describe.skipIf(backend === undefined)(`index and label checks [${name} backend]`, () => {
    const b = backend as Backend;

    it('gatherRows refuses an index past the last row or below 0, writing nothing', () => {
      const src = new Float32Array([1, 2, 3, 4, 5, 6]); // 3 rows of 2
      const out = new Float32Array(4).fill(7);
      expectError(() => b.gatherRows(out, src, new Int32Array([0, 1e8]), 2, 2), RangeError,
        'gatherRows: expected idx[1] to be a row index in [0, 3) (src holds 3 rows of 2), received 100000000');
      expectError(() => b.gatherRows(out, src, new Int32Array([-5, 0]), 2, 2), RangeError,
        'gatherRows: expected idx[0] to be a row index in [0, 3) (src holds 3 rows of 2), received -5');
      // src of 5 floats holds only 2 whole rows of 2: row 2 would read past its end.
      expectError(() => b.gatherRows(out, src.subarray(0, 5), new Int32Array([2, 0]), 2, 2), RangeError,
        'gatherRows: expected idx[0] to be a row index in [0, 2) (src holds 2 rows of 2), received 2');
      expect(Array.from(out)).toEqual([7, 7, 7, 7]);
    });

    it('gatherRows still copies valid rows, and indices beyond count are not read', () => {
      const src = new Float32Array([1, 2, 3, 4, 5, 6]);
      const out = new Float32Array(4);
      b.gatherRows(out, src, new Int32Array([2, 0, -1]), 2, 2);
      expect(Array.from(out)).toEqual([5, 6, 1, 2]);
    });

    it('sparse softmaxCrossentropy refuses labels that are not class indices in [0, n)', () => {
      const z = new Float32Array([0.5, -1, 2, 0, 1, 3]); // 2 rows of 3
      const dz = new Float32Array(6).fill(9);
      const bad: [number, string][] = [[3, '3'], [-1, '-1'], [0.5, '0.5'], [NaN, 'NaN'], [1e9, '1000000000']];
      for (const [label, printed] of bad) {
        expectError(() => b.softmaxCrossentropy(dz, z, new Float32Array([0, label]), 2, 3, true, 1), RangeError,
          `softmaxCrossentropy: expected target[1] to be a class index in [0, 3), received ${printed}`);
      }
      expect(Array.from(dz)).toEqual([9, 9, 9, 9, 9, 9]);
    });

    it('dense softmaxCrossentropy does not read targets as indices', () => {
      const z = new Float32Array([0, 0]);
      const dz = new Float32Array(2);
      // Soft targets of −1 and 2 are nonsense as a distribution but are not indices: the sum is
      // Σ t·(lse − z) = (−1 + 2)·ln 2.
      const total = b.softmaxCrossentropy(dz, z, new Float32Array([-1, 2]), 1, 2, false, 1);
      expect(total).toBeCloseTo(Math.LN2, 6);
    });

    it('oneHot refuses a label of -1, of n, and a fraction', () => {
      const out = new Float32Array(6).fill(4);
      expectError(() => b.oneHot(out, new Float32Array([-1, 0]), 2, 3), RangeError,
        'oneHot: expected labels[0] to be a class index in [0, 3), received -1');
      expectError(() => b.oneHot(out, new Float32Array([1, 3]), 2, 3), RangeError,
        'oneHot: expected labels[1] to be a class index in [0, 3), received 3');
      expectError(() => b.oneHot(out, new Float32Array([1.5, 0]), 2, 3), RangeError,
        'oneHot: expected labels[0] to be a class index in [0, 3), received 1.5');
      expect(Array.from(out)).toEqual([4, 4, 4, 4, 4, 4]);
    });

    describe('through the categorical losses', () => {
      const previous = getBackend().name;
      afterAll(() => useBackend(previous));

      it('a label of -1 is a RangeError from the kernel, not a number', () => {
        useBackend(name as 'js' | 'native');
        const pred = new Float32Array([0.2, 0.3, 0.5, 0.1, 0.1, 0.8]);
        const dpred = new Float32Array(6);
        expectError(() => getLoss('categoricalCrossentropy').compute(dpred, pred, new Float32Array([2, -1]), 2, 3), RangeError,
          'oneHot: expected labels[1] to be a class index in [0, 3), received -1');
        expectError(() => getLoss('softmaxCrossentropy').compute(dpred, pred, new Float32Array([-1, 0]), 2, 3), RangeError,
          'softmaxCrossentropy: expected target[0] to be a class index in [0, 3), received -1');
      });
    });
  });
}
