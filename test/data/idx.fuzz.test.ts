// Property-based tests of the IDX reader (fast-check). A fixed seed keeps CI repeatable; a deeper
// run: FUZZ_RUNS=20000 npx vitest run test/data/idx.fuzz.test.ts (FUZZ_SEED picks another seed).
//   1. Any well-formed file, raw or gzipped, with or without limit, reads back exactly.
//   2. Any damaged file (truncated, extended, bytes flipped, random bytes, a damaged gzip stream)
//      gives a tensor consistent with its header or an error that names the reader; never another
//      kind of failure, and never more memory than the header and the limit allow.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseIdx, readIdx } from '../../lib/data/idx';
import type { Tensor } from '../../lib/tensor';

const runs = Number(process.env.FUZZ_RUNS ?? 1000);
const seed = Number(process.env.FUZZ_SEED ?? 20261201);
const params = { numRuns: runs, seed };

const dir = mkdtempSync(join(tmpdir(), 'blasnet-idx-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;
function writeTemp(bytes: Uint8Array): string {
  const path = join(dir, `f${fileCount++}`);
  writeFileSync(path, bytes);
  return path;
}

interface IdxType {
  code: number;
  bytes: number;
  value: fc.Arbitrary<number>;
  write: (view: DataView, offset: number, v: number) => void;
}
const TYPES: IdxType[] = [
  { code: 0x08, bytes: 1, value: fc.integer({ min: 0, max: 255 }), write: (d, o, v) => d.setUint8(o, v) },
  { code: 0x09, bytes: 1, value: fc.integer({ min: -128, max: 127 }), write: (d, o, v) => d.setInt8(o, v) },
  { code: 0x0b, bytes: 2, value: fc.integer({ min: -32768, max: 32767 }), write: (d, o, v) => d.setInt16(o, v) },
  { code: 0x0c, bytes: 4, value: fc.integer(), write: (d, o, v) => d.setInt32(o, v) },
  { code: 0x0d, bytes: 4, value: fc.float({ noNaN: true }), write: (d, o, v) => d.setFloat32(o, v) },
  { code: 0x0e, bytes: 8, value: fc.double({ noNaN: true }), write: (d, o, v) => d.setFloat64(o, v) },
];

function encode(type: IdxType, dims: number[], values: number[]): Uint8Array {
  const header = 4 + 4 * dims.length;
  const out = new Uint8Array(header + values.length * type.bytes);
  const view = new DataView(out.buffer);
  out[2] = type.code;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  values.forEach((v, i) => type.write(view, header + i * type.bytes, v));
  return out;
}

/** A well-formed file: a type, up to 4 small dimensions, matching values. */
const wellFormed = fc
  .record({ type: fc.constantFrom(...TYPES), dims: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 0, maxLength: 4 }) })
  .chain(({ type, dims }) => {
    const size = dims.reduce((a, b) => a * b, 1);
    return fc.record({ type: fc.constant(type), dims: fc.constant(dims), values: fc.array(type.value, { minLength: size, maxLength: size }) });
  });

function sameFloats(actual: Float32Array, expected: number[]): boolean {
  return actual.length === expected.length && expected.every((v, i) => Object.is(actual[i], Math.fround(v)));
}

/** What a reader may throw for bad input: an Error (RangeError for bad content) naming the reader. */
function expectReaderError(err: unknown, fn: string): void {
  expect(err).toBeInstanceOf(Error);
  expect(err instanceof TypeError).toBe(false);
  expect((err as Error).message.startsWith(`${fn}: `)).toBe(true);
}

describe('IDX reader properties', () => {
  it('reads any well-formed file back exactly (raw, gzipped, with and without limit)', () => {
    fc.assert(
      fc.property(wellFormed, fc.boolean(), fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }), ({ type, dims, values }, gzip, limit) => {
        const bytes = encode(type, dims, values);
        const options = { scale: false, ...(limit === undefined ? {} : { limit }) };
        const count = dims.length === 0 ? 1 : limit === undefined ? dims[0] : Math.min(limit, dims[0]);
        const itemSize = dims.slice(1).reduce((a, b) => a * b, 1);
        const expected = values.slice(0, count * itemSize);
        const shape = dims.length === 0 ? [] : [count, ...dims.slice(1)];
        const parsed = parseIdx(bytes, options);
        expect(parsed.shape).toEqual(shape);
        expect(sameFloats(parsed.data, expected)).toBe(true);
        const read = readIdx(writeTemp(gzip ? gzipSync(bytes) : bytes), options);
        expect(read.shape).toEqual(shape);
        expect(sameFloats(read.data, expected)).toBe(true);
      }),
      params,
    );
  });

  /** A valid file damaged in one of several ways. */
  const damaged = fc.oneof(
    wellFormed.chain(({ type, dims, values }) => {
      const bytes = encode(type, dims, values);
      return fc.oneof(
        fc.integer({ min: 0, max: bytes.length }).map((n) => bytes.slice(0, n)),
        fc.uint8Array({ minLength: 1, maxLength: 16 }).map((extra) => Uint8Array.from([...bytes, ...extra])),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }).map((flips) => {
          const copy = bytes.slice();
          for (const [at, x] of flips) if (copy.length > 0) copy[at % copy.length] ^= x;
          return copy;
        }),
      );
    }),
    fc.uint8Array({ maxLength: 64 }),
    // Random dimensions (up to 2³² − 1) in a valid header over a few bytes of data.
    fc.record({ code: fc.constantFrom(0x08, 0x0c, 0x0e), dims: fc.array(fc.oneof(fc.constant(0), fc.nat()), { minLength: 1, maxLength: 3 }), tail: fc.uint8Array({ maxLength: 32 }) })
      .map(({ code, dims, tail }) => {
        const head = new Uint8Array(4 + 4 * dims.length);
        const view = new DataView(head.buffer);
        head[2] = code;
        head[3] = dims.length;
        dims.forEach((d, i) => view.setUint32(4 + 4 * i, d * 977));
        return Uint8Array.from([...head, ...tail]);
      }),
  );

  it('never fails other than with a reader error on damaged input, and never returns a tensor its header does not describe', () => {
    fc.assert(
      fc.property(damaged, fc.boolean(), fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }), (bytes, gzip, limit) => {
        const options = { maxBytes: 1 << 20, ...(limit === undefined ? {} : { limit }) };
        for (const [fn, read] of [
          ['parseIdx', () => parseIdx(bytes, options)],
          ['readIdx', () => readIdx(writeTemp(gzip ? gzipSync(bytes) : bytes), options)],
        ] as const) {
          let tensor: Tensor | undefined;
          try {
            tensor = read();
          } catch (err) {
            expectReaderError(err, fn);
            continue;
          }
          // Success: the header described exactly what came back.
          const rank = bytes[3];
          const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
          const dims = Array.from({ length: rank }, (_, d) => view.getUint32(4 + 4 * d));
          const count = rank === 0 ? 1 : limit === undefined ? dims[0] : Math.min(limit, dims[0]);
          expect(tensor.shape).toEqual(rank === 0 ? [] : [count, ...dims.slice(1)]);
        }
      }),
      params,
    );
  });

  it('a damaged gzip stream is a reader error, whatever the damage', () => {
    fc.assert(
      fc.property(wellFormed, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 3 }), fc.nat(), ({ type, dims, values }, flips, cut) => {
        const gz = gzipSync(encode(type, dims, values));
        for (const [at, x] of flips) gz[2 + (at % (gz.length - 2))] ^= x; // keep the gzip magic
        const path = writeTemp(gz.subarray(0, Math.max(2, gz.length - (cut % 8))));
        try {
          readIdx(path, { scale: false });
        } catch (err) {
          expectReaderError(err, 'readIdx');
        }
      }),
      params,
    );
  });
});
