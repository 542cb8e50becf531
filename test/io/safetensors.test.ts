import { describe, expect, test } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeSafetensors, encodeSafetensors } from '../../lib/io/safetensors';
import { writeFileAtomic } from '../../lib/io/atomic';
import { expectError } from '../helpers/errors';

describe('safetensors', () => {
  test('matches the format byte for byte on a hand-built example', () => {
    const buf = encodeSafetensors(new Map([['w', { shape: [2], data: new Float32Array([1, -2]) }]]), { k: 'v' });
    const headerLen = Number(buf.readBigUInt64LE(0));
    expect((8 + headerLen) % 8).toBe(0);
    const header = JSON.parse(buf.toString('utf8', 8, 8 + headerLen));
    expect(header).toEqual({ __metadata__: { k: 'v' }, w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } });
    // 1.0f = 0x3f800000 and -2.0f = 0xc0000000, little-endian
    expect([...buf.subarray(8 + headerLen)]).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]);
  });

  test('round-trips several tensors and metadata exactly', () => {
    const a = new Float32Array([0.1, 0.2, 0.3, 1e-30, -7, 3.5]);
    const b = new Float32Array(10).map((_, i) => Math.sin(i));
    const decoded = decodeSafetensors(encodeSafetensors(new Map([['a', { shape: [2, 3], data: a }], ['b.c', { shape: [10], data: b }]]), { x: '{"y":1}' }));
    expect(decoded.metadata).toEqual({ x: '{"y":1}' });
    expect(decoded.tensors.get('a')!.shape).toEqual([2, 3]);
    expect(decoded.tensors.get('a')!.data).toEqual(a);
    expect(decoded.tensors.get('b.c')!.data).toEqual(b);
  });

  test('rejects truncated and corrupted files with a clear RangeError', () => {
    const good = encodeSafetensors(new Map([['w', { shape: [4], data: new Float32Array(4) }]]));
    expect(() => decodeSafetensors(good.subarray(0, 5))).toThrow(RangeError);
    expect(() => decodeSafetensors(good.subarray(0, good.length - 4))).toThrow(/ends at byte 16 but the data has 12: truncated/);
    const badJson = Buffer.from(good);
    badJson[8] = 0x7a; // 'z' where '{' was
    expect(() => decodeSafetensors(badJson)).toThrow(/header is not JSON/);
    const huge = Buffer.from(good);
    huge.writeBigUInt64LE(1n << 40n, 0);
    expect(() => decodeSafetensors(huge)).toThrow(/truncated\?/);
    expect(() => decodeSafetensors('nope' as unknown as Uint8Array)).toThrow(TypeError);
  });
});

describe('writeFileAtomic', () => {
  test('replaces the file and leaves no temporary file behind', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blasnet-atomic-'));
    const file = path.join(dir, 'sub', 'x.bin');
    writeFileAtomic(file, 'first');
    writeFileAtomic(file, 'second');
    expect(fs.readFileSync(file, 'utf8')).toBe('second');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['x.bin']);
  });

  test('a failed write leaves the previous version intact', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blasnet-atomic-'));
    const file = path.join(dir, 'x.bin');
    writeFileAtomic(file, 'previous');
    expect(() => writeFileAtomic(file, 42 as unknown as string)).toThrow();
    expect(fs.readFileSync(file, 'utf8')).toBe('previous');
    expect(fs.readdirSync(dir)).toEqual(['x.bin']);
  });
});

/** A file from a header object and raw data bytes, padded like encodeSafetensors pads (or not). */
function raw(header: unknown, data: number[] | Uint8Array = [], headerLenDelta = 0): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const out = Buffer.alloc(8 + json.length + data.length);
  out.writeBigUInt64LE(BigInt(json.length + headerLenDelta), 0);
  json.copy(out, 8);
  Buffer.from(data).copy(out, 8 + json.length);
  return out;
}

const f32 = (shape: number[], begin: number, end: number) => ({ dtype: 'F32', shape, data_offsets: [begin, end] });
const bytes = (n: number) => Array.from({ length: n }, (_, i) => i);
const prefix = 'decodeSafetensors: not a valid safetensors file';

describe('safetensors layout, checked strictly before anything is allocated', () => {
  test('a header length a few bytes short or long, or not UTF-8, is refused', () => {
    const good = encodeSafetensors(new Map([['w', { shape: [2], data: new Float32Array([1, 2]) }]]), { k: 'v' });
    const headerLen = Number(good.readBigUInt64LE(0));
    const short = Buffer.from(good);
    short.writeBigUInt64LE(BigInt(headerLen - 3), 0);
    expect(() => decodeSafetensors(short)).toThrow(`${prefix} (its header is not JSON)`);
    const long = Buffer.from(good);
    long.writeBigUInt64LE(BigInt(headerLen + 2), 0); // two zero bytes of the data: valid UTF-8, not JSON
    expect(() => decodeSafetensors(long)).toThrow(`${prefix} (its header is not JSON)`);
    // Short by exactly the padding: the JSON still parses, the data section then starts early.
    const padded = raw({ w: f32([1], 0, 4) }, bytes(4));
    const spaced = Buffer.concat([padded.subarray(0, 8 + padded.readUInt32LE(0)), Buffer.from('   '), padded.subarray(8 + padded.readUInt32LE(0))]);
    spaced.writeBigUInt64LE(BigInt(padded.readUInt32LE(0) + 3), 0);
    expect(decodeSafetensors(spaced).tensors.get('w')!.data.length).toBe(1);
    spaced.writeBigUInt64LE(BigInt(padded.readUInt32LE(0) + 1), 0);
    expect(() => decodeSafetensors(spaced)).toThrow(`${prefix} (2 bytes after the last tensor)`);
    const latin1 = raw({ w: f32([0], 0, 0) });
    latin1[12] = 0xff;
    expect(() => decodeSafetensors(latin1)).toThrow(`${prefix} (its header is not UTF-8 text)`);
  });

  test('a header that is not an object, and null or non-string metadata, are named', () => {
    expectError(() => decodeSafetensors(raw(null)), RangeError, `${prefix} (its header is not a JSON object)`);
    expectError(() => decodeSafetensors(raw([1, 2])), RangeError, `${prefix} (its header is not a JSON object)`);
    expectError(() => decodeSafetensors(raw({ __metadata__: null })), RangeError, `${prefix} (its __metadata__ is null, expected an object of strings)`);
    expectError(() => decodeSafetensors(raw({ __metadata__: { a: 1 } })), RangeError, `${prefix} (its __metadata__ entry 'a' is not a string)`);
  });

  test('null, incomplete or foreign tensor entries are named', () => {
    expectError(() => decodeSafetensors(raw({ w: null })), RangeError, `${prefix} (tensor 'w' is null, expected an object { dtype, shape, data_offsets })`);
    expectError(() => decodeSafetensors(raw({ w: { dtype: 'F32', shape: [0] } })), RangeError,
      `${prefix} (tensor 'w' has the keys [dtype, shape], expected [data_offsets, dtype, shape])`);
    expectError(() => decodeSafetensors(raw({ w: { ...f32([0], 0, 0), extra: 1 } })), RangeError,
      `${prefix} (tensor 'w' has the keys [data_offsets, dtype, extra, shape], expected [data_offsets, dtype, shape])`);
    expectError(() => decodeSafetensors(raw({ w: { ...f32([1], 0, 2), dtype: 'F16' } }, bytes(2))), RangeError, `${prefix} (tensor 'w' has dtype "F16"; blasnet reads F32)`);
    expectError(() => decodeSafetensors(raw({ w: { ...f32([1], 0, 4), dtype: 'F99' } }, bytes(4))), RangeError, `${prefix} (tensor 'w' has the unknown dtype "F99")`);
    expectError(() => decodeSafetensors(raw({ w: f32([-1], 0, 4) }, bytes(4))), RangeError, `${prefix} (tensor 'w' has a bad shape [-1])`);
    expectError(() => decodeSafetensors(raw({ w: f32([1.5], 0, 4) }, bytes(4))), RangeError, `${prefix} (tensor 'w' has a bad shape [1.5])`);
    expectError(() => decodeSafetensors(raw({ w: { ...f32([1], 0, 4), data_offsets: [0] } }, bytes(4))), RangeError, `${prefix} (tensor 'w' has bad data_offsets [0])`);
  });

  test('offsets must be aligned, in order, contiguous, inside the data and cover it all', () => {
    expectError(() => decodeSafetensors(raw({ w: f32([1], 4, 0) }, bytes(4))), RangeError, `${prefix} (tensor 'w' has data_offsets [4, 0] that end before they begin)`);
    expectError(() => decodeSafetensors(raw({ w: f32([2], 0, 4) }, bytes(4))), RangeError, `${prefix} (tensor 'w' spans 4 bytes, its shape needs 8)`);
    expectError(() => decodeSafetensors(raw({ a: f32([1], 0, 4), w: f32([1], 6, 10) }, bytes(10))), RangeError,
      `${prefix} (tensor 'w' begins at byte 6, not aligned to its 4-byte values)`);
    expectError(() => decodeSafetensors(raw({ a: f32([2], 0, 8), b: f32([2], 4, 12) }, bytes(12))), RangeError,
      `${prefix} (tensor 'b' at bytes [4, 12) overlaps the tensor before it, which ends at 8)`);
    expectError(() => decodeSafetensors(raw({ a: f32([1], 0, 4), b: f32([1], 8, 12) }, bytes(12))), RangeError,
      `${prefix} (4 bytes at [4, 8) belong to no tensor)`);
    expectError(() => decodeSafetensors(raw({ a: f32([1], 4, 8), b: f32([1], 8, 12) }, bytes(12))), RangeError,
      `${prefix} (4 bytes at [0, 4) belong to no tensor)`);
    expectError(() => decodeSafetensors(raw({ a: f32([1], 0, 4) }, bytes(8))), RangeError, `${prefix} (4 bytes after the last tensor)`);
    expectError(() => decodeSafetensors(raw({ a: f32([1], 0, 4), b: f32([1], 0, 4) }, bytes(4))), RangeError,
      `${prefix} (tensor 'b' at bytes [0, 4) overlaps the tensor before it, which ends at 4)`);
    // Order in the header is free; zero-size tensors take no bytes.
    const ok = decodeSafetensors(raw({ b: f32([1], 4, 8), e: f32([0, 3], 4, 4), a: f32([1], 0, 4) }, [0, 0, 0x80, 0x3f, 0, 0, 0, 0x40]));
    expect([...ok.tensors.keys()]).toEqual(['b', 'e', 'a']);
    expect([ok.tensors.get('a')!.data[0], ok.tensors.get('b')!.data[0]]).toEqual([1, 2]);
  });
});
