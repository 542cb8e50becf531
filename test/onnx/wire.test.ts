import { describe, expect, test } from 'vitest';
import { readFields, readFloats, readInts, WireError, Writer } from '../../lib/onnx/wire';

// Expected bytes from the protobuf encoding guide (protobuf.dev/programming-guides/encoding):
// field 1 = 150 is 08 96 01; field 2 = "testing" is 12 07 74 65 73 74 69 6e 67.
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('protobuf wire format', () => {
  test('writes the encoding guide examples', () => {
    expect(hex(new Writer().int(1, 150).finish())).toBe('089601');
    expect(hex(new Writer().string(2, 'testing').finish())).toBe('120774657374696e67');
    expect(hex(new Writer().int(1, 300).finish())).toBe('08ac02');
    // int64 −1: ten bytes of two's complement.
    expect(hex(new Writer().int(1, -1).finish())).toBe('08ffffffffffffffffff01');
    // packed repeated int64 [3, 270, 86942] (the guide's packed example, field 4).
    expect(hex(new Writer().packedInts(4, [3, 270, 86942]).finish())).toBe('2206038e029ea705');
    // float 1.5 = 0x3fc00000, little-endian, wire type 5.
    expect(hex(new Writer().float(2, 1.5).finish())).toBe('150000c03f');
  });

  test('reads back what it writes, nested messages included', () => {
    const bytes = new Writer().int(1, 2 ** 40).int(2, -7).message(3, (m) => m.string(1, 'é').float(2, -0.25)).packedInts(4, [1, 2, 3]).finish();
    const fields = readFields(bytes);
    expect(fields.map((f) => [f.field, f.wireType])).toEqual([[1, 0], [2, 0], [3, 2], [4, 2]]);
    expect(fields[0].num).toBe(2 ** 40);
    expect(fields[1].num).toBe(-7);
    const inner = readFields(fields[2].bytes);
    expect(new TextDecoder().decode(inner[0].bytes)).toBe('é');
    expect(readFloats(inner, 2)).toEqual([-0.25]);
    expect(readInts(fields, 4)).toEqual([1, 2, 3]);
  });

  test('long writes span several chunks', () => {
    const w = new Writer();
    for (let i = 0; i < 1000; i++) w.int(1, i * 1000);
    expect(readInts(readFields(w.finish()), 1)).toEqual(Array.from({ length: 1000 }, (_, i) => i * 1000));
  });

  test('truncated or malformed bytes raise WireError', () => {
    const bytes = new Writer().string(2, 'testing').finish();
    expect(() => readFields(bytes.subarray(0, 5))).toThrow(new WireError('a field of 7 bytes at byte 2 runs past the end (truncated?)'));
    expect(() => readFields(Uint8Array.from([0x08, 0x96]))).toThrow(new WireError('a varint runs past the end (truncated?)'));
    expect(() => readFields(Uint8Array.from([0x0b]))).toThrow(new WireError('wire type 3 (field 1) is not one protobuf writes today'));
    expect(() => readFields(Uint8Array.from([0x15, 0, 0]))).toThrow(new WireError('a 32-bit field runs past the end (truncated?)'));
    expect(() => readFields(Uint8Array.from([0x00]))).toThrow(new WireError('field number 0 at byte 1'));
  });
});
