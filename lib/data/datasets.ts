// Small classic datasets for the first experiments: the logic gates a perceptron can (AND, OR) and
// cannot (XOR) learn, and 2-D sets that need a non-linear boundary (circles, spirals) or none
// (blobs). Every generator is deterministic for a given seed.

import { allocFloat32, allocInt32 } from '../alloc';
import { Random } from '../random';
import { Tensor } from '../tensor';
import { checkInt, checkNumber, checkRange, fail } from '../validate';
import { checkObject } from './check';

export { loadIris, IRIS_PATH } from './iris';
export type { Iris } from './iris';

/** A generated data set: features and labels. */
export interface Dataset {
  /** [n, features] */
  x: Tensor;
  /** [n] class indices as floats. */
  y: Tensor;
  classNames: string[];
}

const GATE_INPUTS = [0, 0, 0, 1, 1, 0, 1, 1];

function gate(outputs: readonly number[]): Dataset {
  return { x: Tensor.from(GATE_INPUTS, [4, 2]), y: Tensor.from(outputs, [4]), classNames: ['0', '1'] };
}

/** The XOR truth table: inputs (0,0), (0,1), (1,0), (1,1) → 0, 1, 1, 0. Not linearly separable. */
export function xor(): Dataset {
  return gate([0, 1, 1, 0]);
}

/** The AND truth table: → 0, 0, 0, 1. */
export function and(): Dataset {
  return gate([0, 0, 0, 1]);
}

/** The OR truth table: → 0, 1, 1, 1. */
export function or(): Dataset {
  return gate([0, 1, 1, 1]);
}

/** Shuffles the rows of x (`cols` columns) and y together with one permutation, so the classes
 *  are not in blocks (a mini-batch should see both). */
function shuffled(x: Float32Array, y: Float32Array, rng: Random, cols: number): { x: Float32Array; y: Float32Array } {
  const n = y.length;
  const order = allocInt32(n);
  for (let i = 0; i < n; i++) order[i] = i;
  rng.shuffle(order);
  const sx = allocFloat32(n * cols);
  const sy = allocFloat32(n);
  for (let i = 0; i < n; i++) {
    sy[i] = y[order[i]];
    for (let j = 0; j < cols; j++) sx[i * cols + j] = x[order[i] * cols + j];
  }
  return { x: sx, y: sy };
}

function options(fn: string, value: unknown): Record<string, unknown> {
  return checkObject(fn, 'options', value);
}

function seedOf(fn: string, seed: unknown): number {
  return seed === undefined ? 0 : checkInt(fn, 'options.seed', seed, 0, 2 ** 32 - 1);
}

/**
 * Two concentric circles (as scikit-learn's make_circles): floor(n/2) points evenly spaced on the
 * unit circle (class 0) and the rest on a circle of radius `factor` (class 1), plus Gaussian noise
 * of std `noise` on each coordinate, rows shuffled.
 */
export function circles(opts: { n?: number; noise?: number; factor?: number; seed?: number } = {}): Dataset {
  const fn = 'circles';
  const o = options(fn, opts);
  const n = o.n === undefined ? 200 : checkInt(fn, 'options.n', o.n, 2);
  const noise = o.noise === undefined ? 0.05 : checkRange(fn, 'options.noise', o.noise, 0, Infinity);
  const factor = o.factor === undefined ? 0.5 : checkRange(fn, 'options.factor', o.factor, 0, 1, true);
  const rng = new Random(seedOf(fn, o.seed));
  const outer = Math.floor(n / 2);
  const x = allocFloat32(n * 2);
  const y = allocFloat32(n);
  for (let i = 0; i < n; i++) {
    const inner = i >= outer;
    const count = inner ? n - outer : outer;
    const k = inner ? i - outer : i;
    const angle = (2 * Math.PI * k) / count;
    const r = inner ? factor : 1;
    x[2 * i] = r * Math.cos(angle) + noise * rng.normal();
    x[2 * i + 1] = r * Math.sin(angle) + noise * rng.normal();
    y[i] = inner ? 1 : 0;
  }
  const s = shuffled(x, y, rng, 2);
  return { x: new Tensor(s.x, [n, 2]), y: new Tensor(s.y, [n]), classNames: ['outer', 'inner'] };
}

/**
 * Two interleaved spirals, each turning `turns` times (default 1.5) around the origin, the second
 * rotated by half a turn; radius grows linearly from 0.1 to 1. floor(n/2) points on spiral 0, the
 * rest on spiral 1, Gaussian noise of std `noise` on each coordinate, rows shuffled.
 */
export function spirals(opts: { n?: number; noise?: number; turns?: number; seed?: number } = {}): Dataset {
  const fn = 'spirals';
  const o = options(fn, opts);
  const n = o.n === undefined ? 200 : checkInt(fn, 'options.n', o.n, 2);
  const noise = o.noise === undefined ? 0.03 : checkRange(fn, 'options.noise', o.noise, 0, Infinity);
  const turns = o.turns === undefined ? 1.5 : checkRange(fn, 'options.turns', o.turns, 0.25, 10);
  const rng = new Random(seedOf(fn, o.seed));
  const first = Math.floor(n / 2);
  const x = allocFloat32(n * 2);
  const y = allocFloat32(n);
  for (let i = 0; i < n; i++) {
    const second = i >= first;
    const count = second ? n - first : first;
    const t = count === 1 ? 0 : (second ? i - first : i) / (count - 1);
    const r = 0.1 + 0.9 * t;
    const angle = 2 * Math.PI * turns * t + (second ? Math.PI : 0);
    x[2 * i] = r * Math.cos(angle) + noise * rng.normal();
    x[2 * i + 1] = r * Math.sin(angle) + noise * rng.normal();
    y[i] = second ? 1 : 0;
  }
  const s = shuffled(x, y, rng, 2);
  return { x: new Tensor(s.x, [n, 2]), y: new Tensor(s.y, [n]), classNames: ['spiral 0', 'spiral 1'] };
}

/**
 * Gaussian blobs (as scikit-learn's make_blobs): `centers` is a count (centres drawn uniformly in
 * [-10, 10]² from the seed) or explicit points of any dimension; class k has floor(n/K) points,
 * the first n mod K classes one more, each N(center_k, std²) per coordinate; rows shuffled.
 */
export function blobs(opts: { n?: number; centers?: number | readonly (readonly number[])[]; std?: number; seed?: number } = {}): Dataset {
  const fn = 'blobs';
  const o = options(fn, opts);
  const n = o.n === undefined ? 300 : checkInt(fn, 'options.n', o.n, 1);
  const std = o.std === undefined ? 1 : checkRange(fn, 'options.std', o.std, 0, Infinity);
  const rng = new Random(seedOf(fn, o.seed));
  let centers: number[][];
  if (o.centers === undefined || typeof o.centers === 'number') {
    const k = o.centers === undefined ? 3 : checkInt(fn, 'options.centers', o.centers, 1);
    centers = Array.from({ length: k }, () => [rng.uniform(-10, 10), rng.uniform(-10, 10)]);
  } else {
    if (!Array.isArray(o.centers) || o.centers.length === 0) fail(fn, 'options.centers', 'a count or a non-empty array of points', o.centers, 'type');
    const dims = Array.isArray(o.centers[0]) ? o.centers[0].length : 0;
    if (dims === 0) fail(fn, 'options.centers[0]', 'a non-empty array of numbers', o.centers[0], 'type');
    centers = (o.centers as unknown[]).map((c, k) => {
      if (!Array.isArray(c) || c.length !== dims) fail(fn, `options.centers[${k}]`, `a point of ${dims} coordinates`, c, Array.isArray(c) ? 'range' : 'type');
      return c.map((v, j) => checkNumber(fn, `options.centers[${k}][${j}]`, v));
    });
  }
  const k = centers.length;
  if (n < k) fail(fn, 'options.n', `at least one point per center (≥ ${k})`, String(n));
  const dims = centers[0].length;
  const x = allocFloat32(n * dims);
  const y = allocFloat32(n);
  const labels = allocInt32(n);
  const base = Math.floor(n / k);
  for (let c = 0, i = 0; c < k; c++) {
    const count = base + (c < n % k ? 1 : 0);
    for (let s = 0; s < count; s++, i++) labels[i] = c;
  }
  for (let i = 0; i < n; i++) {
    const c = centers[labels[i]];
    y[i] = labels[i];
    for (let j = 0; j < dims; j++) x[i * dims + j] = c[j] + std * rng.normal();
  }
  const s = shuffled(x, y, rng, dims);
  return { x: new Tensor(s.x, [n, dims]), y: new Tensor(s.y, [n]), classNames: centers.map((_, c) => String(c)) };
}
