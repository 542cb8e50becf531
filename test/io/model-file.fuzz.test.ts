// Property-based fuzzing of the model loader (fast-check, a fixed seed): a mutated model file either
// loads to a model whose forward is finite and survives a save/load round trip unchanged, or throws
// a TypeError or RangeError whose message names the function at fault. Never another error, never a
// hang. FUZZ_RUNS sets the number of cases (default 3000); FUZZ_SEED another seed; FUZZ_REPORT=1
// prints how the cases ended.
import { describe, expect, test } from 'vitest';
import * as crypto from 'node:crypto';
import fc from 'fast-check';
import { Activation, BatchNorm, Dense, Dropout, LayerNorm, Residual } from '../../lib/layers/index';
import { loadModel } from '../../lib/model/model-file';
import { Sequential } from '../../lib/model/sequential';
import { momentum } from '../../lib/optim/index';
import { Random } from '../../lib/random';

const RUNS = Number(process.env.FUZZ_RUNS ?? 3000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);

function data(features: number, n: number): { x: Float32Array; y: Float32Array } {
  const rng = new Random(7);
  return { x: new Float32Array(n * features).map(() => rng.normal()), y: new Float32Array(n).map(() => rng.int(2)) };
}

/** Valid files to start from: trained with optimizer state, uncompiled, nested, momentum. */
function validFiles(): Buffer[] {
  const { x, y } = data(3, 24);
  const a = new Sequential([new Dense(3, 6, { bias: false }), new BatchNorm(), new Activation('relu'), new Dropout(0.25), new Dense(6, 2)], { seed: 1 });
  a.compile({ loss: 'softmaxCrossentropy', optimizer: 'adam', metrics: ['accuracy'], l2: 0.01 });
  a.fitSync(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
  const b = new Sequential([new Dense(3, 4, { activation: 'tanh' }), new Dense(4, 1)], { seed: 2 });
  b.build([3]);
  const c = new Sequential([new Dense(3, 4), new Residual([new LayerNorm(), new Dense(4, 4, { activation: 'relu' })]), new Dense(4, 2)], { seed: 3 });
  c.compile({ loss: 'softmaxCrossentropy', optimizer: momentum({ lr: 0.1 }), clipNorm: 1 });
  c.fitSync(x, y, { epochs: 1, batchSize: 12, verbose: 0 });
  return [a.toBuffer({ extra: { classNames: ['no', 'yes'] } }), b.toBuffer(), c.toBuffer()];
}

// ─── Mutations ────────────────────────────────────────────────────────────────────────────────────

type ByteEdit = { op: 'flip'; at: number; bit: number } | { op: 'set'; at: number; value: number } |
  { op: 'truncate'; at: number } | { op: 'insert'; at: number; bytes: number[] } | { op: 'delete'; at: number; count: number };

const byteEdit: fc.Arbitrary<ByteEdit> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: fc.nat(255) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.array(fc.nat(255), { minLength: 1, maxLength: 8 }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 16 }) }),
);

/** Edits land in the first bytes (length and header) as often as anywhere in the file. */
function applyBytes(file: Buffer, edits: readonly ByteEdit[], nearStart: boolean): Buffer {
  let buf = Buffer.from(file);
  for (const e of edits) {
    const span = nearStart ? Math.min(buf.length, 8 + Number(buf.readBigUInt64LE(0) & 0xffffn) + 1) : buf.length;
    const at = buf.length === 0 ? 0 : e.at % Math.max(1, span);
    if (e.op === 'flip' && at < buf.length) buf[at] ^= 1 << e.bit;
    else if (e.op === 'set' && at < buf.length) buf[at] = e.value;
    else if (e.op === 'truncate') buf = buf.subarray(0, at);
    else if (e.op === 'insert') buf = Buffer.concat([buf.subarray(0, at), Buffer.from(e.bytes), buf.subarray(at)]);
    else if (e.op === 'delete') buf = Buffer.concat([buf.subarray(0, at), buf.subarray(at + e.count)]);
    if (buf.length < 8) break;
  }
  return buf;
}

interface Parts {
  header: Record<string, unknown>;
  model: Record<string, unknown>;
  data: Buffer;
}

function split(file: Buffer): Parts {
  const n = Number(file.readBigUInt64LE(0));
  const header = JSON.parse(file.toString('utf8', 8, 8 + n));
  return { header, model: JSON.parse((header.__metadata__ as Record<string, string>).blasnet), data: file.subarray(8 + n) };
}

/** Writes the parts back (the data checksum recomputed when `reseal`, else as it was). */
function join({ header, model, data }: Parts, reseal: boolean): Buffer {
  if (reseal) model.dataSha256 = crypto.createHash('sha256').update(data).digest('hex');
  const meta = header.__metadata__;
  const plain = typeof meta === 'object' && meta !== null && !Array.isArray(meta);
  // A __metadata__ an edit replaced (null, a number, …) is written as it is.
  const json = Buffer.from(JSON.stringify(plain ? { ...header, __metadata__: { ...meta, blasnet: JSON.stringify(model) } } : header));
  const out = Buffer.alloc(8 + json.length + data.length);
  out.writeBigUInt64LE(BigInt(json.length), 0);
  json.copy(out, 8);
  data.copy(out, 8 + json.length);
  return out;
}

/** Every path to a value inside a JSON tree. */
function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (prefix.length > 0) out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

const interesting = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -0, 1, -1, 2, 3, 0.5, -0.5, 1e-40, 1e9, 2 ** 31, 2 ** 32, 2 ** 53, 1e308, -1e308,
    '', 'F32', 'F16', 'I64', 'Dense', 'BatchNorm', 'relu', 'sigmoid', 'adam', 'sgd', 'mse', [], {}, [0], [1], [2, 3], [0, 0], [4, 0], [0, 2 ** 40],
    { kind: 'Dense', config: { inputs: 3, units: 2 } }, { s: [1, 2, 3, 4], spare: null }),
  fc.jsonValue({ maxDepth: 2 }),
);

type JsonEdit = { target: 'header' | 'model'; path: number; top: boolean; op: 'replace' | 'delete'; value: unknown };

// `top` picks among the top-level entries only (a tensor entry, __metadata__, the architecture, the
// training configuration, …), which a path drawn from the whole tree would rarely hit.
const jsonEdit: fc.Arbitrary<JsonEdit> = fc.record({
  target: fc.constantFrom('header' as const, 'model' as const),
  path: fc.nat(),
  top: fc.boolean(),
  op: fc.constantFrom('replace' as const, 'replace' as const, 'delete' as const),
  value: interesting,
});

function applyJson(parts: Parts, edits: readonly JsonEdit[]): void {
  for (const e of edits) {
    const root = e.target === 'header' ? parts.header : parts.model;
    // __metadata__ itself may be replaced; what is inside it is the model header, edited as such.
    const all = paths(root).filter((p) => !(e.target === 'header' && p[0] === '__metadata__' && p.length > 1) && (!e.top || p.length === 1));
    if (all.length === 0) continue;
    const p = all[e.path % all.length];
    let parent: unknown = root;
    for (const k of p.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[k];
    const key = p[p.length - 1];
    if (e.op === 'delete' && Array.isArray(parent)) parent.splice(key as number, 1);
    else if (e.op === 'delete') delete (parent as Record<string, unknown>)[key as string];
    else (parent as Record<string | number, unknown>)[key] = structuredClone(e.value);
  }
}

/** Flips low mantissa bits of the float32 data (values move, magnitudes stay within 2×, signs stay). */
function applyData(parts: Parts, flips: readonly { at: number; bit: number }[]): void {
  const data = Buffer.from(parts.data);
  const floats = Math.floor(data.length / 4);
  for (const f of flips) if (floats > 0) data[4 * (f.at % floats) + (f.bit >> 3)] ^= 1 << (f.bit & 7);
  parts.data = data;
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('bytes' as const), edits: fc.array(byteEdit, { minLength: 1, maxLength: 6 }), nearStart: fc.boolean() }),
  fc.record({ kind: fc.constant('json' as const), edits: fc.array(jsonEdit, { minLength: 1, maxLength: 3 }), reseal: fc.boolean() }),
  fc.record({ kind: fc.constant('data' as const), flips: fc.array(fc.record({ at: fc.nat(), bit: fc.nat(22) }), { minLength: 1, maxLength: 4 }),
    reseal: fc.boolean() }),
);

// ─── The property ─────────────────────────────────────────────────────────────────────────────────

const outcomes = new Map<string, number>();
const count = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);

function checkFile(file: Buffer): void {
  let loaded: ReturnType<typeof loadModel>;
  try {
    loaded = loadModel(file);
  } catch (err) {
    const cls = (err as Error)?.constructor;
    if (cls !== TypeError && cls !== RangeError) throw new Error(`loadModel threw ${cls?.name}: ${(err as Error)?.message}`);
    // Our own messages start with the function that speaks ("loadModel: ", "Dense: ", …); V8's do not.
    expect((err as Error).message).toMatch(/^[A-Za-z][\w.]*: /);
    count((err as Error).message.replace(/[\s(].*$/, '').replace(/'.*/, '') + ' ' + cls.name);
    return;
  }
  const { model, extra } = loaded;
  const resaved = model.toBuffer({ extra });
  const again = loadModel(resaved);
  expect(again.model.toBuffer({ extra: again.extra }).equals(resaved)).toBe(true);
  if (model.inputSize > 100_000) { count('loaded (input too wide to run)'); return; }
  const x = new Float32Array(2 * model.inputSize).map((_, i) => Math.sin(i + 1));
  const y1 = model.predict(x).data;
  const y2 = again.model.predict(x).data;
  for (let i = 0; i < y1.length; i++) if (!Number.isFinite(y1[i])) throw new Error(`the loaded model's output ${i} is ${y1[i]}`);
  expect(y2).toEqual(y1);
  count('loaded');
}

describe('model loader fuzzing', () => {
  test(`${RUNS} mutated files: a finite model that round-trips, or a TypeError/RangeError`, () => {
    const files = validFiles();
    for (const file of files) checkFile(file); // the starting points themselves load
    outcomes.clear();
    let slowest = 0;
    fc.assert(fc.property(fc.nat(files.length - 1), mutation, (which, m) => {
      const start = Date.now();
      const original = files[which];
      let file: Buffer;
      if (m.kind === 'bytes') file = applyBytes(original, m.edits, m.nearStart);
      else {
        const parts = split(original);
        if (m.kind === 'json') applyJson(parts, m.edits);
        else applyData(parts, m.flips);
        file = join(parts, m.reseal);
      }
      checkFile(file);
      slowest = Math.max(slowest, Date.now() - start);
    }), { seed: SEED, numRuns: RUNS });
    // A liveness guard (no case may hang), far above the milliseconds a case takes.
    expect(slowest).toBeLessThan(10_000);
    if (process.env.FUZZ_REPORT === '1') {
      console.log(`fuzz: ${RUNS} cases, slowest ${slowest} ms\n` + [...outcomes].sort((a, b) => b[1] - a[1]).map(([k, v]) => `  ${v}\t${k}`).join('\n'));
    }
  });
});
