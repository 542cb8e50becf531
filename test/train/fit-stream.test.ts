// fit over a source of batches: the same training as in memory for the same batches, time-sliced,
// allocation-free per step, and clear about what it cannot use.
import { describe, expect, it } from 'vitest';
import { allocationCount } from '../../lib/alloc';
import { Dense } from '../../lib/layers/dense';
import { Sequential } from '../../lib/model/sequential';
import { sgd } from '../../lib/optim/index';
import { Random } from '../../lib/random';
import { Tensor } from '../../lib/tensor';

function data(n: number): { x: Tensor; y: Tensor } {
  const rng = new Random(4);
  const x = new Float32Array(n * 3);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 3; j++) x[i * 3 + j] = rng.normal();
    y[i] = x[i * 3] + x[i * 3 + 1] > 0 ? 1 : 0;
  }
  return { x: new Tensor(x, [n, 3]), y: new Tensor(y, [n]) };
}

function batchesOf(d: { x: Tensor; y: Tensor }, size: number): { x: Tensor; y: Tensor }[] {
  const out = [];
  const n = d.x.shape[0];
  for (let s = 0; s < n; s += size) {
    const e = Math.min(n, s + size);
    out.push({ x: new Tensor(d.x.data.slice(s * 3, e * 3), [e - s, 3]), y: new Tensor(d.y.data.slice(s, e), [e - s]) });
  }
  return out;
}

function model(): Sequential {
  const m = new Sequential([new Dense(3, 8, { activation: 'relu' }), new Dense(8, 2)], { seed: 2 });
  m.compile({ loss: 'softmaxCrossentropy', optimizer: sgd({ lr: 0.1 }), metrics: ['accuracy', 'f1'] });
  return m;
}

describe('fit(batches)', () => {
  const d = data(100);

  it('equals fit(x, y) without shuffling for the same batches, with the same logs', async () => {
    const a = model();
    const ha = await a.fit(batchesOf(d, 16), { epochs: 3, verbose: 0, validationData: [d.x, d.y] });
    const b = model();
    const hb = await b.fit(d.x, d.y, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0, validationData: [d.x, d.y] });
    expect(a.params().map((p) => Array.from(p.value))).toEqual(b.params().map((p) => Array.from(p.value)));
    for (const key of ['loss', 'accuracy', 'f1', 'valLoss', 'valAccuracy', 'valF1']) expect([key, ha[key]]).toEqual([key, hb[key]]);
  });

  it('takes an async source, yields to the event loop while training, and allocates nothing per step after warm-up', async () => {
    const batches = batchesOf(d, 4);
    const source = { async *[Symbol.asyncIterator]() { yield* batches; } };
    // Counts event-loop turns: each runs one setImmediate, which queues the next.
    let turns = 0;
    let running = true;
    const turn = () => { turns++; if (running) setImmediate(turn); };
    setImmediate(turn);
    const counts: number[] = [];
    const m = model();
    const started = performance.now();
    await m.fit(source, { epochs: 200, verbose: 0, callbacks: { onEpochEnd: () => { counts.push(allocationCount()); } } });
    const ms = performance.now() - started;
    running = false;
    // A turn every 5 ms slice; at least one per 20 ms leaves room for slow steps on a loaded machine.
    expect(ms).toBeGreaterThan(40);
    expect(turns).toBeGreaterThanOrEqual(Math.floor(ms / 20));
    expect(counts[199]).toBe(counts[2]);
  });

  it('closes the source when a batch stops the fit mid-epoch', async () => {
    const bad = { x: new Tensor(new Float32Array([Number.NaN, 0, 0]), [1, 3]), y: new Tensor(new Float32Array([0]), [1]) };
    let closed = 0;
    const source: AsyncIterable<{ x: Tensor; y: Tensor }> = {
      [Symbol.asyncIterator](): AsyncIterator<{ x: Tensor; y: Tensor }> {
        const batches = [batchesOf(d, 16)[0], bad, batchesOf(d, 16)[1]];
        let i = 0;
        return {
          next: async (): Promise<IteratorResult<{ x: Tensor; y: Tensor }>> =>
            (i < batches.length ? { done: false, value: batches[i++] } : { done: true, value: undefined }),
          return: async (): Promise<IteratorResult<{ x: Tensor; y: Tensor }>> => { closed++; return { done: true, value: undefined }; },
        };
      },
    };
    await expect(model().fit(source, { epochs: 1, verbose: 0 })).rejects.toThrow(/batch 1 x/);
    expect(closed).toBe(1);
  });

  it('evaluateAsync(batches) gives evaluate(x, y)\'s loss and metrics', async () => {
    const m = model();
    await m.fit(batchesOf(d, 16), { epochs: 2, verbose: 0 });
    const whole = m.evaluate(d.x, d.y);
    expect(await m.evaluateAsync([{ x: d.x, y: d.y }])).toEqual(whole);
    const parts = await m.evaluateAsync({ async *[Symbol.asyncIterator]() { yield* batchesOf(d, 16); } });
    expect(parts.loss).toBeCloseTo(whole.loss, 6);
    expect(parts.accuracy).toBe(whole.accuracy);
    expect(parts.f1).toBe(whole.f1);
    await expect(m.evaluateAsync({ async *[Symbol.asyncIterator]() { /* nothing */ } })).rejects.toThrow(new RangeError('evaluateAsync: the data gave no batches'));
  });

  it('validates batches and options', async () => {
    const m = model();
    await expect(m.fit([{ x: Tensor.from([[1, 2]]), y: Tensor.from([0]) }], { verbose: 0 })).rejects.toThrow('fit: expected batch 0 x to be samples of 3 floats (shape [n, 3]), received 2 floats per sample (shape [1, 2])');
    await expect(m.fit([{ x: Tensor.from([[1, 2, NaN]]), y: Tensor.from([0]) }], { verbose: 0 })).rejects.toThrow('fit: expected batch 0 x to be finite values only, received NaN at row 0, column 2');
    await expect(m.fit([{ x: Tensor.from([[1, 2, 3]]), y: Tensor.from([5]) }], { verbose: 0 })).rejects.toThrow(RangeError);
    await expect(m.fit(batchesOf(d, 10), { verbose: 0, batchSize: 10 } as never)).rejects.toThrow("fit: expected options to be options among epochs, validationData, callbacks, verbose, output, signal, lrSchedule, received unknown option 'batchSize'");
  });
});
