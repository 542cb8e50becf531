// threads(n) is process-wide: OpenBLAS's thread count and the elementwise pool are shared by every
// worker thread of the process, so a threads(1) in one worker applies to all of them. blasnet's own
// kernels give the same bits at any count (each call below runs at one and at two threads, as if
// another worker had changed the count in between). OpenBLAS's sgemm does not: it partitions the
// work by its thread count and the rounding follows; at a fixed count it repeats itself exactly.
import { afterAll, expect, it } from 'vitest';
import { threads } from '../../lib/backend/index';
import { Loss } from '../../lib/backend/types';
import { randomFloat32, randomLabels } from '../helpers/arrays';
import { describeNative } from '../helpers/native';

const before = threads();
afterAll(() => threads(before));

describeNative('results do not depend on threads()', (native) => {
  /** f's result at 1 thread and at 2. */
  const atBoth = <T>(f: () => T): [T, T] => {
    threads(1);
    const one = f();
    threads(2);
    const two = f();
    return [one, two];
  };

  it('reductions large enough to run in parallel: sumSquares, sumAbs, a loss, softmax cross-entropy', () => {
    const n = 3_000_003;
    const x = randomFloat32(31, n, -3, 3);
    const t = randomFloat32(32, n, -3, 3);
    const [sq1, sq2] = atBoth(() => native.sumSquares(x, n));
    expect(sq2).toBe(sq1);
    const [abs1, abs2] = atBoth(() => native.sumAbs(x, n));
    expect(abs2).toBe(abs1);
    const [mse1, mse2] = atBoth(() => native.loss(Loss.mse, new Float32Array(n), x, t, n, 1));
    expect(mse2).toBe(mse1);
    const m = 30_001;
    const k = 50;
    const labels = randomLabels(33, m, k);
    const [ce1, ce2] = atBoth(() => {
      const dz = new Float32Array(m * k);
      return [native.softmaxCrossentropy(dz, x.subarray(0, m * k), labels, m, k, true, 1 / m), dz] as const;
    });
    expect(ce2[0]).toBe(ce1[0]);
    expect(Buffer.from(ce2[1].buffer).equals(Buffer.from(ce1[1].buffer))).toBe(true);
  });

  it('gemm: OpenBLAS repeats its bits at a fixed thread count; across counts only within rounding', () => {
    const [m, n, k] = [128, 256, 784];
    const A = randomFloat32(1, m * k);
    const B = randomFloat32(2, k * n);
    const product = () => {
      const C = new Float32Array(m * n);
      native.gemm(false, true, m, n, k, 1, A, B, 0, C);
      return C;
    };
    const [one, two] = atBoth(product);
    const [oneAgain, twoAgain] = atBoth(product);
    expect(Buffer.from(oneAgain.buffer).equals(Buffer.from(one.buffer))).toBe(true);
    expect(Buffer.from(twoAgain.buffer).equals(Buffer.from(two.buffer))).toBe(true);
    // |A|·|B| ≤ k here (entries in [−1, 1]): the float32 bound (k + 4)·2⁻²⁴·k for either result.
    let worst = 0;
    for (let i = 0; i < one.length; i++) worst = Math.max(worst, Math.abs(one[i] - two[i]));
    expect(worst).toBeLessThan(2 * (k + 4) * 2 ** -24 * k);
  });
});
