// Running a training generator without starving the event loop: steps run back to back until the
// slice budget is nearly spent, then control returns to the event loop for one turn
// (setImmediate: timers, I/O and other callbacks get their chance), and training resumes.

/** What the training generators yield: undefined at a point where pausing is allowed, or a Promise
 *  (returned by a user callback) to wait for. */
export type Pause = Promise<unknown> | undefined;

/** Time run synchronously before yielding to the event loop. */
export const SLICE_MS = 8;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Drives the generator asynchronously. A pause is taken early when the next step would probably
 * overrun the budget (the last step's duration is the estimate), so slices stay close to SLICE_MS
 * even when one step takes several milliseconds.
 */
export async function drive<T>(gen: Generator<Pause, T, void>): Promise<T> {
  let sliceStart = performance.now();
  let last = sliceStart;
  for (;;) {
    const r = gen.next();
    if (r.done) return r.value;
    if (r.value !== undefined) {
      await r.value;
      sliceStart = last = performance.now();
      continue;
    }
    const now = performance.now();
    const stepMs = now - last;
    last = now;
    if (now - sliceStart + stepMs >= SLICE_MS) {
      await nextTurn();
      sliceStart = last = performance.now();
    }
  }
}

/** Drives the generator to completion without pausing (callbacks' promises are not awaited). */
export function driveSync<T>(gen: Generator<Pause, T, void>): T {
  for (;;) {
    const r = gen.next();
    if (r.done) return r.value;
  }
}
