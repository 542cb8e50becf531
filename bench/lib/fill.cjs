'use strict';
// Deterministic inputs for kernel timings (the values only need to be ordinary floats: no NaN, no
// denormals, a mix of signs so ReLU takes both branches).

function filledRandom(n, seed = 1, lo = -1, hi = 1) {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((s >>> 8) / 16777216) * (hi - lo);
  }
  return out;
}

module.exports = { filledRandom };
