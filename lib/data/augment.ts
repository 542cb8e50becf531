import { allocFloat32 } from '../alloc';
import { checkOptions } from '../validate';
import type { Random } from '../random';
import { checkInt, checkNonNegative, fail } from '../validate';

/**
 * A random transformation of training rows, applied by fit to every mini-batch (never to validation,
 * evaluate or predict) so the model sees a slightly different sample each time: a regulariser.
 */
export interface Augmentation {
  readonly name: string;
  /** Throws when rows of `width` values cannot be transformed (called once per fit, before training). */
  check(fn: string, width: number): void;
  /** Transforms the m rows of `width` values at the start of x in place. Allocates nothing after the
   *  first call: this runs on every training step. */
  apply(x: Float32Array, m: number, width: number, rng: Random): void;
}

/** Options of {@link gaussianNoise}. */
export interface GaussianNoiseOptions {
  /** Standard deviation of the noise added to every value. */
  std: number;
}

/** The image layout of each row, for the augmentations that move pixels. */
export interface ImageOptions {
  /** Rows are single-channel images of height × width values, row-major. */
  height: number;
  width: number;
}

/** Options of {@link randomShift}. */
export interface RandomShiftOptions extends ImageOptions {
  /** Largest shift in pixels along each axis (default 2). */
  maxShift?: number;
}

/** Adds independent N(0, std²) noise to every value (tabular data or images). */
export function gaussianNoise(options: GaussianNoiseOptions): Augmentation {
  const fn = 'gaussianNoise';
  const o = requiredOptions<GaussianNoiseOptions>(fn, options, ['std']);
  const std = checkNonNegative(fn, 'options.std', o.std);
  return {
    name: `gaussianNoise(std=${std})`,
    check(): void {},
    apply(x, m, width, rng): void {
      if (std === 0) return;
      const end = m * width;
      for (let i = 0; i < end; i++) x[i] += rng.normal(0, std);
    },
  };
}

/**
 * Shifts each image by whole pixels, dx and dy drawn uniformly from [−maxShift, maxShift] per image
 * (dx first, then dy; positive dx moves the content right, positive dy down). Vacated pixels become 0.
 */
export function randomShift(options: RandomShiftOptions): Augmentation {
  const fn = 'randomShift';
  const o = requiredOptions<RandomShiftOptions>(fn, options, ['height', 'width', 'maxShift']);
  const { height, width } = imageSize(fn, o);
  const maxShift = o.maxShift === undefined ? 2 : checkInt(fn, 'options.maxShift', o.maxShift, 0, Math.max(height, width) - 1);
  const span = 2 * maxShift + 1;
  const size = height * width;
  let scratch: Float32Array | undefined;
  return {
    name: `randomShift(${height}×${width}, maxShift=${maxShift})`,
    check: (caller, rowWidth) => checkImageRows(caller, rowWidth, height, width),
    apply(x, m, _width, rng): void {
      if (maxShift === 0) return;
      scratch ??= allocFloat32(size);
      for (let r = 0; r < m; r++) {
        // rng.next() rather than rng.int(): int() validates its argument, and this runs per image.
        const dx = Math.floor(rng.next() * span) - maxShift;
        const dy = Math.floor(rng.next() * span) - maxShift;
        if (dx === 0 && dy === 0) continue;
        const at = r * size;
        for (let i = 0; i < size; i++) scratch[i] = x[at + i];
        shiftImage(x, at, scratch, height, width, dx, dy);
      }
    },
  };
}

/** Mirrors each image left–right with probability 0.5, drawn per image. */
export function randomFlip(options: ImageOptions): Augmentation {
  const fn = 'randomFlip';
  const o = requiredOptions<ImageOptions>(fn, options, ['height', 'width']);
  const { height, width } = imageSize(fn, o);
  return {
    name: `randomFlip(${height}×${width})`,
    check: (caller, rowWidth) => checkImageRows(caller, rowWidth, height, width),
    apply(x, m, _width, rng): void {
      const size = height * width;
      for (let r = 0; r < m; r++) {
        if (rng.next() >= 0.5) continue;
        for (let row = r * size, rowEnd = row + size; row < rowEnd; row += width) {
          for (let a = row, b = row + width - 1; a < b; a++, b--) {
            const t = x[a];
            x[a] = x[b];
            x[b] = t;
          }
        }
      }
    },
  };
}

/** Applies the augmentations one after another, in the order given. */
export function compose(...augmentations: Augmentation[]): Augmentation {
  augmentations.forEach((a, i) => checkAugmentation('compose', `augmentations[${i}]`, a));
  const parts = augmentations.slice();
  return {
    name: `compose(${parts.map((a) => a.name).join(', ')})`,
    check(fn, width): void {
      for (const a of parts) a.check(fn, width);
    },
    apply(x, m, width, rng): void {
      for (let i = 0; i < parts.length; i++) parts[i].apply(x, m, width, rng);
    },
  };
}

/** TypeError unless value looks like an Augmentation (what fit and compose accept). */
export function checkAugmentation(fn: string, arg: string, value: unknown): Augmentation {
  const a = value as Partial<Augmentation> | null;
  if (a === null || typeof a !== 'object' || typeof a.apply !== 'function' || typeof a.check !== 'function' || typeof a.name !== 'string') {
    fail(fn, arg, 'an Augmentation (gaussianNoise, randomShift, randomFlip or compose)', value, 'type');
  }
  return value as Augmentation;
}

/**
 * Writes src (one height × width image) shifted by (dx, dy) into out from index `at`, zero where the
 * shifted image has no source pixel. Plain loops over indices: no views are created per image.
 */
export function shiftImage(out: Float32Array, at: number, src: Float32Array, height: number, width: number, dx: number, dy: number): void {
  // Columns of out that have a source pixel: c − dx must lie in [0, width).
  const c0 = Math.max(0, dx);
  const c1 = Math.min(width, width + dx);
  for (let r = 0; r < height; r++) {
    const o = at + r * width;
    const sr = r - dy;
    if (sr < 0 || sr >= height || c0 >= c1) {
      for (let c = 0; c < width; c++) out[o + c] = 0;
      continue;
    }
    const s = sr * width - dx;
    for (let c = 0; c < c0; c++) out[o + c] = 0;
    for (let c = c0; c < c1; c++) out[o + c] = src[s + c];
    for (let c = c1; c < width; c++) out[o + c] = 0;
  }
}

function requiredOptions<T extends object>(fn: string, options: unknown, keys: readonly string[]): Partial<T> {
  if (options === undefined) fail(fn, 'options', 'an options object', options, 'type');
  return checkOptions<T>(fn, 'options', options, keys);
}

function imageSize(fn: string, o: Partial<ImageOptions>): { height: number; width: number } {
  return { height: checkInt(fn, 'options.height', o.height, 1), width: checkInt(fn, 'options.width', o.width, 1) };
}

function checkImageRows(fn: string, rowWidth: number, height: number, width: number): void {
  if (rowWidth !== height * width) {
    fail(fn, 'rows of x', `images of ${height}×${width} = ${height * width} values (from the augmentation's height and width)`,
      `rows of ${rowWidth} values`);
  }
}
