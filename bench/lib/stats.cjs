'use strict';
// Timing helpers. Every figure the bench reports is a median over repetitions, so one slow
// repetition (another process waking up on a 2-core machine) does not move it.

function now() {
  return Number(process.hrtime.bigint()) / 1e9;
}

function median(values) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median seconds of `reps` timed calls of fn after one untimed warm-up call (whole passes, e.g.
 *  inference over a test set). */
function medianPassSeconds(fn, reps) {
  fn();
  const seconds = [];
  for (let r = 0; r < reps; r++) {
    const t0 = now();
    fn();
    seconds.push(now() - t0);
  }
  return median(seconds);
}

/**
 * Seconds per call of fn, as the median of `reps` repetitions, each running fn enough times to last
 * at least `minSeconds` (found once, on a warm-up pass, so every repetition runs the same count).
 */
function secondsPerCall(fn, { reps = 5, minSeconds = 0.05, maxCalls = 1e7 } = {}) {
  fn();
  let calls = 1;
  for (;;) {
    const t0 = now();
    for (let i = 0; i < calls; i++) fn();
    const elapsed = now() - t0;
    if (elapsed >= minSeconds || calls >= maxCalls) break;
    const grow = elapsed > 0 ? Math.ceil((minSeconds / elapsed) * 1.2) : 10;
    calls = Math.min(maxCalls, calls * Math.max(2, Math.min(grow, 100)));
  }
  const samples = [];
  for (let r = 0; r < reps; r++) {
    const t0 = now();
    for (let i = 0; i < calls; i++) fn();
    samples.push((now() - t0) / calls);
  }
  return { seconds: median(samples), calls, samples };
}

/**
 * Seconds of one call as the median of `reps` individually timed calls after `warmup` calls: the
 * method bench/c uses for cblas_sgemm, so the two are compared like for like. Long calls get fewer
 * repetitions (enough for about maxSeconds in all, at least 3).
 */
function medianCallSeconds(fn, { reps = 50, warmup = 5, maxSeconds = 1 } = {}) {
  let t0 = now();
  fn();
  const first = now() - t0;
  for (let i = 1; i < warmup; i++) fn();
  const count = Math.max(3, Math.min(reps, Math.floor(maxSeconds / Math.max(first, 1e-9))));
  const samples = new Float64Array(count);
  for (let r = 0; r < count; r++) {
    t0 = now();
    fn();
    samples[r] = now() - t0;
  }
  return { seconds: median(Array.from(samples)), reps: count };
}

module.exports = { medianPassSeconds, now, median, secondsPerCall, medianCallSeconds };
