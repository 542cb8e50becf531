// The seed of the one PRNG: exactly the 32-bit unsigned integers, so no two seeds alias.
import { expect, it } from 'vitest';
import { Random } from '../../lib/random';
import { expectError } from '../helpers/errors';

it('a seed outside [0, 2³² − 1] or not an integer is refused', () => {
  expectError(() => new Random(-1), RangeError, 'Random: expected seed to be an integer in [0, 4294967295], received -1');
  expectError(() => new Random(2 ** 32), RangeError, 'Random: expected seed to be an integer in [0, 4294967295], received 4294967296');
  expectError(() => new Random(1.5), RangeError, 'Random: expected seed to be an integer in [0, 4294967295], received 1.5');
  expectError(() => new Random(NaN), RangeError, 'Random: expected seed to be an integer in [0, 4294967295], received NaN');
  expectError(() => new Random('7' as never), TypeError, 'Random: expected seed to be an integer, received "7"');
});

it('both ends of the range are distinct streams, and a seed repeats its stream', () => {
  const draw = (seed: number) => { const r = new Random(seed); return [r.uint32(), r.uint32(), r.uint32()]; };
  expect(draw(0)).not.toEqual(draw(2 ** 32 - 1));
  expect(draw(2 ** 32 - 1)).toEqual(draw(2 ** 32 - 1));
  expect(draw(123)).toEqual(draw(123));
});
