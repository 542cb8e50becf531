// Native backend against the JS backend (the definition), one block per primitive, on seeded random
// inputs of odd and large sizes, given as subarray views at odd offsets, with outputs fenced by
// sentinels (test/helpers/arrays.ts `guarded`) so a write past a view's end is caught.
//
// Tolerance. An element passes when |native − js| ≤ rtol·|js| + atol·max|js|, the max taken over the
// compared array (so an element that is a sum with cancellation is judged against the array's scale):
//   EXACT   rtol 0,    atol 0     dropout masks and outputs, oneHot, gather, argmax, fill, clip, relu…
//   ARITH   rtol 2e-6, atol 1e-7  plain float arithmetic: only rounding order and FMA may differ
//   MATH    rtol 1e-5, atol 1e-7  exp/log/tanh/sqrt: float libm vs double Math.*, a few ulp
//   SUMS    rtol 1e-5, atol 1e-6  normalisation and other column/row reductions
//   OPTIM   rtol 1e-5, atol 1e-6  optimizer updates: native steps in float32 (vectorised), JS in
//                                 double; five steps let a few ulps per step accumulate
// Scalars returned by reductions (losses, norms) use rtol 1e-5 (they are double sums of float terms).
// gemm is judged against an independent float64 triple loop by the float32 forward error bound
// (k + 4)·2⁻²⁴·(|alpha|·|A|·|B| + |beta|·|C|), for both backends.
import { expect, it } from 'vitest';
import { jsBackend as js } from '../../lib/backend/js';
import { Act, Loss, Opt, OptHyper, type ActCode, type Backend, type LossCode, type OptCode } from '../../lib/backend/types';
import { guarded, randomDistributions, randomFloat32, randomInts, randomLabels, viewOf } from '../helpers/arrays';
import { expectClose, expectExactlyEqual, type Tolerance } from '../helpers/close';
import { expectWithinGemmBound, gemmReference } from '../helpers/gemm-reference';
import { describeNative } from '../helpers/native';

const EXACT = { rtol: 0, atol: 0 };
const ARITH = { rtol: 2e-6, atol: 1e-7 };
const MATH = { rtol: 1e-5, atol: 1e-7 };
const SUMS = { rtol: 1e-5, atol: 1e-6 };
const OPTIM = { rtol: 1e-5, atol: 1e-6 };
const SCALAR = { rtol: 1e-5, atol: 1e-12 };

/** Elementwise sizes: tiny, odd, one SIMD-unfriendly length, and one past the pool's threshold. */
const SIZES = [1, 7, 33, 1000, 100003, 1000003];
/** Row-major shapes [m, n]: vectors both ways, odd, MLP-sized, and one large enough to run threaded. */
const SHAPES: readonly (readonly [number, number])[] = [[1, 1], [1, 7], [7, 1], [3, 33], [33, 10], [128, 784],
  [1000, 13], [2000, 601]];

/** The compare rule described at the top of this file. */
function expectParity(native: ArrayLike<number>, reference: ArrayLike<number>, tol: Tolerance, label: string): void {
  if (tol.rtol === 0 && tol.atol === 0) {
    expectExactlyEqual(native, reference, label);
    return;
  }
  let scale = 0;
  for (let i = 0; i < reference.length; i++) {
    const v = Math.abs(reference[i]);
    if (v > scale && Number.isFinite(v)) scale = v;
  }
  if (native.length !== reference.length) throw new Error(`${label}: length ${native.length} ≠ ${reference.length}`);
  const atol = tol.atol * scale;
  for (let i = 0; i < reference.length; i++) {
    const a = native[i];
    const e = reference[i];
    const ok = Number.isNaN(e) ? Number.isNaN(a) : !Number.isFinite(e) ? a === e
      : Math.abs(a - e) <= tol.rtol * Math.abs(e) + atol;
    if (!ok) {
      throw new Error(`${label}: native[${i}] = ${a}, js[${i}] = ${e} (|diff| ${Math.abs(a - e).toExponential(3)} > ` +
        `${tol.rtol}·|js| + ${tol.atol}·${scale.toPrecision(4)})`);
    }
  }
}

/**
 * Calls `call` on both backends with separately built but identical arguments, and returns both
 * argument lists (outputs included) and results. `make` must build fresh arrays every time.
 */
function onBoth<A extends readonly unknown[], R>(native: Backend, make: () => A, call: (b: Backend, args: A) => R) {
  const jsArgs = make();
  const nativeArgs = make();
  const jsResult = call(js, jsArgs);
  const nativeResult = call(native, nativeArgs);
  return { jsArgs, nativeArgs, jsResult, nativeResult };
}

/** An output array: a guarded view prefilled with garbage the kernel must overwrite (or read, if it accumulates). */
function out(n: number, seed: number, fill?: number) {
  const g = guarded(fill === undefined ? randomFloat32(seed, n, -3, 3) : new Float32Array(n).fill(fill), 3 + (seed % 5), 4);
  return g;
}

describeNative('native/JS parity', (native) => {
  it('gemm: every transpose, odd and large shapes, alpha/beta, views; both within the float64 bound', () => {
    const shapes = [[1, 1, 1], [1, 7, 5], [7, 1, 5], [3, 17, 64], [17, 3, 64], [64, 64, 64], [33, 65, 17],
      [5, 300, 2], [128, 256, 784], [128, 784, 256]] as const;
    const scalars = [[1, 0], [0.5, 1], [-2, 0.25]] as const;
    let seed = 1000;
    for (const tA of [false, true]) {
      for (const tB of [false, true]) {
        for (const [m, n, k] of shapes) {
          // the large products run once per transpose pair with a general alpha and beta
          for (const [alpha, beta] of m * n * k > 1e6 ? scalars.slice(2) : scalars) {
            const s = seed++;
            const A = randomFloat32(s, m * k);
            const B = randomFloat32(s + 7919, k * n);
            const C0 = randomFloat32(s + 104729, m * n, -2, 2);
            const label = `gemm ${tA ? 'T' : 'N'}${tB ? 'T' : 'N'} m=${m} n=${n} k=${k} alpha=${alpha} beta=${beta}`;
            const ref = gemmReference(tA, tB, m, n, k, alpha, A, B, beta, C0);
            const { jsArgs, nativeArgs } = onBoth(native, () => {
              const C = guarded(C0, 2, 3);
              return [viewOf(A, 1), viewOf(B, 3), C] as const;
            }, (b, [a, bb, c]) => b.gemm(tA, tB, m, n, k, alpha, a, bb, beta, c.view));
            expectWithinGemmBound(jsArgs[2].view, ref, k, `js ${label}`);
            expectWithinGemmBound(nativeArgs[2].view, ref, k, `native ${label}`);
            expect(nativeArgs[2].guardsIntact(), `${label}: native wrote outside C`).toBe(true);
          }
        }
      }
    }
  });

  it('gemm: beta = 0 ignores NaN in C; alpha = 0 and k = 0 leave beta·C', () => {
    for (const [tA, tB] of [[false, false], [true, true], [false, true], [true, false]] as const) {
      const { jsArgs, nativeArgs } = onBoth(native, () => [new Float32Array(12).fill(NaN)] as const,
        (b, [C]) => b.gemm(tA, tB, 3, 4, 5, 1, randomFloat32(1, 15), randomFloat32(2, 20), 0, C));
      expect(nativeArgs[0].some(Number.isNaN)).toBe(false);
      expectWithinGemmBound(nativeArgs[0], gemmReference(tA, tB, 3, 4, 5, 1, randomFloat32(1, 15), randomFloat32(2, 20), 0, []), 5, 'native beta=0');
      expectWithinGemmBound(jsArgs[0], gemmReference(tA, tB, 3, 4, 5, 1, randomFloat32(1, 15), randomFloat32(2, 20), 0, []), 5, 'js beta=0');
    }
    const alphaZero = onBoth(native, () => [Float32Array.from([1, 2, 3, 4, 5, 6])] as const,
      (b, [C]) => b.gemm(false, false, 2, 3, 4, 0, randomFloat32(3, 8), randomFloat32(4, 12), 0.5, C));
    expectExactlyEqual(alphaZero.nativeArgs[0], alphaZero.jsArgs[0], 'alpha = 0');
    const kZero = onBoth(native, () => [Float32Array.from([1, 2, 3, 4, 5, 6])] as const,
      (b, [C]) => b.gemm(true, false, 2, 3, 0, 1, new Float32Array(0), new Float32Array(0), 2, C));
    expectExactlyEqual(kZero.nativeArgs[0], kZero.jsArgs[0], 'k = 0');
  });

  it('addBias', () => {
    for (const [m, n] of SHAPES) {
      const r = onBoth(native, () => [out(m * n, m), viewOf(randomFloat32(n, n), 2)] as const,
        (b, [y, bias]) => b.addBias(y.view, bias, m, n));
      expectParity(r.nativeArgs[0].view, r.jsArgs[0].view, ARITH, `addBias ${m}×${n}`);
      expect(r.nativeArgs[0].guardsIntact()).toBe(true);
    }
  });

  it('sumRows with alpha/beta (beta = 0 ignores NaN)', () => {
    for (const [m, n] of SHAPES) {
      for (const [alpha, beta] of [[1, 0], [0.5, 2], [-1 / m, 1]] as const) {
        const r = onBoth(native, () => [out(n, n, beta === 0 ? NaN : undefined), viewOf(randomFloat32(m + n, m * n), 1)] as const,
          (b, [o, x]) => b.sumRows(o.view, x, m, n, alpha, beta));
        expectParity(r.nativeArgs[0].view, r.jsArgs[0].view, SUMS, `sumRows ${m}×${n} alpha=${alpha} beta=${beta}`);
        expect(r.nativeArgs[0].guardsIntact()).toBe(true);
      }
    }
  });

  const acts: [string, ActCode, number, Tolerance][] = [
    ['identity', Act.identity, 0, EXACT], ['step', Act.step, 0, EXACT], ['sigmoid', Act.sigmoid, 0, MATH],
    ['tanh', Act.tanh, 0, MATH], ['relu', Act.relu, 0, EXACT], ['leakyRelu', Act.leakyRelu, 0.01, ARITH],
    ['elu', Act.elu, 1.3, MATH],
  ];
  it('activationForward: every kind and size (includes 0 and ±large inputs)', () => {
    for (const [name, kind, alpha, tol] of acts) {
      for (const n of SIZES) {
        const make = () => {
          const x = randomFloat32(n + kind, n, -6, 6);
          if (n > 3) { x[0] = 0; x[1] = 40; x[2] = -40; }
          return [out(n, n), viewOf(x, 5)] as const;
        };
        const r = onBoth(native, make, (b, [y, x]) => b.activationForward(kind, alpha, y.view, x, n));
        expectParity(r.nativeArgs[0].view, r.jsArgs[0].view, tol, `activationForward ${name} n=${n}`);
        expect(r.nativeArgs[0].guardsIntact()).toBe(true);
      }
    }
  });

  it('activationBackward: every kind and size, and dx aliasing dy', () => {
    for (const [name, kind, alpha, tol] of acts) {
      for (const n of SIZES) {
        const x = randomFloat32(n + 3 * kind, n, -4, 4);
        if (n > 2) x[0] = 0;
        const y = new Float32Array(n);
        js.activationForward(kind, alpha, y, x, n);
        const dy = randomFloat32(n + 11, n);
        const r = onBoth(native, () => [out(n, n + 1), viewOf(dy, 2), viewOf(x, 1), viewOf(y, 4)] as const,
          (b, [dx, d, xx, yy]) => b.activationBackward(kind, alpha, dx.view, d, xx, yy, n));
        const label = `activationBackward ${name} n=${n}`;
        expectParity(r.nativeArgs[0].view, r.jsArgs[0].view, tol === EXACT ? EXACT : MATH, label);
        expect(r.nativeArgs[0].guardsIntact()).toBe(true);
        const aliased = onBoth(native, () => [viewOf(dy, 3)] as const, (b, [d]) => b.activationBackward(kind, alpha, d, d, x, y, n));
        expectParity(aliased.nativeArgs[0], r.jsArgs[0].view, tol === EXACT ? EXACT : MATH, `${label} (aliased)`);
      }
    }
  });

  it('activations: NaN, ±Infinity, ±0 and denormals give the same y and dx in both backends', () => {
    const special = [NaN, -NaN, Infinity, -Infinity, 0, -0, 1e-45, -1e-45, 3, -3];
    for (const [name, kind, alpha] of acts) {
      for (const n of [special.length, 1003]) {
        // Specials scattered through a vector long enough for the SIMD body and its tail.
        const x = randomFloat32(77 + kind, n, -4, 4);
        for (let i = 0; i < n; i += 7) x[i] = special[(i / 7) % special.length];
        if (n === special.length) x.set(special);
        const dy = randomFloat32(78 + kind, n);
        dy[5] = NaN;
        const y = new Float32Array(n);
        js.activationForward(kind, alpha, y, x, n);
        const fwd = onBoth(native, () => [new Float32Array(n)] as const, (b, [yy]) => b.activationForward(kind, alpha, yy, x, n));
        const bwd = onBoth(native, () => [new Float32Array(n)] as const, (b, [dx]) => b.activationBackward(kind, alpha, dx, dy, x, y, n));
        for (const [what, r] of [['forward', fwd], ['backward', bwd]] as const) {
          const a = r.nativeArgs[0];
          const e = r.jsArgs[0];
          for (let i = 0; i < n; i++) {
            if (Number.isNaN(x[i]) && !(what === 'backward' && kind === Act.identity)) {
              expect(Number.isNaN(e[i]) && Number.isNaN(a[i]), `${name} ${what} NaN at ${i}`).toBe(true);
            }
          }
          expectParity(a, e, MATH, `${name} ${what} specials n=${n}`);
        }
      }
    }
  });

  it('softmaxForward (also in place)', () => {
    for (const [m, n] of SHAPES) {
      const x = randomFloat32(m * 3 + n, m * n, -8, 8);
      if (m * n > 2) { x[0] = 80; x[1] = -80; }
      const f = onBoth(native, () => [out(m * n, m), viewOf(x, 2)] as const, (b, [y, xx]) => b.softmaxForward(y.view, xx, m, n));
      expectParity(f.nativeArgs[0].view, f.jsArgs[0].view, MATH, `softmaxForward ${m}×${n}`);
      expect(f.nativeArgs[0].guardsIntact()).toBe(true);
      const inPlace = onBoth(native, () => [viewOf(x, 1)] as const, (b, [xx]) => b.softmaxForward(xx, xx, m, n));
      expectParity(inPlace.nativeArgs[0], f.jsArgs[0].view, MATH, `softmaxForward in place ${m}×${n}`);
    }
  });

  it('softmaxBackward (also aliased)', () => {
    for (const [m, n] of SHAPES) {
      const y = new Float32Array(m * n);
      js.softmaxForward(y, randomFloat32(m * 3 + n, m * n, -8, 8), m, n);
      const dy = randomFloat32(m + 5 * n, m * n);
      const bw = onBoth(native, () => [out(m * n, n), viewOf(dy, 3), viewOf(y, 1)] as const,
        (b, [dx, d, yy]) => b.softmaxBackward(dx.view, d, yy, m, n));
      expectParity(bw.nativeArgs[0].view, bw.jsArgs[0].view, SUMS, `softmaxBackward ${m}×${n}`);
      expect(bw.nativeArgs[0].guardsIntact()).toBe(true);
      const al = onBoth(native, () => [viewOf(dy, 2)] as const, (b, [d]) => b.softmaxBackward(d, d, y, m, n));
      expectParity(al.nativeArgs[0], bw.jsArgs[0].view, SUMS, `softmaxBackward aliased ${m}×${n}`);
    }
  });

  it('softmaxCrossentropy: sparse and dense (one-hot and soft) targets, scales, dz aliasing z', () => {
    for (const [m, n] of SHAPES) {
      const z = randomFloat32(7 * m + n, m * n, -6, 6);
      const labels = randomLabels(m + 17, m, n);
      const onehot = new Float32Array(m * n);
      for (let i = 0; i < m; i++) onehot[i * n + labels[i]] = 1;
      const soft = randomDistributions(m + 19, m, n);
      const cases: [string, Float32Array, boolean][] = [['sparse', labels, true], ['one-hot', onehot, false], ['soft', soft, false]];
      for (const [kind, target, sparse] of cases) {
        for (const scale of [1, 1 / m]) {
          const label = `softmaxCrossentropy ${kind} ${m}×${n} scale=${scale}`;
          const r = onBoth(native, () => [out(m * n, m + n), viewOf(z, 2), viewOf(target, 1)] as const,
            (b, [dz, zz, t]) => b.softmaxCrossentropy(dz.view, zz, t, m, n, sparse, scale));
          expectClose(r.nativeResult, r.jsResult, SCALAR, `${label} loss`);
          expectParity(r.nativeArgs[0].view, r.jsArgs[0].view, MATH, `${label} dz`);
          expect(r.nativeArgs[0].guardsIntact()).toBe(true);
          const al = onBoth(native, () => [viewOf(z, 3), viewOf(target, 2)] as const,
            (b, [zz, t]) => b.softmaxCrossentropy(zz, zz, t, m, n, sparse, scale));
          expectClose(al.nativeResult, r.jsResult, SCALAR, `${label} loss (aliased)`);
          expectParity(al.nativeArgs[0], r.jsArgs[0].view, MATH, `${label} dz (aliased)`);
        }
      }
    }
  });

  // Inputs per loss, inside each one's domain; the edges (clamps, ties, margins) are planted.
  const losses: [string, LossCode, (n: number, s: number) => [Float32Array, Float32Array], Tolerance][] = [
    ['mse', Loss.mse, (n, s) => [randomFloat32(s, n, -3, 3), randomFloat32(s + 1, n, -3, 3)], ARITH],
    ['halfMse', Loss.halfMse, (n, s) => [randomFloat32(s, n, -3, 3), randomFloat32(s + 1, n, -3, 3)], ARITH],
    ['mae', Loss.mae, (n, s) => {
      const p = randomFloat32(s, n, -3, 3);
      const t = randomFloat32(s + 1, n, -3, 3);
      t[0] = p[0]; // sign(0) = 0
      return [p, t];
    }, ARITH],
    ['bce', Loss.bce, (n, s) => {
      const p = randomFloat32(s, n, 0.001, 0.999);
      const t = randomFloat32(s + 1, n, 0, 1).map((v) => (v < 0.5 ? 0 : 1));
      if (n > 4) { p[0] = 0; p[1] = 1; p[2] = 1e-9; p[3] = 0.99999994; }
      return [p, t];
    }, MATH],
    ['bceLogits', Loss.bceLogits, (n, s) => {
      const z = randomFloat32(s, n, -10, 10);
      if (n > 3) { z[0] = 0; z[1] = 90; z[2] = -90; }
      return [z, randomFloat32(s + 1, n, 0, 1)];
    }, MATH],
    ['hinge', Loss.hinge, (n, s) => {
      const p = randomFloat32(s, n, -3, 3);
      const t = randomFloat32(s + 1, n).map((v) => (v < 0 ? -1 : 1));
      if (n > 2) { p[0] = 1; t[0] = 1; p[1] = -1; t[1] = -1; } // margin exactly 1: no loss, no gradient
      return [p, t];
    }, ARITH],
    ['kl', Loss.kl, (n, s) => {
      const p = randomFloat32(s, n, 0.001, 1);
      const t = randomFloat32(s + 1, n, 0, 1);
      if (n > 2) { p[0] = 0; t[1] = 0; }
      return [p, t];
    }, MATH],
    ['cce', Loss.cce, (n, s) => {
      const p = randomFloat32(s, n, 0.001, 1);
      const t = randomFloat32(s + 1, n, 0, 1);
      if (n > 2) { p[0] = 0; t[1] = 0; }
      return [p, t];
    }, MATH],
  ];
  it('loss: every kind and size, with planted edge values; returned sums and dpred', () => {
    for (const [name, kind, make, tol] of losses) {
      for (const n of SIZES) {
        const [pred, target] = make(n, 31 * kind + n);
        for (const scale of n > 1e5 ? [1 / n] : [1, 1 / n]) {
          const r = onBoth(native, () => [out(n, n + kind), viewOf(pred, 2), viewOf(target, 3)] as const,
            (b, [d, p, t]) => b.loss(kind, d.view, p, t, n, scale));
          const label = `loss ${name} n=${n} scale=${scale}`;
          expectClose(r.nativeResult, r.jsResult, SCALAR, `${label} sum`);
          expectParity(r.nativeArgs[0].view, r.jsArgs[0].view, tol, `${label} dpred`);
          expect(r.nativeArgs[0].guardsIntact()).toBe(true);
        }
      }
    }
  });

  it('oneHot', () => {
    for (const [m, n] of SHAPES) {
      const labels = randomLabels(m * n, m, n);
      const r = onBoth(native, () => [out(m * n, m), viewOf(labels, 1)] as const, (b, [o, l]) => b.oneHot(o.view, l, m, n));
      expectParity(r.nativeArgs[0].view, r.jsArgs[0].view, EXACT, `oneHot ${m}×${n}`);
      expect(r.nativeArgs[0].guardsIntact()).toBe(true);
    }
  });

  it('dropoutForward: masks and outputs bit-identical for every p, seed and size', () => {
    for (const n of SIZES) {
      const large = n > 1e5;
      for (const p of large ? [0.1, 0.5] : [0, 0.1, 0.5, 0.9, 0.999]) {
        for (const seed of large ? [0xffffffff] : [0, 1, 0x7fffffff, 0x80000000, 0xffffffff]) {
          const x = randomFloat32((n + seed) >>> 0, n, -5, 5);
          const r = onBoth(native, () => [out(n, n), out(n, n + 1), viewOf(x, 3)] as const,
            (b, [y, mask, xx]) => b.dropoutForward(y.view, mask.view, xx, n, p, seed));
          const label = `dropout n=${n} p=${p} seed=${seed}`;
          expectExactlyEqual(r.nativeArgs[1].view, r.jsArgs[1].view, `${label} mask`);
          expectExactlyEqual(r.nativeArgs[0].view, r.jsArgs[0].view, `${label} y`);
          expect(r.nativeArgs[0].guardsIntact() && r.nativeArgs[1].guardsIntact()).toBe(true);
        }
      }
    }
  });

  it('mul (also aliased)', () => {
    for (const n of SIZES) {
      const x = randomFloat32(n, n, -4, 4);
      const y = randomFloat32(n + 1, n, -4, 4);
      const r = onBoth(native, () => [out(n, n), viewOf(x, 1), viewOf(y, 2)] as const, (b, [z, a, c]) => b.mul(z.view, a, c, n));
      expectParity(r.nativeArgs[0].view, r.jsArgs[0].view, EXACT, `mul n=${n}`);
      expect(r.nativeArgs[0].guardsIntact()).toBe(true);
      const al = onBoth(native, () => [viewOf(x, 3), viewOf(y, 1)] as const, (b, [a, c]) => b.mul(a, a, c, n));
      expectParity(al.nativeArgs[0], r.jsArgs[0].view, EXACT, `mul aliased n=${n}`);
    }
  });

  it('batchNormForward: training and inference', () => {
    for (const [m, n] of SHAPES) {
      if (m < 2) continue; // batch statistics of one row are degenerate (variance 0); covered by eps below
      const x = randomFloat32(m + 2 * n, m * n, -3, 5);
      const gamma = randomFloat32(n + 1, n, 0.5, 2);
      const beta = randomFloat32(n + 2, n);
      const runMean = randomFloat32(n + 3, n);
      const runInv = randomFloat32(n + 4, n, 0.5, 2);
      for (const training of [true, false]) {
        const r = onBoth(native, () => [out(m * n, 1), out(m * n, 2), training ? out(n, 3) : guarded(runMean, 1, 1),
          training ? out(n, 4) : guarded(runInv, 1, 1), viewOf(x, 2), viewOf(gamma, 1), viewOf(beta, 3)] as const,
        (b, [y, xh, mu, inv, xx, g, bt]) => b.batchNormForward(y.view, xh.view, mu.view, inv.view, xx, g, bt, m, n, 1e-5, training));
        const label = `batchNormForward ${m}×${n} training=${training}`;
        for (const [i, what] of [[0, 'y'], [1, 'xhat'], [2, 'mean'], [3, 'invStd']] as const) {
          expectParity(r.nativeArgs[i].view, r.jsArgs[i].view, SUMS, `${label} ${what}`);
          expect(r.nativeArgs[i].guardsIntact()).toBe(true);
        }
      }
    }
    // m = 1: variance 0, so invStd = 1/√eps
    const one = onBoth(native, () => [out(5, 1), out(5, 2), out(5, 3), out(5, 4)] as const,
      (b, [y, xh, mu, inv]) => b.batchNormForward(y.view, xh.view, mu.view, inv.view, randomFloat32(9, 5), new Float32Array(5).fill(1),
        new Float32Array(5), 1, 5, 1e-3, true));
    for (let i = 0; i < 4; i++) expectParity(one.nativeArgs[i].view, one.jsArgs[i].view, SUMS, `batchNormForward m=1 output ${i}`);
  });

  it('batchNormBackward: training and inference', () => {
    for (const [m, n] of SHAPES) {
      if (m < 2) continue;
      const x = randomFloat32(m + 3 * n, m * n, -3, 5);
      const gamma = randomFloat32(n + 5, n, 0.5, 2);
      const y = new Float32Array(m * n);
      const xhat = new Float32Array(m * n);
      const mean = new Float32Array(n);
      const invStd = new Float32Array(n);
      js.batchNormForward(y, xhat, mean, invStd, x, gamma, new Float32Array(n), m, n, 1e-5, true);
      const dy = randomFloat32(m * n + 1, m * n);
      for (const training of [true, false]) {
        const r = onBoth(native, () => [out(m * n, 5), out(n, 6), out(n, 7), viewOf(dy, 1), viewOf(xhat, 2), viewOf(invStd, 3),
          viewOf(gamma, 4)] as const,
        (b, [dx, dg, db, d, xh, inv, g]) => b.batchNormBackward(dx.view, dg.view, db.view, d, xh, inv, g, m, n, training));
        const label = `batchNormBackward ${m}×${n} training=${training}`;
        for (const [i, what] of [[0, 'dx'], [1, 'dgamma'], [2, 'dbeta']] as const) {
          expectParity(r.nativeArgs[i].view, r.jsArgs[i].view, SUMS, `${label} ${what}`);
          expect(r.nativeArgs[i].guardsIntact()).toBe(true);
        }
      }
    }
  });

  it('layerNormForward', () => {
    for (const [m, n] of SHAPES) {
      if (n < 2) continue;
      const x = randomFloat32(m + 5 * n, m * n, -3, 5);
      const gamma = randomFloat32(n + 6, n, 0.5, 2);
      const beta = randomFloat32(n + 7, n);
      const f = onBoth(native, () => [out(m * n, 1), out(m * n, 2), out(m, 3), out(m, 4), viewOf(x, 1), viewOf(gamma, 2),
        viewOf(beta, 3)] as const,
      (b, [y, xh, mu, inv, xx, g, bt]) => b.layerNormForward(y.view, xh.view, mu.view, inv.view, xx, g, bt, m, n, 1e-5));
      for (const [i, what] of [[0, 'y'], [1, 'xhat'], [2, 'mean'], [3, 'invStd']] as const) {
        expectParity(f.nativeArgs[i].view, f.jsArgs[i].view, SUMS, `layerNormForward ${m}×${n} ${what}`);
        expect(f.nativeArgs[i].guardsIntact()).toBe(true);
      }
    }
  });

  it('layerNormBackward (dx also aliasing dy)', () => {
    for (const [m, n] of SHAPES) {
      if (n < 2) continue;
      const gamma = randomFloat32(n + 6, n, 0.5, 2);
      const xhat = new Float32Array(m * n);
      const invStd = new Float32Array(m);
      js.layerNormForward(new Float32Array(m * n), xhat, new Float32Array(m), invStd, randomFloat32(m + 5 * n, m * n, -3, 5), gamma,
        new Float32Array(n), m, n, 1e-5);
      const dy = randomFloat32(m * n + 2, m * n);
      const bw = onBoth(native, () => [out(m * n, 5), out(n, 6), out(n, 7), viewOf(dy, 2), viewOf(xhat, 1), viewOf(invStd, 3),
        viewOf(gamma, 2)] as const,
      (b, [dx, dg, db, d, xh, inv, g]) => b.layerNormBackward(dx.view, dg.view, db.view, d, xh, inv, g, m, n));
      for (const [i, what] of [[0, 'dx'], [1, 'dgamma'], [2, 'dbeta']] as const) {
        expectParity(bw.nativeArgs[i].view, bw.jsArgs[i].view, SUMS, `layerNormBackward ${m}×${n} ${what}`);
        expect(bw.nativeArgs[i].guardsIntact()).toBe(true);
      }
      const al = onBoth(native, () => [viewOf(dy, 1), new Float32Array(n), new Float32Array(n)] as const,
        (b, [d, dg, db]) => b.layerNormBackward(d, dg, db, d, xhat, invStd, gamma, m, n));
      expectParity(al.nativeArgs[0], bw.jsArgs[0].view, SUMS, `layerNormBackward aliased ${m}×${n} dx`);
    }
  });

  const opts: [string, OptCode][] = [['sgd', Opt.sgd], ['momentum', Opt.momentum], ['momentumEma', Opt.momentumEma],
    ['nesterov', Opt.nesterov], ['adagrad', Opt.adagrad], ['rmsprop', Opt.rmsprop], ['adam', Opt.adam], ['adamw', Opt.adamw]];
  it('optimizerStep: every kind, five steps with fresh gradients, every size', () => {
    for (const [name, kind] of opts) {
      for (const n of SIZES) {
        const h = new Float64Array(OptHyper.length);
        h[OptHyper.lr] = 0.01;
        h[OptHyper.beta1] = 0.9;
        h[OptHyper.beta2] = 0.99;
        h[OptHyper.eps] = 1e-7;
        h[OptHyper.weightDecay] = 0.05;
        const make = () => [viewOf(randomFloat32(n + kind, n), 1), viewOf(new Float32Array(n), 2), viewOf(new Float32Array(n), 3)] as const;
        const jsState = make();
        const nativeState = make();
        for (let t = 1; t <= 5; t++) {
          h[OptHyper.step] = t;
          const g = randomFloat32(100 * t + n, n, -2, 2);
          js.optimizerStep(kind, jsState[0], viewOf(g, 3), jsState[1], jsState[2], n, h);
          native.optimizerStep(kind, nativeState[0], viewOf(g, 1), nativeState[1], nativeState[2], n, h);
        }
        const label = `optimizerStep ${name} n=${n}`;
        expectParity(nativeState[0], jsState[0], OPTIM, `${label} param`);
        expectParity(nativeState[1], jsState[1], OPTIM, `${label} s1`);
        expectParity(nativeState[2], jsState[2], OPTIM, `${label} s2`);
      }
    }
  });

  it('gatherRows', () => {
    for (const [m, n] of SHAPES) {
      const src = randomFloat32(m + n, m * n);
      const count = Math.max(1, Math.floor(m * 1.5));
      const idx = randomInts(m * 7, count, m);
      const g = onBoth(native, () => [out(count * n, 1), viewOf(src, 1)] as const,
        (b, [o, s]) => b.gatherRows(o.view, s, idx, count, n));
      expectParity(g.nativeArgs[0].view, g.jsArgs[0].view, EXACT, `gatherRows ${count} of ${m}×${n}`);
      expect(g.nativeArgs[0].guardsIntact()).toBe(true);
    }
  });

  it('argmaxRows (with ties: the first maximum wins)', () => {
    for (const [m, n] of SHAPES) {
      // few distinct values: many rows have tied maxima
      const tied = Float32Array.from(randomInts(m + 2 * n, m * n, 4));
      const a = onBoth(native, () => [new Int32Array(m).fill(-1), viewOf(tied, 2)] as const,
        (b, [o, x]) => b.argmaxRows(o, x, m, n));
      expectParity(a.nativeArgs[0], a.jsArgs[0], EXACT, `argmaxRows ${m}×${n}`);
    }
  });

  const vectorInput = (n: number) => randomFloat32(n + 1, n, -3, 3);

  it('axpy', () => {
    for (const n of SIZES) {
      const r = onBoth(native, () => [out(n, n), viewOf(vectorInput(n), 1)] as const, (b, [y, x]) => b.axpy(y.view, -0.37, x, n));
      expectParity(r.nativeArgs[0].view, r.jsArgs[0].view, ARITH, `axpy n=${n}`);
      expect(r.nativeArgs[0].guardsIntact()).toBe(true);
    }
  });

  it('scale', () => {
    for (const n of SIZES) {
      const r = onBoth(native, () => [out(n, n + 1)] as const, (b, [y]) => b.scale(y.view, 1.7, n));
      expectParity(r.nativeArgs[0].view, r.jsArgs[0].view, EXACT, `scale n=${n}`);
      expect(r.nativeArgs[0].guardsIntact()).toBe(true);
    }
  });

  it('fill', () => {
    for (const n of SIZES) {
      const r = onBoth(native, () => [out(n, n + 2)] as const, (b, [y]) => b.fill(y.view, -2.25, n));
      expectParity(r.nativeArgs[0].view, r.jsArgs[0].view, EXACT, `fill n=${n}`);
      expect(r.nativeArgs[0].guardsIntact()).toBe(true);
    }
  });

  it('addSign (sign(0) = 0)', () => {
    for (const n of SIZES) {
      const w = randomFloat32(n + 2, n, -1, 1).map((v) => (v > 0.8 ? 0 : v)); // some exact zeros
      const r = onBoth(native, () => [out(n, n + 3), viewOf(w, 2)] as const, (b, [g, ww]) => b.addSign(g.view, 0.125, ww, n));
      expectParity(r.nativeArgs[0].view, r.jsArgs[0].view, EXACT, `addSign n=${n}`);
      expect(r.nativeArgs[0].guardsIntact()).toBe(true);
    }
  });

  it('clip (finite, infinite and empty ranges)', () => {
    for (const n of SIZES) {
      for (const [lo, hi] of [[-1, 1], [-Infinity, 0.5], [0, 0]] as const) {
        const r = onBoth(native, () => [guarded(vectorInput(n), 2, 2)] as const, (b, [x]) => b.clip(x.view, lo, hi, n));
        expectParity(r.nativeArgs[0].view, r.jsArgs[0].view, EXACT, `clip [${lo}, ${hi}] n=${n}`);
        expect(r.nativeArgs[0].guardsIntact()).toBe(true);
      }
    }
  });

  it('sumSquares', () => {
    for (const n of SIZES) {
      const x = vectorInput(n);
      expectClose(native.sumSquares(viewOf(x, 1), n), js.sumSquares(x, n), SCALAR, `sumSquares n=${n}`);
    }
  });

  it('sumAbs', () => {
    for (const n of SIZES) {
      const x = vectorInput(n);
      expectClose(native.sumAbs(viewOf(x, 2), n), js.sumAbs(x, n), SCALAR, `sumAbs n=${n}`);
    }
  });

  it('single-threaded native agrees too (the pool split is not what makes it right)', () => {
    const before = native.getThreads();
    try {
      native.setThreads(1);
      expect(native.getThreads()).toBe(1);
      const n = 1000003;
      const x = randomFloat32(5, n, -3, 3);
      const r = onBoth(native, () => [out(n, 1), out(n, 2), viewOf(x, 1)] as const,
        (b, [y, mask, xx]) => b.dropoutForward(y.view, mask.view, xx, n, 0.25, 99));
      expectExactlyEqual(r.nativeArgs[1].view, r.jsArgs[1].view, 'dropout mask, 1 thread');
      const s = onBoth(native, () => [out(n, 3), viewOf(x, 2)] as const, (b, [y, xx]) => b.activationForward(Act.tanh, 0, y.view, xx, n));
      expectParity(s.nativeArgs[0].view, s.jsArgs[0].view, MATH, 'tanh, 1 thread');
      expectClose(native.sumSquares(x, n), js.sumSquares(x, n), SCALAR, 'sumSquares, 1 thread');
    } finally {
      native.setThreads(0);
    }
    expect(native.getThreads()).toBe(before);
  });
});
