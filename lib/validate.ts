// One place for argument checks. Two kinds of error, as users expect from Node APIs:
// TypeError for the wrong kind of value, RangeError for a wrong value or shape. Every message
// names the function, the argument, what was expected and what was received.

// %TypedArray%.prototype[Symbol.toStringTag] reads a typed array's internal type; for anything
// else (a Proxy around one, an object that only borrows Float32Array.prototype) it gives undefined
// where `instanceof` would say yes and V8 would later throw "incompatible receiver".
const TypedArray = Object.getPrototypeOf(Uint8Array) as { prototype: object; [Symbol.hasInstance](v: unknown): boolean };
const typedArrayTag = Object.getOwnPropertyDescriptor(TypedArray.prototype, Symbol.toStringTag)!.get!;

/** 'Float32Array', 'Int32Array', … for a real typed array (of any realm); undefined otherwise. */
export function typedArrayKind(value: unknown): string | undefined {
  return typedArrayTag.call(value) as string | undefined;
}

export function isFloat32Array(value: unknown): value is Float32Array {
  return typedArrayKind(value) === 'Float32Array';
}

export function isInt32Array(value: unknown): value is Int32Array {
  return typedArrayKind(value) === 'Int32Array';
}

export function isUint8Array(value: unknown): value is Uint8Array {
  return typedArrayKind(value) === 'Uint8Array';
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `Array(${value.length})`;
  if (value instanceof TypedArray && typedArrayKind(value) === undefined) {
    return `an object posing as a ${(value as object).constructor?.name ?? 'typed array'} (a Proxy or a borrowed prototype, not a real typed array)`;
  }
  if (ArrayBuffer.isView(value)) {
    const name = value.constructor.name;
    return 'length' in value ? `${name}(${(value as unknown as { length: number }).length})` : name;
  }
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}

export function shapeString(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

export function fail(fn: string, arg: string, expected: string, received: unknown, kind: 'type' | 'range' = 'range'): never {
  const got = typeof received === 'string' && kind === 'range' ? received : describe(received);
  const msg = `${fn}: expected ${arg} to be ${expected}, received ${got}`;
  throw kind === 'type' ? new TypeError(msg) : new RangeError(msg);
}

export function checkFloat32Array(fn: string, arg: string, value: unknown, minLength = 0): Float32Array {
  if (!isFloat32Array(value)) fail(fn, arg, 'a Float32Array', value, 'type');
  if (value.buffer.byteLength === 0 && value.length === 0 && minLength > 0) {
    fail(fn, arg, `a Float32Array of length ≥ ${minLength} (is its buffer detached?)`, `length 0`);
  }
  if (value.length < minLength) fail(fn, arg, `a Float32Array of length ≥ ${minLength}`, `length ${value.length}`);
  return value;
}

export function checkInt32Array(fn: string, arg: string, value: unknown, minLength = 0): Int32Array {
  if (!isInt32Array(value)) fail(fn, arg, 'an Int32Array', value, 'type');
  if (value.length < minLength) fail(fn, arg, `an Int32Array of length ≥ ${minLength}`, `length ${value.length}`);
  return value;
}

export function checkNumber(fn: string, arg: string, value: unknown): number {
  if (typeof value !== 'number') fail(fn, arg, 'a number', value, 'type');
  if (!Number.isFinite(value)) fail(fn, arg, 'a finite number', String(value));
  return value;
}

export function checkInt(fn: string, arg: string, value: unknown, min = 0, max = 2 ** 31 - 1): number {
  if (typeof value !== 'number') fail(fn, arg, 'an integer', value, 'type');
  if (!Number.isInteger(value) || value < min || value > max) {
    fail(fn, arg, max === 2 ** 31 - 1 ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`, String(value));
  }
  return value;
}

/** A finite number ≥ 0 (a rate, a decay, a penalty weight). */
export function checkNonNegative(fn: string, arg: string, value: unknown): number {
  checkNumber(fn, arg, value);
  if ((value as number) < 0) fail(fn, arg, 'a number ≥ 0', String(value));
  return value as number;
}

/** A finite number > 0 (an epsilon, a clipping limit, a decay factor). */
export function checkPositive(fn: string, arg: string, value: unknown): number {
  checkNumber(fn, arg, value);
  if ((value as number) <= 0) fail(fn, arg, 'a number > 0', String(value));
  return value as number;
}

/** A number in [lo, hi] (or [lo, hi) when hiOpen). */
export function checkRange(fn: string, arg: string, value: unknown, lo: number, hi: number, hiOpen = false): number {
  checkNumber(fn, arg, value);
  const v = value as number;
  if (v < lo || (hiOpen ? v >= hi : v > hi)) fail(fn, arg, `a number in [${lo}, ${hi}${hiOpen ? ')' : ']'}`, String(v));
  return v;
}

export function checkBoolean(fn: string, arg: string, value: unknown): boolean {
  if (typeof value !== 'boolean') fail(fn, arg, 'a boolean', value, 'type');
  return value;
}

export function checkOneOf<T extends string>(fn: string, arg: string, value: unknown, options: readonly T[]): T {
  if (typeof value !== 'string') fail(fn, arg, `one of ${options.map((o) => `'${o}'`).join(', ')}`, value, 'type');
  if (!(options as readonly string[]).includes(value)) {
    fail(fn, arg, `one of ${options.map((o) => `'${o}'`).join(', ')}`, JSON.stringify(value));
  }
  return value as T;
}

/** Throws a RangeError naming the first NaN or ±Infinity in x: by row and column when x holds rows
 *  of `width` values, by index otherwise. */
export function checkFinite(fn: string, arg: string, x: Float32Array, width = 0): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v - v !== 0) {
      const at = width > 0 ? `row ${Math.floor(i / width)}, column ${i % width}` : `index ${i}`;
      fail(fn, arg, 'finite values only', `${v} at ${at}`);
    }
  }
}

/**
 * Checks that `options` is undefined or a plain object whose keys are all in `allowed`, so a typo
 * such as `learningRate` for `lr` is an error instead of a silently ignored setting. `noun` is how
 * the message calls a key ('option' for settings, 'key' for a config record).
 */
export function checkOptions<T extends object>(fn: string, arg: string, options: unknown, allowed: readonly string[],
  noun: 'option' | 'key' = 'option'): Partial<T> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) fail(fn, arg, 'an options object', options, 'type');
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) fail(fn, arg, `${noun}s among ${allowed.join(', ')}`, `unknown ${noun} '${key}'`);
  }
  return options as Partial<T>;
}

/**
 * Every value an integer class index in [0, n) (any integer ≥ 0 when n is undefined). `usage` ends
 * the expectation with what the labels are for (" for loss 'softmaxCrossentropy'"). One pass over
 * whole data sets, never per step.
 */
export function checkClassLabels(fn: string, arg: string, labels: ArrayLike<unknown>, n?: number, usage = ''): void {
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (typeof v !== 'number') fail(fn, `${arg}[${i}]`, 'a number', v, 'type');
    if (!Number.isInteger(v) || v < 0 || (n !== undefined && v >= n)) {
      fail(fn, `${arg}[${i}]`, n === undefined ? 'a non-negative integer class index' : `an integer class index in [0, ${n - 1}]${usage}`, String(v));
    }
  }
}
