// Reader for the IDX format (LeCun's MNIST files): a 4-byte magic number 0x00 0x00 <type> <rank>,
// then <rank> big-endian uint32 dimensions, then the values in row-major order, big-endian.
// Files may be gzipped (detected by the 1f 8b magic), which is how MNIST and Fashion-MNIST ship.

import { allocFloat32 } from '../alloc';
import { Tensor } from '../tensor';
import { checkBoolean, checkInt, checkPositive, fail, isUint8Array } from '../validate';
import { memorySource, openByteSource, type ByteSource } from './byte-prefix';

/** How to read an IDX file. */
export interface IdxOptions {
  /** Divide unsigned-byte values by 255 (pixels to [0, 1]). Default: true for files of rank ≥ 2
   *  (images), false for rank 1 (labels keep their class index). Only valid for unsigned bytes. */
  scale?: boolean;
  /** Read at most this many items of the first dimension (a cheap subset of a large file). */
  limit?: number;
  /** Refuse data whose values would take more than this many bytes as a Float32 tensor, before
   *  reading them (default 2³⁰, 1 GiB): a corrupt or hostile header cannot make the reader allocate
   *  or inflate without bound. Only the part `limit` selects counts. */
  maxBytes?: number;
}

/** Default for `IdxOptions.maxBytes`. */
export const IDX_MAX_BYTES = 2 ** 30;

interface IdxType {
  readonly name: string;
  readonly bytes: number;
  readonly read: (view: DataView, offset: number) => number;
}

const IDX_TYPES: Record<number, IdxType> = {
  0x08: { name: 'unsigned byte', bytes: 1, read: (v, o) => v.getUint8(o) },
  0x09: { name: 'signed byte', bytes: 1, read: (v, o) => v.getInt8(o) },
  0x0b: { name: 'int16', bytes: 2, read: (v, o) => v.getInt16(o, false) },
  0x0c: { name: 'int32', bytes: 4, read: (v, o) => v.getInt32(o, false) },
  0x0d: { name: 'float32', bytes: 4, read: (v, o) => v.getFloat32(o, false) },
  0x0e: { name: 'float64', bytes: 8, read: (v, o) => v.getFloat64(o, false) },
};
const UNSIGNED_BYTE = 0x08;
/** A tensor's dimensions are 31-bit integers. */
const MAX_DIMENSION = 2 ** 31 - 1;

function openFile(fn: string, path: string): ByteSource {
  try {
    return openByteSource(path, (err) => {
      throw new Error(`${fn}: ${path} starts like a gzip file but does not decompress: ${err.message}`, { cause: err });
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === undefined) throw err;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new Error(`${fn}: cannot read ${path}: ${why}`, { cause: err });
  }
}

function withFile<T>(fn: string, path: string, use: (source: ByteSource) => T): T {
  const source = openFile(fn, path);
  try {
    return use(source);
  } finally {
    source.close();
  }
}

/**
 * Decodes IDX bytes (already decompressed) into a Float32 tensor with the file's dimensions.
 * `source` names the data in error messages (usually the file path).
 */
export function parseIdx(bytes: Uint8Array, options: IdxOptions = {}, source = 'IDX data'): Tensor {
  const fn = 'parseIdx';
  if (!isUint8Array(bytes)) fail(fn, 'bytes', 'a Uint8Array or Buffer', bytes, 'type');
  if (typeof source !== 'string') fail(fn, 'source', 'a string', source, 'type');
  return decode(fn, memorySource(bytes), checkOptions(fn, options), source).tensor;
}

function byteCount(n: number): string {
  return n >= 2 ** 53 ? `about ${n.toPrecision(3)}` : String(n);
}

/**
 * Decodes and also reports the file's own dimensions (before `limit` trims the first one). Reads
 * the header, then only the bytes the selected items need, plus one to see whether a whole-file
 * read has data after its end; the rest of a file read with a smaller `limit` is not looked at.
 */
function decode(fn: string, src: ByteSource, { scale, limit, maxBytes = IDX_MAX_BYTES }: IdxOptions, source: string): { tensor: Tensor; dims: number[] } {
  const magic = src.prefix(4).bytes;
  if (magic.length < 4) throw new RangeError(`${fn}: ${source} is truncated: ${magic.length} bytes, too short for the 4-byte IDX magic number`);
  if (magic[0] !== 0 || magic[1] !== 0) {
    const hex = Array.from(magic.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new RangeError(`${fn}: ${source} is not an IDX file: magic number ${hex}, expected 00 00 <type> <rank>`);
  }
  const typeCode = magic[2];
  const type = IDX_TYPES[typeCode];
  if (type === undefined) {
    throw new RangeError(`${fn}: ${source} has unsupported IDX data type 0x${typeCode.toString(16).padStart(2, '0')} (supported: 0x08 ubyte, 0x09 byte, 0x0b int16, 0x0c int32, 0x0d float32, 0x0e float64)`);
  }
  const rank = magic[3];
  const headerBytes = 4 + 4 * rank;
  const header = src.prefix(headerBytes).bytes;
  if (header.length < headerBytes) throw new RangeError(`${fn}: ${source} is truncated: ${header.length} bytes, the header of a rank-${rank} IDX file needs ${headerBytes}`);
  const headerView = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const dims: number[] = [];
  for (let d = 0; d < rank; d++) dims.push(headerView.getUint32(4 + 4 * d, false));
  const described = `dimensions [${dims.join(', ')}] of ${type.name}`;
  const tooLarge = dims.findIndex((d) => d > MAX_DIMENSION);
  if (tooLarge >= 0) {
    throw new RangeError(`${fn}: ${source} declares ${described}: dimension ${tooLarge} (${dims[tooLarge]}) is larger than the ${MAX_DIMENSION} a tensor dimension can hold`);
  }

  const itemSize = dims.slice(1).reduce((a, b) => a * b, 1);
  const total = rank === 0 ? 1 : dims[0] * itemSize;
  const expectedBytes = headerBytes + total * type.bytes;
  if (src.size !== undefined && src.size < expectedBytes) {
    throw new RangeError(`${fn}: ${source} is truncated: ${described} need ${byteCount(expectedBytes)} bytes, the file has ${src.size}`);
  }
  if (src.size !== undefined && src.size > expectedBytes) {
    throw new RangeError(`${fn}: ${source} has ${src.size - expectedBytes} bytes after the data its header [${dims.join(', ')}] describes`);
  }
  const count = rank === 0 ? 1 : limit === undefined ? dims[0] : Math.min(limit, dims[0]);
  const n = count * itemSize;
  if (n * 4 > maxBytes) {
    const what = count === dims[0] ? described : `${count} items of ${described}`;
    throw new RangeError(`${fn}: ${source} declares ${what}: ${byteCount(n)} values, ${byteCount(n * 4)} bytes as float32, more than the limit of ${maxBytes} bytes (options.maxBytes)`);
  }
  const neededBytes = headerBytes + n * type.bytes;
  const wholeFile = count === (rank === 0 ? 1 : dims[0]);
  const { bytes, complete } = src.prefix(wholeFile ? neededBytes + 1 : neededBytes);
  if (bytes.length < neededBytes) {
    throw new RangeError(`${fn}: ${source} is truncated: ${described} need ${byteCount(expectedBytes)} bytes, the ${src.size === undefined ? 'decompressed ' : ''}file has ${bytes.length}`);
  }
  if (wholeFile && bytes.length > neededBytes) {
    const extra = `${complete ? '' : 'at least '}${bytes.length - neededBytes} bytes`;
    throw new RangeError(`${fn}: ${source} has ${extra} after the data its header [${dims.join(', ')}] describes`);
  }

  const doScale = scale ?? (rank >= 2 && typeCode === UNSIGNED_BYTE);
  if (doScale && typeCode !== UNSIGNED_BYTE) {
    throw new RangeError(`${fn}: scale applies to unsigned-byte data only, ${source} holds ${type.name}`);
  }
  const shape = rank === 0 ? [] : [count, ...dims.slice(1)];
  const out = allocFloat32(n);
  if (typeCode === UNSIGNED_BYTE) {
    // A 256-entry table turns the 47 M pixels of Fashion-MNIST into floats without a division each.
    const table = allocFloat32(256);
    for (let i = 0; i < 256; i++) table[i] = doScale ? i / 255 : i;
    for (let i = 0; i < n; i++) out[i] = table[bytes[headerBytes + i]];
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < n; i++) out[i] = type.read(view, headerBytes + i * type.bytes);
  }
  return { tensor: new Tensor(out, shape), dims };
}

function checkOptions(fn: string, options: unknown): IdxOptions {
  if (typeof options !== 'object' || options === null) fail(fn, 'options', 'an object', options, 'type');
  const { scale, limit, maxBytes } = options as IdxOptions;
  if (scale !== undefined) checkBoolean(fn, 'options.scale', scale);
  if (limit !== undefined) checkInt(fn, 'options.limit', limit, 0);
  if (maxBytes !== undefined) checkPositive(fn, 'options.maxBytes', maxBytes);
  return { scale, limit, maxBytes };
}

/** Reads an IDX file (gzipped or not) into a Float32 tensor with the file's dimensions. */
export function readIdx(path: string, options: IdxOptions = {}): Tensor {
  const fn = 'readIdx';
  if (typeof path !== 'string' || path.length === 0) fail(fn, 'path', 'a non-empty string', path, 'type');
  const checked = checkOptions(fn, options);
  return withFile(fn, path, (src) => decode(fn, src, checked, path).tensor);
}

/**
 * Reads an images file and its labels file and checks they describe the same number of samples.
 * Returns images reshaped to [n, features] (pixels scaled to [0, 1] unless scale is false) and
 * labels as [n] floats holding the class index.
 */
export function readIdxPair(imagesPath: string, labelsPath: string, options: IdxOptions = {}): { x: Tensor; y: Tensor } {
  const fn = 'readIdxPair';
  if (typeof imagesPath !== 'string' || imagesPath.length === 0) fail(fn, 'imagesPath', 'a non-empty string', imagesPath, 'type');
  if (typeof labelsPath !== 'string' || labelsPath.length === 0) fail(fn, 'labelsPath', 'a non-empty string', labelsPath, 'type');
  const { scale, limit, maxBytes } = checkOptions(fn, options);
  const { tensor: images, dims: imageDims } = withFile(fn, imagesPath, (src) => decode(fn, src, { scale, limit, maxBytes }, imagesPath));
  const { tensor: labels, dims: labelDims } = withFile(fn, labelsPath, (src) => decode(fn, src, { scale: false, limit, maxBytes }, labelsPath));
  if (imageDims.length < 1) throw new RangeError(`${fn}: ${imagesPath} holds a scalar, expected a stack of samples`);
  if (labelDims.length !== 1) throw new RangeError(`${fn}: ${labelsPath} has rank ${labelDims.length}, expected rank-1 labels`);
  if (imageDims[0] !== labelDims[0]) {
    throw new RangeError(`${fn}: ${imagesPath} holds ${imageDims[0]} samples but ${labelsPath} holds ${labelDims[0]} labels`);
  }
  const n = images.shape[0];
  const features = imageDims.slice(1).reduce((a, b) => a * b, 1);
  return { x: images.reshape([n, features]), y: labels };
}
