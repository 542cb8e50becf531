// The JS backend checked against computation that does not use it: closed forms, hand-worked
// examples, BigInt re-derivations of the dropout hash, and central finite differences for every
// backward kernel. (gemm has its own file, js-gemm.test.ts.)
import { describe, expect, it } from 'vitest';
import { dropoutKeep, fmix32, jsBackend as js } from '../../lib/backend/js';
import { Act, Loss, Opt, OptHyper, type ActCode, type LossCode, type OptCode } from '../../lib/backend/types';
import { guarded, randomDistributions, randomFloat32, randomLabels, viewOf } from '../helpers/arrays';
import { expectAllClose, expectClose, expectExactlyEqual } from '../helpers/close';
import { dot, numericGradient } from '../helpers/finite-difference';

const f32 = (values: number[]) => Float32Array.from(values);
const exact = { rtol: 0, atol: 0 };
/** float32 rounding of inputs and outputs only. */
const tight = { rtol: 1e-6, atol: 1e-7 };
/** Finite differences through float32 forward passes (h = 5e-3): truncation plus rounding noise. */
const fd = { rtol: 2e-3, atol: 3e-4 };

describe('activationForward: closed forms', () => {
  const run = (kind: ActCode, alpha: number, xs: number[]) => {
    const x = viewOf(f32(xs), 2);
    const y = guarded(new Float32Array(xs.length), 1, 2);
    js.activationForward(kind, alpha, y.view, x, xs.length);
    expect(y.guardsIntact()).toBe(true);
    return y.view;
  };
  it('identity, step (1 at 0), relu and leakyRelu', () => {
    const xs = [-2, -0.5, 0, 0.5, 3];
    expectAllClose(run(Act.identity, 0, xs), xs, exact);
    expectAllClose(run(Act.step, 0, xs), [0, 0, 1, 1, 1], exact);
    expectAllClose(run(Act.relu, 0, xs), [0, 0, 0, 0.5, 3], exact);
    expectAllClose(run(Act.leakyRelu, 0.1, xs), [-0.2, -0.05, 0, 0.5, 3], tight);
  });
  it('sigmoid(0) = ½, sigmoid(±ln 3) = ¾ / ¼, and it saturates without NaN', () => {
    expectAllClose(run(Act.sigmoid, 0, [0, Math.log(3), -Math.log(3), 200, -200]), [0.5, 0.75, 0.25, 1, 0], tight);
  });
  it('tanh(±ln 2) = ±0.6', () => {
    expectAllClose(run(Act.tanh, 0, [0, Math.log(2), -Math.log(2), 50]), [0, 0.6, -0.6, 1], tight);
  });
  it('elu: x for x > 0, α(eˣ − 1) below (α = 1.5 at −ln 2 and −ln 4)', () => {
    expectAllClose(run(Act.elu, 1.5, [2, 0, -Math.log(2), -Math.log(4), -100]), [2, 0, -0.75, -1.125, -1.5], tight);
  });
  it('y may alias x', () => {
    const x = f32([-1, 0.5]);
    js.activationForward(Act.relu, 0, x, x, 2);
    expect(Array.from(x)).toEqual([0, 0.5]);
  });
});

describe('activations and NaN (PyTorch semantics)', () => {
  // torch.relu / leaky_relu / elu / sigmoid / tanh / heaviside of NaN are NaN; the backward passes
  // here give NaN wherever x is NaN (but identity's), and a NaN dy reaches dx where φ' is not 0.
  const kinds: [string, ActCode, number][] = [
    ['identity', Act.identity, 0], ['step', Act.step, 0], ['sigmoid', Act.sigmoid, 0], ['tanh', Act.tanh, 0],
    ['relu', Act.relu, 0], ['leakyRelu', Act.leakyRelu, 0.1], ['elu', Act.elu, 1.5],
  ];
  for (const [name, kind, alpha] of kinds) {
    it(`${name}: NaN in x gives NaN in y and dx; finite neighbours are untouched`, () => {
      const x = f32([-2, NaN, 3, NaN]);
      const y = new Float32Array(4);
      js.activationForward(kind, alpha, y, x, 4);
      expect(Number.isNaN(y[1]) && Number.isNaN(y[3])).toBe(true);
      expect(Number.isFinite(y[0]) && Number.isFinite(y[2])).toBe(true);
      const dx = new Float32Array(4);
      js.activationBackward(kind, alpha, dx, f32([1, 1, 1, 0]), x, y, 4);
      // identity's gradient is dy whatever x is (its backward never reads x)
      expect(Number.isNaN(dx[1]) && Number.isNaN(dx[3])).toBe(kind !== Act.identity);
      expect(Number.isFinite(dx[0]) && Number.isFinite(dx[2])).toBe(true);
    });
  }
  it('relu(±Infinity) = Infinity, 0; step(±Infinity) = 1, 0; a NaN dy passes where φ\' ≠ 0 only', () => {
    const run = (kind: ActCode, xs: number[]) => {
      const y = new Float32Array(xs.length);
      js.activationForward(kind, 0, y, f32(xs), xs.length);
      return Array.from(y);
    };
    expect(run(Act.relu, [Infinity, -Infinity])).toEqual([Infinity, 0]);
    expect(run(Act.step, [Infinity, -Infinity])).toEqual([1, 0]);
    const dx = new Float32Array(2);
    js.activationBackward(Act.relu, 0, dx, f32([NaN, NaN]), f32([1, -1]), new Float32Array(2), 2);
    expect(Number.isNaN(dx[0])).toBe(true);
    expect(dx[1]).toBe(0);
  });
});

describe('activationBackward', () => {
  const backward = (kind: ActCode, alpha: number, xs: number[], dys: number[]) => {
    const x = f32(xs);
    const y = new Float32Array(xs.length);
    js.activationForward(kind, alpha, y, x, xs.length);
    const dx = new Float32Array(xs.length);
    js.activationBackward(kind, alpha, dx, f32(dys), x, y, xs.length);
    return dx;
  };
  it("hand values: sigmoid'(0) = 0.25, tanh'(0) = 1, relu' = [x > 0], leaky' = α below 0, elu'(−ln 2) = α/2, step' = 0", () => {
    expectAllClose(backward(Act.sigmoid, 0, [0], [1]), [0.25], tight);
    expectAllClose(backward(Act.tanh, 0, [0, Math.log(2)], [1, 2]), [1, 2 * 0.64], tight);
    expectAllClose(backward(Act.relu, 0, [-1, 0, 2], [3, 3, 3]), [0, 0, 3], exact);
    expectAllClose(backward(Act.leakyRelu, 0.2, [-1, 2], [3, 3]), [0.6, 3], tight);
    expectAllClose(backward(Act.elu, 1.5, [-Math.log(2), 1], [2, 2]), [1.5, 2], tight);
    expectAllClose(backward(Act.step, 0, [-1, 0, 1], [5, 5, 5]), [0, 0, 0], exact);
    expectAllClose(backward(Act.identity, 0, [-1, 4], [5, -6]), [5, -6], exact);
  });

  const kinds: [string, ActCode, number][] = [
    ['identity', Act.identity, 0], ['step', Act.step, 0], ['sigmoid', Act.sigmoid, 0], ['tanh', Act.tanh, 0],
    ['relu', Act.relu, 0], ['leakyRelu', Act.leakyRelu, 0.03], ['elu', Act.elu, 0.7],
  ];
  for (const [name, kind, alpha] of kinds) {
    it(`${name}: matches finite differences of Σ w·φ(x)`, () => {
      const n = 41;
      // keep every x at least 0.05 from the kink at 0, farther than the difference step
      const x = randomFloat32(10 + kind, n, -3, 3).map((v) => (Math.abs(v) < 0.05 ? v + Math.sign(v || 1) * 0.1 : v));
      const w = randomFloat32(20 + kind, n);
      const y = new Float32Array(n);
      const loss = () => {
        js.activationForward(kind, alpha, y, x, n);
        return dot(w, y);
      };
      const numeric = numericGradient(loss, x, 5e-3);
      js.activationForward(kind, alpha, y, x, n);
      const dx = new Float32Array(n);
      js.activationBackward(kind, alpha, dx, w, x, y, n);
      expectAllClose(dx, numeric, fd, `${name} backward`);
    });
  }
  it('dx may alias dy', () => {
    const x = f32([-1, 2]);
    const y = f32([0, 2]);
    const d = f32([5, 7]);
    js.activationBackward(Act.relu, 0, d, d, x, y, 2);
    expect(Array.from(d)).toEqual([0, 7]);
  });
});

describe('softmax', () => {
  it('softmax of [0, ln 2] is [1/3, 2/3]; huge logits stay finite', () => {
    const x = f32([0, Math.log(2), 1000, 1000, -1000, 0]);
    const y = new Float32Array(6);
    js.softmaxForward(y, x, 3, 2);
    expectAllClose(y, [1 / 3, 2 / 3, 0.5, 0.5, 0, 1], tight);
  });
  it('rows sum to 1 and y may alias x (views with offsets)', () => {
    const m = 5;
    const n = 7;
    const x = viewOf(randomFloat32(3, m * n, -5, 5), 3);
    const expected = new Float64Array(m * n);
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += Math.exp(x[i * n + j]);
      for (let j = 0; j < n; j++) expected[i * n + j] = Math.exp(x[i * n + j]) / s;
    }
    js.softmaxForward(x, x, m, n);
    expectAllClose(x, expected, tight);
  });
  it('backward equals the explicit Jacobian s_i(δ_ij − s_j) applied to dy', () => {
    const m = 3;
    const n = 6;
    const y = new Float32Array(m * n);
    js.softmaxForward(y, randomFloat32(4, m * n, -2, 2), m, n);
    const dy = randomFloat32(5, m * n);
    const expected = new Float64Array(m * n);
    for (let r = 0; r < m; r++) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += y[r * n + i] * ((i === j ? 1 : 0) - y[r * n + j]) * dy[r * n + j];
        expected[r * n + i] = s;
      }
    }
    const dx = new Float32Array(m * n);
    js.softmaxBackward(dx, dy, y, m, n);
    expectAllClose(dx, expected, { rtol: 1e-5, atol: 1e-7 });
    js.softmaxBackward(dy, dy, y, m, n); // aliasing
    expectAllClose(dy, dx, exact);
  });
  it('backward matches finite differences of Σ w·softmax(x)', () => {
    const m = 2;
    const n = 5;
    const x = randomFloat32(6, m * n, -2, 2);
    const w = randomFloat32(7, m * n);
    const y = new Float32Array(m * n);
    const numeric = numericGradient(() => {
      js.softmaxForward(y, x, m, n);
      return dot(w, y);
    }, x, 5e-3);
    js.softmaxForward(y, x, m, n);
    const dx = new Float32Array(m * n);
    js.softmaxBackward(dx, w, y, m, n);
    expectAllClose(dx, numeric, fd);
  });
});

describe('softmaxCrossentropy', () => {
  it('z = [0, ln 2]: loss ln 1.5 for class 1 and ln 3 for class 0; dz = softmax − onehot', () => {
    const z = f32([0, Math.log(2), 0, Math.log(2)]);
    const dz = new Float32Array(4);
    const total = js.softmaxCrossentropy(dz, z, f32([1, 0]), 2, 2, true, 1);
    expectClose(total, Math.log(1.5) + Math.log(3), tight);
    expectAllClose(dz, [1 / 3, -1 / 3, 1 / 3 - 1, 2 / 3], tight);
  });
  it('random rows: loss is Σ (logsumexp − z_true), gradient is scale·(softmax − onehot), sparse = dense', () => {
    const m = 9;
    const n = 11;
    const z = viewOf(randomFloat32(8, m * n, -4, 4), 1);
    const labels = viewOf(randomLabels(9, m, n), 2);
    const onehot = new Float32Array(m * n);
    let expectedLoss = 0;
    const expectedGrad = new Float64Array(m * n);
    const scale = 1 / m;
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += Math.exp(z[i * n + j]);
      expectedLoss += Math.log(s) - z[i * n + labels[i]];
      onehot[i * n + labels[i]] = 1;
      for (let j = 0; j < n; j++) expectedGrad[i * n + j] = scale * (Math.exp(z[i * n + j]) / s - onehot[i * n + j]);
    }
    const sparseGrad = new Float32Array(m * n);
    expectClose(js.softmaxCrossentropy(sparseGrad, z, labels, m, n, true, scale), expectedLoss, { rtol: 1e-6, atol: 1e-9 });
    expectAllClose(sparseGrad, expectedGrad, tight);
    const denseGrad = new Float32Array(m * n);
    expectClose(js.softmaxCrossentropy(denseGrad, z, onehot, m, n, false, scale), expectedLoss, { rtol: 1e-6, atol: 1e-9 });
    expectAllClose(denseGrad, sparseGrad, tight);
    // dz may alias z
    const zCopy = Float32Array.from(z);
    js.softmaxCrossentropy(zCopy, zCopy, labels, m, n, true, scale);
    expectAllClose(zCopy, sparseGrad, exact);
  });
  it('soft targets: the gradient matches finite differences of the returned loss', () => {
    const m = 3;
    const n = 4;
    const z = randomFloat32(10, m * n, -2, 2);
    const t = randomDistributions(11, m, n);
    const scratch = new Float32Array(m * n);
    const numeric = numericGradient(() => js.softmaxCrossentropy(scratch, z, t, m, n, false, 1), z, 5e-3);
    const dz = new Float32Array(m * n);
    js.softmaxCrossentropy(dz, z, t, m, n, false, 1);
    expectAllClose(dz, numeric, fd);
  });
  it('is stable for logits of ±1000', () => {
    const dz = new Float32Array(2);
    const total = js.softmaxCrossentropy(dz, f32([1000, -1000]), f32([1]), 1, 2, true, 1);
    expectClose(total, 2000, tight);
    expectAllClose(dz, [1, -1], tight);
  });
});

describe('loss', () => {
  const run = (kind: LossCode, p: number[], t: number[], scale = 1) => {
    const dpred = guarded(new Float32Array(p.length), 2, 2);
    const total = js.loss(kind, dpred.view, viewOf(f32(p), 1), viewOf(f32(t), 3), p.length, scale);
    expect(dpred.guardsIntact()).toBe(true);
    return { total, grad: Array.from(dpred.view) };
  };
  it('mse, halfMse and mae by hand', () => {
    let r = run(Loss.mse, [1, 2], [0, 4]);
    expect(r.total).toBe(5);
    expect(r.grad).toEqual([2, -4]);
    r = run(Loss.halfMse, [1, 2], [0, 4], 0.5);
    expect(r.total).toBe(2.5);
    expect(r.grad).toEqual([0.5, -1]);
    r = run(Loss.mae, [1, 2, 3], [0, 4, 3]);
    expect(r.total).toBe(3);
    expect(r.grad).toEqual([1, -1, 0]);
  });
  it('bce by hand, including the clamp at p = 0', () => {
    const r = run(Loss.bce, [0.5, 0.8, 0], [1, 0, 1]);
    expectClose(r.total, Math.log(2) - Math.log(0.2) - Math.log(1e-7), { rtol: 1e-6, atol: 0 });
    expectAllClose(r.grad, [-2, 5, (1e-7 - 1) / (1e-7 * (1 - 1e-7))], { rtol: 1e-5, atol: 0 });
  });
  it('bceLogits by hand, stable at ±1000', () => {
    const r = run(Loss.bceLogits, [0, 1000, -1000], [1, 1, 1]);
    expectClose(r.total, Math.log(2) + 0 + 1000, tight);
    expectAllClose(r.grad, [-0.5, 0, -1], tight);
  });
  it('hinge by hand', () => {
    const r = run(Loss.hinge, [0.5, 2, 0.5], [1, 1, -1]);
    expectClose(r.total, 0.5 + 0 + 1.5, tight);
    expect(r.grad).toEqual([-1, 0, 1]);
  });
  it('kl and cce by hand (t = 0 contributes nothing; p clamped at 1e-7)', () => {
    let r = run(Loss.kl, [0.25, 0.3, 0], [0.5, 0, 0.5]);
    expectClose(r.total, 0.5 * Math.log(2) + 0.5 * Math.log(0.5 / 1e-7), { rtol: 1e-6, atol: 0 });
    expectAllClose(r.grad, [-2, 0, -0.5 / 1e-7], { rtol: 1e-5, atol: 0 });
    r = run(Loss.cce, [0.5, 0.3, 0], [1, 0, 1]);
    expectClose(r.total, Math.log(2) - Math.log(1e-7), { rtol: 1e-6, atol: 0 });
    expectAllClose(r.grad, [-2, 0, -1e7], { rtol: 1e-5, atol: 0 });
  });
  it('dpred is scale·g while the returned sum is unscaled', () => {
    const r = run(Loss.mse, [3], [1], 0.25);
    expect(r.total).toBe(4);
    expect(r.grad).toEqual([1]);
  });

  const kinds: [string, LossCode, (n: number, seed: number) => { p: Float32Array; t: Float32Array }][] = [
    ['mse', Loss.mse, (n, s) => ({ p: randomFloat32(s, n, -2, 2), t: randomFloat32(s + 1, n, -2, 2) })],
    ['halfMse', Loss.halfMse, (n, s) => ({ p: randomFloat32(s, n, -2, 2), t: randomFloat32(s + 1, n, -2, 2) })],
    ['mae', Loss.mae, (n, s) => ({ p: randomFloat32(s, n, 0.1, 1), t: randomFloat32(s + 1, n, -1, -0.1) })],
    ['bce', Loss.bce, (n, s) => ({ p: randomFloat32(s, n, 0.1, 0.9), t: randomFloat32(s + 1, n, 0, 1) })],
    ['bceLogits', Loss.bceLogits, (n, s) => ({ p: randomFloat32(s, n, -4, 4), t: randomFloat32(s + 1, n, 0, 1) })],
    ['hinge', Loss.hinge, (n, s) => ({
      p: randomFloat32(s, n, -3, 3).map((v) => (Math.abs(Math.abs(v) - 1) < 0.05 ? v * 1.2 : v)),
      t: randomFloat32(s + 1, n).map((v) => (v < 0 ? -1 : 1)),
    })],
    ['kl', Loss.kl, (n, s) => ({ p: randomFloat32(s, n, 0.1, 1), t: randomFloat32(s + 1, n, 0.01, 1) })],
    ['cce', Loss.cce, (n, s) => ({ p: randomFloat32(s, n, 0.1, 1), t: randomFloat32(s + 1, n, 0, 1) })],
  ];
  for (const [name, kind, make] of kinds) {
    it(`${name}: the gradient matches finite differences of the returned sum`, () => {
      const n = 23;
      const { p, t } = make(n, 40 + kind * 2);
      const scratch = new Float32Array(n);
      const numeric = numericGradient(() => js.loss(kind, scratch, p, t, n, 1), p, 5e-3);
      const g = new Float32Array(n);
      js.loss(kind, g, p, t, n, 1);
      expectAllClose(g, numeric, fd, `${name} gradient`);
    });
  }
});

describe('oneHot', () => {
  it('writes one 1 per row and zeros elsewhere (old contents ignored)', () => {
    const out = guarded(new Float32Array(9).fill(7), 2, 2);
    js.oneHot(out.view, f32([2, 0, 1]), 3, 3);
    expect(Array.from(out.view)).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);
    expect(out.guardsIntact()).toBe(true);
  });
});

// murmur3's finalizer again, in BigInt arithmetic: no Math.imul, no 32-bit tricks.
function fmix32Big(h: bigint): bigint {
  const M = 0xffffffffn;
  h ^= h >> 16n;
  h = (h * 0x85ebca6bn) & M;
  h ^= h >> 13n;
  h = (h * 0xc2b2ae35n) & M;
  h ^= h >> 16n;
  return h;
}
function keepBig(seed: number, i: number, p: number): boolean {
  const mixed = (BigInt(seed >>> 0) ^ ((BigInt(i) * 0x9e3779b9n) & 0xffffffffn)) & 0xffffffffn;
  return fmix32Big(mixed) >= BigInt(Math.floor(p * 2 ** 32));
}

describe('dropout', () => {
  it('fmix32 reproduces MurmurHash3_x86_32 of the empty input (seed 1 → 0x514E28B7, 0xFFFFFFFF → 0x81F16F39)', () => {
    expect(fmix32(0)).toBe(0);
    expect(fmix32(1)).toBe(0x514e28b7);
    expect(fmix32(0xffffffff)).toBe(0x81f16f39);
  });
  it('fmix32 and dropoutKeep agree with a BigInt re-derivation', () => {
    for (const seed of [0, 1, 12345, 0x7fffffff, 0x80000000, 0xffffffff]) {
      for (const i of [0, 1, 2, 1000, 65537, 2 ** 31 - 1]) {
        for (const p of [0, 0.1, 0.5, 0.9]) expect(dropoutKeep(seed, i, p)).toBe(keepBig(seed, i, p));
      }
      expect(fmix32(seed)).toBe(Number(fmix32Big(BigInt(seed))));
    }
  });
  it('forward: mask = keep ? 1/(1−p) : 0 and y = x·mask, element by element', () => {
    const n = 1000;
    const p = 0.35;
    const seed = 0xdeadbeef;
    const x = viewOf(randomFloat32(50, n), 3);
    const y = guarded(new Float32Array(n), 1, 3);
    const mask = guarded(new Float32Array(n), 4, 1);
    js.dropoutForward(y.view, mask.view, x, n, p, seed);
    const scale = Math.fround(1 / (1 - p));
    const expectedMask = Array.from({ length: n }, (_, i) => (keepBig(seed, i, p) ? scale : 0));
    expectExactlyEqual(mask.view, expectedMask, 'mask');
    expectExactlyEqual(y.view, expectedMask.map((m, i) => Math.fround(x[i] * m)), 'y');
    expect(y.guardsIntact() && mask.guardsIntact()).toBe(true);
  });
  it('p = 0 keeps everything with mask 1', () => {
    const x = randomFloat32(51, 33);
    const y = new Float32Array(33);
    const mask = new Float32Array(33);
    js.dropoutForward(y, mask, x, 33, 0, 7);
    expect(mask.every((v) => v === 1)).toBe(true);
    expectExactlyEqual(y, x);
  });
  it('keeps a 1 − p fraction (within 5σ) and depends on the seed', () => {
    const n = 100003;
    const p = 0.3;
    const x = new Float32Array(n).fill(1);
    const m1 = new Float32Array(n);
    const m2 = new Float32Array(n);
    const y = new Float32Array(n);
    js.dropoutForward(y, m1, x, n, p, 1);
    js.dropoutForward(y, m2, x, n, p, 2);
    const kept = m1.reduce((c, v) => c + (v !== 0 ? 1 : 0), 0);
    expect(Math.abs(kept - n * (1 - p))).toBeLessThan(5 * Math.sqrt(n * p * (1 - p)));
    let differ = 0;
    for (let i = 0; i < n; i++) if ((m1[i] === 0) !== (m2[i] === 0)) differ++;
    // two independent masks disagree on a 2p(1−p) = 42% share
    expect(differ / n).toBeGreaterThan(0.4);
    expect(differ / n).toBeLessThan(0.44);
  });
  it('mul is elementwise and may alias', () => {
    const z = new Float32Array(3);
    js.mul(z, f32([1, 2, 3]), f32([4, 5, -6]), 3);
    expect(Array.from(z)).toEqual([4, 10, -18]);
    js.mul(z, z, z, 3);
    expect(Array.from(z)).toEqual([16, 100, 324]);
  });
});

describe('batch norm', () => {
  const columnStats = (v: ArrayLike<number>, m: number, n: number, j: number) => {
    let s = 0;
    for (let i = 0; i < m; i++) s += v[i * n + j];
    const mean = s / m;
    let q = 0;
    for (let i = 0; i < m; i++) q += (v[i * n + j] - mean) ** 2;
    return { mean, variance: q / m };
  };
  const forward = (x: Float32Array, gamma: Float32Array, beta: Float32Array, m: number, n: number, eps: number) => {
    const y = new Float32Array(m * n);
    const xhat = new Float32Array(m * n);
    const mean = new Float32Array(n);
    const invStd = new Float32Array(n);
    js.batchNormForward(y, xhat, mean, invStd, x, gamma, beta, m, n, eps, true);
    return { y, xhat, mean, invStd };
  };
  it('hand example: column [1, 3] has mean 2, var 1 → xhat [−1, 1]; y = γ·xhat + β', () => {
    const r = forward(f32([1, 10, 3, 30]), f32([2, 1]), f32([0.5, 0]), 2, 2, 0);
    expectAllClose(r.mean, [2, 20], exact);
    expectAllClose(r.invStd, [1, 0.1], tight);
    expectAllClose(r.xhat, [-1, -1, 1, 1], tight);
    expectAllClose(r.y, [-1.5, -1, 2.5, 1], tight);
  });
  it('training output has mean β and variance γ² per column; mean/invStd are written', () => {
    const m = 37;
    const n = 13; // not a multiple of 4: both column paths
    const x = randomFloat32(60, m * n, -3, 5);
    const gamma = randomFloat32(61, n, 0.5, 2);
    const beta = randomFloat32(62, n);
    const eps = 1e-5;
    const r = forward(x, gamma, beta, m, n, eps);
    for (let j = 0; j < n; j++) {
      const sx = columnStats(x, m, n, j);
      expectClose(r.mean[j], sx.mean, tight, `mean[${j}]`);
      expectClose(r.invStd[j], 1 / Math.sqrt(sx.variance + eps), { rtol: 2e-6, atol: 0 }, `invStd[${j}]`);
      const sh = columnStats(r.xhat, m, n, j);
      expectClose(sh.mean, 0, { rtol: 0, atol: 1e-6 }, `xhat mean[${j}]`);
      expectClose(sh.variance, sx.variance / (sx.variance + eps), { rtol: 1e-5, atol: 0 }, `xhat var[${j}]`);
      const sy = columnStats(r.y, m, n, j);
      expectClose(sy.mean, beta[j], { rtol: 0, atol: 2e-6 }, `y mean[${j}]`);
      expectClose(sy.variance, gamma[j] ** 2 * sx.variance / (sx.variance + eps), { rtol: 1e-5, atol: 0 }, `y var[${j}]`);
    }
  });
  it('inference reads the given mean and invStd', () => {
    const y = new Float32Array(4);
    const xhat = new Float32Array(4);
    js.batchNormForward(y, xhat, f32([1, -1]), f32([0.5, 2]), f32([3, 0, 5, 1]), f32([2, 1]), f32([0, 1]), 2, 2, 1e-5, false);
    expectAllClose(xhat, [1, 2, 2, 4], exact);
    expectAllClose(y, [2, 3, 4, 5], exact);
  });

  const checkBackward = (training: boolean) => {
    const m = 9;
    const n = 6;
    const eps = 1e-3;
    const x = randomFloat32(70, m * n, -2, 2);
    const gamma = randomFloat32(71, n, 0.5, 1.5);
    const beta = randomFloat32(72, n);
    const w = randomFloat32(73, m * n);
    const y = new Float32Array(m * n);
    const xhat = new Float32Array(m * n);
    const mean = new Float32Array(n);
    const invStd = new Float32Array(n);
    js.batchNormForward(y, xhat, mean, invStd, x, gamma, beta, m, n, eps, true);
    const loss = () => {
      js.batchNormForward(y, xhat, mean, invStd, x, gamma, beta, m, n, eps, training);
      return dot(w, y);
    };
    const dxNumeric = numericGradient(loss, x, 5e-3);
    const dgammaNumeric = numericGradient(loss, gamma, 5e-3);
    const dbetaNumeric = numericGradient(loss, beta, 5e-3);
    js.batchNormForward(y, xhat, mean, invStd, x, gamma, beta, m, n, eps, training);
    const dx = new Float32Array(m * n);
    const dgamma = new Float32Array(n).fill(NaN);
    const dbeta = new Float32Array(n).fill(NaN);
    js.batchNormBackward(dx, dgamma, dbeta, w, xhat, invStd, gamma, m, n, training);
    expectAllClose(dx, dxNumeric, fd, 'dx');
    expectAllClose(dgamma, dgammaNumeric, fd, 'dgamma');
    expectAllClose(dbeta, dbetaNumeric, fd, 'dbeta');
  };
  it('training backward matches finite differences through the batch statistics', () => checkBackward(true));
  it('inference backward (fixed statistics) matches finite differences', () => checkBackward(false));
});

describe('layer norm', () => {
  it('each row of xhat has mean 0 and variance 1 (eps = 0); y = γ·xhat + β', () => {
    const m = 5;
    const n = 19;
    const x = randomFloat32(80, m * n, -4, 6);
    const gamma = randomFloat32(81, n, 0.5, 2);
    const beta = randomFloat32(82, n);
    const y = new Float32Array(m * n);
    const xhat = new Float32Array(m * n);
    const mean = new Float32Array(m);
    const invStd = new Float32Array(m);
    js.layerNormForward(y, xhat, mean, invStd, x, gamma, beta, m, n, 0);
    for (let i = 0; i < m; i++) {
      let s = 0;
      let q = 0;
      let sx = 0;
      for (let j = 0; j < n; j++) sx += x[i * n + j];
      for (let j = 0; j < n; j++) s += xhat[i * n + j];
      for (let j = 0; j < n; j++) q += xhat[i * n + j] ** 2;
      expectClose(mean[i], sx / n, tight, `mean[${i}]`);
      expectClose(s / n, 0, { rtol: 0, atol: 1e-6 }, `row ${i} mean`);
      expectClose(q / n, 1, { rtol: 1e-5, atol: 0 }, `row ${i} variance`);
      for (let j = 0; j < n; j++) {
        expectClose(y[i * n + j], gamma[j] * xhat[i * n + j] + beta[j], tight, `y[${i},${j}]`);
      }
    }
  });
  it('hand example: row [1, 3] → mean 2, invStd 1, xhat [−1, 1]', () => {
    const y = new Float32Array(2);
    const xhat = new Float32Array(2);
    const mean = new Float32Array(1);
    const invStd = new Float32Array(1);
    js.layerNormForward(y, xhat, mean, invStd, f32([1, 3]), f32([3, 1]), f32([0, 1]), 1, 2, 0);
    expect([mean[0], invStd[0]]).toEqual([2, 1]);
    expect(Array.from(xhat)).toEqual([-1, 1]);
    expect(Array.from(y)).toEqual([-3, 2]);
  });
  it('backward matches finite differences for x, γ and β', () => {
    const m = 4;
    const n = 7;
    const eps = 1e-3;
    const x = randomFloat32(90, m * n, -2, 2);
    const gamma = randomFloat32(91, n, 0.5, 1.5);
    const beta = randomFloat32(92, n);
    const w = randomFloat32(93, m * n);
    const y = new Float32Array(m * n);
    const xhat = new Float32Array(m * n);
    const mean = new Float32Array(m);
    const invStd = new Float32Array(m);
    const loss = () => {
      js.layerNormForward(y, xhat, mean, invStd, x, gamma, beta, m, n, eps);
      return dot(w, y);
    };
    const dxNumeric = numericGradient(loss, x, 5e-3);
    const dgammaNumeric = numericGradient(loss, gamma, 5e-3);
    const dbetaNumeric = numericGradient(loss, beta, 5e-3);
    loss();
    const dx = new Float32Array(m * n);
    const dgamma = new Float32Array(n).fill(NaN);
    const dbeta = new Float32Array(n).fill(NaN);
    js.layerNormBackward(dx, dgamma, dbeta, w, xhat, invStd, gamma, m, n);
    expectAllClose(dx, dxNumeric, fd, 'dx');
    expectAllClose(dgamma, dgammaNumeric, fd, 'dgamma');
    expectAllClose(dbeta, dbetaNumeric, fd, 'dbeta');
  });
});

describe('optimizerStep, by hand from the formulas in types.ts', () => {
  // θ = [1, −2], g = [0.5, 0.25], lr = 0.1, two steps with the same gradient.
  const twoSteps = (kind: OptCode, hyper: { beta1?: number; beta2?: number; eps?: number; wd?: number }) => {
    const param = viewOf(f32([1, -2]), 2);
    const grad = viewOf(f32([0.5, 0.25]), 1);
    const s1 = viewOf(new Float32Array(2), 3);
    const s2 = viewOf(new Float32Array(2), 4);
    const h = new Float64Array(OptHyper.length);
    h[OptHyper.lr] = 0.1;
    h[OptHyper.beta1] = hyper.beta1 ?? 0.9;
    h[OptHyper.beta2] = hyper.beta2 ?? 0.999;
    h[OptHyper.eps] = hyper.eps ?? 0;
    h[OptHyper.weightDecay] = hyper.wd ?? 0;
    const after: number[][] = [];
    for (let t = 1; t <= 2; t++) {
      h[OptHyper.step] = t;
      js.optimizerStep(kind, param, grad, s1, s2, 2, h);
      after.push(Array.from(param));
    }
    return after;
  };
  const close = { rtol: 1e-6, atol: 1e-7 };
  it('sgd: θ −= lr·g', () => {
    const [a, b] = twoSteps(Opt.sgd, {});
    expectAllClose(a, [0.95, -2.025], close);
    expectAllClose(b, [0.9, -2.05], close);
  });
  it('momentum (classic): v = βv − lr·g; θ += v', () => {
    const [a, b] = twoSteps(Opt.momentum, { beta1: 0.9 });
    expectAllClose(a, [0.95, -2.025], close); // v = [−0.05, −0.025]
    expectAllClose(b, [0.855, -2.0725], close); // v = [−0.095, −0.0475]
  });
  it('momentum (EMA): v = βv + (1−β)g; θ −= lr·v', () => {
    const [a, b] = twoSteps(Opt.momentumEma, { beta1: 0.9 });
    expectAllClose(a, [0.995, -2.0025], close); // v = [0.05, 0.025]
    expectAllClose(b, [0.9855, -2.00725], close); // v = [0.095, 0.0475]
  });
  it('nesterov: v = βv − lr·g; θ += βv − lr·g', () => {
    const [a, b] = twoSteps(Opt.nesterov, { beta1: 0.9 });
    expectAllClose(a, [0.905, -2.0475], close);
    expectAllClose(b, [0.7695, -2.11525], close);
  });
  it('adagrad: r += g²; θ −= lr·g/(eps + √r)', () => {
    const [a, b] = twoSteps(Opt.adagrad, {});
    expectAllClose(a, [0.9, -2.1], close);
    expectAllClose(b, [0.9 - 0.1 / Math.SQRT2, -2.1 - 0.1 / Math.SQRT2], close);
  });
  it('rmsprop: r = ρr + (1−ρ)g²; θ −= lr·g/(eps + √r)', () => {
    const [a, b] = twoSteps(Opt.rmsprop, { beta2: 0.9 });
    // step 1: √r = √0.1·|g| → the step is lr/√0.1; step 2: r = 0.19·g² → lr/√0.19
    expectAllClose(a, [1 - 0.1 / Math.sqrt(0.1), -2 - 0.1 / Math.sqrt(0.1)], close);
    expectAllClose(b, [a[0] - 0.1 / Math.sqrt(0.19), a[1] - 0.1 / Math.sqrt(0.19)], close);
  });
  it('adam: with a constant gradient the bias-corrected step is exactly lr·sign(g)', () => {
    const [a, b] = twoSteps(Opt.adam, {});
    expectAllClose(a, [0.9, -2.1], close);
    expectAllClose(b, [0.8, -2.2], close);
  });
  it('adam: eps enters as √v̂ + eps', () => {
    const [a] = twoSteps(Opt.adam, { eps: 0.5 });
    expectAllClose(a, [1 - 0.1 * 0.5 / 1.0, -2 - 0.1 * 0.25 / 0.75], close);
  });
  it('adamw: θ −= lr·wd·θ, then the Adam step', () => {
    const [a, b] = twoSteps(Opt.adamw, { wd: 0.5 });
    expectAllClose(a, [0.95 - 0.1, -1.9 - 0.1], close);
    expectAllClose(b, [a[0] * 0.95 - 0.1, a[1] * 0.95 - 0.1], close);
  });
  it('adam with a changing gradient follows m̂/(√v̂ + eps) step by step', () => {
    const param = f32([0.3]);
    const s1 = new Float32Array(1);
    const s2 = new Float32Array(1);
    const h = new Float64Array(OptHyper.length);
    h[OptHyper.lr] = 0.01;
    h[OptHyper.beta1] = 0.8;
    h[OptHyper.beta2] = 0.9;
    h[OptHyper.eps] = 1e-3;
    // g1 = 1: m = 0.2, v = 0.1 → m̂ = 1, v̂ = 1 → step 0.01/1.001
    // g2 = −2: m = 0.16 − 0.4 = −0.24, v = 0.09 + 0.4 = 0.49 → m̂ = −0.24/0.36, v̂ = 0.49/0.19
    h[OptHyper.step] = 1;
    js.optimizerStep(Opt.adam, param, f32([1]), s1, s2, 1, h);
    const after1 = 0.3 - 0.01 / 1.001;
    expectClose(param[0], after1, close);
    h[OptHyper.step] = 2;
    js.optimizerStep(Opt.adam, param, f32([-2]), s1, s2, 1, h);
    expectClose(s1[0], -0.24, close);
    expectClose(s2[0], 0.49, close);
    expectClose(param[0], after1 - 0.01 * (-0.24 / 0.36) / (Math.sqrt(0.49 / 0.19) + 1e-3), close);
  });
});

describe('rows, vectors and reductions', () => {
  it('addBias adds b to every row', () => {
    const y = viewOf(f32([1, 2, 3, 4, 5, 6]), 2);
    js.addBias(y, f32([10, 20, 30]), 2, 3);
    expect(Array.from(y)).toEqual([11, 22, 33, 14, 25, 36]);
  });
  it('sumRows: out = alpha·column sums + beta·out; beta = 0 ignores NaN', () => {
    const x = f32([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]); // 3×5: sums 18 21 24 27 30
    const out = viewOf(f32([1, 1, 1, 1, 1]), 1);
    js.sumRows(out, x, 3, 5, 0.5, 2);
    expect(Array.from(out)).toEqual([11, 12.5, 14, 15.5, 17]);
    out.fill(NaN);
    js.sumRows(out, x, 3, 5, 1, 0);
    expect(Array.from(out)).toEqual([18, 21, 24, 27, 30]);
  });
  it('gatherRows copies the indexed rows', () => {
    const src = f32([0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32]);
    const out = guarded(new Float32Array(9), 2, 2);
    js.gatherRows(out.view, src, Int32Array.from([2, 0, 2]), 3, 3);
    expect(Array.from(out.view)).toEqual([20, 21, 22, 0, 1, 2, 20, 21, 22]);
    expect(out.guardsIntact()).toBe(true);
  });
  it('argmaxRows returns the first maximum', () => {
    const out = new Int32Array(3);
    js.argmaxRows(out, f32([1, 3, 3, -1, -2, -0.5, 7, 7, 7]), 3, 3);
    expect(Array.from(out)).toEqual([1, 2, 0]);
  });
  it('axpy, scale, fill, addSign (sign 0 = 0) and clip', () => {
    const y = f32([1, 2]);
    js.axpy(y, 2, f32([3, 4]), 2);
    expect(Array.from(y)).toEqual([7, 10]);
    js.scale(y, -0.5, 2);
    expect(Array.from(y)).toEqual([-3.5, -5]);
    const z = guarded(new Float32Array(3), 1, 1);
    js.fill(z.view, 2.5, 3);
    expect(Array.from(z.view)).toEqual([2.5, 2.5, 2.5]);
    expect(z.guardsIntact()).toBe(true);
    const g = f32([1, 1, 1]);
    js.addSign(g, 0.5, f32([-3, 0, 2]), 3);
    expect(Array.from(g)).toEqual([0.5, 1, 1.5]);
    const c = f32([-2, 0.5, 3]);
    js.clip(c, -1, 1, 3);
    expect(Array.from(c)).toEqual([-1, 0.5, 1]);
  });
  it('sumSquares and sumAbs by hand', () => {
    expect(js.sumSquares(f32([3, 4, 0]), 3)).toBe(25);
    expect(js.sumAbs(f32([-1.5, 2, 0]), 3)).toBe(3.5);
    expect(js.sumSquares(viewOf(f32([3, 4]), 5), 1)).toBe(9); // n shorter than the view
  });
  it('sumSquares and sumAbs accumulate in double (a float32 running sum would drift)', () => {
    const n = 1_000_000;
    const x = new Float32Array(n).fill(0.1);
    const v = Math.fround(0.1);
    expectClose(js.sumAbs(x, n), n * v, { rtol: 1e-9, atol: 0 });
    expectClose(js.sumSquares(x, n), n * v * v, { rtol: 1e-9, atol: 0 });
  });
  it('sumRows accumulates in double too', () => {
    const m = 200_000;
    const x = new Float32Array(m * 5).fill(0.1);
    const out = new Float32Array(5);
    js.sumRows(out, x, m, 5, 1, 0);
    expectAllClose(out, new Array(5).fill(Math.fround(m * Math.fround(0.1))), exact);
  });
  it('getThreads is 1 and setThreads accepts any count', () => {
    expect(js.getThreads()).toBe(1);
    js.setThreads(4);
    js.setThreads(0);
    expect(js.getThreads()).toBe(1);
    expect(js.name).toBe('js');
  });
});
