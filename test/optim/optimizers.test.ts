import { describe, expect, it, vi } from 'vitest';
import { allocationCount } from '../../lib/alloc';
import { getBackend } from '../../lib/backend/index';
import type { Param } from '../../lib/layers/layer';
import {
  type Optimizer, adagrad, adam, adamw, momentum, momentumEma, nesterov, optimizer, rmsprop, sgd,
} from '../../lib/optim/index';
import { Random } from '../../lib/random';
import { describeEachBackend } from '../helpers/backends';
import { expectError } from '../helpers/errors';

// Each optimizer is run for several steps on two parameters (a decayed "weight" and a non-decayed
// "bias") with fresh pseudo-random gradients per step, and compared with the update rule written
// out below in float64 straight from its published formula.

const STEPS = 6;
const SIZES = [7, 3];

function makeParams(seed: number): Param[] {
  const rng = new Random(seed);
  return SIZES.map((n, i) => {
    const value = new Float32Array(n);
    for (let j = 0; j < n; j++) value[j] = rng.uniform(-1, 1);
    return { name: i === 0 ? 'weight' : 'bias', shape: [n], value, grad: new Float32Array(n), decay: i === 0 };
  });
}

/** The gradient of parameter p at step t: deterministic, of mixed signs and magnitudes. */
function gradients(seed: number): Float32Array[][] {
  const rng = new Random(seed);
  return Array.from({ length: STEPS }, () => SIZES.map((n) => {
    const g = new Float32Array(n);
    for (let j = 0; j < n; j++) g[j] = rng.uniform(-2, 2);
    return g;
  }));
}

interface Reference {
  /** Applies one step to θ (float64) given g (the float32 gradient), t counting from 1. */
  step(theta: Float64Array, g: Float32Array, state: Float64Array[], t: number, decay: boolean): void;
}

const lr = 0.05;
const b1 = 0.8;
const b2 = 0.95;
const eps = 1e-6;
const wd = 0.1;

const references: Record<string, { make: () => Optimizer; ref: Reference }> = {
  sgd: {
    make: () => sgd({ lr }),
    ref: { step: (th, g) => { for (let i = 0; i < th.length; i++) th[i] -= lr * g[i]; } },
  },
  momentum: {
    make: () => momentum({ lr, momentum: b1 }),
    ref: { step: (th, g, [v]) => { for (let i = 0; i < th.length; i++) { v[i] = b1 * v[i] - lr * g[i]; th[i] += v[i]; } } },
  },
  momentumEma: {
    make: () => momentumEma({ lr, momentum: b1 }),
    ref: { step: (th, g, [v]) => { for (let i = 0; i < th.length; i++) { v[i] = b1 * v[i] + (1 - b1) * g[i]; th[i] -= lr * v[i]; } } },
  },
  nesterov: {
    make: () => nesterov({ lr, momentum: b1 }),
    ref: {
      step: (th, g, [v]) => {
        for (let i = 0; i < th.length; i++) { v[i] = b1 * v[i] - lr * g[i]; th[i] += b1 * v[i] - lr * g[i]; }
      },
    },
  },
  adagrad: {
    make: () => adagrad({ lr, eps }),
    ref: { step: (th, g, [r]) => { for (let i = 0; i < th.length; i++) { r[i] += g[i] * g[i]; th[i] -= (lr * g[i]) / (eps + Math.sqrt(r[i])); } } },
  },
  rmsprop: {
    make: () => rmsprop({ lr, rho: b2, eps }),
    ref: {
      step: (th, g, [r]) => {
        for (let i = 0; i < th.length; i++) { r[i] = b2 * r[i] + (1 - b2) * g[i] * g[i]; th[i] -= (lr * g[i]) / (eps + Math.sqrt(r[i])); }
      },
    },
  },
  adam: {
    make: () => adam({ lr, beta1: b1, beta2: b2, eps }),
    ref: { step: (th, g, [m, v], t) => adamStep(th, g, m, v, t) },
  },
  adamw: {
    make: () => adamw({ lr, beta1: b1, beta2: b2, eps, weightDecay: wd }),
    ref: {
      step: (th, g, [m, v], t, decay) => {
        if (decay) for (let i = 0; i < th.length; i++) th[i] -= lr * wd * th[i];
        adamStep(th, g, m, v, t);
      },
    },
  },
};

function adamStep(th: Float64Array, g: Float32Array, m: Float64Array, v: Float64Array, t: number): void {
  for (let i = 0; i < th.length; i++) {
    m[i] = b1 * m[i] + (1 - b1) * g[i];
    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
    const mHat = m[i] / (1 - b1 ** t);
    const vHat = v[i] / (1 - b2 ** t);
    th[i] -= (lr * mHat) / (Math.sqrt(vHat) + eps);
  }
}

describeEachBackend('optimizers follow their update rules', () => {
  for (const [name, { make, ref }] of Object.entries(references)) {
    it(`${name}: ${STEPS} steps match the formula in float64`, () => {
      const params = makeParams(1);
      const grads = gradients(2);
      const opt = make();
      const expected = params.map((p) => Float64Array.from(p.value));
      const state = params.map((p) => [new Float64Array(p.value.length), new Float64Array(p.value.length)]);
      for (let t = 1; t <= STEPS; t++) {
        params.forEach((p, i) => p.grad.set(grads[t - 1][i]));
        opt.step(params);
        params.forEach((p, i) => ref.step(expected[i], grads[t - 1][i], state[i], t, p.decay));
        params.forEach((p, i) => {
          for (let j = 0; j < p.value.length; j++) {
            expect(Math.abs(p.value[j] - expected[i][j]), `${name} step ${t} param ${i}[${j}]`).toBeLessThan(2e-6 + 2e-6 * Math.abs(expected[i][j]));
          }
        });
      }
      expect(opt.iterations).toBe(STEPS);
    });
  }

  it('makes one backend call per parameter buffer per step, and allocates nothing after the first step', () => {
    const params = makeParams(3);
    const opt = adam();
    const spy = vi.spyOn(getBackend(), 'optimizerStep');
    try {
      opt.step(params);
      const before = allocationCount();
      for (let t = 0; t < 5; t++) opt.step(params);
      expect(allocationCount()).toBe(before);
      expect(spy).toHaveBeenCalledTimes(6 * params.length);
      // Adam's step count reaches the kernel through the hyper-parameter array (bias correction).
      const h = spy.mock.calls[spy.mock.calls.length - 1][6] as Float64Array;
      expect(h[5]).toBe(6);
    } finally {
      spy.mockRestore();
    }
  });

  it('a changed learning rate applies from the next step', () => {
    const params = makeParams(4);
    const before = Float64Array.from(params[0].value);
    const opt = sgd({ lr: 0.1 });
    opt.lr = 0.5;
    params[0].grad.fill(1);
    params[1].grad.fill(0);
    opt.step(params);
    for (let j = 0; j < before.length; j++) expect(params[0].value[j]).toBeCloseTo(before[j] - 0.5, 6);
    expect(opt.lr).toBe(0.5);
    expect(opt.initialLr).toBe(0.1);
  });

  it('exported state lets another optimizer resume exactly', () => {
    const grads = gradients(8);
    const run = (steps: number[], opt: Optimizer, params: Param[]) => steps.forEach((t) => {
      params.forEach((p, i) => p.grad.set(grads[t][i]));
      opt.step(params);
    });
    const a = makeParams(7);
    const optA = adam({ lr: 0.1 });
    run([0, 1, 2, 3, 4, 5], optA, a);
    // Same start, three steps, then the state moves to a fresh optimizer for the last three.
    const b = makeParams(7);
    const optB = adam({ lr: 0.1 });
    run([0, 1, 2], optB, b);
    const state = optB.exportState(b)!;
    expect(state.step).toBe(3);
    expect(state.buffers.map((list) => list.length)).toEqual([2, 2]);
    const optC = adam({ lr: 0.1 });
    optC.importState(b, { step: state.step, buffers: state.buffers.map((list) => list.map((s) => s.slice())) });
    run([3, 4, 5], optC, b);
    expect(b.map((p) => Array.from(p.value))).toEqual(a.map((p) => Array.from(p.value)));
    expect(sgd().exportState(b)).toBeUndefined();
  });

  it('resets its state when it meets another parameter list', () => {
    const opt = momentum({ lr: 0.1, momentum: 0.9 });
    const a = makeParams(5);
    a.forEach((p) => p.grad.fill(1));
    opt.step(a);
    opt.step(a);
    // A fresh list: the first step must be a plain −lr·g (no velocity carried over).
    const b = makeParams(6);
    const start = Float64Array.from(b[0].value);
    b.forEach((p) => p.grad.fill(1));
    opt.step(b);
    for (let j = 0; j < start.length; j++) expect(b[0].value[j]).toBeCloseTo(start[j] - 0.1, 6);
    expect(opt.iterations).toBe(1);
  });
});

describe('optimizer arguments', () => {
  const param = (value: unknown, grad: unknown) => ({ name: 'weight', shape: [2], value, grad, decay: true }) as unknown as Param;

  it('step refuses what is not a list of { value, grad } Float32Arrays of equal length', () => {
    const opt = adam();
    expectError(() => opt.step(null as never), TypeError, 'adam.step: expected params to be an array of parameters { value, grad }, received null');
    expectError(() => opt.step([null] as never), TypeError, 'adam.step: expected params[0] to be a parameter { value, grad }, received null');
    expectError(() => opt.step([param(new Float64Array(2), new Float32Array(2))]), TypeError,
      'adam.step: expected params[0].value to be a Float32Array, received Float64Array(2)');
    expectError(() => opt.step([param(new Float32Array(2), new Float64Array(2))]), TypeError,
      'adam.step: expected params[0].grad to be a Float32Array, received Float64Array(2)');
    expectError(() => opt.step([param(new Float32Array(2), new Float32Array(3))]), RangeError,
      'adam.step: expected params[0].grad to be length 2 (as its value), received length 3');
    expect(opt.iterations).toBe(0);
  });

  it('importState checks the step count and the buffers before changing anything', () => {
    const params = makeParams(3);
    const opt = adam({ lr: 0.1 });
    params.forEach((p) => p.grad.fill(1));
    opt.step(params);
    const good = opt.exportState(params)!;
    const with_ = (step: unknown, buffers: unknown = good.buffers) => () => opt.importState(params, { step, buffers } as never);
    expectError(with_(-1), RangeError, 'adam.importState: expected state.step to be an integer ≥ 1, received -1');
    expectError(with_(0), RangeError, 'adam.importState: expected state.step to be an integer ≥ 1, received 0');
    expectError(with_(1.5), RangeError, 'adam.importState: expected state.step to be an integer ≥ 1, received 1.5');
    expectError(with_('abc'), TypeError, 'adam.importState: expected state.step to be an integer, received "abc"');
    expectError(with_(2, [[new Float64Array(7), good.buffers[0][1]], good.buffers[1]]), TypeError,
      'adam.importState: expected state.buffers[0][0] to be a Float32Array, received Float64Array(7)');
    expectError(with_(2, [[new Float32Array(7), new Float32Array(6)], good.buffers[1]]), RangeError,
      'adam.importState: expected state.buffers[0][1] to be length 7, received length 6');
    expectError(with_(2, null), TypeError, 'adam.importState: expected state.buffers to be an array (one entry per parameter), received null');
    expectError(() => opt.importState(params, null as never), TypeError, 'adam.importState: expected state to be an object { step, buffers }, received null');
    // Nothing was changed by the refused imports.
    expect(opt.iterations).toBe(1);
    const after = opt.exportState(params)!;
    expect(after.buffers[0][0]).toBe(good.buffers[0][0]); // the same buffers: no rebinding happened
    // Adam's first moment after one step with g = 1 is (1 − β1)·1 = 0.1.
    for (const v of after.buffers[0][0]) expect(v).toBeCloseTo(0.1, 6);
  });
});

describe('optimizer construction', () => {
  it('has the usual defaults', () => {
    expect(adam().config()).toEqual({ name: 'adam', lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    expect(sgd().config()).toEqual({ name: 'sgd', lr: 0.01 });
    expect(momentum().config()).toEqual({ name: 'momentum', lr: 0.01, momentum: 0.9 });
    expect(rmsprop().config()).toEqual({ name: 'rmsprop', lr: 1e-3, rho: 0.9, eps: 1e-8 });
    expect(adamw().config()).toEqual({ name: 'adamw', lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 });
  });

  it('resolves a name, a config object or an instance', () => {
    expect(optimizer('nesterov').name).toBe('nesterov');
    const fromConfig = optimizer({ name: 'rmsprop', lr: 0.01, rho: 0.8 });
    expect(fromConfig.config()).toEqual({ name: 'rmsprop', lr: 0.01, rho: 0.8, eps: 1e-8 });
    const instance = adam({ lr: 0.02 });
    expect(optimizer(instance)).toBe(instance);
    // config() round-trips.
    expect(optimizer(adamw({ lr: 0.3, weightDecay: 0.2 }).config()).config()).toEqual(adamw({ lr: 0.3, weightDecay: 0.2 }).config());
  });

  it('rejects bad hyper-parameters with RangeError or TypeError naming them', () => {
    expect(() => adam({ lr: -1 })).toThrow(RangeError);
    expect(() => adam({ lr: -1 })).toThrow('adam: expected lr to be a number ≥ 0, received -1');
    expect(() => sgd({ lr: NaN })).toThrow('sgd: expected lr to be a finite number, received NaN');
    expect(() => adam({ beta1: 1 })).toThrow('adam: expected beta1 to be a number in [0, 1), received 1');
    expect(() => adam({ beta2: -0.1 })).toThrow(RangeError);
    expect(() => momentum({ momentum: 1.5 })).toThrow('momentum: expected momentum to be a number in [0, 1), received 1.5');
    expect(() => rmsprop({ eps: 0 })).toThrow('rmsprop: expected eps to be a number > 0, received 0');
    expect(() => adamw({ weightDecay: -0.5 })).toThrow('adamw: expected weightDecay to be a number ≥ 0, received -0.5');
    expect(() => adam({ lr: '0.1' as unknown as number })).toThrow(TypeError);
    expect(() => adam({ learningRate: 0.1 } as never)).toThrow("adam: expected options to be options among lr, beta1, beta2, eps, received unknown option 'learningRate'");
    expect(() => optimizer('adamm' as never)).toThrow(/optimizer: expected spec to be an Optimizer or one of 'sgd', .*received "adamm"/);
    expect(() => optimizer({ name: 'nope' } as never)).toThrow(RangeError);
    const opt = sgd();
    expect(() => { opt.lr = -0.1; }).toThrow('sgd.lr: expected lr to be a number ≥ 0, received -0.1');
    expect(() => { opt.lr = Infinity; }).toThrow(RangeError);
  });
});
