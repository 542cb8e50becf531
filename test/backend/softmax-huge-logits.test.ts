// Fused softmax cross-entropy with huge logits, in both backends, against the closed form: n tied
// logits of any size give loss log n and probabilities 1/n, whatever the size (a shift-invariant
// function must not see the 1e16 at all).
import { describe, expect, it } from 'vitest';
import { jsBackend } from '../../lib/backend/js';
import type { Backend } from '../../lib/backend/types';
import { describeNative } from '../helpers/native';

const f32 = (values: number[]) => Float32Array.from(values);

function suite(backend: Backend): void {
  const rtol = 1e-6;
  for (const c of [1e15, 1e16, 1e30, -1e30, 3e38]) {
    it(`tied logits of ${c}: loss log 3, gradient [⅓, −⅔, ⅓], probabilities summing to 1`, () => {
      const z = f32([c, c, c]);
      const dz = new Float32Array(3);
      const loss = backend.softmaxCrossentropy(dz, z, f32([1]), 1, 3, true, 1);
      expect(Math.abs(loss - Math.log(3))).toBeLessThan(rtol);
      const expected = [1 / 3, -2 / 3, 1 / 3];
      for (let j = 0; j < 3; j++) expect(Math.abs(dz[j] - expected[j])).toBeLessThan(rtol);
      // probabilities = dz + one-hot
      expect(Math.abs(dz[0] + dz[1] + 1 + dz[2] - 1)).toBeLessThan(rtol);

      const dense = new Float32Array(3);
      const soft = f32([0.2, 0.5, 0.3]);
      const denseLoss = backend.softmaxCrossentropy(dense, z, soft, 1, 3, false, 1);
      expect(Math.abs(denseLoss - Math.log(3))).toBeLessThan(rtol);
      for (let j = 0; j < 3; j++) expect(Math.abs(dense[j] - (1 / 3 - soft[j]))).toBeLessThan(rtol);
    });
  }

  it('two tied maxima of 1e16 and a logit 1e15 below: loss log 2, gradient [−½, ½, 0]', () => {
    const z = f32([1e16, 1e16, 1e16 - 1e15]);
    const dz = new Float32Array(3);
    const loss = backend.softmaxCrossentropy(dz, z, f32([0]), 1, 3, true, 1);
    expect(Math.abs(loss - Math.log(2))).toBeLessThan(rtol);
    expect(Array.from(dz, (v) => Math.round(v * 1e6) / 1e6)).toEqual([-0.5, 0.5, 0]);
    // the low logit as the label: loss is the gap itself (in float32), its probability 0
    const far = backend.softmaxCrossentropy(dz, z, f32([2]), 1, 3, true, 1);
    expect(Math.abs(far - (Math.log(2) + (z[0] - z[2])))).toBeLessThan(1e-6 * far);
  });
}

describe('softmaxCrossentropy with huge logits [js backend]', () => suite(jsBackend));
describeNative('softmaxCrossentropy with huge logits [native backend]', (native) => suite(native));
