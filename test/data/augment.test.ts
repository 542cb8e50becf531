import { describe, expect, it } from 'vitest';
import { allocationCount } from '../../lib/alloc';
import { compose, gaussianNoise, randomFlip, randomShift, shiftImage, type Augmentation } from '../../lib/data/augment';
import { Random } from '../../lib/random';
import { expectError } from '../helpers/errors';

// 3×3 image, row-major:  1 2 3 / 4 5 6 / 7 8 9
const IMAGE = [1, 2, 3, 4, 5, 6, 7, 8, 9];

/** Shifted copies of IMAGE, worked out by hand (positive dx = right, positive dy = down). */
const SHIFTED: Record<string, number[]> = {
  '0,0': IMAGE,
  '1,0': [0, 1, 2, 0, 4, 5, 0, 7, 8],
  '-1,0': [2, 3, 0, 5, 6, 0, 8, 9, 0],
  '0,1': [0, 0, 0, 1, 2, 3, 4, 5, 6],
  '0,-1': [4, 5, 6, 7, 8, 9, 0, 0, 0],
  '1,1': [0, 0, 0, 0, 1, 2, 0, 4, 5],
  '1,-1': [0, 4, 5, 0, 7, 8, 0, 0, 0],
  '-1,1': [0, 0, 0, 2, 3, 0, 5, 6, 0],
  '-1,-1': [5, 6, 0, 8, 9, 0, 0, 0, 0],
};

function repeatRows(row: readonly number[], m: number): Float32Array {
  const x = new Float32Array(row.length * m);
  for (let r = 0; r < m; r++) x.set(row, r * row.length);
  return x;
}

function rowOf(x: Float32Array, r: number, width: number): number[] {
  return Array.from(x.subarray(r * width, (r + 1) * width));
}

describe('shiftImage', () => {
  it('shifts a 3×3 image by (+1, 0) and (0, −1) with zero fill', () => {
    const src = new Float32Array(IMAGE);
    const out = new Float32Array(9).fill(-1);
    shiftImage(out, 0, src, 3, 3, 1, 0);
    expect(Array.from(out)).toEqual([0, 1, 2, 0, 4, 5, 0, 7, 8]);
    out.fill(-1);
    shiftImage(out, 0, src, 3, 3, 0, -1);
    expect(Array.from(out)).toEqual([4, 5, 6, 7, 8, 9, 0, 0, 0]);
  });

  it('matches every hand-worked shift in [−1, 1]², writes at an offset, and blanks a shift past the edge', () => {
    const src = new Float32Array(IMAGE);
    for (const [key, expected] of Object.entries(SHIFTED)) {
      const [dx, dy] = key.split(',').map(Number);
      const out = new Float32Array(13).fill(-1);
      shiftImage(out, 2, src, 3, 3, dx, dy);
      expect(Array.from(out.subarray(2, 11)), key).toEqual(expected);
      expect([out[0], out[1], out[11], out[12]], `${key}: outside the image`).toEqual([-1, -1, -1, -1]);
    }
    const out = new Float32Array(9).fill(-1);
    shiftImage(out, 0, src, 3, 3, 3, 0);
    expect(Array.from(out)).toEqual(new Array(9).fill(0));
  });
});

describe('randomShift', () => {
  it('gives each image one of the hand-worked shifts, every one of them over many images', () => {
    const m = 400;
    const x = repeatRows(IMAGE, m);
    randomShift({ height: 3, width: 3, maxShift: 1 }).apply(x, m, 9, new Random(7));
    const seen = new Map<string, number>();
    for (let r = 0; r < m; r++) {
      const row = rowOf(x, r, 9);
      const key = Object.keys(SHIFTED).find((k) => SHIFTED[k].every((v, i) => v === row[i]));
      expect(key, `row ${r}: ${row}`).toBeDefined();
      seen.set(key!, (seen.get(key!) ?? 0) + 1);
    }
    // 9 equally likely shifts over 400 images: each expected ≈ 44 times (sd ≈ 6.3); 20 is > 3.8 sd below.
    expect(seen.size).toBe(9);
    for (const count of seen.values()) expect(count).toBeGreaterThan(20);
  });

  it('leaves rows beyond m untouched and is reproducible by seed', () => {
    const run = (seed: number): Float32Array => {
      const x = repeatRows(IMAGE, 6);
      randomShift({ height: 3, width: 3, maxShift: 1 }).apply(x, 5, 9, new Random(seed));
      return x;
    };
    expect(rowOf(run(3), 5, 9)).toEqual(IMAGE);
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
  });

  it('allocates its scratch image once', () => {
    const shift = randomShift({ height: 3, width: 3 });
    const x = repeatRows(IMAGE, 8);
    const rng = new Random(1);
    shift.apply(x, 8, 9, rng);
    const before = allocationCount();
    for (let i = 0; i < 5; i++) shift.apply(x, 8, 9, rng);
    expect(allocationCount()).toBe(before);
  });
});

describe('randomFlip', () => {
  it('mirrors each row of a 2×3 image, or leaves it, about half the time', () => {
    const image = [1, 2, 3, 4, 5, 6];
    const flipped = [3, 2, 1, 6, 5, 4];
    const m = 1000;
    const x = repeatRows(image, m);
    randomFlip({ height: 2, width: 3 }).apply(x, m, 6, new Random(11));
    let flips = 0;
    for (let r = 0; r < m; r++) {
      const row = rowOf(x, r, 6);
      if (row.every((v, i) => v === flipped[i])) flips++;
      else expect(row, `row ${r}`).toEqual(image);
    }
    // Binomial(1000, 0.5): sd ≈ 15.8; the band is ±5 sd.
    expect(Math.abs(flips - 500)).toBeLessThan(80);
  });

  it('flips an odd and an even width correctly (middle column stays)', () => {
    // A draw of rng.next() < 0.5 flips; find a seed whose first draw flips, from an independent copy.
    let seed = 0;
    while (new Random(seed).next() >= 0.5) seed++;
    const odd = new Float32Array([1, 2, 3, 4, 5]);
    randomFlip({ height: 1, width: 5 }).apply(odd, 1, 5, new Random(seed));
    expect(Array.from(odd)).toEqual([5, 4, 3, 2, 1]);
    const even = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]);
    randomFlip({ height: 2, width: 4 }).apply(even, 1, 8, new Random(seed));
    expect(Array.from(even)).toEqual([4, 3, 2, 1, 8, 7, 6, 5]);
  });
});

describe('gaussianNoise', () => {
  it('adds noise of mean ≈ 0 and the given standard deviation', () => {
    const n = 200_000;
    const std = 0.3;
    const base = new Float32Array(n);
    for (let i = 0; i < n; i++) base[i] = (i % 7) - 3;
    const x = base.slice();
    gaussianNoise({ std }).apply(x, n / 100, 100, new Random(5));
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const d = x[i] - base[i];
      sum += d;
      sumSq += d * d;
    }
    const mean = sum / n;
    const sd = Math.sqrt(sumSq / n - mean * mean);
    // Standard error of the mean: 0.3 / √200000 ≈ 6.7e-4, so 3e-3 is > 4 standard errors.
    expect(Math.abs(mean)).toBeLessThan(3e-3);
    // Standard error of the standard deviation: 0.3 / √400000 ≈ 4.7e-4; 1% of 0.3 is > 6 of them.
    expect(Math.abs(sd - std)).toBeLessThan(0.01 * std);
  });

  it('is deterministic by seed and touches only the first m rows', () => {
    const run = (seed: number): Float32Array => {
      const x = new Float32Array(12);
      gaussianNoise({ std: 1 }).apply(x, 2, 4, new Random(seed));
      return x;
    };
    expect(run(9)).toEqual(run(9));
    expect(run(9)).not.toEqual(run(10));
    expect(Array.from(run(9).subarray(8))).toEqual([0, 0, 0, 0]);
    expect(run(9).subarray(0, 8).every((v) => v !== 0)).toBe(true);
  });

  it('std 0 changes nothing', () => {
    const x = new Float32Array([1, 2, 3]);
    gaussianNoise({ std: 0 }).apply(x, 1, 3, new Random(1));
    expect(Array.from(x)).toEqual([1, 2, 3]);
  });
});

describe('compose', () => {
  it('applies the parts in order with one generator', () => {
    const flip = randomFlip({ height: 3, width: 3 });
    const shift = randomShift({ height: 3, width: 3, maxShift: 1 });
    const both = compose(flip, shift);
    expect(both.name).toBe('compose(randomFlip(3×3), randomShift(3×3, maxShift=1))');
    const a = repeatRows(IMAGE, 20);
    const b = a.slice();
    both.apply(a, 20, 9, new Random(2));
    const rng = new Random(2);
    flip.apply(b, 20, 9, rng);
    shift.apply(b, 20, 9, rng);
    expect(a).toEqual(b);
    expect(a).not.toEqual(repeatRows(IMAGE, 20));
  });

  it('checks the row width against every part', () => {
    const both = compose(gaussianNoise({ std: 0.1 }), randomFlip({ height: 2, width: 2 }));
    expect(() => both.check('fit', 4)).not.toThrow();
    expectError(() => both.check('fit', 5), RangeError,
      'fit: expected rows of x to be images of 2×2 = 4 values (from the augmentation\'s height and width), received rows of 5 values');
  });
});

describe('augmentation option checks', () => {
  it('rejects bad options with the option named', () => {
    expectError(() => gaussianNoise({ std: -1 }), RangeError, 'gaussianNoise: expected options.std to be a number ≥ 0, received -1');
    expectError(() => gaussianNoise({} as never), TypeError, 'gaussianNoise: expected options.std to be a number, received undefined');
    expectError(() => gaussianNoise(undefined as never), TypeError, 'gaussianNoise: expected options to be an options object, received undefined');
    expectError(() => gaussianNoise({ std: 1, sd: 1 } as never), RangeError,
      "gaussianNoise: expected options to be options among std, received unknown option 'sd'");
    expectError(() => randomShift({ height: 0, width: 3 }), RangeError, 'randomShift: expected options.height to be an integer ≥ 1, received 0');
    expectError(() => randomShift({ height: 3, width: 2.5 }), RangeError, 'randomShift: expected options.width to be an integer ≥ 1, received 2.5');
    expectError(() => randomShift({ height: 3, width: 3, maxShift: 3 }), RangeError,
      'randomShift: expected options.maxShift to be an integer in [0, 2], received 3');
    expectError(() => randomShift({ height: 3, width: '3' } as never), TypeError, 'randomShift: expected options.width to be an integer, received "3"');
    expectError(() => randomFlip({ height: 2 } as never), TypeError, 'randomFlip: expected options.width to be an integer, received undefined');
    expectError(() => compose(gaussianNoise({ std: 1 }), {} as Augmentation), TypeError,
      'compose: expected augmentations[1] to be an Augmentation (gaussianNoise, randomShift, randomFlip or compose), received Object');
  });
});
