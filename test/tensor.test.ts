// Tensor views and their argument checks.
import { expect, it } from 'vitest';
import { Tensor } from '../lib/tensor';
import { expectError } from './helpers/errors';

it('reshape shares memory and infers one -1 dimension', () => {
  const t = Tensor.from([[1, 2, 3], [4, 5, 6]]);
  const r = t.reshape([3, -1]);
  expect(r.shape).toEqual([3, 2]);
  expect(r.data).toBe(t.data);
  expect(r.toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
});

it('reshape to a shape of another size is an error from Tensor.reshape', () => {
  const t = Tensor.zeros([2, 3]);
  expectError(() => t.reshape([4, 2]), RangeError,
    'Tensor.reshape: expected shape to be a shape of size 6 (as [2, 3]), received [4, 2] of size 8');
  expectError(() => t.reshape([4, -1]), RangeError, 'Tensor.reshape: expected shape to be a shape whose size divides 6, received [4, -1]');
  expectError(() => t.reshape([2, 1.5]), RangeError, 'Tensor.reshape: expected shape[1] to be an integer ≥ 0, received 1.5');
});

it('the constructor names itself', () => {
  expectError(() => new Tensor(new Float32Array(5), [2, 3]), RangeError, 'Tensor: expected data to be length 6 for shape [2, 3], received length 5');
});
