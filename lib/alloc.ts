// Every typed array the library creates goes through here, so a test can prove that a training step
// allocates nothing after warm-up (the counter only moves when memory is really requested).

let allocations = 0;
/** Values the library may still allocate while a limit is in force (see withAllocationLimit). */
let allowance = Infinity;
let overLimit: ((requested: number, left: number) => RangeError) | undefined;
const limitErrors = new WeakSet<Error>();

function take(length: number): void {
  if (length > allowance) {
    const err = overLimit!(length, allowance);
    limitErrors.add(err);
    throw err;
  }
  allowance -= length;
}

export function allocFloat32(length: number): Float32Array {
  take(length);
  allocations++;
  return new Float32Array(length);
}

export function allocInt32(length: number): Int32Array {
  take(length);
  allocations++;
  return new Int32Array(length);
}

/**
 * Runs body (synchronously) with at most `values` typed-array elements to allocate: a request beyond
 * what is left throws error(requested, left) before any memory is taken. Loading a file builds its
 * model under such a limit, so a small file cannot make blasnet allocate what it merely declares.
 */
export function withAllocationLimit<T>(values: number, error: (requested: number, left: number) => RangeError, body: () => T): T {
  const outer = { allowance, overLimit };
  allowance = Math.min(values, allowance);
  overLimit = error;
  try {
    return body();
  } finally {
    // An enclosing limit is charged what this one handed out.
    allowance = outer.allowance === Infinity ? Infinity : outer.allowance - (Math.min(values, outer.allowance) - allowance);
    overLimit = outer.overLimit;
  }
}

/** Whether err was thrown by an allocation limit (callers that re-word errors pass it on as is). */
export function isAllocationLimitError(err: unknown): boolean {
  return err instanceof Error && limitErrors.has(err);
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
