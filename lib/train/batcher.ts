import { allocFloat32, allocInt32 } from '../alloc';
import { getBackend } from '../backend/index';
import { RowBuffer } from '../alloc';
import type { Random } from '../random';

/** One mini-batch: m rows of inputs and of targets (views into buffers the batcher owns or into the
 *  data itself). Valid until the next call to batch(). */
export interface Batch {
  m: number;
  x: Float32Array;
  y: Float32Array;
  /** The rows' sample weights, when the batcher was given weights. */
  w: Float32Array | undefined;
}

/**
 * Cuts a data set into mini-batches. With shuffling, the sample order is a fresh seeded permutation
 * every epoch (drawn in place in one Int32Array) and each batch is gathered with the gatherRows
 * kernel into buffers allocated once; without it, batches are views of the data (no copy at all).
 * The last batch holds whatever remains (n mod batchSize rows). With `ownRows`, unshuffled batches
 * are copied into the batcher's buffer too, so that whoever transforms a batch in place (data
 * augmentation) never writes into the data set.
 */
export class Batcher {
  readonly batchCount: number;
  private readonly order: Int32Array | undefined;
  private readonly orderViews: Int32Array[] = [];
  private readonly xViews: Float32Array[] = [];
  private readonly yViews: Float32Array[] = [];
  private readonly xRows: RowBuffer;
  private readonly yRows: RowBuffer;
  private readonly wViews: Float32Array[] = [];
  private readonly wRows = new RowBuffer(1);
  private readonly current: Batch = { m: 0, x: EMPTY_F32, y: EMPTY_F32, w: undefined };

  constructor(private readonly x: Float32Array, private readonly y: Float32Array, readonly n: number,
    private readonly xWidth: number, private readonly yWidth: number, readonly batchSize: number,
    private readonly rng: Random | undefined, private readonly ownRows = false, private readonly weights?: Float32Array) {
    this.batchCount = Math.ceil(n / batchSize);
    this.xRows = new RowBuffer(xWidth);
    this.yRows = new RowBuffer(yWidth);
    // Every view is made here, once: a step then creates no typed-array objects at all.
    if (rng !== undefined) {
      this.order = allocInt32(n);
      for (let i = 0; i < n; i++) this.order[i] = i;
    }
    for (let b = 0; b < this.batchCount; b++) {
      const start = b * batchSize;
      const end = Math.min(n, start + batchSize);
      if (this.order !== undefined) this.orderViews.push(this.order.subarray(start, end));
      else {
        this.xViews.push(x.subarray(start * xWidth, end * xWidth));
        this.yViews.push(y.subarray(start * yWidth, end * yWidth));
        if (weights !== undefined) this.wViews.push(weights.subarray(start, end));
      }
    }
  }

  /** Draws the next epoch's permutation (a no-op without shuffling). Each is a shuffle of 0..n−1,
   *  so an epoch's order depends on the generator's state alone, not on the epochs before it: a fit
   *  resumed from a saved model continues exactly. */
  startEpoch(): void {
    if (this.order === undefined) return;
    for (let i = 0; i < this.n; i++) this.order[i] = i;
    this.rng!.shuffle(this.order);
  }

  /** Batch b (0-based) of the current epoch. */
  batch(b: number): Batch {
    const m = Math.min(this.batchSize, this.n - b * this.batchSize);
    const out = this.current;
    out.m = m;
    if (this.order === undefined) {
      out.y = this.yViews[b];
      out.w = this.weights === undefined ? undefined : this.wViews[b];
      if (this.ownRows) {
        out.x = this.xRows.rows(m);
        out.x.set(this.xViews[b]);
      } else out.x = this.xViews[b];
      return out;
    }
    const idx = this.orderViews[b];
    const backend = getBackend();
    out.x = this.xRows.rows(m);
    out.y = this.yRows.rows(m);
    backend.gatherRows(out.x, this.x, idx, m, this.xWidth);
    backend.gatherRows(out.y, this.y, idx, m, this.yWidth);
    if (this.weights !== undefined) {
      out.w = this.wRows.rows(m);
      backend.gatherRows(out.w, this.weights, idx, m, 1);
    }
    return out;
  }
}

const EMPTY_F32 = allocFloat32(0);
