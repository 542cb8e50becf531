#include <cmath>

#include "kernels.h"
#include "simd.h"

namespace blasnet {

uint32_t dropout_threshold(double p) {
  return static_cast<uint32_t>(std::floor(p * 4294967296.0));
}

// murmur3's 32-bit finalizer
static inline uint32_t fmix32(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

// Element i (global index i0 + local index) is kept iff
//   fmix32((seed ^ Math.imul(i, 0x9E3779B9)) >>> 0) >= floor(p · 2³²)
// all in uint32 arithmetic, exactly as the JS backend decides it. y = x·mask in float is
// bit-identical to JS's double product rounded to float (a product of two floats is exact in double).
BLASNET_CLONES void dropout_forward(float* y, float* mask, const float* x, size_t n, size_t i0, double p,
                                    uint32_t seed) {
  const uint32_t threshold = dropout_threshold(p);
  const float keepMask = static_cast<float>(1.0 / (1.0 - p));
  for (size_t j = 0; j < n; j++) {
    const uint32_t i = static_cast<uint32_t>(i0 + j);  // Math.imul takes its operands mod 2³²
    const bool keep = fmix32(seed ^ (i * 0x9E3779B9u)) >= threshold;
    mask[j] = keep ? keepMask : 0.0f;
    y[j] = x[j] * mask[j];
  }
}

}  // namespace blasnet
