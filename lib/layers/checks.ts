import { fail, isFloat32Array } from '../validate';

// O(1) checks shared by the layers' forward/backward: cheap enough for every step, never per element.

export function checkBuilt(fn: string, built: boolean): void {
  if (!built) {
    throw new Error(`${fn}: the layer is not built yet; add it to a Sequential model (which calls build) ` +
      'or call build(inputShape, { rng }) first');
  }
}

/** x must be a Float32Array holding at least m rows of `width` floats (only those are read). */
export function checkRows(fn: string, arg: string, x: unknown, m: unknown, width: number): void {
  if (typeof m !== 'number' || !Number.isInteger(m) || m < 1) {
    fail(fn, 'm', 'an integer ≥ 1 (the number of rows)', typeof m === 'number' ? String(m) : m, typeof m === 'number' ? 'range' : 'type');
  }
  if (!isFloat32Array(x)) fail(fn, arg, 'a Float32Array', x, 'type');
  if (x.length < m * width) {
    fail(fn, arg, `${m} rows of ${width} floats (${m * width})`, `${x.length} floats`);
  }
}

/** backward must see the row count of the forward it differentiates (0 = no forward yet). */
export function checkSameBatch(fn: string, m: number, forwardM: number): void {
  if (forwardM === 0) throw new Error(`${fn}: called before forward`);
  if (m !== forwardM) fail(fn, 'm', `${forwardM}, the row count of the last forward`, String(m));
}

export function sizeOfShape(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

/** A per-sample shape handed to build: a non-empty array of positive integers. */
export function checkShape(fn: string, arg: string, shape: unknown): readonly number[] {
  if (!Array.isArray(shape)) fail(fn, arg, 'an array of positive integers (the per-sample shape)', shape, 'type');
  if (shape.length === 0) fail(fn, arg, 'a non-empty per-sample shape', '[]');
  for (let i = 0; i < shape.length; i++) {
    const d: unknown = shape[i];
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 1) {
      fail(fn, arg, 'an array of positive integers (the per-sample shape)', `[${shape.join(', ')}]`);
    }
  }
  return shape as number[];
}
