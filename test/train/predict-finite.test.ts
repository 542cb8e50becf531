// predict and forward check their input for NaN and ±Infinity as fit does, and a model given a NaN
// with the check turned off answers NaN (activations propagate it), never a plausible class.
import { expect, test } from 'vitest';
import { describeEachBackend } from '../helpers/backends';
import { Sequential } from '../../lib/model/sequential';
import { Ensemble } from '../../lib/model/ensemble';
import { Dense } from '../../lib/layers/index';
import { Tensor } from '../../lib/tensor';

function model(activation: 'relu' | 'step' | 'leakyRelu' | 'elu' = 'relu'): Sequential {
  const m = new Sequential([new Dense(3, 8, { activation }), new Dense(8, 2)], { seed: 7 });
  m.compile({ loss: 'softmaxCrossentropy', optimizer: 'sgd' });
  m.build([3]);
  return m;
}

const bad = (v: number) => new Tensor(Float32Array.from([0.5, 1, -1, 2, 0.25, 3, 1, v, 0]), [3, 3]);

describeEachBackend('non-finite inputs at inference', () => {
  test('predict and predictAsync name the row and column, as fit does', async () => {
    const m = model();
    expect(() => m.predict(bad(NaN))).toThrow(RangeError);
    expect(() => m.predict(bad(NaN))).toThrow('predict: expected x to be finite values only, received NaN at row 2, column 1');
    expect(() => m.predict(bad(Infinity))).toThrow('predict: expected x to be finite values only, received Infinity at row 2, column 1');
    await expect(m.predictAsync(bad(-Infinity))).rejects.toThrow('predictAsync: expected x to be finite values only, received -Infinity at row 2, column 1');
  });

  test('Sequential.forward and Ensemble.predict check too', () => {
    const m = model();
    expect(() => m.forward(bad(NaN))).toThrow('Sequential.forward: expected x to be finite values only, received NaN at row 2, column 1');
    const e = new Ensemble([model(), model()]);
    expect(() => e.predict(bad(NaN))).toThrow('Ensemble.predict: expected x to be finite values only, received NaN at row 2, column 1');
  });

  test('checkFinite: false skips the check, and the NaN row comes out NaN through every activation', () => {
    for (const activation of ['relu', 'step', 'leakyRelu', 'elu'] as const) {
      const m = model(activation);
      const out = m.predict(bad(NaN), { checkFinite: false });
      const fwd = m.forward(bad(NaN), { checkFinite: false });
      for (const o of [out, fwd]) {
        expect(o.data.subarray(0, 4).every(Number.isFinite), activation).toBe(true);
        expect(Number.isNaN(o.data[4]) && Number.isNaN(o.data[5]), activation).toBe(true);
      }
    }
    expect(() => model().predict(bad(1), { checkFinite: 'no' as unknown as boolean })).toThrow(TypeError);
  });
});
