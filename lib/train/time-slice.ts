// Running a training generator without starving the event loop: steps run back to back until the
// slice budget is nearly spent, then control returns to the event loop for one turn
// (setImmediate: timers, I/O and other callbacks get their chance), and training resumes.

/** Yielded by a training generator before work whose cost is still unknown (the first steps after
 *  the data checks): the async driver takes an event-loop turn and starts a fresh estimate. */
export const NEW_PHASE: unique symbol = Symbol('new phase');

/** What the training generators yield: undefined at a point where pausing is allowed, NEW_PHASE, or
 *  a Promise (returned by a user callback) to wait for. */
export type Pause = Promise<unknown> | undefined | typeof NEW_PHASE;

/** Time run synchronously before yielding to the event loop. */
export const SLICE_MS = 5;

/** How fast the step-time estimate forgets a slow step (per step). */
const ESTIMATE_DECAY = 0.9;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Drives the generator asynchronously. A pause is taken early when the next step would probably
 * overrun the budget, so slices stay within SLICE_MS even when one step takes several milliseconds.
 * The estimate of the next step is a decaying maximum of recent steps: step times vary (other
 * processes, OpenBLAS threads waking up), and one slow step is a better warning than the average.
 */
export async function drive<T>(gen: Generator<Pause, T, void>): Promise<T> {
  let sliceStart = performance.now();
  let last = sliceStart;
  // Until a step has been timed, assume it may fill a whole slice (the first steps of a fit are the
  // slowest: buffers are allocated and code is compiled then).
  let estimate = SLICE_MS;
  for (;;) {
    const r = gen.next();
    if (r.done) return r.value;
    if (r.value === NEW_PHASE) {
      await nextTurn();
      sliceStart = last = performance.now();
      estimate = SLICE_MS;
      continue;
    }
    if (r.value !== undefined) {
      await r.value;
      sliceStart = last = performance.now();
      continue;
    }
    const now = performance.now();
    const stepMs = now - last;
    last = now;
    estimate = Math.max(stepMs, estimate * ESTIMATE_DECAY);
    if (now - sliceStart + estimate >= SLICE_MS) {
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
