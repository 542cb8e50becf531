// The data set is shared, not copied per worker. Bound (README, "Many models at once"): peak RSS
// during a parallel call ≤ RSS before it + N × (32 MiB per worker thread + model + optimizer state
// + batch buffers) + 16 MiB. Here the data is 92 MiB: one copy per worker would add 184 MiB, well
// above the bound of 2 × (32 + 2 × 7.6) + 16 ≈ 110 MiB.
import { expect, it } from 'vitest';
import { threads } from '../../lib/backend/index';
import { shareTensor } from '../../lib/parallel/shared';
import { Tensor } from '../../lib/tensor';
import { gridSearch } from '../../lib/train/search';

const MiB = 2 ** 20;

it('two workers training on 92 MiB of shared data stay within the stated RSS bound', async () => {
  const n = 6000;
  const d = 4000;
  const data = new Float32Array(new SharedArrayBuffer(n * d * 4));
  // Every page written, so it all counts in RSS before the call.
  for (let i = 0; i < data.length; i++) data[i] = ((i * 2654435761) % 1024) / 1024;
  const x = shareTensor(new Tensor(data, [n, d]));
  expect(x.data).toBe(data); // already shared: no copy
  const y = new Tensor(new Float32Array(n).map((_, i) => i % 2), [n]);
  const before = threads();
  threads(1);
  try {
    const batchSize = 500;
    const rssBefore = process.memoryUsage.rss();
    let peak = rssBefore;
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 5);
    const result = await gridSearch({ mlp: { inputs: d, outputs: 2 }, compile: { loss: 'softmaxCrossentropy' } }, { lr: [0.01, 0.02] },
      { x, y, validationSplit: 0.1, epochs: 1, batchSize, workers: 2 });
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage.rss());
    expect(result.every((e) => e.error === undefined)).toBe(true);
    // Per worker: the model (d × 2 weights), Adam's two moments, and batch buffers (the gathered
    // x batch, and the validation batch of twice its rows that the layers see).
    const perWorker = 32 * MiB + 3 * d * 2 * 4 + 2 * batchSize * d * 4;
    const bound = 2 * perWorker + 16 * MiB;
    expect(peak - rssBefore).toBeLessThanOrEqual(bound);
    expect(bound).toBeLessThan(2 * data.byteLength);
  } finally {
    threads(before);
  }
});
