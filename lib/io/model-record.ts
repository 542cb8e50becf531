import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fail } from '../validate';
import { writeFileAtomic } from './atomic';
import { decodeSafetensors, encodeSafetensors, isLittleEndian, type NamedTensor } from './safetensors';

// A saved model is one safetensors file: the weights (and, optionally, the optimizer's state) as F32
// tensors that other tools can read, and in the header's metadata, as JSON, the architecture, the
// training configuration, the random generator's state and whatever the caller attaches (class
// names, the input scaler). One file means one atomic rename: a crash mid-save leaves the previous
// model whole. This module knows the file, not the model: it reads and writes a plain record.

export const MODEL_FILE = 'model.safetensors';
const FORMAT = 'blasnet.model';
const VERSION = 1;
const OPTIMIZER_PREFIX = 'optimizer.';

/** Everything a model file holds, as plain data. */
export interface ModelRecord {
  /** The architecture as JSON (the model's toJSON()). */
  architecture: Record<string, unknown>;
  /** Parameters and non-learned layer state, by model-wide key ('0.weight', 'state.1.runningMean'). */
  tensors: Map<string, NamedTensor>;
  /** The training configuration (loss, optimizer settings, metrics, penalties, clipping) as JSON. */
  training?: Record<string, unknown>;
  /** The optimizer's step count and state buffers, by slot and parameter key ('s1.0.weight'). */
  optimizer?: { step: number; tensors: Map<string, NamedTensor> };
  /** The model's random generator state as JSON (restored by the model, which checks it). */
  random?: unknown;
  /** JSON-serialisable extras kept with the model by its callers ({ classNames, scaler }, …). */
  extra: Record<string, unknown>;
}

interface Header {
  format: typeof FORMAT;
  version: number;
  architecture: Record<string, unknown>;
  training?: Record<string, unknown>;
  optimizerStep?: number;
  random?: unknown;
  extra?: Record<string, unknown>;
  /** SHA-256 of the data section (hex), so that a changed bit in any tensor is an error rather than
   *  another model. Files written before it existed have none and still load. */
  dataSha256?: string;
}

/** Where a model lives: a `.safetensors` path is the file itself; anything else is a directory. */
export function modelFilePath(target: string): string {
  return target.endsWith('.safetensors') ? target : path.join(target, MODEL_FILE);
}

export function encodeModelRecord(record: ModelRecord): Buffer {
  const tensors = new Map(record.tensors);
  const header: Header = { format: FORMAT, version: VERSION, architecture: record.architecture };
  if (record.training !== undefined) header.training = record.training;
  if (record.optimizer !== undefined) {
    header.optimizerStep = record.optimizer.step;
    for (const [key, t] of record.optimizer.tensors) tensors.set(OPTIMIZER_PREFIX + key, t);
  }
  if (record.random !== undefined) header.random = record.random;
  if (Object.keys(record.extra).length > 0) header.extra = record.extra;
  header.dataSha256 = dataHash(tensors);
  return encodeSafetensors(tensors, { blasnet: JSON.stringify(header) });
}

/** Writes the record to `target` (a directory, or a path ending in .safetensors) atomically; returns the file. */
export function writeModelRecord(fn: string, target: string, record: ModelRecord): string {
  if (typeof target !== 'string' || target === '') fail(fn, 'path', 'a non-empty path string', target, 'type');
  const file = modelFilePath(target);
  writeFileAtomic(file, encodeModelRecord(record));
  return file;
}

/** Reads a model file (a directory or a .safetensors path) or its bytes. */
export function readModelRecord(fn: string, source: string | Uint8Array): ModelRecord {
  if (typeof source !== 'string') {
    if (!(source instanceof Uint8Array)) fail(fn, 'source', 'a path or a Buffer', source, 'type');
    return decodeModelRecord(fn, source);
  }
  if (source === '') fail(fn, 'source', 'a path or a Buffer', '""');
  const file = modelFilePath(source);
  if (!fs.existsSync(file)) throw new Error(`${fn}: no model at ${file}`);
  return decodeModelRecord(fn, fs.readFileSync(file));
}

/** The hash of the data section encodeSafetensors writes for these tensors (little-endian, in order). */
function dataHash(tensors: ReadonlyMap<string, NamedTensor>): string {
  const hash = crypto.createHash('sha256');
  for (const t of tensors.values()) {
    if (isLittleEndian) hash.update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    else {
      const le = Buffer.alloc(4 * t.data.length);
      t.data.forEach((v, i) => le.writeFloatLE(v, 4 * i));
      hash.update(le);
    }
  }
  return hash.digest('hex');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function corrupt(fn: string, what: string): never {
  throw new RangeError(`${fn}: ${what} (corrupted file?)`);
}

function readHeader(fn: string, metadata: Record<string, string>): Header {
  const raw = metadata.blasnet;
  if (typeof raw !== 'string') throw new RangeError(`${fn}: this safetensors file holds no blasnet model (no 'blasnet' metadata)`);
  let header: unknown;
  try {
    header = JSON.parse(raw);
  } catch {
    throw new RangeError(`${fn}: the model description in the file is not valid JSON (corrupted file?)`);
  }
  if (!isObject(header) || header.format !== FORMAT) {
    throw new RangeError(`${fn}: not a blasnet model file (format ${JSON.stringify(isObject(header) ? header.format : header)})`);
  }
  if (header.version !== VERSION) {
    throw new RangeError(`${fn}: model file version ${JSON.stringify(header.version)} is not supported by this blasnet ` +
      `(it reads version ${VERSION}); upgrade blasnet or re-save the model`);
  }
  if (!isObject(header.architecture)) corrupt(fn, `the architecture in the file is ${JSON.stringify(header.architecture)}, expected an object`);
  for (const key of ['training', 'extra'] as const) {
    if (header[key] !== undefined && !isObject(header[key])) corrupt(fn, `the '${key}' entry in the file is ${JSON.stringify(header[key])}, expected an object`);
  }
  if (header.optimizerStep !== undefined) {
    const step = header.optimizerStep;
    if (typeof step !== 'number' || !Number.isInteger(step) || step < 1 || step > 2 ** 31 - 1) {
      corrupt(fn, `the optimizer step count in the file is ${JSON.stringify(step)}, expected an integer ≥ 1`);
    }
  }
  if (header.dataSha256 !== undefined && (typeof header.dataSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(header.dataSha256))) {
    corrupt(fn, `the data checksum in the file is ${JSON.stringify(header.dataSha256)}, expected 64 hex digits`);
  }
  return header as unknown as Header;
}

/** A model's numbers are finite: a NaN or an infinity in a file is damage, not a model. */
function checkFinite(fn: string, name: string, data: Float32Array): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) corrupt(fn, `tensor '${name}' holds ${data[i]} at index ${i}`);
  }
}

/** Reads a model file's bytes into a record; the layout and the header are checked, the
 *  architecture is left to the model. */
export function decodeModelRecord(fn: string, buf: Uint8Array): ModelRecord {
  const { tensors: all, metadata, data } = decodeSafetensors(buf);
  const header = readHeader(fn, metadata);
  if (header.dataSha256 !== undefined && crypto.createHash('sha256').update(data).digest('hex') !== header.dataSha256) {
    corrupt(fn, 'the tensor data does not match the checksum saved with it');
  }
  const tensors = new Map<string, NamedTensor>();
  const optimizerTensors = new Map<string, NamedTensor>();
  for (const [name, t] of all) {
    checkFinite(fn, name, t.data);
    if (name.startsWith(OPTIMIZER_PREFIX)) optimizerTensors.set(name.slice(OPTIMIZER_PREFIX.length), t);
    else tensors.set(name, t);
  }
  if (optimizerTensors.size > 0 && header.optimizerStep === undefined) {
    corrupt(fn, `the file has optimizer state ('${OPTIMIZER_PREFIX}${optimizerTensors.keys().next().value}') but no step count`);
  }
  const record: ModelRecord = { architecture: header.architecture, tensors, extra: header.extra ?? {} };
  if (header.training !== undefined) record.training = header.training;
  if (header.optimizerStep !== undefined) record.optimizer = { step: header.optimizerStep, tensors: optimizerTensors };
  if (header.random !== undefined) record.random = header.random;
  return record;
}
