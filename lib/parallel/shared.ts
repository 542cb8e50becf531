// Data that worker threads read without a copy: a Float32Array over a SharedArrayBuffer is handed
// to a worker as the same memory, where an ordinary one would be cloned into every worker.

import { Tensor } from '../tensor';
import { fail } from '../validate';

/** Whether the array's memory is shared (a worker sees it without a copy). */
export function isShared(data: ArrayBufferView): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && data.buffer instanceof SharedArrayBuffer;
}

/** The same values in shared memory: the array itself when it already is, else one copy. */
export function sharedFloat32(data: Float32Array): Float32Array {
  if (isShared(data)) return data;
  const out = new Float32Array(new SharedArrayBuffer(data.byteLength));
  out.set(data);
  return out;
}

/**
 * A tensor whose data lives in a SharedArrayBuffer. Parallel searches, ensembles and
 * cross-validation copy ordinary data into shared memory once; data loaded straight into a shared
 * tensor is not copied at all.
 *
 * @example
 *   const x = shareTensor(train.x);   // then gridSearch(spec, grid, { x, y, workers: 4, … })
 */
export function shareTensor(t: Tensor): Tensor {
  if (!(t instanceof Tensor)) fail('shareTensor', 't', 'a Tensor', t, 'type');
  return isShared(t.data) ? t : new Tensor(sharedFloat32(t.data), t.shape);
}
