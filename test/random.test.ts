// The seed of the one PRNG: exactly the 32-bit unsigned integers, so no two seeds alias.
import { expect, it } from 'vitest';
import { Random } from '../lib/random';
import { expectError } from './helpers/errors';

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

it('a restored state continues the stream exactly, including a pending normal value', () => {
  const a = new Random(9);
  for (let i = 0; i < 1000; i++) a.uint32();
  a.normal(); // leaves the pair's second value pending
  const saved = JSON.parse(JSON.stringify(a.getState()));
  expect(saved.spare).not.toBeNull();
  const b = new Random(1).setState(saved);
  const draws = (r: Random) => [r.normal(), r.normal(), r.uint32(), r.next(), r.normal()];
  expect(draws(b)).toEqual(draws(a));
  for (const w of a.getState().s) expect(Number.isInteger(w) && w >= 0 && w < 2 ** 32).toBe(true);
});

it('a malformed state is refused whole, leaving the generator as it was', () => {
  const r = new Random(3);
  const before = r.getState();
  expectError(() => r.setState(null as never), TypeError, 'Random.setState: expected state to be an object { s, spare } from getState(), received null');
  expectError(() => r.setState({ s: [1, 2, 3], spare: null } as never), TypeError,
    'Random.setState: expected state.s to be an array of 4 unsigned 32-bit integers, received Array(3)');
  expectError(() => r.setState({ s: [1, 2, 3, 2 ** 32], spare: null }), RangeError,
    'Random.setState: expected state.s[3] to be an integer in [0, 4294967295], received 4294967296');
  expectError(() => r.setState({ s: [0, 0, 0, 0], spare: null }), RangeError,
    'Random.setState: expected state.s to be four words not all zero, received [0, 0, 0, 0]');
  expectError(() => r.setState({ s: [1, 2, 3, 4], spare: Infinity }), RangeError,
    'Random.setState: expected state.spare to be null or a finite number, received Infinity');
  expect(r.getState()).toEqual(before);
});
