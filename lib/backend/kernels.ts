import { Act, Opt, OptHyper } from './types';
import { checkLabels, checkRowIndices } from './js/checks';
import { fail } from '../validate';

// Every kernel's signature, declared once: its arguments in order with their kinds, the least length
// of each array argument, and the checks of values that kinds and lengths do not cover. `ops`
// (lib/ops.ts) validates from it, the native fuzz test builds its calls from it, and a contract test
// holds the addon's exports and native/kernels.h's code tables to it. native/addon.cc reads its
// arguments by hand, in the same order and with the same rules.
//
// A new kernel: its entry here, its method on Backend (types.ts), its JS definition (js/, listed in
// js/index.ts), its C++ kernel and glue (native/kernels_*.cc, kernels.h, addon.cc), and its parity
// and reference tests. ops, the fuzz test and the contract test pick it up from this table.

/** What an argument must be, as the addon checks it. */
export type ArgKind =
  | 'f32' | 'i32' | 'f64' // a Float32Array, Int32Array or Float64Array (see `lengths`)
  | 'bool'
  | 'size' // an integer in [0, 2³² − 1]
  | 'blasSize' // an integer in [0, 2³¹ − 1]: OpenBLAS takes int
  | 'threads' // an integer in [0, 1024]; 0 restores the default
  | 'num' // a number (NaN computes NaN, as in the JS backend)
  | 'seed' // a finite number, taken modulo 2³²
  | 'prob' // a number in [0, 1)
  | 'eps' // a finite number ≥ 0
  | 'act' | 'loss' | 'opt'; // a code of Act, Loss or Opt (lib/backend/types.ts)

/** The size, flag and code arguments of one call, by name. */
export type Sizes = Record<string, number | boolean>;

export interface KernelSignature {
  readonly args: readonly (readonly [name: string, kind: ArgKind])[];
  /** The least length of each array argument, from the sizes, flags and codes; an array left out
   *  (or 0) may be shorter, even empty, because the call does not read it. */
  readonly lengths: (s: Sizes) => Readonly<Record<string, number>>;
  /** Checks of the values that index memory or would poison every weight; both backends refuse what
   *  these refuse (a RangeError naming the argument). */
  readonly values?: (fn: string, args: readonly unknown[], s: Sizes) => void;
  readonly returns: 'void' | 'number';
}

const N = (s: Sizes) => s.n as number;
const M = (s: Sizes) => s.m as number;
const MN = (s: Sizes) => (s.m as number) * (s.n as number);
const none = () => ({});

/** The hyper-parameters (OptHyper) an optimizer kind reads: those must be finite, and Adam's step ≥ 1. */
export function hyperUsed(kind: number): Record<Exclude<keyof typeof OptHyper, 'length'>, boolean> {
  const adam = kind === Opt.adam || kind === Opt.adamw;
  return {
    lr: true,
    beta1: kind !== Opt.sgd && kind !== Opt.adagrad && kind !== Opt.rmsprop,
    beta2: kind === Opt.rmsprop || adam,
    eps: kind === Opt.adagrad || kind === Opt.rmsprop || adam,
    weightDecay: kind === Opt.adamw,
    step: adam,
  };
}

// A NaN or infinite hyper-parameter would poison every weight.
function checkHyper(fn: string, kind: number, h: Float64Array): void {
  const used = hyperUsed(kind);
  for (const name of Object.keys(used) as (keyof typeof used)[]) {
    const v = h[OptHyper[name]];
    if (used[name] && !Number.isFinite(v)) fail(fn, `h[${name}]`, 'a finite number', String(v));
  }
  if (used.step && !(h[OptHyper.step] >= 1)) fail(fn, 'h[step]', 'a step count ≥ 1', String(h[OptHyper.step]));
}

export const kernels = {
  gemm: {
    args: [['transA', 'bool'], ['transB', 'bool'], ['m', 'blasSize'], ['n', 'blasSize'], ['k', 'blasSize'], ['alpha', 'num'],
      ['A', 'f32'], ['B', 'f32'], ['beta', 'num'], ['C', 'f32']],
    lengths: (s) => ({ A: (s.m as number) * (s.k as number), B: (s.k as number) * (s.n as number), C: MN(s) }),
    returns: 'void',
  },
  addBias: { args: [['y', 'f32'], ['b', 'f32'], ['m', 'size'], ['n', 'size']], lengths: (s) => ({ y: MN(s), b: N(s) }), returns: 'void' },
  sumRows: {
    args: [['out', 'f32'], ['x', 'f32'], ['m', 'size'], ['n', 'size'], ['alpha', 'num'], ['beta', 'num']],
    lengths: (s) => ({ out: N(s), x: MN(s) }),
    returns: 'void',
  },
  activationForward: {
    args: [['kind', 'act'], ['alpha', 'num'], ['y', 'f32'], ['x', 'f32'], ['n', 'size']],
    lengths: (s) => ({ y: N(s), x: N(s) }),
    returns: 'void',
  },
  activationBackward: {
    args: [['kind', 'act'], ['alpha', 'num'], ['dx', 'f32'], ['dy', 'f32'], ['x', 'f32'], ['y', 'f32'], ['n', 'size']],
    // sigmoid and tanh differentiate through y, identity through neither, the rest through x (step
    // too: its zero gradient is NaN where x is NaN).
    lengths: (s) => {
      const readsY = s.kind === Act.sigmoid || s.kind === Act.tanh;
      const readsX = !readsY && s.kind !== Act.identity;
      return { dx: N(s), dy: N(s), x: readsX ? N(s) : 0, y: readsY ? N(s) : 0 };
    },
    returns: 'void',
  },
  softmaxForward: {
    args: [['y', 'f32'], ['x', 'f32'], ['m', 'size'], ['n', 'size']],
    lengths: (s) => ({ y: MN(s), x: MN(s) }),
    returns: 'void',
  },
  softmaxBackward: {
    args: [['dx', 'f32'], ['dy', 'f32'], ['y', 'f32'], ['m', 'size'], ['n', 'size']],
    lengths: (s) => ({ dx: MN(s), dy: MN(s), y: MN(s) }),
    returns: 'void',
  },
  softmaxCrossentropy: {
    args: [['dz', 'f32'], ['z', 'f32'], ['target', 'f32'], ['m', 'size'], ['n', 'size'], ['sparse', 'bool'], ['scale', 'num']],
    lengths: (s) => ({ dz: MN(s), z: MN(s), target: s.sparse ? M(s) : MN(s) }),
    values: (fn, args, s) => {
      if (s.sparse) checkLabels(fn, 'target', args[2] as Float32Array, M(s), N(s));
    },
    returns: 'number',
  },
  loss: {
    args: [['kind', 'loss'], ['dpred', 'f32'], ['pred', 'f32'], ['target', 'f32'], ['n', 'size'], ['scale', 'num']],
    lengths: (s) => ({ dpred: N(s), pred: N(s), target: N(s) }),
    returns: 'number',
  },
  oneHot: {
    args: [['out', 'f32'], ['labels', 'f32'], ['m', 'size'], ['n', 'size']],
    lengths: (s) => ({ out: MN(s), labels: M(s) }),
    values: (fn, args, s) => checkLabels(fn, 'labels', args[1] as Float32Array, M(s), N(s)),
    returns: 'void',
  },
  dropoutForward: {
    args: [['y', 'f32'], ['mask', 'f32'], ['x', 'f32'], ['n', 'size'], ['p', 'prob'], ['seed', 'seed']],
    lengths: (s) => ({ y: N(s), mask: N(s), x: N(s) }),
    returns: 'void',
  },
  mul: {
    args: [['z', 'f32'], ['x', 'f32'], ['y', 'f32'], ['n', 'size']],
    lengths: (s) => ({ z: N(s), x: N(s), y: N(s) }),
    returns: 'void',
  },
  batchNormForward: {
    args: [['y', 'f32'], ['xhat', 'f32'], ['mean', 'f32'], ['invStd', 'f32'], ['x', 'f32'], ['gamma', 'f32'], ['beta', 'f32'],
      ['m', 'size'], ['n', 'size'], ['eps', 'eps'], ['training', 'bool']],
    lengths: (s) => ({ y: MN(s), xhat: MN(s), mean: N(s), invStd: N(s), x: MN(s), gamma: N(s), beta: N(s) }),
    returns: 'void',
  },
  batchNormBackward: {
    args: [['dx', 'f32'], ['dgamma', 'f32'], ['dbeta', 'f32'], ['dy', 'f32'], ['xhat', 'f32'], ['invStd', 'f32'], ['gamma', 'f32'],
      ['m', 'size'], ['n', 'size'], ['training', 'bool']],
    lengths: (s) => ({ dx: MN(s), dgamma: N(s), dbeta: N(s), dy: MN(s), xhat: MN(s), invStd: N(s), gamma: N(s) }),
    returns: 'void',
  },
  layerNormForward: {
    args: [['y', 'f32'], ['xhat', 'f32'], ['mean', 'f32'], ['invStd', 'f32'], ['x', 'f32'], ['gamma', 'f32'], ['beta', 'f32'],
      ['m', 'size'], ['n', 'size'], ['eps', 'eps']],
    lengths: (s) => ({ y: MN(s), xhat: MN(s), mean: M(s), invStd: M(s), x: MN(s), gamma: N(s), beta: N(s) }),
    returns: 'void',
  },
  layerNormBackward: {
    args: [['dx', 'f32'], ['dgamma', 'f32'], ['dbeta', 'f32'], ['dy', 'f32'], ['xhat', 'f32'], ['invStd', 'f32'], ['gamma', 'f32'],
      ['m', 'size'], ['n', 'size']],
    lengths: (s) => ({ dx: MN(s), dgamma: N(s), dbeta: N(s), dy: MN(s), xhat: MN(s), invStd: M(s), gamma: N(s) }),
    returns: 'void',
  },
  optimizerStep: {
    args: [['kind', 'opt'], ['param', 'f32'], ['grad', 'f32'], ['s1', 'f32'], ['s2', 'f32'], ['n', 'size'], ['h', 'f64']],
    lengths: (s) => ({
      param: N(s), grad: N(s), s1: s.kind === Opt.sgd ? 0 : N(s), s2: s.kind === Opt.adam || s.kind === Opt.adamw ? N(s) : 0,
      h: OptHyper.length,
    }),
    values: (fn, args, s) => checkHyper(fn, s.kind as number, args[6] as Float64Array),
    returns: 'void',
  },
  gatherRows: {
    // src's length is not set by the sizes: it must hold every row idx names (the values check).
    args: [['out', 'f32'], ['src', 'f32'], ['idx', 'i32'], ['count', 'size'], ['rowLen', 'size']],
    lengths: (s) => ({ out: (s.count as number) * (s.rowLen as number), idx: s.count as number }),
    values: (fn, args, s) => checkRowIndices(fn, args[2] as Int32Array, s.count as number, (args[1] as Float32Array).length,
      s.rowLen as number),
    returns: 'void',
  },
  argmaxRows: {
    args: [['out', 'i32'], ['x', 'f32'], ['m', 'size'], ['n', 'size']],
    lengths: (s) => ({ out: M(s), x: MN(s) }),
    returns: 'void',
  },
  axpy: { args: [['y', 'f32'], ['alpha', 'num'], ['x', 'f32'], ['n', 'size']], lengths: (s) => ({ y: N(s), x: N(s) }), returns: 'void' },
  scale: { args: [['x', 'f32'], ['alpha', 'num'], ['n', 'size']], lengths: (s) => ({ x: N(s) }), returns: 'void' },
  fill: { args: [['x', 'f32'], ['value', 'num'], ['n', 'size']], lengths: (s) => ({ x: N(s) }), returns: 'void' },
  addSign: { args: [['g', 'f32'], ['alpha', 'num'], ['w', 'f32'], ['n', 'size']], lengths: (s) => ({ g: N(s), w: N(s) }), returns: 'void' },
  sumSquares: { args: [['x', 'f32'], ['n', 'size']], lengths: (s) => ({ x: N(s) }), returns: 'number' },
  sumAbs: { args: [['x', 'f32'], ['n', 'size']], lengths: (s) => ({ x: N(s) }), returns: 'number' },
  clip: { args: [['x', 'f32'], ['lo', 'num'], ['hi', 'num'], ['n', 'size']], lengths: (s) => ({ x: N(s) }), returns: 'void' },
  getThreads: { args: [], lengths: none, returns: 'number' },
  setThreads: { args: [['n', 'threads']], lengths: none, returns: 'void' },
} as const satisfies Record<string, KernelSignature>;

export type KernelName = keyof typeof kernels;
export const kernelNames = Object.keys(kernels) as KernelName[];
