// The addon in worker threads: it loads in each (Node-API modules are context-aware), its thread
// setting is one process-wide value (OpenBLAS's and the elementwise pool's), and gemm calls made
// from several threads at once are correct: bit-identical to the same calls made one by one.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { threads } from '../../lib/backend/index';
import { Random } from '../../lib/random';
import { describeNative } from '../helpers/native';

describeNative('native addon in worker threads', (native) => {
  let before = 1;
  beforeAll(() => { before = threads(); threads(1); });
  afterAll(() => { threads(before); });

  it('concurrent cblas_sgemm calls from two worker threads equal the serial results bit for bit', async () => {
    const rng = new Random(4);
    const shared = (n: number): Float32Array => {
      const out = new Float32Array(new SharedArrayBuffer(n * 4));
      for (let i = 0; i < n; i++) out[i] = rng.uniform(-1, 1);
      return out;
    };
    const a = shared(200 * 200);
    const b = shared(200 * 200);
    const shapes = Array.from({ length: 16 }, () => [37 + rng.int(160), 29 + rng.int(170), 17 + rng.int(180), rng.int(2) === 1, rng.int(2) === 1]);
    const serial = shapes.map(([m, n, k, ta, tb]) => {
      const c = new Float32Array((m as number) * (n as number));
      native.gemm(ta as boolean, tb as boolean, m as number, n as number, k as number, 1, a, b, 0, c);
      return c;
    });
    const file = path.join(__dirname, 'fixtures', 'gemm-worker.cjs');
    const runs = await Promise.all([0, 1].map(() => new Promise<{ threads: number; results: Float32Array[] }>((resolve, reject) => {
      const w = new Worker(file, { workerData: { a, b, shapes } });
      w.once('message', (msg) => { resolve(msg); void w.terminate(); });
      w.once('error', reject);
    })));
    for (const run of runs) {
      // The worker sees the process-wide setting made here.
      expect(run.threads).toBe(1);
      run.results.forEach((c, i) => expect(Array.from(c)).toEqual(Array.from(serial[i])));
    }
  });
});
