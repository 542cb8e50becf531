// gemm's C must not share memory with A or B, also when the arrays sit on two different
// SharedArrayBuffer objects over the same memory: a buffer posted to a worker and back is a new
// object, so comparing `.buffer` identity alone let such a C through and 99.97 % of it came out wrong.
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getBackend, useBackend } from '../../lib/backend/index';
import { ops } from '../../lib/ops';
import { describeEachBackend } from '../helpers/backends';
import { expectError } from '../helpers/errors';
import { describeNative } from '../helpers/native';

const previous = getBackend().name;
afterAll(() => useBackend(previous));

let worker: Worker;
let shared: SharedArrayBuffer;
let echoed: SharedArrayBuffer;

beforeAll(async () => {
  worker = new Worker("require('node:worker_threads').parentPort.on('message', (m) => require('node:worker_threads').parentPort.postMessage(m));", { eval: true });
  shared = new SharedArrayBuffer(64);
  echoed = await new Promise<SharedArrayBuffer>((resolve) => {
    worker.once('message', resolve);
    worker.postMessage(shared);
  });
  // [1 2; 3 4] at floats [0, 4), [5 6; 7 8] at [4, 8)
  new Float32Array(shared).set([1, 2, 3, 4, 5, 6, 7, 8]);
});
afterAll(() => worker.terminate());

it('the round trip gives a second object over the same memory', () => {
  expect(echoed).not.toBe(shared);
  expect(echoed).toBeInstanceOf(SharedArrayBuffer);
  expect(new Float32Array(echoed, 4 * 4, 1)[0]).toBe(5);
});

describeEachBackend('ops.gemm over two SharedArrayBuffer objects of the same memory', () => {
  it('refuses a C that overlaps A or B through the other object, and computes a disjoint one', () => {
    const A = new Float32Array(shared, 0, 4);
    const B = new Float32Array(shared, 16, 4);
    expectError(() => ops.gemm(false, false, 2, 2, 2, 1, A, B, 0, new Float32Array(echoed, 0, 4)), RangeError,
      'ops.gemm: expected C not to overlap A, received C at bytes [0, 16) and A at bytes [0, 16) of the same memory (two SharedArrayBuffer objects over it)');
    expectError(() => ops.gemm(false, false, 2, 2, 2, 1, A, B, 0, new Float32Array(echoed, 24, 4)), RangeError,
      'ops.gemm: expected C not to overlap B, received C at bytes [24, 40) and B at bytes [16, 32) of the same memory (two SharedArrayBuffer objects over it)');
    expect(Array.from(new Float32Array(shared, 0, 8))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const C = new Float32Array(echoed, 32, 4);
    ops.gemm(false, false, 2, 2, 2, 1, A, B, 0, C);
    expect(Array.from(C)).toEqual([19, 22, 43, 50]);
    // Two unrelated shared buffers of the same length are not mistaken for one, and keep their bytes.
    const other = new Float32Array(new SharedArrayBuffer(64), 0, 4);
    other.set([9, 9, 9, 9]);
    ops.gemm(false, false, 2, 2, 2, 1, A, B, 0, other);
    expect(Array.from(other)).toEqual([19, 22, 43, 50]);
    // Nor when the unrelated buffer happens to hold, at C's first byte, C's byte flipped (0xff vs 0x00).
    const cBytes = new SharedArrayBuffer(64);
    const aBytes = new SharedArrayBuffer(64);
    new Uint8Array(cBytes)[0] = 0xff;
    const A2 = new Float32Array(aBytes, 0, 4);
    A2.set([1, 2, 3, 4]);
    const C2 = new Float32Array(cBytes, 0, 4);
    ops.gemm(false, false, 2, 2, 2, 1, A2, B, 0, C2);
    expect(Array.from(C2)).toEqual([19, 22, 43, 50]);
  });
});

describeNative('native gemm', (native) => {
  it('compares addresses itself, whatever objects hold the memory', () => {
    const A = new Float32Array(shared, 0, 4);
    const B = new Float32Array(shared, 16, 4);
    expectError(() => native.gemm(false, false, 2, 2, 2, 1, A, B, 0, new Float32Array(echoed, 8, 4)), RangeError,
      'gemm: expected C not to overlap A, received arrays that share 8 bytes of memory');
    expectError(() => native.gemm(false, false, 2, 2, 2, 1, A, B, 0, new Float32Array(echoed, 28, 4)), RangeError,
      'gemm: expected C not to overlap B, received arrays that share 4 bytes of memory');
    const plain = new Float32Array(12);
    plain.set([1, 2, 3, 4, 5, 6, 7, 8]);
    expectError(() => native.gemm(false, false, 2, 2, 2, 1, plain.subarray(0, 4), plain.subarray(4, 8), 0, plain.subarray(2, 6)), RangeError,
      'gemm: expected C not to overlap A, received arrays that share 8 bytes of memory');
    expect(Array.from(new Float32Array(shared, 0, 8))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
