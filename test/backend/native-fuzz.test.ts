// Seeded fuzzing of every native entry point with malformed arguments. Each call starts from a valid
// argument list (small random sizes, exactly sized arrays) and applies one mutation: wrong argument
// count; undefined, null, strings, objects, numbers where arrays go; plain Arrays, other typed-array
// types, detached buffers, arrays one element short; negative, NaN, infinite, fractional and huge
// (2³¹, 2³², 2⁵³) sizes; a size one too large; sizes whose product overflows 32 bits; unknown kind
// codes; out-of-range gather indices and class labels; bad hyper-parameters.
//
// A mutation that makes the call clearly invalid must throw a TypeError or RangeError whose message
// reads "<function>: expected …" and names the offending argument. A merely unusual value (NaN alpha,
// an unused hyper-parameter) may be accepted, but if it throws, it must be one of those two classes.
// The process surviving to the end of the file is the other half of the proof (forks pool).
import { expect, it } from 'vitest';
import { nativeInfo } from '../../lib/backend/index';
import { kernelNames, kernels, type ArgKind, type KernelName, type KernelSignature, type Sizes } from '../../lib/backend/kernels';
import { Act, Loss, Opt, OptHyper } from '../../lib/backend/types';
import { Random } from '../../lib/random';
import { describeNative } from '../helpers/native';

type ArrayKind = 'f32' | 'i32' | 'f64';
type Slot =
  | { name: string; type: ArrayKind; need: number } // need = 0: the kernel may ignore this array
  | { name: string; type: 'bool' }
  | { name: string; type: 'size'; max: number; arraysBound: boolean } // arraysBound: size + 1 overruns an array
  | { name: string; type: 'number' } // any number is acceptable (NaN/Infinity only unusual)
  | { name: string; type: 'finite' } // NaN/Infinity are invalid
  | { name: string; type: 'prob' } // dropout p ∈ [0, 1)
  | { name: string; type: 'eps' } // finite, ≥ 0
  | { name: string; type: 'kind'; count: number };

interface Call {
  fn: string;
  slots: Slot[];
  args: unknown[];
  /** Extra, entry-specific invalid mutations (labels, indices, hyper-parameters). */
  special?: Mutation[];
}

interface Mutation {
  what: string;
  apply(args: unknown[]): unknown[];
  /** 'throws': clearly invalid; 'either': may be accepted. */
  expect: 'throws' | 'either';
  /** The argument the error message must name (undefined: any). */
  names?: string;
}

const BLAS_MAX = 2 ** 31 - 1;
const SIZE_MAX = 2 ** 32 - 1;

function f32(n: number, rng: Random, lo = -1, hi = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniform(lo, hi);
  return a;
}
function labels(m: number, n: number, rng: Random): Float32Array {
  const a = new Float32Array(m);
  for (let i = 0; i < m; i++) a[i] = rng.int(n);
  return a;
}
function hyper(step: number): Float64Array {
  const h = new Float64Array(OptHyper.length);
  h[OptHyper.lr] = 0.01;
  h[OptHyper.beta1] = 0.9;
  h[OptHyper.beta2] = 0.999;
  h[OptHyper.eps] = 1e-8;
  h[OptHyper.weightDecay] = 0.01;
  h[OptHyper.step] = step;
  return h;
}

function setAt(args: unknown[], i: number, v: unknown): unknown[] {
  const out = args.slice();
  out[i] = v;
  return out;
}
function withElement<T extends Float32Array | Int32Array | Float64Array>(a: T, i: number, v: number): T {
  const copy = a.slice() as T;
  copy[i] = v;
  return copy;
}

const codeCount = { act: Object.keys(Act).length, loss: Object.keys(Loss).length, opt: Object.keys(Opt).length };

/** The fuzz slot of an argument, from its kind in the signature table. */
function slotOf(name: string, kind: ArgKind, need: number): Slot {
  switch (kind) {
    case 'f32': case 'i32': case 'f64': return { name, type: kind, need };
    case 'bool': return { name, type: 'bool' };
    case 'size': return { name, type: 'size', max: SIZE_MAX, arraysBound: true };
    case 'blasSize': return { name, type: 'size', max: BLAS_MAX, arraysBound: true };
    case 'threads': return { name, type: 'size', max: 1024, arraysBound: false };
    case 'num': return { name, type: 'number' };
    case 'seed': return { name, type: 'finite' };
    case 'prob': return { name, type: 'prob' };
    case 'eps': return { name, type: 'eps' };
    default: return { name, type: 'kind', count: codeCount[kind] };
  }
}

/**
 * Values a valid call must hold beyond its kinds and lengths (the table's value checks): class
 * labels, row indices and their source, hyper-parameters; with the mutations that break them.
 */
const domains: Partial<Record<KernelName, (call: Call, s: Sizes, rng: Random) => void>> = {
  softmaxCrossentropy(call, s, rng) {
    if (!s.sparse) return;
    const target = labels(s.m as number, s.n as number, rng);
    call.args[2] = target;
    call.special = labelMutations(2, 'target', s.m as number, s.n as number, target);
  },
  oneHot(call, s, rng) {
    const l = labels(s.m as number, s.n as number, rng);
    call.args[1] = l;
    call.special = labelMutations(1, 'labels', s.m as number, s.n as number, l);
  },
  optimizerStep(call, s, rng) {
    const adam = s.kind === Opt.adam || s.kind === Opt.adamw;
    const h = hyper(1 + rng.int(10));
    call.args[6] = h;
    call.special = [
      { what: 'h[lr] = NaN', expect: 'throws', names: 'h', apply: (a) => setAt(a, 6, withElement(h, OptHyper.lr, NaN)) },
      { what: 'h[lr] = Infinity', expect: 'throws', names: 'h', apply: (a) => setAt(a, 6, withElement(h, OptHyper.lr, Infinity)) },
      { what: 'h of length 5', expect: 'throws', names: 'h', apply: (a) => setAt(a, 6, h.slice(0, 5)) },
      ...(adam ? [
        { what: 'h[step] = 0 for Adam', expect: 'throws' as const, names: 'h', apply: (a: unknown[]) => setAt(a, 6, withElement(h, OptHyper.step, 0)) },
        { what: 'h[beta2] = NaN for Adam', expect: 'throws' as const, names: 'h', apply: (a: unknown[]) => setAt(a, 6, withElement(h, OptHyper.beta2, NaN)) },
      ] : [
        { what: 'h[step] = 0 (unused)', expect: 'either' as const, apply: (a: unknown[]) => setAt(a, 6, withElement(h, OptHyper.step, 0)) },
      ]),
    ];
  },
  gatherRows(call, s, rng) {
    const [count, rowLen, rows] = [s.count as number, s.rowLen as number, 1 + rng.int(6)];
    const idx = new Int32Array(count);
    for (let i = 0; i < count; i++) idx[i] = rng.int(rows);
    const src = f32(rows * rowLen, rng);
    call.args[1] = src;
    call.args[2] = idx;
    const at = rng.int(count);
    const bad = (v: number): Mutation => ({
      what: `idx[${at}] = ${v} with ${rows} rows`, expect: 'throws', names: 'idx', apply: (a) => setAt(a, 2, withElement(idx, at, v)),
    });
    const highest = idx.reduce((a, b) => Math.max(a, b), 0);
    call.special = [bad(rows), bad(-1), bad(2 ** 31 - 1), bad(-(2 ** 31)), {
      what: `src cut before row ${highest}, which idx names`, expect: 'throws', names: 'idx',
      apply: (a) => setAt(a, 1, src.slice(0, highest * rowLen + rowLen - 1)),
    }];
  },
};

/** A valid call of an entry point from its signature: small random sizes (up to 40 for the flat
 *  kernels, whose only size is n), random codes and flags, arrays of exactly the length needed. */
function validCall(fn: KernelName, rng: Random): Call {
  const sig: KernelSignature = kernels[fn];
  const flat = sig.args.filter(([, kind]) => kind === 'size' || kind === 'blasSize').length === 1;
  const s: Sizes = {};
  const args: unknown[] = [];
  for (const [name, kind] of sig.args) {
    let v: number | boolean | undefined;
    switch (kind) {
      case 'bool': v = rng.next() < 0.5; break;
      case 'size': case 'blasSize': v = 1 + rng.int(flat ? 40 : 6); break;
      case 'threads': v = rng.int(3); break;
      case 'num': v = 0.5; break;
      case 'seed': v = rng.uint32(); break;
      case 'prob': v = 0.3; break;
      case 'eps': v = 1e-5; break;
      case 'act': case 'loss': case 'opt': v = rng.int(codeCount[kind]); break;
    }
    if (v !== undefined) s[name] = v;
    args.push(v);
  }
  const need = sig.lengths(s);
  const slots = sig.args.map(([name, kind]) => slotOf(name, kind, need[name] ?? 0));
  sig.args.forEach(([name, kind], i) => {
    const length = need[name] ?? 0;
    if (kind === 'f32') args[i] = f32(length, rng);
    else if (kind === 'i32') args[i] = new Int32Array(length);
    else if (kind === 'f64') args[i] = new Float64Array(length);
  });
  const call: Call = { fn, slots, args };
  domains[fn]?.(call, s, rng);
  return call;
}

function labelMutations(slot: number, name: string, m: number, n: number, l: Float32Array): Mutation[] {
  const at = m - 1;
  return [n, -1, 0.5, NaN, Infinity, n + 1000].map((v) => ({
    what: `${name}[${at}] = ${v} with ${n} classes`, expect: 'throws' as const, names: name,
    apply: (a: unknown[]) => setAt(a, slot, withElement(l, at, v)),
  }));
}

function detached(type: ArrayKind, length: number): unknown {
  const a = type === 'f32' ? new Float32Array(length) : type === 'i32' ? new Int32Array(length) : new Float64Array(length);
  structuredClone(a.buffer, { transfer: [a.buffer] });
  return a;
}

/** "f: expected <name> …", "f: expected <name>[3] …", or for the count "f: expected 4 arguments …". */
function namesArgument(message: string, name: string): boolean {
  if (name === 'arguments') return /: expected \d+ arguments, received \d+$/.test(message);
  return message.includes(`: expected ${name} `) || message.includes(`: expected ${name}[`);
}

const notTypes: unknown[] = [undefined, null, 'text', {}, () => 1, Symbol('s')];

/** All single mutations that apply to a call. */
function mutationsOf(call: Call): Mutation[] {
  const list: Mutation[] = [
    { what: 'one argument too many', expect: 'throws', names: 'arguments', apply: (a) => [...a, 1] },
  ];
  if (call.args.length > 0) {
    list.push({ what: 'no arguments', expect: 'throws', names: 'arguments', apply: () => [] });
    list.push({ what: 'last argument missing', expect: 'throws', names: 'arguments', apply: (a) => a.slice(0, -1) });
  }
  call.slots.forEach((slot, i) => {
    // names: the argument the error must name; null when another argument (an array) is what fails
    const put = (what: string, v: unknown, expectation: 'throws' | 'either' = 'throws', names: string | null = slot.name) =>
      list.push({ what: `${slot.name} = ${what}`, expect: expectation, names: names ?? undefined, apply: (a) => setAt(a, i, v) });
    for (const v of notTypes) put(typeof v === 'symbol' ? 'a symbol' : typeof v === 'function' ? 'a function' : JSON.stringify(v) ?? String(v), v);
    switch (slot.type) {
      case 'f32':
      case 'i32':
      case 'f64': {
        const len = (call.args[i] as { length: number }).length;
        put('the number 3', 3);
        put(`a plain Array(${len})`, Array.from({ length: len }, () => 0));
        put('an ArrayBuffer', new ArrayBuffer(len * 4));
        put('a DataView', new DataView(new ArrayBuffer(len * 4)));
        if (slot.type !== 'f32') put(`a Float32Array(${len})`, new Float32Array(len));
        if (slot.type !== 'f64') put(`a Float64Array(${len})`, new Float64Array(len));
        if (slot.type !== 'i32') put(`an Int32Array(${len})`, new Int32Array(len));
        put(`a Uint8Array(${len * 4})`, new Uint8Array(len * 4));
        put('a detached array', detached(slot.type, len));
        if (slot.need > 0) {
          put(`length ${slot.need - 1} (needs ${slot.need})`, (call.args[i] as Float32Array).slice(0, slot.need - 1));
          put('length 0', (call.args[i] as Float32Array).slice(0, 0));
        }
        break;
      }
      case 'size': {
        for (const v of [-1, NaN, Infinity, -Infinity, 2.5, 2 ** 53, 1e300]) put(String(v), v);
        put('2³²', 2 ** 32);
        // within the size range, so it is the array that is too short for it that gets named
        put('2³¹', 2 ** 31, 'throws', slot.max >= 2 ** 31 ? null : slot.name);
        put('2³² − 1', SIZE_MAX, 'throws', slot.max >= SIZE_MAX ? null : slot.name);
        if (slot.arraysBound) put('one too large', (call.args[i] as number) + 1, 'throws', null);
        for (const v of ['2', true, 2n, [2]]) put(typeof v === 'bigint' ? '2n' : JSON.stringify(v), v);
        break;
      }
      case 'bool':
        for (const v of [0, 1, 'true', [true]]) put(JSON.stringify(v), v);
        break;
      case 'kind':
        for (const v of [-1, slot.count, 99, 2.5, NaN, Infinity]) put(String(v), v);
        for (const v of ['0', true, [0]]) put(JSON.stringify(v), v);
        break;
      case 'number':
      case 'finite':
      case 'prob':
      case 'eps': {
        for (const v of [true, '1', [1], new Float32Array(1), 1n]) put(typeof v === 'bigint' ? '1n' : ArrayBuffer.isView(v) ? 'a Float32Array' : JSON.stringify(v), v);
        const strict = slot.type !== 'number';
        for (const v of [NaN, Infinity, -Infinity]) put(String(v), v, strict ? 'throws' : 'either');
        if (slot.type === 'prob') for (const v of [-0.1, 1, 1.5]) put(String(v), v);
        if (slot.type === 'eps') put('-1e-5', -1e-5);
        break;
      }
    }
  });
  // Sizes whose product needs more than 32 bits: the length checks must not wrap around.
  const sizes = call.slots.flatMap((s, i) => (s.type === 'size' ? [i] : []));
  if (sizes.length >= 2) {
    list.push({
      what: `${call.slots[sizes[0]].name} = ${call.slots[sizes[1]].name} = 65536`, expect: 'throws',
      apply: (a) => setAt(setAt(a, sizes[0], 65536), sizes[1], 65536),
    });
    list.push({
      what: `${call.slots[sizes[0]].name} = 2³², ${call.slots[sizes[1]].name} = 2³²`, expect: 'throws',
      apply: (a) => setAt(setAt(a, sizes[0], 2 ** 32), sizes[1], 2 ** 32),
    });
  }
  return list.concat(call.special ?? []);
}

describeNative('native entry points under malformed arguments', (native) => {
  const addon = native as unknown as Record<string, (...args: unknown[]) => unknown>;
  const entries: readonly string[] = kernelNames;

  it('every Backend primitive (and info) is exported by the addon', () => {
    for (const fn of entries) expect(typeof addon[fn], fn).toBe('function');
    expect(typeof nativeInfo()).toBe('object');
  });

  it('accepts one valid call of every entry point', () => {
    const rng = new Random(7);
    for (const fn of entries) {
      const call = validCall(fn as KernelName, rng);
      expect(() => addon[fn](...call.args), fn).not.toThrow();
    }
    native.setThreads(0);
    const info = nativeInfo()!;
    expect(info.poolThreads).toBeGreaterThanOrEqual(1);
  });

  it('2000+ seeded malformed calls throw TypeError or RangeError naming the argument, and never crash', () => {
    const rng = new Random(20240611);
    const problems: string[] = [];
    let calls = 0;
    let thrown = 0;
    const tryCall = (fn: string, args: unknown[], m: Mutation) => {
      calls++;
      let error: unknown;
      try {
        addon[fn](...args);
      } catch (e) {
        error = e;
      }
      const where = `${fn} with ${m.what}`;
      if (error === undefined) {
        if (m.expect === 'throws') problems.push(`${where}: succeeded, expected a TypeError or RangeError`);
        return;
      }
      thrown++;
      if (!(error instanceof TypeError) && !(error instanceof RangeError)) {
        problems.push(`${where}: threw ${(error as Error)?.constructor?.name}: ${(error as Error)?.message}`);
        return;
      }
      const message = error.message;
      if (!message.startsWith(`${fn}: expected `)) problems.push(`${where}: message "${message}" does not start with "${fn}: expected "`);
      else if (m.names !== undefined && !namesArgument(message, m.names)) problems.push(`${where}: message "${message}" does not name ${m.names}`);
    };

    // every mutation of every entry point once, then random ones until 2000 calls
    for (const fn of entries) {
      const call = validCall(fn as KernelName, rng);
      for (const m of mutationsOf(call)) tryCall(fn, m.apply(call.args), m);
    }
    while (calls < 2000) {
      const fn = entries[rng.int(entries.length)];
      const call = validCall(fn as KernelName, rng);
      const all = mutationsOf(call);
      const m = all[rng.int(all.length)];
      tryCall(fn, m.apply(call.args), m);
    }
    // getThreads takes no arguments, info is checked only for survival
    tryCall('info', [1, 2], { what: 'extra arguments', expect: 'either', apply: (a) => a });
    native.setThreads(0);

    expect(problems.slice(0, 30), `${problems.length} of ${calls} calls misbehaved`).toEqual([]);
    expect(calls).toBeGreaterThanOrEqual(2000);
    expect(thrown).toBeGreaterThan(calls * 0.9);
  });

  it('still computes correctly after the fuzzing', () => {
    const C = new Float32Array(4);
    native.gemm(false, false, 2, 2, 2, 1, Float32Array.from([1, 2, 3, 4]), Float32Array.from([5, 6, 7, 8]), 0, C);
    expect(Array.from(C)).toEqual([19, 22, 43, 50]);
  });
});

