// Smoke test of the compiled addon (native/), loaded the way the library loads it: a handful of
// kernels against naive loops written here, the pool path on arrays large enough to be split, and
// the C++ argument checks (error class and message). The full cross-backend parity suite lives in
// test/backend.
import { availableParallelism } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { backendByName, nativeInfo, nativeStatus } from '../../lib/backend/index';
import { Act, Opt, OptHyper, type Backend } from '../../lib/backend/types';
import { expectError } from '../helpers/errors';
import { nativeRequired } from '../helpers/native';

const status = nativeStatus();
// Where the addon is required (CI, BLASNET_REQUIRE_NATIVE=1) a missing build fails here: a build
// that silently fell back to JS would hide every native bug. Elsewhere (a machine without OpenBLAS)
// these tests are skipped like every other native test. Build it with `npm run build:native`.
if (!status.available && nativeRequired) throw new Error(`native addon did not load: ${status.reason}`);
const describeAddon = status.available ? describe : describe.skip;
const nat = backendByName('native') as Backend;
const defaultThreads = status.available ? nat.getThreads() : 0;
afterAll(() => { if (status.available) nat.setThreads(defaultThreads); });

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function random(seed: number, n: number, lo = -1, hi = 1): Float32Array {
  const next = lcg(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * next();
  return out;
}

/** A view of `values` inside a larger buffer whose guard cells on each side hold a sentinel. */
function guarded(values: Float32Array, before: number, after: number) {
  const whole = new Float32Array(before + values.length + after).fill(-777);
  whole.set(values, before);
  return {
    view: whole.subarray(before, before + values.length),
    guardsIntact: () => whole.subarray(0, before).every((v) => v === -777) &&
      whole.subarray(before + values.length).every((v) => v === -777),
  };
}

/** C = alpha·op(A)·op(B) + beta·C in float64, straight from the definition. */
function naiveGemm(tA: boolean, tB: boolean, m: number, n: number, k: number, alpha: number, A: Float32Array,
  B: Float32Array, beta: number, C: Float32Array): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (tA ? A[p * m + i] : A[i * k + p]) * (tB ? B[j * k + p] : B[p * n + j]);
      out[i * n + j] = alpha * s + (beta === 0 ? 0 : beta * C[i * n + j]);
    }
  }
  return out;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    if (!(err <= tol * (1 + Math.abs(expected[i])))) {
      throw new Error(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]} (±${tol})`);
    }
  }
}

const fmix32 = (h: number): number => {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};

describeAddon('native addon: exports', () => {
  it('exports exactly the Backend primitives (plus name from the loader)', () => {
    const expected = ['gemm', 'addBias', 'sumRows', 'activationForward', 'activationBackward', 'softmaxForward',
      'softmaxBackward', 'softmaxCrossentropy', 'loss', 'oneHot', 'dropoutForward', 'mul', 'batchNormForward',
      'batchNormBackward', 'layerNormForward', 'layerNormBackward', 'optimizerStep', 'gatherRows', 'argmaxRows',
      'axpy', 'scale', 'fill', 'addSign', 'sumSquares', 'sumAbs', 'clip', 'getThreads', 'setThreads'];
    const functions = Object.keys(nat).filter((key) => typeof (nat as unknown as Record<string, unknown>)[key] === 'function');
    expect(functions.filter((f) => f !== 'info').sort()).toEqual([...expected].sort());
    expect(nat.name).toBe('native');
  });

  it('info() reports the OpenBLAS build and both thread counts', () => {
    const info = nativeInfo()!;
    expect(info.openblasConfig).toMatch(/OpenBLAS \d+\.\d+/);
    expect(typeof info.openblasCore).toBe('string');
    expect(info.openblasThreads).toBe(nat.getThreads());
    expect(info.poolThreads).toBe(nat.getThreads());
  });
});

describeAddon('native addon: gemm against a float64 triple loop', () => {
  const shapes = [[1, 1, 1], [5, 7, 3], [2, 9, 16], [33, 17, 65], [64, 40, 200]] as const;
  for (const tA of [false, true]) {
    for (const tB of [false, true]) {
      it(`${tA ? 'T' : 'N'}${tB ? 'T' : 'N'} on subarray views`, () => {
        let seed = 1;
        for (const [m, n, k] of shapes) {
          for (const [alpha, beta] of [[1, 0], [-0.5, 2], [1.5, 1]]) {
            const A = guarded(random(seed++, m * k), 3, 5);
            const B = guarded(random(seed++, k * n), 1, 2);
            const C0 = random(seed++, m * n);
            const C = guarded(C0, 7, 4);
            nat.gemm(tA, tB, m, n, k, alpha, A.view, B.view, beta, C.view);
            // float32 products summed over k terms of size ≤ 1: error well under k·2⁻²⁴ each.
            expectClose(C.view, naiveGemm(tA, tB, m, n, k, alpha, A.view, B.view, beta, C0), k * 1.2e-7 * 4,
              `gemm ${m}×${n}×${k} alpha=${alpha} beta=${beta}`);
            expect(A.guardsIntact() && B.guardsIntact() && C.guardsIntact()).toBe(true);
          }
        }
      });
    }
  }

  it('beta = 0 ignores NaN in C; k = 0 gives beta·C', () => {
    const A = random(3, 6), B = random(4, 6);
    const C = new Float32Array(4).fill(NaN);
    nat.gemm(false, false, 2, 2, 3, 1, A, B, 0, C);
    expectClose(C, naiveGemm(false, false, 2, 2, 3, 1, A, B, 0, C), 1e-6, 'beta = 0');
    const D = new Float32Array([1, 2, 3, 4]);
    nat.gemm(false, true, 2, 2, 0, 1, new Float32Array(0), new Float32Array(0), 0.5, D);
    expect(Array.from(D)).toEqual([0.5, 1, 1.5, 2]);
    nat.gemm(true, false, 2, 2, 0, 1, new Float32Array(0), new Float32Array(0), 0, D);
    expect(Array.from(D)).toEqual([0, 0, 0, 0]);
  });
});

describeAddon('native addon: kernels against naive loops', () => {
  it('addBias and sumRows', () => {
    const m = 7, n = 19;
    const y = random(10, m * n), b = random(11, n);
    const want = Float32Array.from(y, (v, i) => v + b[i % n]);
    nat.addBias(y, b, m, n);
    expect(Array.from(y)).toEqual(Array.from(want));
    const out = random(12, n);
    const sums = new Float64Array(n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) sums[j] += y[i * n + j];
    const expected = Array.from(sums, (s, j) => 0.5 * s + 2 * out[j]);
    nat.sumRows(out, y, m, n, 0.5, 2);
    expectClose(out, expected, 1e-6, 'sumRows');
  });

  it('softmaxCrossentropy (sparse) returns Σ(logsumexp − z_true) and writes scale·(softmax − onehot)', () => {
    const m = 4, n = 5;
    const z = random(20, m * n, -3, 3);
    const labels = new Float32Array([0, 4, 2, 2]);
    const dz = new Float32Array(m * n);
    const got = nat.softmaxCrossentropy(dz, z, labels, m, n, true, 0.25);
    let want = 0;
    for (let i = 0; i < m; i++) {
      const row = Array.from(z.subarray(i * n, i * n + n));
      const lse = Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
      want += lse - row[labels[i]];
      for (let j = 0; j < n; j++) {
        const p = Math.exp(row[j] - lse);
        expect(dz[i * n + j]).toBeCloseTo(0.25 * (p - (j === labels[i] ? 1 : 0)), 6);
      }
    }
    expect(got).toBeCloseTo(want, 6); // float exponentials (within 2 ulp), double sums
  });

  it('dropoutForward keeps element i iff fmix32(seed ^ i·0x9E3779B9) ≥ floor(p·2³²)', () => {
    const n = 10_000, p = 0.3, seed = 0xdeadbeef;
    const x = random(30, n), y = new Float32Array(n), mask = new Float32Array(n);
    nat.dropoutForward(y, mask, x, n, p, seed);
    const threshold = Math.floor(p * 2 ** 32);
    const keepValue = Math.fround(1 / (1 - p));
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const keep = fmix32((seed ^ Math.imul(i, 0x9e3779b9)) >>> 0) >= threshold;
      if (mask[i] !== (keep ? keepValue : 0)) throw new Error(`mask[${i}] = ${mask[i]}, keep = ${keep}`);
      if (y[i] !== Math.fround(x[i] * mask[i])) throw new Error(`y[${i}] = ${y[i]}`);
      kept += keep ? 1 : 0;
    }
    expect(kept / n).toBeGreaterThan(0.67);
    expect(kept / n).toBeLessThan(0.73);
  });

  it('adam matches the textbook update', () => {
    const n = 33;
    const param = random(40, n), grad = random(41, n), s1 = random(42, n, 0, 0.1), s2 = random(43, n, 0, 0.1);
    const h = new Float64Array(OptHyper.length);
    h[OptHyper.lr] = 0.01; h[OptHyper.beta1] = 0.9; h[OptHyper.beta2] = 0.999; h[OptHyper.eps] = 1e-8; h[OptHyper.step] = 3;
    const want = Array.from(param, (w, i) => {
      const mo = 0.9 * s1[i] + 0.1 * grad[i];
      const ve = 0.999 * s2[i] + 0.001 * grad[i] ** 2;
      return w - 0.01 * (mo / (1 - 0.9 ** 3)) / (Math.sqrt(ve / (1 - 0.999 ** 3)) + 1e-8);
    });
    nat.optimizerStep(Opt.adam, param, grad, s1, s2, n, h);
    expectClose(param, want, 1e-6, 'adam');
  });

  it('gatherRows, argmaxRows, sumSquares', () => {
    const src = random(50, 6 * 3);
    const out = new Float32Array(4 * 3);
    const idx = new Int32Array([5, 0, 5, 2]);
    nat.gatherRows(out, src, idx, 4, 3);
    for (let r = 0; r < 4; r++) expect(Array.from(out.subarray(r * 3, r * 3 + 3))).toEqual(Array.from(src.subarray(idx[r] * 3, idx[r] * 3 + 3)));
    const x = new Float32Array([1, 3, 3, -1, /**/ -5, -6, -7, -5, /**/ 0, 0, 0, 0.5]);
    const arg = new Int32Array(3);
    nat.argmaxRows(arg, x, 3, 4);
    expect(Array.from(arg)).toEqual([1, 0, 3]);
    const big = random(51, 1001);
    expect(nat.sumSquares(big, 1001)).toBeCloseTo(big.reduce((s, v) => s + v * v, 0), 9);
  });

  it('sigmoid, tanh and elu stay within 2 ulp of Math.exp/Math.tanh/Math.expm1 rounded to float', () => {
    const xs: number[] = [];
    for (let v = -120; v <= 100; v += 0.0137) xs.push(v);
    for (let v = -2; v <= 2; v += 1.3e-4) xs.push(v);
    for (let e = -45; e <= 1; e += 0.05) xs.push(10 ** e, -(10 ** e));
    const x = Float32Array.from(xs);
    const n = x.length;
    const bits = new Int32Array(1);
    const asFloat = new Float32Array(bits.buffer);
    // Floats ordered as integers, so the difference of two keys counts the floats between them.
    const key = (v: number) => {
      asFloat[0] = v;
      return bits[0] < 0 ? -2147483648 - bits[0] : bits[0];
    };
    const references: [number, (v: number) => number][] = [
      [Act.sigmoid, (v) => 1 / (1 + Math.exp(-v))],
      [Act.tanh, Math.tanh],
      [Act.elu, (v) => (v > 0 ? v : 0.7 * Math.expm1(v))],
    ];
    for (const [kind, reference] of references) {
      const y = new Float32Array(n);
      nat.activationForward(kind as 2 | 3 | 6, 0.7, y, x, n);
      for (let i = 0; i < n; i++) {
        const want = Math.fround(reference(x[i]));
        if (Math.abs(key(y[i]) - key(want)) > 2) throw new Error(`kind ${kind} at x = ${x[i]}: ${y[i]}, expected ${want}`);
      }
    }
    const special = new Float32Array([NaN, Infinity, -Infinity, 0]);
    const out = new Float32Array(4);
    nat.activationForward(Act.tanh, 0, out, special, 4);
    expect(Array.from(out)).toEqual([NaN, 1, -1, 0]);
    nat.activationForward(Act.sigmoid, 0, out, special, 4);
    expect(Array.from(out)).toEqual([NaN, 1, 0, 0.5]);
  });

  it('large calls split across the pool give the same result as one thread', () => {
    // Above the pool's threshold (about a million elements), so these take the parallel path.
    const n = 1_500_001;
    const x = random(60, n, -4, 4);
    const results: Float32Array[] = [];
    const sums: number[] = [];
    for (const threads of [1, 2, 3]) {
      nat.setThreads(threads);
      const y = random(61, n);
      nat.axpy(y, 0.5, x, n);
      nat.activationForward(Act.relu, 0, y, y, n);
      results.push(y);
      sums.push(nat.sumAbs(y, n));
    }
    nat.setThreads(0);
    const y0 = random(61, n);
    let mismatches = 0;
    for (let i = 0; i < n; i++) {
      const want = Math.max(0, Math.fround(y0[i] + 0.5 * x[i]));
      if (results[0][i] !== want || results[1][i] !== want || results[2][i] !== want) mismatches++;
    }
    expect(mismatches).toBe(0);
    let total = 0;
    for (let i = 0; i < n; i++) total += results[0][i];
    for (const s of sums) expect(s).toBeCloseTo(total, 6);
  });
});

describeAddon('native addon: threads', () => {
  it('setThreads sets OpenBLAS and the pool together; 0 restores the core count', () => {
    nat.setThreads(1);
    expect(nat.getThreads()).toBe(1);
    expect(nativeInfo()).toMatchObject({ openblasThreads: 1, poolThreads: 1 });
    nat.setThreads(0);
    expect(nat.getThreads()).toBe(availableParallelism());
    expect(nativeInfo()!.openblasThreads).toBe(availableParallelism());
  });
});

describeAddon('native addon: argument checks in C++', () => {
  const f = (n: number) => new Float32Array(n);
  const call = (fn: string, ...args: unknown[]) => () =>
    (nat as unknown as Record<string, (...a: unknown[]) => unknown>)[fn](...args);

  it('wrong kinds of value are TypeErrors naming the function and argument', () => {
    expectError(call('gemm', false, false, 2, 3, 1, 1, f(2), f(3), 0), TypeError, 'gemm: expected 10 arguments, received 9');
    expectError(call('gemm', false, false, 2, 3, 1, 1, [1, 2], f(3), 0, f(6)), TypeError, 'gemm: expected A to be a Float32Array, received Array(2)');
    expectError(call('gemm', false, false, 2, 3, 1, 1, f(2), new Float64Array(3), 0, f(6)), TypeError, 'gemm: expected B to be a Float32Array, received Float64Array(3)');
    expectError(call('gemm', 0, false, 2, 3, 1, 1, f(2), f(3), 0, f(6)), TypeError, 'gemm: expected transA to be a boolean, received 0');
    expectError(call('axpy', f(2), '2', f(2), 2), TypeError, 'axpy: expected alpha to be a number, received "2"');
    expectError(call('fill', f(2), 1, undefined), TypeError, 'fill: expected n to be an integer, received undefined');
    expectError(call('argmaxRows', f(2), f(2), 1, 2), TypeError, 'argmaxRows: expected out to be an Int32Array, received Float32Array(2)');
    expectError(call('optimizerStep', Opt.sgd, f(1), f(1), f(0), f(0), 1, f(6)), TypeError, 'optimizerStep: expected h to be a Float64Array, received Float32Array(6)');
  });

  it('a detached buffer is a TypeError', () => {
    const buffer = new ArrayBuffer(16);
    const x = new Float32Array(buffer);
    structuredClone(buffer, { transfer: [buffer] });
    expectError(call('fill', x, 1, 0), TypeError, 'fill: expected x to be a Float32Array, received one whose buffer is detached');
  });

  it('short arrays and bad sizes are RangeErrors, and nothing is written', () => {
    const C = new Float32Array(5).fill(9);
    expectError(call('gemm', false, false, 2, 3, 1, 1, f(2), f(3), 0, C), RangeError, 'gemm: expected C of length ≥ 6 (m×n), received 5');
    expect(Array.from(C)).toEqual([9, 9, 9, 9, 9]);
    expectError(call('gemm', true, false, 2, 3, 4, 1, f(7), f(12), 0, f(6)), RangeError, 'gemm: expected A of length ≥ 8 (k×m), received 7');
    expectError(call('gemm', false, false, -1, 3, 1, 1, f(2), f(3), 0, f(6)), RangeError, 'gemm: expected m to be an integer in [0, 2147483647], received -1');
    expectError(call('gemm', false, false, 2.5, 3, 1, 1, f(2), f(3), 0, f(6)), RangeError, 'gemm: expected m to be an integer in [0, 2147483647], received 2.5');
    expectError(call('fill', f(4), 0, 2 ** 40), RangeError, 'fill: expected n to be an integer in [0, 4294967295], received 1099511627776');
    // m·n overflows 32 bits (and would wrap a 64-bit product of larger sizes): checked exactly.
    expectError(call('addBias', f(6), f(6), 2 ** 32 - 1, 2 ** 32 - 1), RangeError, 'addBias: expected y of length ≥ 18446744065119617025 (m×n), received 6');
    expectError(call('layerNormForward', f(6), f(6), f(2), f(1), f(6), f(3), f(3), 2, 3, 1e-5), RangeError, 'layerNormForward: expected invStd of length ≥ 2 (m), received 1');
  });

  it('unknown kind codes and NaN hyper-parameters are RangeErrors', () => {
    expectError(call('activationForward', 7, 0, f(1), f(1), 1), RangeError, 'activationForward: expected kind to be an activation code in [0, 6], received 7');
    expectError(call('loss', -1, f(1), f(1), f(1), 1, 1), RangeError, 'loss: expected kind to be a loss code in [0, 7], received -1');
    expectError(call('dropoutForward', f(2), f(2), f(2), 2, NaN, 1), RangeError, 'dropoutForward: expected p to be a number in [0, 1), received NaN');
    expectError(call('dropoutForward', f(2), f(2), f(2), 2, 1, 1), RangeError, 'dropoutForward: expected p to be a number in [0, 1), received 1');
    expectError(call('batchNormForward', f(2), f(2), f(2), f(2), f(2), f(2), f(2), 1, 2, NaN, true), RangeError, 'batchNormForward: expected eps to be a finite number, received NaN');
    expectError(call('clip', f(2), NaN, 1, 2), RangeError, 'clip: expected lo to be a number (not NaN), received NaN');
    const h = new Float64Array([NaN, 0.9, 0.999, 1e-8, 0, 1]);
    expectError(call('optimizerStep', Opt.adam, f(2), f(2), f(2), f(2), 2, h), RangeError, 'optimizerStep: expected h[lr] to be a finite number, received NaN');
    h[0] = 0.1;
    h[OptHyper.step] = 0;
    expectError(call('optimizerStep', Opt.adam, f(2), f(2), f(2), f(2), 2, h), RangeError, 'optimizerStep: expected h[step] to be a step count ≥ 1, received 0');
    expectError(call('optimizerStep', Opt.momentum, f(2), f(2), f(1), f(0), 2, h), RangeError, 'optimizerStep: expected s1 of length ≥ 2 (n), received 1');
  });

  it('out-of-range indices are RangeErrors before anything is written', () => {
    const out = new Float32Array(4).fill(5);
    expectError(call('gatherRows', out, f(6), new Int32Array([1, 3]), 2, 2), RangeError, 'gatherRows: expected idx[1] to be a row index in [0, 3) (src holds 3 rows of 2), received 3');
    expectError(call('gatherRows', out, f(6), new Int32Array([-1]), 1, 2), RangeError, 'gatherRows: expected idx[0] to be a row index in [0, 3) (src holds 3 rows of 2), received -1');
    expect(Array.from(out)).toEqual([5, 5, 5, 5]);
    expectError(call('oneHot', f(4), new Float32Array([1, 2]), 2, 2), RangeError, 'oneHot: expected labels[1] to be a class index in [0, 2), received 2');
    expectError(call('oneHot', f(4), new Float32Array([0.5, 1]), 2, 2), RangeError, 'oneHot: expected labels[0] to be a class index in [0, 2), received 0.5');
    expectError(call('softmaxCrossentropy', f(4), f(4), new Float32Array([0, NaN]), 2, 2, true, 1), RangeError, 'softmaxCrossentropy: expected target[1] to be a class index in [0, 2), received NaN');
  });
});
