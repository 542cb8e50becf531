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
  /** The data section (every tensor's bytes, end to end), a view of the input. */
  data: Uint8Array;
  /** With { otherDtypes: 'skip' }: the dtype of each tensor left out because it is not F32. */
  skipped: Map<string, string>;
}

/** Options of {@link decodeSafetensors}. */
export interface DecodeOptions {
  /** What a tensor of another dtype than F32 does: 'error' (default) or 'skip' (listed in skipped;
   *  PyTorch files carry I64 counters such as batch norm's num_batches_tracked). */
  otherDtypes?: 'error' | 'skip';
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

/** Whether this machine stores floats little-endian, as safetensors does (then bytes copy as they are). */
export const isLittleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Bytes per value of each dtype the safetensors format defines (blasnet reads F32 only). */
const DTYPE_BYTES: Record<string, number> = {
  BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, I16: 2, U16: 2, F16: 2, BF16: 2, I32: 4, U32: 4, F32: 4, F64: 8, I64: 8, U64: 8,
};
const ENTRY_KEYS = ['data_offsets', 'dtype', 'shape'];

function corrupt(what: string): never {
  throw new RangeError(`decodeSafetensors: not a valid safetensors file (${what})`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

interface Entry {
  name: string;
  dtype: string;
  shape: number[];
  size: number;
  begin: number;
  end: number;
}

/** One header entry, checked whole: a tensor whose shape matches its aligned byte range (F32 unless skipOthers). */
function checkEntry(name: string, entry: unknown, dataLen: number, skipOthers: boolean): Entry {
  if (!isObject(entry)) corrupt(`tensor '${name}' is ${JSON.stringify(entry)}, expected an object { dtype, shape, data_offsets }`);
  const keys = Object.keys(entry).sort();
  if (keys.join() !== ENTRY_KEYS.join()) corrupt(`tensor '${name}' has the keys [${keys.join(', ')}], expected [${ENTRY_KEYS.join(', ')}]`);
  const { dtype, shape, data_offsets: offs } = entry;
  if (typeof dtype !== 'string' || DTYPE_BYTES[dtype] === undefined) corrupt(`tensor '${name}' has the unknown dtype ${JSON.stringify(dtype)}`);
  if (dtype !== 'F32' && !skipOthers) corrupt(`tensor '${name}' has dtype ${JSON.stringify(dtype)}; blasnet reads F32`);
  const bytes = DTYPE_BYTES[dtype];
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) corrupt(`tensor '${name}' has a bad shape ${JSON.stringify(shape)}`);
  let size = 1;
  for (const d of shape as number[]) size *= d;
  if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    corrupt(`tensor '${name}' has bad data_offsets ${JSON.stringify(offs)}`);
  }
  const [begin, end] = offs as number[];
  if (end < begin) corrupt(`tensor '${name}' has data_offsets [${begin}, ${end}] that end before they begin`);
  if (end - begin !== bytes * size) corrupt(`tensor '${name}' spans ${end - begin} bytes, its shape needs ${bytes * size}`);
  if (begin % bytes !== 0) corrupt(`tensor '${name}' begins at byte ${begin}, not aligned to its ${bytes}-byte values`);
  if (end > dataLen) corrupt(`tensor '${name}' ends at byte ${end} but the data has ${dataLen}: truncated?`);
  return { name, dtype, shape: shape as number[], size, begin, end };
}

/** The data must be the tensors end to end in offset order: no gap, no overlap, nothing after. */
function checkLayout(entries: readonly Entry[], dataLen: number): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const e of sorted) {
    if (e.begin < at) corrupt(`tensor '${e.name}' at bytes [${e.begin}, ${e.end}) overlaps the tensor before it, which ends at ${at}`);
    if (e.begin > at) corrupt(`${e.begin - at} bytes at [${at}, ${e.begin}) belong to no tensor`);
    at = e.end;
  }
  if (at !== dataLen) corrupt(`${dataLen - at} bytes after the last tensor`);
}

/**
 * Reads a safetensors file, checked strictly before anything is allocated: a sane header length
 * inside the file, a UTF-8 JSON object, string metadata, well-formed F32 entries whose byte ranges
 * are aligned, tile the data section in order and end where the file ends.
 */
export function decodeSafetensors(buf: Uint8Array, options: DecodeOptions = {}): SafetensorsContent {
  if (!(buf instanceof Uint8Array)) fail('decodeSafetensors', 'buf', 'a Buffer or Uint8Array', buf, 'type');
  const skipOthers = options.otherDtypes === 'skip';
  if (buf.length < 8) corrupt(`${buf.length} bytes is shorter than the 8-byte header length`);
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const declared = view.readBigUInt64LE(0);
  if (declared > BigInt(MAX_HEADER) || 8n + declared > BigInt(buf.length)) corrupt(`header of ${declared} bytes in a ${buf.length}-byte file: truncated?`);
  const headerLen = Number(declared);
  let text: string;
  try {
    text = utf8.decode(view.subarray(8, 8 + headerLen));
  } catch {
    corrupt('its header is not UTF-8 text');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch {
    corrupt('its header is not JSON');
  }
  if (!isObject(header)) corrupt('its header is not a JSON object');
  const dataStart = 8 + headerLen;
  const dataLen = buf.length - dataStart;
  let metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name !== '__metadata__') { entries.push(checkEntry(name, entry, dataLen, skipOthers)); continue; }
    if (!isObject(entry)) corrupt(`its __metadata__ is ${JSON.stringify(entry)}, expected an object of strings`);
    const bad = Object.keys(entry).find((k) => typeof entry[k] !== 'string');
    if (bad !== undefined) corrupt(`its __metadata__ entry '${bad}' is not a string`);
    metadata = entry as Record<string, string>;
  }
  checkLayout(entries, dataLen);
  const tensors = new Map<string, NamedTensor>();
  const skipped = new Map<string, string>();
  for (const { name, dtype, shape, size, begin, end } of entries) {
    if (dtype !== 'F32') { skipped.set(name, dtype); continue; }
    const data = allocFloat32(size);
    if (isLittleEndian) view.copy(new Uint8Array(data.buffer), 0, dataStart + begin, dataStart + end);
    else for (let i = 0; i < size; i++) data[i] = view.readFloatLE(dataStart + begin + 4 * i);
    tensors.set(name, { shape, data });
  }
  return { tensors, metadata, data: view.subarray(dataStart), skipped };
}
