// The elementwise pool is shared by every thread of the process: worker threads call parallel
// kernels at the same time while the main thread changes the thread count. Every call must still
// give the exact result (and, under `npm run test:tsan`, without a data race in the pool).
import { Worker } from 'node:worker_threads';
import * as path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { threads } from '../../lib/backend/index';
import { describeNative } from '../helpers/native';

const root = path.resolve(__dirname, '../..');
const before = threads();
afterAll(() => threads(before));

// Each worker loads the addon itself and runs kernels big enough to go parallel (2²¹ elements):
// axpy of ones (every element 2·rounds), sumSquares and sumAbs of ones (exactly n). It reports
// the first wrong value it sees.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const addon = require('node-gyp-build')(workerData.root);
const n = 1 << 21;
const x = new Float32Array(n).fill(1);
const y = new Float32Array(n);
let wrong = null;
for (let r = 1; r <= workerData.rounds && wrong === null; r++) {
  addon.axpy(y, 2, x, n);
  if (y[0] !== 2 * r || y[n - 1] !== 2 * r || y[n >> 1] !== 2 * r) wrong = 'axpy round ' + r + ': ' + y[0] + ', ' + y[n >> 1] + ', ' + y[n - 1];
  const sq = addon.sumSquares(x, n);
  if (sq !== n) wrong = 'sumSquares round ' + r + ': ' + sq;
  const abs = addon.sumAbs(x, n);
  if (abs !== n) wrong = 'sumAbs round ' + r + ': ' + abs;
}
parentPort.postMessage(wrong);
`;

describeNative('the pool under concurrent callers', () => {
  it('three workers calling parallel kernels while the main thread resizes the pool', async () => {
    const rounds = 40;
    const workers = Array.from({ length: 3 }, () => new Worker(workerSource, { eval: true, workerData: { root, rounds } }));
    const results = workers.map((w) => new Promise<string | null>((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    }));
    let done = false;
    void Promise.all(results).finally(() => { done = true; });
    // Resize between 1, 2 and 3 threads until every worker is done.
    for (let i = 0; !done; i++) {
      threads(1 + (i % 3));
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(await Promise.all(results)).toEqual([null, null, null]);
    await Promise.all(workers.map((w) => w.terminate()));
  }, 60_000);
});
