import { describe, expect, test } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeSafetensors, encodeSafetensors } from '../../lib/io/safetensors';
import { writeFileAtomic } from '../../lib/io/atomic';

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
