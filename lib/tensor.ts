import { allocFloat32 } from './alloc';
import { checkFloat32Array, checkInt, fail, shapeString } from './validate';

/** A tensor's dimensions, outermost first. */
export type Shape = readonly number[];
type Nested = number | readonly Nested[];

/** The number of elements of a shape, after checking it is an array of integers ≥ 0 (arg names it
 *  in messages, e.g. 'x.shape'). */
export function shapeSize(fn: string, shape: unknown, arg = 'shape'): number {
  if (!Array.isArray(shape)) fail(fn, arg, 'an array of non-negative integers', shape, 'type');
  let size = 1;
  for (let i = 0; i < shape.length; i++) size *= checkInt(fn, `${arg}[${i}]`, shape[i], 0);
  return size;
}

/** The number of elements of a shape already known to be valid (no checks: hot paths use it). */
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

function flatten(fn: string, values: Nested, out: number[], shape: number[], depth: number): void {
  if (typeof values === 'number') {
    if (depth !== shape.length) fail(fn, 'values', `a ragged-free nested array of shape ${shapeString(shape)}`, 'a number where an array was expected');
    out.push(values);
    return;
  }
  if (!Array.isArray(values)) fail(fn, 'values', 'numbers or nested arrays of numbers', values, 'type');
  if (depth === shape.length) shape.push(values.length);
  else if (shape[depth] !== values.length) {
    fail(fn, 'values', `rows of length ${shape[depth]} at depth ${depth}`, `a row of length ${values.length}`);
  }
  for (const v of values) flatten(fn, v, out, shape, depth + 1);
}

/**
 * A row-major Float32Array with a shape. Views (reshape, row, rows) share memory with their source;
 * nothing needs disposing — the garbage collector owns every buffer.
 */
export class Tensor {
  readonly data: Float32Array;
  readonly shape: Shape;

  /** Wraps data without copying; data.length must equal the product of shape. */
  constructor(data: Float32Array, shape: Shape) {
    checkFloat32Array('Tensor', 'data', data);
    const size = shapeSize('Tensor', shape);
    if (size !== data.length) fail('Tensor', 'data', `length ${size} for shape ${shapeString(shape)}`, `length ${data.length}`);
    this.data = data;
    this.shape = Object.freeze([...shape]);
  }

  /** A new tensor of the shape, filled with zeros. */
  static zeros(shape: Shape): Tensor {
    return new Tensor(allocFloat32(shapeSize('Tensor.zeros', shape)), shape);
  }

  /** Copies nested arrays (e.g. [[0, 1], [1, 0]]) or a flat array with an explicit shape. */
  static from(values: Nested | ArrayLike<number>, shape?: Shape): Tensor {
    if (shape !== undefined) {
      const size = shapeSize('Tensor.from', shape);
      const flat = ArrayBuffer.isView(values) || Array.isArray(values) ? (values as ArrayLike<number>) : null;
      if (flat === null) fail('Tensor.from', 'values', 'an array or typed array', values, 'type');
      if (flat.length !== size) fail('Tensor.from', 'values', `${size} numbers for shape ${shapeString(shape)}`, `${flat.length}`);
      const data = allocFloat32(size);
      for (let i = 0; i < size; i++) {
        if (typeof flat[i] !== 'number') fail('Tensor.from', `values[${i}]`, 'a number', flat[i], 'type');
        data[i] = flat[i];
      }
      return new Tensor(data, shape);
    }
    const out: number[] = [];
    const inferred: number[] = [];
    flatten('Tensor.from', values as Nested, out, inferred, 0);
    const data = allocFloat32(out.length);
    data.set(out);
    return new Tensor(data, inferred);
  }

  /** Wraps an existing Float32Array (no copy): writes through the tensor are seen by the array. */
  static fromFloat32Array(data: Float32Array, shape?: Shape): Tensor {
    return new Tensor(data, shape ?? [data.length]);
  }

  /** The number of elements. */
  get size(): number {
    return this.data.length;
  }

  /** The number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** A view with another shape of the same size; one dimension may be -1 (inferred). */
  reshape(shape: Shape): Tensor {
    if (!Array.isArray(shape)) fail('Tensor.reshape', 'shape', 'an array of integers', shape, 'type');
    const inferAt = shape.indexOf(-1);
    let known = 1;
    shape.forEach((d, i) => { if (i !== inferAt) known *= checkInt('Tensor.reshape', `shape[${i}]`, d, 0); });
    const resolved = [...shape];
    if (inferAt >= 0) {
      if (known === 0 || this.size % known !== 0) fail('Tensor.reshape', 'shape', `a shape whose size divides ${this.size}`, shapeString(shape));
      resolved[inferAt] = this.size / known;
    }
    const size = shapeSize('Tensor.reshape', resolved);
    if (size !== this.size) {
      fail('Tensor.reshape', 'shape', `a shape of size ${this.size} (as ${shapeString(this.shape)})`, `${shapeString(shape)} of size ${size}`);
    }
    return new Tensor(this.data, resolved);
  }

  /** Row i of the first dimension, as a view. */
  row(i: number): Tensor {
    return this.rows(i, i + 1).reshape(this.shape.slice(1));
  }

  /** Rows [start, end) of the first dimension, as a view. */
  rows(start: number, end: number): Tensor {
    if (this.rank === 0) fail('Tensor.rows', 'tensor', 'rank ≥ 1', 'a scalar');
    const n = this.shape[0];
    checkInt('Tensor.rows', 'start', start, 0, n);
    checkInt('Tensor.rows', 'end', end, start, n);
    const stride = n === 0 ? 0 : this.size / n;
    return new Tensor(this.data.subarray(start * stride, end * stride), [end - start, ...this.shape.slice(1)]);
  }

  private offset(fn: string, index: readonly number[]): number {
    if (index.length !== this.rank) fail(fn, 'index', `${this.rank} indices for shape ${shapeString(this.shape)}`, `${index.length}`);
    let off = 0;
    for (let d = 0; d < index.length; d++) off = off * this.shape[d] + checkInt(fn, `index[${d}]`, index[d], 0, this.shape[d] - 1);
    return off;
  }

  /** The element at the index (one number per dimension). */
  get(...index: number[]): number {
    return this.data[this.offset('Tensor.get', index)];
  }

  /** Writes value at the index (one number per dimension). */
  set(value: number, ...index: number[]): void {
    if (typeof value !== 'number') fail('Tensor.set', 'value', 'a number', value, 'type');
    this.data[this.offset('Tensor.set', index)] = value;
  }

  /** A deep copy that owns its memory. */
  clone(): Tensor {
    const data = allocFloat32(this.size);
    data.set(this.data);
    return new Tensor(data, this.shape);
  }

  /** Nested plain arrays (for printing and JSON). */
  toArray(): Nested {
    const build = (dim: number, off: number): Nested => {
      if (dim === this.rank) return this.data[off];
      const stride = this.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
      return Array.from({ length: this.shape[dim] }, (_, i) => build(dim + 1, off + i * stride));
    };
    return build(0, 0);
  }

  /** 'Tensor(shape)'. */
  toString(): string {
    return `Tensor(${shapeString(this.shape)})`;
  }
}
