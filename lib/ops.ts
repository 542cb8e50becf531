import { getBackend } from './backend/index';
import { Act, Loss, Opt, OptHyper, type Backend } from './backend/types';
import { checkLabels, checkRowIndices } from './backend/js/checks';
import { checkBoolean, checkFloat32Array, checkInt, checkInt32Array, checkNumber, fail } from './validate';

// The public, validated entry to the kernels: each call checks every argument in TypeScript, then
// calls the active backend. Layers and optimizers call the backend directly (their shapes are
// checked once, when they are built), so none of this runs on the training hot path.

type ArgKind = 'bool' | 'int' | 'num' | 'f32' | 'i32' | 'f64' | 'act' | 'loss' | 'opt';
type Sizes = Record<string, number | boolean>;
/** Each op: its argument names with kinds, the minimum length of each array argument, and any
 *  check of values that the kinds and lengths do not cover. */
interface OpSpec {
  args: readonly (readonly [string, ArgKind])[];
  lengths: (s: Sizes) => Record<string, number>;
  values?: (fn: string, args: unknown[], s: Sizes) => void;
}

const codes = {
  act: Object.values(Act) as number[],
  loss: Object.values(Loss) as number[],
  opt: Object.values(Opt) as number[],
};

const N = (s: Sizes) => s.n as number;
const MN = (s: Sizes) => (s.m as number) * (s.n as number);

const specs = {
  gemm: {
    args: [['transA', 'bool'], ['transB', 'bool'], ['m', 'int'], ['n', 'int'], ['k', 'int'], ['alpha', 'num'],
      ['A', 'f32'], ['B', 'f32'], ['beta', 'num'], ['C', 'f32']],
    lengths: (s) => ({ A: (s.m as number) * (s.k as number), B: (s.k as number) * (s.n as number), C: MN(s) }),
    values: (fn, args, s) => {
      const C = args[9] as Float32Array;
      const cBytes = MN(s) * 4;
      checkNoOverlap(fn, C, cBytes, 'A', args[6] as Float32Array, (s.m as number) * (s.k as number) * 4);
      checkNoOverlap(fn, C, cBytes, 'B', args[7] as Float32Array, (s.k as number) * (s.n as number) * 4);
    },
  },
  addBias: { args: [['y', 'f32'], ['b', 'f32'], ['m', 'int'], ['n', 'int']], lengths: (s) => ({ y: MN(s), b: N(s) }) },
  sumRows: {
    args: [['out', 'f32'], ['x', 'f32'], ['m', 'int'], ['n', 'int'], ['alpha', 'num'], ['beta', 'num']],
    lengths: (s) => ({ out: N(s), x: MN(s) }),
  },
  activationForward: {
    args: [['kind', 'act'], ['alpha', 'num'], ['y', 'f32'], ['x', 'f32'], ['n', 'int']],
    lengths: (s) => ({ y: N(s), x: N(s) }),
  },
  activationBackward: {
    args: [['kind', 'act'], ['alpha', 'num'], ['dx', 'f32'], ['dy', 'f32'], ['x', 'f32'], ['y', 'f32'], ['n', 'int']],
    lengths: (s) => ({ dx: N(s), dy: N(s), x: N(s), y: N(s) }),
  },
  softmaxForward: { args: [['y', 'f32'], ['x', 'f32'], ['m', 'int'], ['n', 'int']], lengths: (s) => ({ y: MN(s), x: MN(s) }) },
  softmaxBackward: {
    args: [['dx', 'f32'], ['dy', 'f32'], ['y', 'f32'], ['m', 'int'], ['n', 'int']],
    lengths: (s) => ({ dx: MN(s), dy: MN(s), y: MN(s) }),
  },
  softmaxCrossEntropy: {
    args: [['dz', 'f32'], ['z', 'f32'], ['target', 'f32'], ['m', 'int'], ['n', 'int'], ['sparse', 'bool'], ['scale', 'num']],
    lengths: (s) => ({ dz: MN(s), z: MN(s), target: s.sparse ? (s.m as number) : MN(s) }),
    values: (fn, args, s) => {
      if (s.sparse) checkLabels(fn, 'target', args[2] as Float32Array, s.m as number, s.n as number);
    },
  },
  loss: {
    args: [['kind', 'loss'], ['dpred', 'f32'], ['pred', 'f32'], ['target', 'f32'], ['n', 'int'], ['scale', 'num']],
    lengths: (s) => ({ dpred: N(s), pred: N(s), target: N(s) }),
  },
  oneHot: {
    args: [['out', 'f32'], ['labels', 'f32'], ['m', 'int'], ['n', 'int']],
    lengths: (s) => ({ out: MN(s), labels: s.m as number }),
    values: (fn, args, s) => checkLabels(fn, 'labels', args[1] as Float32Array, s.m as number, s.n as number),
  },
  dropoutForward: {
    args: [['y', 'f32'], ['mask', 'f32'], ['x', 'f32'], ['n', 'int'], ['p', 'num'], ['seed', 'int']],
    lengths: (s) => ({ y: N(s), mask: N(s), x: N(s) }),
    values: (fn, _args, s) => {
      const p = s.p as number;
      if (p < 0 || p >= 1) fail(fn, 'p', 'a number in [0, 1)', String(p));
    },
  },
  mul: { args: [['z', 'f32'], ['x', 'f32'], ['y', 'f32'], ['n', 'int']], lengths: (s) => ({ z: N(s), x: N(s), y: N(s) }) },
  optimizerStep: {
    args: [['kind', 'opt'], ['param', 'f32'], ['grad', 'f32'], ['s1', 'f32'], ['s2', 'f32'], ['n', 'int'], ['h', 'f64']],
    lengths: (s) => ({ param: N(s), grad: N(s), s1: s.kind === Opt.sgd ? 0 : N(s), s2: (s.kind as number) >= Opt.adam ? N(s) : 0, h: OptHyper.length }),
    values: (fn, args, s) => checkHyper(fn, s.kind as number, args[6] as Float64Array),
  },
  gatherRows: {
    args: [['out', 'f32'], ['src', 'f32'], ['idx', 'i32'], ['count', 'int'], ['rowLen', 'int']],
    lengths: (s) => ({ out: (s.count as number) * (s.rowLen as number), idx: s.count as number }),
    values: (fn, args, s) => checkRowIndices(fn, args[2] as Int32Array, s.count as number, (args[1] as Float32Array).length,
      s.rowLen as number),
  },
  argmaxRows: { args: [['out', 'i32'], ['x', 'f32'], ['m', 'int'], ['n', 'int']], lengths: (s) => ({ out: s.m as number, x: MN(s) }) },
  axpy: { args: [['y', 'f32'], ['alpha', 'num'], ['x', 'f32'], ['n', 'int']], lengths: (s) => ({ y: N(s), x: N(s) }) },
  scale: { args: [['x', 'f32'], ['alpha', 'num'], ['n', 'int']], lengths: (s) => ({ x: N(s) }) },
  fill: { args: [['x', 'f32'], ['value', 'num'], ['n', 'int']], lengths: (s) => ({ x: N(s) }) },
  addSign: { args: [['g', 'f32'], ['alpha', 'num'], ['w', 'f32'], ['n', 'int']], lengths: (s) => ({ g: N(s), w: N(s) }) },
  sumSquares: { args: [['x', 'f32'], ['n', 'int']], lengths: (s) => ({ x: N(s) }) },
  sumAbs: { args: [['x', 'f32'], ['n', 'int']], lengths: (s) => ({ x: N(s) }) },
  clip: { args: [['x', 'f32'], ['lo', 'num'], ['hi', 'num'], ['n', 'int']], lengths: (s) => ({ x: N(s) }) },
} satisfies Record<string, OpSpec>;

export type OpName = keyof typeof specs;

function validate(fn: string, spec: OpSpec, args: unknown[]): void {
  if (args.length !== spec.args.length) {
    fail(fn, 'arguments', `${spec.args.length} arguments (${spec.args.map((a) => a[0]).join(', ')})`, `${args.length}`);
  }
  const sizes: Sizes = {};
  spec.args.forEach(([name, kind], i) => {
    const v = args[i];
    switch (kind) {
      case 'bool': sizes[name] = checkBoolean(fn, name, v); break;
      case 'int': sizes[name] = checkInt(fn, name, v, 0, name === 'seed' ? 2 ** 32 - 1 : 2 ** 31 - 1); break;
      case 'num': sizes[name] = checkNumber(fn, name, v); break;
      case 'f32': checkFloat32Array(fn, name, v); break;
      case 'i32': checkInt32Array(fn, name, v); break;
      case 'f64': if (!(v instanceof Float64Array)) fail(fn, name, 'a Float64Array', v, 'type'); break;
      default: {
        const n = checkInt(fn, name, v, 0);
        if (!codes[kind].includes(n)) fail(fn, name, `a ${kind} code (${codes[kind].join(', ')})`, String(n));
        sizes[name] = n;
      }
    }
  });
  const need = spec.lengths(sizes);
  spec.args.forEach(([name], i) => {
    const len = (args[i] as { length: number }).length;
    if (need[name] !== undefined && len < need[name]) fail(fn, name, `an array of length ≥ ${need[name]}`, `length ${len}`);
  });
  spec.values?.(fn, args, sizes);
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
  mine[0] = before ^ 0xff;
  const same = theirs[0] === (before ^ 0xff);
  mine[0] = before;
  return same;
}

type HyperName = Exclude<keyof typeof OptHyper, 'length'>;
const hyperNames = Object.keys(OptHyper).filter((k) => k !== 'length') as HyperName[];

// A NaN or infinite hyper-parameter would poison every weight: the ones a kind reads must be finite,
// and Adam's step count ≥ 1 (as native/addon.cc requires).
function checkHyper(fn: string, kind: number, h: Float64Array): void {
  const adam = kind === Opt.adam || kind === Opt.adamw;
  const used: Record<HyperName, boolean> = {
    lr: true,
    beta1: kind !== Opt.sgd && kind !== Opt.adagrad && kind !== Opt.rmsprop,
    beta2: kind === Opt.rmsprop || adam,
    eps: kind === Opt.adagrad || kind === Opt.rmsprop || adam,
    weightDecay: kind === Opt.adamw,
    step: adam,
  };
  for (const name of hyperNames) {
    const v = h[OptHyper[name]];
    if (used[name] && !Number.isFinite(v)) fail(fn, `h[${name}]`, 'a finite number', String(v));
  }
  if (adam && !(h[OptHyper.step] >= 1)) fail(fn, 'h[step]', 'a step count ≥ 1', String(h[OptHyper.step]));
}

function checked<K extends OpName>(name: K): Backend[K] {
  const spec: OpSpec = specs[name];
  const fn = `ops.${name}`;
  return ((...args: unknown[]) => {
    validate(fn, spec, args);
    return (getBackend()[name] as (...a: unknown[]) => unknown)(...args);
  }) as unknown as Backend[K];
}

/** The kernels of the active backend, each validating its arguments first (see lib/backend/types.ts
 *  for what each computes). */
export const ops = Object.fromEntries(
  (Object.keys(specs) as OpName[]).map((k) => [k, checked(k)]),
) as { [K in OpName]: Backend[K] };
