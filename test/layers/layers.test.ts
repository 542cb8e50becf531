import { describe, expect, it } from 'vitest';
import { Activation } from '../../lib/layers/activation';
import { BatchNorm } from '../../lib/layers/batchnorm';
import { Dense } from '../../lib/layers/dense';
import { Dropout } from '../../lib/layers/dropout';
import { layerClasses } from '../../lib/layers/index';
import type { Layer, LayerContext } from '../../lib/layers/layer';
import { LayerNorm } from '../../lib/layers/layernorm';
import { Residual } from '../../lib/layers/residual';
import { gradCheck } from '../../lib/gradcheck';
import { Sequential } from '../../lib/model/sequential';
import { Tensor } from '../../lib/tensor';
import { Random } from '../../lib/random';
import { dot, numericGradient } from '../helpers/finite-difference';
import { describeEachBackend } from '../helpers/backends';

const ctx = (seed: number): LayerContext => ({ rng: new Random(seed) });

/** A generator stub whose every draw is the same: dropout then uses one fixed mask. */
const fixedSeedCtx = (seed: number): LayerContext => ({ rng: { uint32: () => seed } as unknown as Random });

function uniform(seed: number, n: number, lo = -1, hi = 1): Float32Array {
  const rng = new Random(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.uniform(lo, hi);
  return out;
}

/**
 * Checks backward against central differences of f = Σ w ⊙ forward(x) with respect to x and every
 * parameter. The forward runs in float32, so the tolerance is that of a float32 difference quotient.
 */
function expectGradientsMatch(layer: Layer, x: Float32Array, m: number, training: boolean, label: string, h = 1e-2): void {
  const y0 = layer.forward(x, m, training);
  const w = uniform(99, m * (y0.length / m));
  const f = (): number => dot(w, layer.forward(x, m, training));
  f();
  const dx = Float64Array.from(layer.backward(w, m, true));
  const analytic = layer.params().map((p) => Float64Array.from(p.grad));
  const compare = (a: ArrayLike<number>, n: ArrayLike<number>, what: string): void => {
    for (let i = 0; i < n.length; i++) {
      expect(Math.abs(a[i] - n[i]), `${label}: ${what}[${i}] analytic ${a[i]} numeric ${n[i]}`).toBeLessThan(2e-3 + 1e-2 * Math.abs(n[i]));
    }
  };
  compare(dx, numericGradient(f, x, h), 'dx');
  layer.params().forEach((p, i) => compare(analytic[i], numericGradient(f, p.value, h), p.name));
}

describeEachBackend('layer gradients match finite differences', () => {
  it('Dropout (training, one fixed mask)', () => {
    const layer = new Dropout(0.4);
    layer.build([6], fixedSeedCtx(12345));
    expectGradientsMatch(layer, uniform(1, 5 * 6), 5, true, 'Dropout');
  });

  it('BatchNorm in training mode (batch statistics)', () => {
    const layer = new BatchNorm();
    layer.build([4], ctx(1));
    layer.params()[0].value.set(uniform(2, 4, 0.5, 1.5));
    layer.params()[1].value.set(uniform(3, 4));
    expectGradientsMatch(layer, uniform(4, 6 * 4, -2, 2), 6, true, 'BatchNorm train');
  });

  it('BatchNorm in inference mode (running statistics)', () => {
    const layer = new BatchNorm();
    layer.build([4], ctx(1));
    const [mean, variance] = layer.state();
    mean.value.set(uniform(5, 4));
    variance.value.set(uniform(6, 4, 0.5, 2));
    layer.params()[0].value.set(uniform(7, 4, 0.5, 1.5));
    expectGradientsMatch(layer, uniform(8, 3 * 4, -2, 2), 3, false, 'BatchNorm eval');
  });

  it('LayerNorm', () => {
    const layer = new LayerNorm();
    layer.build([5], ctx(1));
    layer.params()[0].value.set(uniform(9, 5, 0.5, 1.5));
    layer.params()[1].value.set(uniform(10, 5));
    expectGradientsMatch(layer, uniform(11, 4 * 5, -2, 2), 4, true, 'LayerNorm');
  });

  it('Residual around Dense–tanh–Dense (skip gradient included)', () => {
    const layer = new Residual([new Dense(3, 5), new Activation('tanh'), new Dense(5, 3)]);
    layer.build([3], ctx(3));
    expectGradientsMatch(layer, uniform(12, 4 * 3), 4, true, 'Residual');
  });

  it('Residual with a BatchNorm inside', () => {
    const layer = new Residual([new Dense(3, 3), new BatchNorm(), new Activation('tanh')]);
    layer.build([3], ctx(4));
    expectGradientsMatch(layer, uniform(13, 5 * 3), 5, true, 'Residual+BatchNorm');
  });
});

describeEachBackend('gradCheck of whole models built with these layers', () => {
  it('Dense → BatchNorm → tanh → Residual(Dense, LayerNorm) → Dense, training mode, with an L2 penalty', () => {
    const model = new Sequential([
      new Dense(3, 6), new BatchNorm(), new Activation('tanh'),
      new Residual([new Dense(6, 6, { activation: 'tanh' }), new LayerNorm()]),
      new Dense(6, 2),
    ], { seed: 21 });
    const x = new Tensor(uniform(22, 7 * 3, -2, 2), [7, 3]);
    const y = new Tensor(Float32Array.from([0, 1, 1, 0, 1, 0, 0]), [7]);
    const result = gradCheck(model, x, y, 'softmaxCrossentropy', { training: true, penalties: { l2: 0.01 } });
    expect(result.checked).toBeGreaterThan(50);
    expect(result.maxRelError, JSON.stringify(result.worst)).toBeLessThan(1e-2);
  });
});

describeEachBackend('layer behaviour', () => {
  it('Dropout zeroes about p of the units, scales survivors by 1/(1−p), and is the identity in inference', () => {
    const layer = new Dropout(0.25);
    layer.build([1000], ctx(5));
    const x = uniform(14, 2000, 0.5, 1.5);
    const y = layer.forward(x, 2, true).slice();
    let zeros = 0;
    for (let i = 0; i < y.length; i++) {
      if (y[i] === 0) zeros++;
      else expect(y[i]).toBeCloseTo(x[i] / 0.75, 5);
    }
    expect(zeros / 2000).toBeGreaterThan(0.2);
    expect(zeros / 2000).toBeLessThan(0.3);
    // Another training step draws another mask.
    const again = layer.forward(x, 2, true);
    let differ = 0;
    for (let i = 0; i < again.length; i++) if ((again[i] === 0) !== (y[i] === 0)) differ++;
    expect(differ).toBeGreaterThan(100);
    // Inference: the input itself, and the gradient passes through unchanged.
    expect(layer.forward(x, 2, false)).toBe(x);
    const dy = uniform(15, 2000);
    expect(layer.backward(dy, 2, true)).toBe(dy);
  });

  it('Dropout masks are reproducible from the model seed', () => {
    const a = new Dropout(0.5);
    const b = new Dropout(0.5);
    a.build([50], ctx(77));
    b.build([50], ctx(77));
    const x = uniform(16, 100);
    expect(Array.from(a.forward(x, 2, true))).toEqual(Array.from(b.forward(x, 2, true)));
  });

  it('BatchNorm normalises with batch statistics in training and updates running averages (unbiased variance)', () => {
    const layer = new BatchNorm({ momentum: 0.1 });
    layer.build([3], ctx(1));
    const m = 8;
    const x = uniform(17, m * 3, -3, 5);
    const y = layer.forward(x, m, true);
    const [runningMean, runningVar] = layer.state();
    for (let j = 0; j < 3; j++) {
      let mean = 0;
      for (let i = 0; i < m; i++) mean += x[i * 3 + j];
      mean /= m;
      let ss = 0;
      for (let i = 0; i < m; i++) ss += (x[i * 3 + j] - mean) ** 2;
      const biased = ss / m;
      // Training output: (x − μ)/√(σ² + ε) with γ = 1, β = 0.
      for (let i = 0; i < m; i++) expect(y[i * 3 + j]).toBeCloseTo((x[i * 3 + j] - mean) / Math.sqrt(biased + 1e-5), 4);
      expect(runningMean.value[j]).toBeCloseTo(0.1 * mean, 5);
      expect(runningVar.value[j]).toBeCloseTo(0.9 * 1 + 0.1 * (ss / (m - 1)), 5);
    }
    // Inference uses the running statistics, whatever the batch.
    const probe = uniform(18, 2 * 3);
    const out = layer.forward(probe, 2, false);
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 3; j++) {
        const expected = (probe[i * 3 + j] - runningMean.value[j]) / Math.sqrt(runningVar.value[j] + 1e-5);
        expect(out[i * 3 + j]).toBeCloseTo(expected, 5);
      }
    }
    // And does not move them.
    const before = Array.from(runningMean.value);
    layer.forward(probe, 2, false);
    expect(Array.from(runningMean.value)).toEqual(before);
  });

  it('BatchNorm leaves the running variance alone on a one-row training batch', () => {
    const layer = new BatchNorm();
    layer.build([2], ctx(1));
    layer.forward(Float32Array.from([3, -1]), 1, true);
    const [runningMean, runningVar] = layer.state();
    expect(Array.from(runningVar.value)).toEqual([1, 1]);
    expect(runningMean.value[0]).toBeCloseTo(0.3, 6);
  });

  it('LayerNorm gives each row mean β and standard deviation γ', () => {
    const layer = new LayerNorm({ eps: 1e-6 });
    layer.build([6], ctx(1));
    const y = layer.forward(uniform(19, 3 * 6, -4, 9), 3, false);
    for (let i = 0; i < 3; i++) {
      const row = Array.from(y.subarray(i * 6, i * 6 + 6));
      const mean = row.reduce((a, b) => a + b, 0) / 6;
      const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / 6;
      expect(mean).toBeCloseTo(0, 5);
      expect(variance).toBeCloseTo(1, 3);
    }
  });

  it('Residual adds its input: with zero inner weights, y = x', () => {
    const layer = new Residual([new Dense(4, 4, { init: 'zeros', biasInit: 'zeros' })]);
    layer.build([4], ctx(1));
    const x = uniform(20, 8);
    expect(Array.from(layer.forward(x, 2, false))).toEqual(Array.from(x));
  });
});

describe('the doc examples', () => {
  it('build and run', () => {
    const examples = [
      new Sequential([new Dense(784, 256), new Activation('relu'), new Dropout(0.2), new Dense(256, 10)], { seed: 1 }),
      new Sequential([new Dense(2, 16), new BatchNorm(), new Activation('relu'), new Dense(16, 1)], { seed: 1 }),
      new Sequential([new Dense(8, 32), new LayerNorm(), new Activation('relu'), new Dense(32, 3)], { seed: 1 }),
      new Sequential([new Dense(2, 16), new Activation('relu'),
        new Residual([new Dense(16, 16), new Activation('relu'), new Dense(16, 16)]),
        new Dense(16, 1)], { seed: 1 }),
    ];
    for (const model of examples) {
      const x = new Tensor(uniform(30, 3 * model.inputSize), [3, model.inputSize]);
      const y = model.forward(x, { training: true });
      expect(y.shape).toEqual([3, model.outputSize]);
      for (const v of y.data) expect(Number.isFinite(v)).toBe(true);
    }
  });
});

describe('layer configuration and errors', () => {
  it('round-trip through the registry', () => {
    const residual = new Residual([new Dense(4, 4), new BatchNorm({ momentum: 0.2 }), new Dropout(0.1), new LayerNorm({ eps: 1e-3 })]);
    const rebuilt = new layerClasses.Residual(JSON.parse(JSON.stringify(residual.config()))) as Residual;
    expect(rebuilt.config()).toEqual(residual.config());
    expect(rebuilt.layers.map((l) => l.kind)).toEqual(['Dense', 'BatchNorm', 'Dropout', 'LayerNorm']);
    expect(new layerClasses.Dropout({ rate: 0.3 }).config()).toEqual({ rate: 0.3 });
    expect(new layerClasses.BatchNorm({}).config()).toEqual({ eps: 1e-5, momentum: 0.1 });
  });

  it('Residual names inner parameters by position and exposes inner state', () => {
    const layer = new Residual([new Dense(2, 2), new BatchNorm()]);
    layer.build([2], ctx(1));
    expect(layer.params().map((p) => p.name)).toEqual(['0.weight', '0.bias', '1.gamma', '1.beta']);
    expect(layer.state().map((s) => s.name)).toEqual(['1.runningMean', '1.runningVar']);
    expect(layer.params().find((p) => p.name === '1.gamma')!.decay).toBe(false);
  });

  it('Residual rejects an inner block that changes the shape', () => {
    const layer = new Residual([new Dense(4, 3)]);
    expect(() => layer.build([4], ctx(1))).toThrow(RangeError);
    expect(() => new Residual([new Dense(4, 3)]).build([4], ctx(1))).toThrow(
      'Residual.build: expected the output shape of the inner layers to be [4] (the input shape, so that x + F(x) is defined), received [3]');
    expect(() => new Residual([])).toThrow('Residual: expected layers to be at least one layer, received an empty array');
    expect(() => new Residual({ layers: [{ kind: 'Nope', config: {} }] })).toThrow(/Residual: expected layers\[0\]\.kind to be a registered layer kind \(Dense, .*\), received "Nope"/);
  });

  it('validate their settings', () => {
    expect(() => new Dropout(1)).toThrow('Dropout: expected rate to be a number in [0, 1), received 1');
    expect(() => new Dropout(-0.1)).toThrow(RangeError);
    expect(() => new Dropout('0.5' as unknown as number)).toThrow(TypeError);
    expect(() => new BatchNorm({ eps: 0 })).toThrow('BatchNorm: expected eps to be a number > 0, received 0');
    expect(() => new BatchNorm({ momentum: 2 })).toThrow('BatchNorm: expected momentum to be a number in [0, 1], received 2');
    expect(() => new BatchNorm({ mom: 0.1 } as never)).toThrow("unknown key 'mom'");
    expect(() => new LayerNorm({ eps: -1 })).toThrow(RangeError);
    const bn = new BatchNorm();
    expect(() => bn.forward(new Float32Array(4), 2, true)).toThrow(/BatchNorm.forward: the layer is not built yet/);
  });
});
