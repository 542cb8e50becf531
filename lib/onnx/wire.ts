// The protobuf wire format, as far as ONNX files need it: varints, 32-bit floats, length-delimited
// fields (strings, bytes, nested messages, packed repeated numbers). Written here rather than taken
// from protobufjs (with its generated onnx.proto bindings, ~1 MB installed and a code generator in
// the build) because the whole format is two pages of rules and the ONNX subset blasnet reads and
// writes is eight message types: a hundred lines that blasnet can validate byte by byte.

/** A protobuf writer. Nested messages are encoded into their own Writer first (so their length is
 *  known), then copied in as bytes: simple, and the models are small next to their weights. */
export class Writer {
  private chunks: Uint8Array[] = [];
  private buf = new Uint8Array(256);
  private pos = 0;

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.chunks.push(this.buf.subarray(0, this.pos));
    this.buf = new Uint8Array(Math.max(256, n));
    this.pos = 0;
  }

  /** A varint of a non-negative integer (up to 2^53) or a negative int64 (ten bytes, two's complement). */
  varint(value: number): this {
    this.reserve(10);
    if (value < 0) {
      let v = BigInt.asUintN(64, BigInt(value));
      while (v >= 0x80n) { this.buf[this.pos++] = Number(v & 0x7fn) | 0x80; v >>= 7n; }
      this.buf[this.pos++] = Number(v);
      return this;
    }
    let v = value;
    while (v >= 0x80) { this.buf[this.pos++] = (v % 0x80) | 0x80; v = Math.floor(v / 0x80); }
    this.buf[this.pos++] = v;
    return this;
  }

  private tag(field: number, wireType: number): this {
    return this.varint(field * 8 + wireType);
  }

  int(field: number, value: number): this {
    return this.tag(field, 0).varint(value);
  }

  float(field: number, value: number): this {
    this.tag(field, 5).reserve(4);
    new DataView(this.buf.buffer, this.buf.byteOffset).setFloat32(this.pos, value, true);
    this.pos += 4;
    return this;
  }

  bytes(field: number, data: Uint8Array): this {
    this.tag(field, 2).varint(data.length);
    this.chunks.push(this.buf.subarray(0, this.pos), data);
    this.buf = new Uint8Array(256);
    this.pos = 0;
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, write: (w: Writer) => void): this {
    const inner = new Writer();
    write(inner);
    return this.bytes(field, inner.finish());
  }

  /** Repeated int64 as one packed field. */
  packedInts(field: number, values: readonly number[]): this {
    const inner = new Writer();
    for (const v of values) inner.varint(v);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    const parts = [...this.chunks, this.buf.subarray(0, this.pos)];
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) { out.set(p, at); at += p.length; }
    return out;
  }
}

/** One field as read: a number for varint/fixed fields (fixed32 as its float value), bytes otherwise. */
export interface Field {
  readonly field: number;
  readonly wireType: 0 | 1 | 2 | 5;
  readonly num: number;
  readonly bytes: Uint8Array;
}

const NONE = new Uint8Array(0);

/** Thrown for bytes that are not a well-formed protobuf message; the caller says which message. */
export class WireError extends Error {}

function readVarint(buf: Uint8Array, at: { pos: number }): number {
  let result = 0n;
  for (let shift = 0n; shift < 70n; shift += 7n) {
    if (at.pos >= buf.length) throw new WireError('a varint runs past the end (truncated?)');
    const b = buf[at.pos++];
    result |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) return Number(BigInt.asIntN(64, result));
  }
  throw new WireError('a varint longer than ten bytes');
}

/** Splits a message's bytes into its fields, checking every length against the buffer. */
export function readFields(buf: Uint8Array): Field[] {
  const fields: Field[] = [];
  const at = { pos: 0 };
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  while (at.pos < buf.length) {
    const key = readVarint(buf, at);
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (field < 1) throw new WireError(`field number ${field} at byte ${at.pos}`);
    if (wireType === 0) {
      fields.push({ field, wireType, num: readVarint(buf, at), bytes: NONE });
    } else if (wireType === 5 || wireType === 1) {
      const size = wireType === 5 ? 4 : 8;
      if (at.pos + size > buf.length) throw new WireError(`a ${size * 8}-bit field runs past the end (truncated?)`);
      const num = wireType === 5 ? view.getFloat32(at.pos, true) : view.getFloat64(at.pos, true);
      fields.push({ field, wireType, num, bytes: buf.subarray(at.pos, at.pos + size) });
      at.pos += size;
    } else if (wireType === 2) {
      const len = readVarint(buf, at);
      if (len < 0 || at.pos + len > buf.length) throw new WireError(`a field of ${len} bytes at byte ${at.pos} runs past the end (truncated?)`);
      fields.push({ field, wireType, num: 0, bytes: buf.subarray(at.pos, at.pos + len) });
      at.pos += len;
    } else {
      throw new WireError(`wire type ${wireType} (field ${field}) is not one protobuf writes today`);
    }
  }
  return fields;
}

/** The int64 values of a repeated field, packed or not. */
export function readInts(fields: readonly Field[], field: number): number[] {
  const out: number[] = [];
  for (const f of fields) {
    if (f.field !== field) continue;
    if (f.wireType === 0) { out.push(f.num); continue; }
    if (f.wireType !== 2) throw new WireError(`field ${field} should hold integers`);
    const at = { pos: 0 };
    while (at.pos < f.bytes.length) out.push(readVarint(f.bytes, at));
  }
  return out;
}

/** The float values of a repeated float field, packed or not. */
export function readFloats(fields: readonly Field[], field: number): number[] {
  const out: number[] = [];
  for (const f of fields) {
    if (f.field !== field) continue;
    if (f.wireType === 5) { out.push(f.num); continue; }
    if (f.wireType !== 2 || f.bytes.length % 4 !== 0) throw new WireError(`field ${field} should hold 32-bit floats`);
    const view = new DataView(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength);
    for (let i = 0; i < f.bytes.length; i += 4) out.push(view.getFloat32(i, true));
  }
  return out;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export function asString(f: Field): string {
  if (f.wireType !== 2) throw new WireError(`field ${f.field} should be a string`);
  try {
    return decoder.decode(f.bytes);
  } catch {
    throw new WireError(`field ${f.field} is not valid UTF-8`);
  }
}
