import * as fs from 'node:fs';
import { fail, isUint8Array } from '../validate';

/**
 * The bytes a loader reads: a path's file, whole, or bytes given as they are. `expected` says what
 * the bytes are, for the TypeError a value of another kind gets.
 */
export function readSource(fn: string, source: unknown, expected: string): Uint8Array {
  if (typeof source === 'string') {
    if (source === '') fail(fn, 'source', expected, '""');
    if (!fs.existsSync(source)) throw new Error(`${fn}: no file at ${JSON.stringify(source)}`);
    return fs.readFileSync(source);
  }
  if (isUint8Array(source)) return source;
  return fail(fn, 'source', expected, source, 'type');
}
