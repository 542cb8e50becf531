// Inputs given as { data, shape }: the shape is checked like a Tensor's, under the caller's name.
import { expect, it } from 'vitest';
import { Dense } from '../../lib/layers/index';
import { Sequential } from '../../lib/model/sequential';
import { toRows } from '../../lib/train/data';
import { expectError } from '../helpers/errors';

it('a { data, shape } input with a bad shape entry names the caller and the entry', () => {
  const model = new Sequential([new Dense(4, 2)], { seed: 1 });
  model.build([4]);
  const x = (shape: unknown[]) => ({ data: new Float32Array(2), shape }) as never;
  expectError(() => model.predict(x([0.5, 4])), RangeError, 'predict: expected x.shape[0] to be an integer ≥ 0, received 0.5');
  expectError(() => model.predict(x([2, -4])), RangeError, 'predict: expected x.shape[1] to be an integer ≥ 0, received -4');
  expectError(() => model.predict(x(['2', 4])), TypeError, 'predict: expected x.shape[0] to be an integer, received "2"');
  expectError(() => toRows('fit', 'y', x([NaN])), RangeError, 'fit: expected y.shape[0] to be an integer ≥ 0, received NaN');
});

it('a valid { data, shape } input is read as rows without a copy', () => {
  const data = new Float32Array(12);
  const rows = toRows('fit', 'x', { data, shape: [3, 2, 2] });
  expect(rows.data).toBe(data);
  expect([rows.n, rows.width, rows.sampleShape]).toEqual([3, 4, [2, 2]]);
});
