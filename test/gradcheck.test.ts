import { expect, it } from 'vitest';
import { gradCheck, type GradCheckOptions } from '../lib/gradcheck';
import { Activation } from '../lib/layers/activation';
import type { ActivationName } from '../lib/layers/activation-fn';
import { Dense } from '../lib/layers/dense';
import type { Layer, LayerContext, Param, StateBuffer } from '../lib/layers/layer';
import type { LossName } from '../lib/losses/index';
import { Sequential } from '../lib/model/sequential';
import { describeEachBackend } from './helpers/backends';
import { randomDistributions, randomFloat32, randomLabels } from './helpers/arrays';
import { oneHotOf, signArray } from './model/fixtures';

// The bound. Each L(θ ± h) is computed through the float32 network, so it carries ~1e-7·|L| of
// rounding; the difference quotient divides that by 2h: ~5e-6 absolute at h = 1e-2 and ~5e-5 at
// h = 1e-3 (the step used near kinks: relu, leakyRelu, mae, hinge, l1), compared relative to
// max(|analytic|, |numeric|, 1e-3). Truncation (h²·f‴/6) adds ~1e-5. Measured maxRelError on the
// JS and native backends: 1e-5 .. 5.4e-3. A wrong gradient (a missing factor 2, a transposed
// product, a wrong sign) gives errors of order 0.1 to 1, see 'detects a wrong gradient'.
const BOUND = 1e-2;

const m = 5;
const inputs = 4;

function check(layers: Layer[], loss: LossName, y: Float32Array, options: GradCheckOptions = {}, seed = 11) {
  const model = new Sequential(layers, { seed });
  const x = randomFloat32(seed + 1, m * inputs, -1.5, 1.5);
  return gradCheck(model, x, y, loss, options);
}

describeEachBackend('gradCheck', () => {
  const smooth: ActivationName[] = ['identity', 'sigmoid', 'tanh', 'elu', 'softmax'];
  const kinked: ActivationName[] = ['relu', 'leakyRelu'];
  for (const activation of [...smooth, ...kinked]) {
    it(`Activation('${activation}') layer between two Dense layers`, () => {
      const eps = kinked.includes(activation) ? 1e-3 : 1e-2; // a smaller step keeps clear of the kink at 0
      const r = check([new Dense(inputs, 6), new Activation(activation), new Dense(6, 3)], 'halfMse', randomFloat32(3, m * 3), { eps });
      expect(r.checked).toBe(4 * 6 + 6 + 6 * 3 + 3 + m * inputs);
      expect(r.maxRelError, JSON.stringify(r.worst)).toBeLessThan(BOUND);
    });

    it(`Dense with fused '${activation}'`, () => {
      const eps = kinked.includes(activation) ? 1e-3 : 1e-2;
      const r = check([new Dense(inputs, 6, { activation }), new Dense(6, 3, { activation: activation === 'softmax' ? 'softmax' : 'identity' })],
        'mse', randomFloat32(4, m * 3), { eps });
      expect(r.maxRelError, JSON.stringify(r.worst)).toBeLessThan(BOUND);
    });
  }

  it('Dense without bias, and a deeper stack of every init', () => {
    const r = check([new Dense(inputs, 5, { bias: false, activation: 'tanh', init: 'xavierNormal' }),
      new Dense(5, 5, { activation: 'sigmoid', init: 'lecunNormal' }), new Dense(5, 2, { init: 'heUniform' })], 'mse', randomFloat32(5, m * 2));
    expect(r.maxRelError, JSON.stringify(r.worst)).toBeLessThan(BOUND);
  });

  const net = (out: Layer[] = []) => [new Dense(inputs, 6, { activation: 'tanh' }), new Dense(6, 3), ...out];
  const lossCases: Record<LossName, () => { layers: Layer[]; y: Float32Array; eps?: number }> = {
    mse: () => ({ layers: net(), y: randomFloat32(20, m * 3) }),
    halfMse: () => ({ layers: net(), y: randomFloat32(21, m * 3) }),
    mae: () => ({ layers: net(), y: randomFloat32(22, m * 3, 3, 4), eps: 1e-3 }),
    binaryCrossentropy: () => ({ layers: net([new Activation('sigmoid')]), y: randomFloat32(23, m * 3, 0, 1) }),
    binaryCrossentropyFromLogits: () => ({ layers: net(), y: randomFloat32(24, m * 3, 0, 1) }),
    categoricalCrossentropy: () => ({ layers: net([new Activation('softmax')]), y: oneHotOf(randomLabels(25, m, 3), 3) }),
    softmaxCrossentropy: () => ({ layers: net(), y: oneHotOf(randomLabels(26, m, 3), 3) }),
    hinge: () => ({ layers: net(), y: signArray(27, m * 3), eps: 1e-3 }),
    kl: () => ({ layers: net([new Activation('softmax')]), y: randomDistributions(28, m, 3) }),
  };
  for (const [loss, make] of Object.entries(lossCases)) {
    it(`loss '${loss}'`, () => {
      const { layers, y, eps } = make();
      const r = check(layers, loss as LossName, y, eps === undefined ? {} : { eps });
      expect(r.maxRelError, JSON.stringify(r.worst)).toBeLessThan(BOUND);
    });
  }

  it('class-label targets for softmaxCrossentropy and categoricalCrossentropy', () => {
    for (const [loss, extra] of [['softmaxCrossentropy', []], ['categoricalCrossentropy', [new Activation('softmax')]]] as const) {
      const r = check(net([...extra]), loss, randomLabels(29, m, 3));
      expect(r.maxRelError, `${loss} ${JSON.stringify(r.worst)}`).toBeLessThan(BOUND);
    }
  });

  it('L1 and L2 penalties', () => {
    const y = oneHotOf(randomLabels(30, m, 3), 3);
    for (const penalties of [{ l2: 0.3 }, { l1: 0.05 }, { l1: 0.02, l2: 0.1 }]) {
      const r = check(net(), 'softmaxCrossentropy', y, { penalties, eps: 'l1' in penalties ? 1e-3 : 1e-2 });
      expect(r.maxRelError, `${JSON.stringify(penalties)} ${JSON.stringify(r.worst)}`).toBeLessThan(BOUND);
    }
  });

  it('samples large parameters and restores every value exactly', () => {
    const model = new Sequential([new Dense(30, 40, { activation: 'tanh' }), new Dense(40, 3)], { seed: 31 });
    const before = model.params().map((p) => Array.from(p.value));
    const x = randomFloat32(32, 2 * 30);
    const xCopy = Array.from(x);
    const r = gradCheck(model, x, randomLabels(33, 2, 3), 'softmaxCrossentropy', { maxPerParam: 10 });
    expect(r.checked).toBe(10 + 10 + 10 + 3 + 10);
    expect(r.maxRelError, JSON.stringify(r.worst)).toBeLessThan(BOUND);
    expect(model.params().map((p) => Array.from(p.value))).toEqual(before);
    expect(Array.from(x)).toEqual(xCopy);
  });

  it('detects a wrong gradient', () => {
    const r = check([new Dense(inputs, 3), new WrongGradient(), new Dense(3, 2)], 'mse', randomFloat32(34, m * 2));
    expect(r.maxRelError).toBeGreaterThan(0.3);
    expect(r.worst.param).toMatch(/^(0\.weight|0\.bias|input)$/);
  });
});

/** y = x², with a backward that forgets the factor 2. */
class WrongGradient implements Layer {
  readonly kind = 'WrongGradient';
  private x: Float32Array = new Float32Array(0);
  private y = new Float32Array(0);
  private dx = new Float32Array(0);
  build(shape: readonly number[], _ctx: LayerContext): readonly number[] { return shape; }
  forward(x: Float32Array, _m: number): Float32Array {
    this.x = x;
    if (this.y.length !== x.length) this.y = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) this.y[i] = x[i] * x[i];
    return this.y;
  }
  backward(dy: Float32Array): Float32Array {
    if (this.dx.length !== dy.length) this.dx = new Float32Array(dy.length);
    for (let i = 0; i < dy.length; i++) this.dx[i] = dy[i] * this.x[i];
    return this.dx;
  }
  params(): Param[] { return []; }
  state(): StateBuffer[] { return []; }
  config(): Record<string, unknown> { return {}; }
}

it('rejects bad options with the option named', () => {
  const model = new Sequential([new Dense(2, 2)], { seed: 1 });
  const x = new Float32Array(4);
  const y = Float32Array.from([0, 1]);
  expect(() => gradCheck(model, x, y, 'softmaxCrossentropy', { eps: 0 })).toThrow('gradCheck: expected options.eps to be a number in (0, 1], received 0');
  expect(() => gradCheck(model, x, y, 'softmaxCrossentropy', { params: ['3.weight'] }))
    .toThrow('gradCheck: expected options.params to be keys among 0.weight, 0.bias, input, received "3.weight"');
  expect(() => gradCheck(model, new Float32Array(3), y, 'softmaxCrossentropy')).toThrow('gradCheck: expected x to be whole rows of 2 floats, received 3 floats');
  expect(() => gradCheck(model, x, Float32Array.from([0, 2]), 'softmaxCrossentropy'))
    .toThrow("gradCheck: expected y[1] to be an integer class index in [0, 1] for loss 'softmaxCrossentropy', received 2");
  expect(() => gradCheck({} as Sequential, x, y, 'mse')).toThrow(TypeError);
});
