// Every typed array the library creates goes through here, so a test can prove that a training step
// allocates nothing after warm-up (the counter only moves when memory is really requested).

let allocations = 0;

export function allocFloat32(length: number): Float32Array {
  allocations++;
  return new Float32Array(length);
}

export function allocInt32(length: number): Int32Array {
  allocations++;
  return new Int32Array(length);
}

/** How many typed arrays the library has allocated since the process started. */
export function allocationCount(): number {
  return allocations;
}

/**
 * A reusable buffer of m rows × `width` floats (a layer's activations, a loss's gradient, a batch).
 * The backing array grows to the largest m seen and is then reused; views for recent row counts are
 * cached, so an epoch that alternates between the full batch size and a smaller last batch allocates
 * nothing after the first epoch.
 */
export class RowBuffer {
  private data: Float32Array | undefined;
  private readonly views = new Map<number, Float32Array>();

  constructor(readonly width: number) {}

  /** A view of exactly m·width floats (contents are whatever the last user left there). */
  rows(m: number): Float32Array {
    const cached = this.views.get(m);
    if (cached !== undefined) return cached;
    const length = m * this.width;
    if (this.data === undefined || this.data.length < length) {
      this.data = allocFloat32(length);
      this.views.clear();
    }
    // Few distinct batch sizes occur in practice (train batch, last batch, evaluation batch); the
    // bound only stops a caller that varies m on every call from growing the map forever.
    if (this.views.size >= 8) this.views.clear();
    const view = length === this.data.length ? this.data : this.data.subarray(0, length);
    this.views.set(m, view);
    return view;
  }
}
