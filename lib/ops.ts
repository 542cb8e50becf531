import { getBackend } from './backend/index';
import { kernels, type ArgKind, type KernelName, type KernelSignature, type Sizes } from './backend/kernels';
import { Act, Loss, Opt, type Backend } from './backend/types';
import { checkBoolean, checkFloat32Array, checkInt, checkInt32Array, checkNonNegative, checkNumber, fail } from './validate';

// The public, validated entry to the kernels: each call checks every argument in TypeScript against
// the kernel's signature (lib/backend/kernels.ts), then calls the active backend. Layers and
// optimizers call the backend directly (their shapes are checked once, when they are built), so none
// of this runs on the training hot path.

/** Every kernel but the thread count, which threads() in lib/backend/index.ts sets. */
export type OpName = Exclude<KernelName, 'getThreads' | 'setThreads'>;

const codes = {
  act: Object.values(Act) as number[],
  loss: Object.values(Loss) as number[],
  opt: Object.values(Opt) as number[],
};

// ops holds scalars to a stricter rule than the addon: sizes fit in an int and numbers are finite.
function checkArg(fn: string, name: string, kind: ArgKind, v: unknown, sizes: Sizes): void {
  switch (kind) {
    case 'bool': sizes[name] = checkBoolean(fn, name, v); break;
    case 'size': case 'blasSize': case 'threads': sizes[name] = checkInt(fn, name, v, 0, 2 ** 31 - 1); break;
    case 'seed': sizes[name] = checkInt(fn, name, v, 0, 2 ** 32 - 1); break;
    case 'num': sizes[name] = checkNumber(fn, name, v); break;
    case 'eps': sizes[name] = checkNonNegative(fn, name, v); break;
    case 'prob': {
      const p = checkNumber(fn, name, v);
      if (p < 0 || p >= 1) fail(fn, name, 'a number in [0, 1)', String(p));
      sizes[name] = p;
      break;
    }
    case 'f32': checkFloat32Array(fn, name, v); break;
    case 'i32': checkInt32Array(fn, name, v); break;
    case 'f64': if (!(v instanceof Float64Array)) fail(fn, name, 'a Float64Array', v, 'type'); break;
    default: {
      const n = checkInt(fn, name, v, 0);
      if (!codes[kind].includes(n)) fail(fn, name, `a ${kind} code (${codes[kind].join(', ')})`, String(n));
      sizes[name] = n;
    }
  }
}

function validate(fn: string, sig: KernelSignature, args: unknown[]): void {
  if (args.length !== sig.args.length) {
    fail(fn, 'arguments', `${sig.args.length} arguments (${sig.args.map((a) => a[0]).join(', ')})`, `${args.length}`);
  }
  const sizes: Sizes = {};
  sig.args.forEach(([name, kind], i) => checkArg(fn, name, kind, args[i], sizes));
  const need = sig.lengths(sizes);
  sig.args.forEach(([name], i) => {
    const len = (args[i] as { length: number }).length;
    if (need[name] !== undefined && len < need[name]) fail(fn, name, `an array of length ≥ ${need[name]}`, `length ${len}`);
  });
  sig.values?.(fn, args, sizes);
}

// gemm reads A and B while it writes C, so a C that shares bytes with either reads its own partial
// results: refused rather than silently wrong. Only the bytes each call uses count. The native
// gemm compares addresses too (native/checks.h BN_DISJOINT), which JavaScript cannot see.
function checkNoOverlap(fn: string, C: Float32Array, cBytes: number, name: string, X: Float32Array, xBytes: number): void {
  if (cBytes === 0 || xBytes === 0 || !sameMemory(C, X)) return;
  const c0 = C.byteOffset;
  const x0 = X.byteOffset;
  if (c0 < x0 + xBytes && x0 < c0 + cBytes) {
    const where = C.buffer === X.buffer ? 'the same ArrayBuffer' : 'the same memory (two SharedArrayBuffer objects over it)';
    throw new RangeError(`${fn}: expected C not to overlap ${name}, received C at bytes [${c0}, ${c0 + cBytes}) and ` +
      `${name} at bytes [${x0}, ${x0 + xBytes}) of ${where}`);
  }
}

/** Checks ops makes beyond the signature. */
const extraChecks: Partial<Record<OpName, (fn: string, args: unknown[]) => void>> = {
  gemm: (fn, args) => {
    const [m, n, k] = args.slice(2, 5) as number[];
    const C = args[9] as Float32Array;
    checkNoOverlap(fn, C, m * n * 4, 'A', args[6] as Float32Array, m * k * 4);
    checkNoOverlap(fn, C, m * n * 4, 'B', args[7] as Float32Array, k * n * 4);
  },
};

/**
 * Whether two arrays' buffers are one block of memory. A SharedArrayBuffer posted to a worker and
 * back arrives as a new object over the same memory, byte for byte from its start, so two distinct
 * shared buffers of one length are told apart by flipping a byte of C (about to be written anyway)
 * and looking at the same byte through X's buffer, then restoring it.
 */
function sameMemory(C: Float32Array, X: Float32Array): boolean {
  if (C.buffer === X.buffer) return true;
  if (!(C.buffer instanceof SharedArrayBuffer) || !(X.buffer instanceof SharedArrayBuffer)) return false;
  if (C.buffer.byteLength !== X.buffer.byteLength) return false;
  const mine = new Uint8Array(C.buffer, C.byteOffset, 1);
  const theirs = new Uint8Array(X.buffer, C.byteOffset, 1);
  const before = mine[0];
  // Same memory reads the same byte before the flip and the flipped one after it; two buffers
  // that merely hold such bytes are not fooled by both.
  if (theirs[0] !== before) return false;
  mine[0] = before ^ 0xff;
  const same = theirs[0] === (before ^ 0xff);
  mine[0] = before;
  return same;
}

function checked<K extends OpName>(name: K): Backend[K] {
  const sig: KernelSignature = kernels[name];
  const extra = extraChecks[name];
  const fn = `ops.${name}`;
  return ((...args: unknown[]) => {
    validate(fn, sig, args);
    extra?.(fn, args);
    return (getBackend()[name] as (...a: unknown[]) => unknown)(...args);
  }) as unknown as Backend[K];
}

const opNames = (Object.keys(kernels) as KernelName[]).filter((k): k is OpName => k !== 'getThreads' && k !== 'setThreads');

/** The kernels of the active backend, each validating its arguments first (see lib/backend/types.ts
 *  for what each computes). */
export const ops = Object.fromEntries(opNames.map((k) => [k, checked(k)])) as Pick<Backend, OpName>; // Pick keeps each kernel's own documentation
