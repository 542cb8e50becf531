// Inverted dropout with a counter-based keep decision: element i's fate depends only on (seed, i),
// never on a generator's running state, so the native backend (native/kernels_dropout.cc)
// reproduces every mask bit for bit, whatever its threading.

/** murmur3's 32-bit finalizer: a bijection on uint32 that mixes every input bit into every output bit. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The integer threshold a hash must reach for an element to survive drop probability p. */
export function dropoutThreshold(p: number): number {
  return Math.floor(p * 4294967296);
}

/**
 * Whether element i survives dropout with probability p under seed (a uint32): keep iff
 * fmix32((seed ^ (i·0x9E3779B9 mod 2³²)) mod 2³²) ≥ ⌊p·2³²⌋. p = 0 keeps everything. This is the
 * definition both backends implement.
 */
export function dropoutKeep(seed: number, i: number, p: number): boolean {
  return fmix32((seed ^ Math.imul(i, 0x9e3779b9)) >>> 0) >= dropoutThreshold(p);
}

/**
 * mask[i] = keep ? 1/(1−p) : 0 and y = x ⊙ mask. The scale is computed in double and rounded once to
 * float32; y[i] is then the float32 product x[i]·mask[i], so both backends agree exactly.
 */
export function dropoutForward(y: Float32Array, mask: Float32Array, x: Float32Array, n: number, p: number,
  seed: number): void {
  const threshold = dropoutThreshold(p);
  const keepScale = Math.fround(1 / (1 - p));
  for (let i = 0; i < n; i++) {
    // fmix32 inlined: this loop runs once per activation per training step.
    let h = (seed ^ Math.imul(i, 0x9e3779b9)) >>> 0;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    const m = (h >>> 0) >= threshold ? keepScale : 0;
    mask[i] = m;
    y[i] = x[i] * m;
  }
}
