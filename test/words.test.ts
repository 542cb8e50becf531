import { expect, it } from 'vitest';
import { ordinal, plural } from '../lib/words';

it('plural agrees with its count', () => {
  expect([plural(1, 'epoch'), plural(0, 'epoch'), plural(2, 'epoch'), plural(3, 'class', 'classes')]).toEqual(['1 epoch', '0 epochs', '2 epochs', '3 classes']);
});

it('ordinal follows English, the teens included', () => {
  const got = [1, 2, 3, 4, 10, 11, 12, 13, 14, 21, 22, 23, 101, 111, 112, 113].map(ordinal);
  expect(got).toEqual(['1st', '2nd', '3rd', '4th', '10th', '11th', '12th', '13th', '14th', '21st', '22nd', '23rd', '101st', '111th', '112th', '113th']);
});
