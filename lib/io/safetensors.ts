import { allocFloat32 } from '../alloc';
import { fail } from '../validate';

// The safetensors format, so other tools (Python's safetensors, PyTorch, candle) can read blasnet's
// weights: an 8-byte little-endian header length N, N bytes of JSON
// {name: {dtype, shape, data_offsets: [begin, end]}, __metadata__: {string: string}}, then the raw
// little-endian data. blasnet only writes F32.

/** A float32 tensor as safetensors stores it: a shape and row-major data. */
export interface NamedTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** What a safetensors file holds: named tensors and string metadata. */
export interface SafetensorsContent {
  tensors: Map<string, NamedTensor>;
  metadata: Record<string, string>;
}

const MAX_HEADER = 100 * 1024 * 1024;

/** Encodes float32 tensors and string metadata in the safetensors format. */
export function encodeSafetensors(tensors: ReadonlyMap<string, NamedTensor>, metadata: Record<string, string> = {}): Buffer {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [name, t] of tensors) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (size !== t.data.length) fail('encodeSafetensors', `tensor '${name}'`, `${size} values for shape [${t.shape.join(', ')}]`, `${t.data.length}`);
    header[name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + 4 * size] };
    offset += 4 * size;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8); // keeps the data 8-byte aligned
  const headerBytes = Buffer.from(json, 'utf8');
  const out = Buffer.allocUnsafe(8 + headerBytes.length + offset);
  out.writeBigUInt64LE(BigInt(headerBytes.length), 0);
  headerBytes.copy(out, 8);
  let at = 8 + headerBytes.length;
  for (const t of tensors.values()) {
    const bytes = Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    if (isLittleEndian) bytes.copy(out, at);
    else for (let i = 0; i < t.data.length; i++) out.writeFloatLE(t.data[i], at + 4 * i);
    at += bytes.length;
  }
  return out;
}

const isLittleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function corrupt(what: string): never {
  throw new RangeError(`decodeSafetensors: not a valid safetensors file (${what})`);
}

/** Reads a safetensors file's tensors (float32 only) and metadata; a malformed file is an error naming what is wrong. */
export function decodeSafetensors(buf: Uint8Array): SafetensorsContent {
  if (!(buf instanceof Uint8Array)) fail('decodeSafetensors', 'buf', 'a Buffer or Uint8Array', buf, 'type');
  if (buf.length < 8) corrupt(`${buf.length} bytes is shorter than the 8-byte header length`);
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const headerLen = Number(view.readBigUInt64LE(0));
  if (headerLen > MAX_HEADER || 8 + headerLen > buf.length) corrupt(`header of ${headerLen} bytes in a ${buf.length}-byte file: truncated?`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(view.toString('utf8', 8, 8 + headerLen));
  } catch {
    corrupt('its header is not JSON');
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) corrupt('its header is not a JSON object');
  const dataStart = 8 + headerLen;
  const dataLen = buf.length - dataStart;
  const tensors = new Map<string, NamedTensor>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') { metadata = entry as Record<string, string>; continue; }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (e.dtype !== 'F32') corrupt(`tensor '${name}' has dtype ${JSON.stringify(e.dtype)}; blasnet reads F32`);
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0)) corrupt(`tensor '${name}' has a bad shape`);
    const offs = e.data_offsets;
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isInteger(o) && o >= 0)) corrupt(`tensor '${name}' has bad data_offsets`);
    const [begin, end] = offs as number[];
    const size = (e.shape as number[]).reduce((a, b) => a * b, 1);
    if (end - begin !== 4 * size) corrupt(`tensor '${name}' spans ${end - begin} bytes, its shape needs ${4 * size}`);
    if (end > dataLen) corrupt(`tensor '${name}' ends at byte ${end} but the data has ${dataLen}: truncated?`);
    const data = allocFloat32(size);
    if (isLittleEndian) view.copy(new Uint8Array(data.buffer), 0, dataStart + begin, dataStart + end);
    else for (let i = 0; i < size; i++) data[i] = view.readFloatLE(dataStart + begin + 4 * i);
    tensors.set(name, { shape: e.shape as number[], data });
  }
  return { tensors, metadata };
}
