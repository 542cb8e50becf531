import { Tensor } from '../tensor';
import { fail, shapeString } from '../validate';

/** x must be a rank-2 Tensor ([rows, cols]); when cols is given, with exactly that many columns. */
export function checkMatrix(fn: string, arg: string, x: unknown, cols?: number): Tensor {
  if (!(x instanceof Tensor)) fail(fn, arg, 'a Tensor of shape [rows, columns]', x, 'type');
  if (x.rank !== 2) fail(fn, arg, 'a Tensor of shape [rows, columns]', `shape ${shapeString(x.shape)}`);
  if (cols !== undefined && x.shape[1] !== cols) fail(fn, arg, `a Tensor of shape [rows, ${cols}]`, `shape ${shapeString(x.shape)}`);
  return x;
}

export function checkObject(fn: string, arg: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(fn, arg, 'an object', value, 'type');
  return value as Record<string, unknown>;
}

/** An array of finite numbers of the given length (for restoring saved statistics). */
export function checkNumberList(fn: string, arg: string, value: unknown, length?: number): number[] {
  if (!Array.isArray(value)) fail(fn, arg, 'an array of numbers', value, 'type');
  if (length !== undefined && value.length !== length) fail(fn, arg, `an array of ${length} numbers`, `Array(${value.length})`);
  value.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(fn, `${arg}[${i}]`, 'a finite number', v, typeof v === 'number' ? 'range' : 'type');
  });
  return value as number[];
}
