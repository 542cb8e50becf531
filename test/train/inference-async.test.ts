import { expect, test } from 'vitest';
import { describeEachBackend } from '../helpers/backends';
import { Sequential } from '../../lib/model/sequential';
import { Dense } from '../../lib/layers/index';
import { adam } from '../../lib/optim/index';
import { circles } from '../../lib/data/datasets';
import { Tensor } from '../../lib/tensor';
import { randomFloat32 } from '../helpers/arrays';

function model(): Sequential {
  const m = new Sequential([new Dense(2, 64, { activation: 'relu' }), new Dense(64, 64, { activation: 'tanh' }), new Dense(64, 2)], { seed: 4 });
  m.compile({ loss: 'softmaxCrossentropy', optimizer: adam({ lr: 0.01 }), metrics: ['accuracy'] });
  return m;
}

describeEachBackend('predictAsync and evaluateAsync', () => {
  const data = circles({ n: 400, seed: 2 });

  test('give exactly what predict and evaluate give', async () => {
    const m = model();
    m.fitSync(data.x, data.y, { epochs: 2, batchSize: 32, verbose: 0 });
    expect((await m.predictAsync(data.x, { batchSize: 64 })).data).toEqual(m.predict(data.x, { batchSize: 64 }).data);
    expect(await m.evaluateAsync(data.x, data.y)).toEqual(m.evaluate(data.x, data.y));
  });

  test('let timers run while they work through a large input', async () => {
    const m = model();
    m.build([2]);
    const n = 200_000;
    const x = new Tensor(randomFloat32(9, 2 * n), [n, 2]);
    let ticks = 0;
    const timer = setInterval(() => { ticks++; }, 1);
    m.predict(x, { batchSize: 256 });
    // A blocking predict (tens of milliseconds here) lets no timer fire while it runs…
    expect(ticks).toBe(0);
    const out = await m.predictAsync(x, { batchSize: 256 });
    clearInterval(timer);
    expect(out.shape).toEqual([n, 2]);
    // …the time-sliced one pauses every few milliseconds, and the 1 ms timer gets its turns.
    expect(ticks).toBeGreaterThan(0);
  });

  test('reject bad arguments through the promise, naming the async function', async () => {
    const m = model();
    m.build([2]);
    await expect(m.predictAsync(new Tensor(new Float32Array(6), [2, 3]))).rejects.toThrow(/^predictAsync: /);
    await expect(m.evaluateAsync(data.x, new Float32Array(3))).rejects.toThrow(/^evaluateAsync: /);
  });
});
