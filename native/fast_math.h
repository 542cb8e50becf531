// exp and tanh for float written so the compiler can vectorize the loops that call them: no
// branches, no table lookups, no errno. glibc's expf and tanhf are scalar calls (tanhf ~18 ns an
// element here), which made tanh and sigmoid layers cost as much as their matrix products.
//
// Both follow Cephes (Moshier) single precision: exp by range reduction to r = x − n·ln2 with a
// degree-6 polynomial and scaling by 2ⁿ; tanh by an odd polynomial below 0.625 and 1 − 2/(e²ˣ + 1)
// above. Against Math.exp/Math.tanh rounded to float: exp and tanh within 1 ulp, sigmoid and elu
// built on them within 2 (test/native/addon.test.ts sweeps −120…100). NaN stays NaN; overflow gives +Infinity; results below float's range go to 0 through
// the subnormals.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

namespace blasnet {

// 2^n for an integer-valued float n in [-126, 127], built from its exponent bits.
static inline float pow2i(float n) {
  const int32_t bits = (static_cast<int32_t>(n) + 127) << 23;
  float out;
  std::memcpy(&out, &bits, sizeof out);
  return out;
}

static inline float exp_f32(float x) {
  // Clamp (NaN passes through both comparisons): beyond these bounds the result is already
  // +Infinity or 0 in float, and the exponent arithmetic below stays in range.
  x = x > 89.0f ? 89.0f : x;
  x = x < -104.0f ? -104.0f : x;
  const float n = std::floor(x * 1.44269504088896341f + 0.5f);
  // r = x − n·ln2, with ln2 split in two so the first product is exact
  float r = x - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  const float r2 = r * r;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r2 + r + 1.0f;
  // 2ⁿ in two halves, so n from −150 (subnormal results) to 128 (overflow to ∞) stays representable
  const float half = std::floor(n * 0.5f);
  return p * pow2i(half) * pow2i(n - half);
}

static inline float tanh_f32(float x) {
  const float a = std::fabs(x);
  // |x| < 0.625: odd polynomial, accurate where 1 − 2/(e²ˣ + 1) would cancel
  const float z = x * x;
  float p = -5.70498872745e-3f;
  p = p * z + 2.06390887954e-2f;
  p = p * z - 5.37397155531e-2f;
  p = p * z + 1.33314422036e-1f;
  p = p * z - 3.33332819422e-1f;
  const float small = p * z * x + x;
  const float large = std::copysign(1.0f - 2.0f / (exp_f32(2.0f * a) + 1.0f), x);
  return a < 0.625f ? small : large;
}

}  // namespace blasnet
