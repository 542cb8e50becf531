// Argument checks for the N-API glue, as a few macros over inline readers (after better-sqlite3's
// src/util/macros). The JS layer validates too; these checks exist so that nothing reachable from
// JavaScript can crash the process or touch memory outside the arrays it was given.
//
// Two kinds of error, as in lib/validate.ts: TypeError for the wrong kind of value (wrong argument
// count, not a Float32Array, not a number), RangeError for a wrong value or size. Messages name the
// function, the argument, what was expected and what was received:
//   gemm: expected C of length ≥ 6 (m×n), received 5
//
// The success path is a handful of N-API calls and comparisons: each array costs one
// napi_get_typedarray_info (type, length and data pointer with its byteOffset applied), each
// scalar one napi_get_value_*; nothing allocates. Message formatting lives out of line in checks.cc.
//
// Every macro expects `env` (napi_env), `argv` (set up by BN_ARGS) and a `FN` string naming the
// function in scope, and returns nullptr (undefined, with the exception pending) on failure.
#pragma once

#include <node_api.h>

#include <cmath>
#include <cstddef>
#include <cstdint>

namespace blasnet {

constexpr double kMaxLength = 4294967295.0;   // sizes above any typed array's length are refused early
constexpr double kMaxBlasInt = 2147483647.0;  // cblas takes 32-bit ints

// ---- error path (checks.cc) ----
[[gnu::cold]] void throw_arg_count(napi_env env, const char* fn, size_t expected, size_t received);
// "<fn>: expected <arg> to be <expected>, received <description of value>" as a TypeError
[[gnu::cold]] void throw_wrong_type(napi_env env, const char* fn, const char* arg, const char* expected,
                                    napi_value value);
[[gnu::cold]] void throw_detached(napi_env env, const char* fn, const char* arg, const char* expected);
// "<fn>: expected <arg> to be <expected>, received <number>" as a RangeError
[[gnu::cold]] void throw_bad_number(napi_env env, const char* fn, const char* arg, const char* expected,
                                    double received);
// "<fn>: expected <arg> of length ≥ <need> (<formula>), received <length>" as a RangeError
[[gnu::cold]] void throw_too_short(napi_env env, const char* fn, const char* arg, uint64_t need,
                                   const char* formula, size_t length);
// "<fn>: expected <arg>[<index>] to be <expected>, received <value>" as a RangeError
[[gnu::cold]] void throw_bad_element(napi_env env, const char* fn, const char* arg, size_t index,
                                     const char* expected, double received);
// "<fn>: expected <a> not to overlap <b>, received arrays that share <n> bytes of memory" as a RangeError
[[gnu::cold]] void throw_overlap(napi_env env, const char* fn, const char* a, const char* b, uint64_t shared);
bool is_detached(napi_env env, napi_value typedarray);

// ---- readers: true on success; on failure an exception is pending ----

inline bool read_args(napi_env env, napi_callback_info info, const char* fn, size_t expected, napi_value* argv) {
  size_t argc = expected;
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok) return false;
  if (argc != expected) {
    throw_arg_count(env, fn, expected, argc);
    return false;
  }
  return true;
}

template <typename T>
inline bool read_typed(napi_env env, const char* fn, napi_value v, const char* arg, napi_typedarray_type want,
                       const char* expected, T** data, size_t* length) {
  napi_typedarray_type type;
  void* p = nullptr;
  size_t n = 0;
  if (napi_get_typedarray_info(env, v, &type, &n, &p, nullptr, nullptr) != napi_ok || type != want) {
    throw_wrong_type(env, fn, arg, expected, v);
    return false;
  }
  // A detached buffer reads as length 0; only then is the (rarer, costlier) check worth making.
  if (n == 0 && is_detached(env, v)) {
    throw_detached(env, fn, arg, expected);
    return false;
  }
  *data = static_cast<T*>(p);
  *length = n;
  return true;
}

inline bool read_number(napi_env env, const char* fn, napi_value v, const char* arg, double* out) {
  if (napi_get_value_double(env, v, out) != napi_ok) {
    throw_wrong_type(env, fn, arg, "a number", v);
    return false;
  }
  return true;
}

// A number that is not NaN; ±Infinity allowed (a clip bound, say).
inline bool read_not_nan(napi_env env, const char* fn, napi_value v, const char* arg, double* out) {
  if (!read_number(env, fn, v, arg, out)) return false;
  if (std::isnan(*out)) {
    throw_bad_number(env, fn, arg, "a number (not NaN)", *out);
    return false;
  }
  return true;
}

inline bool read_finite(napi_env env, const char* fn, napi_value v, const char* arg, double* out) {
  if (!read_number(env, fn, v, arg, out)) return false;
  if (!std::isfinite(*out)) {
    throw_bad_number(env, fn, arg, "a finite number", *out);
    return false;
  }
  return true;
}

inline bool read_bool(napi_env env, const char* fn, napi_value v, const char* arg, bool* out) {
  if (napi_get_value_bool(env, v, out) != napi_ok) {
    throw_wrong_type(env, fn, arg, "a boolean", v);
    return false;
  }
  return true;
}

// An integer in [0, max].
[[gnu::cold]] void throw_bad_size(napi_env env, const char* fn, const char* arg, double max, double received);
inline bool read_size(napi_env env, const char* fn, napi_value v, const char* arg, double max, size_t* out) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok) {
    throw_wrong_type(env, fn, arg, "an integer", v);
    return false;
  }
  if (!(d >= 0.0 && d <= max && d == std::floor(d))) {
    throw_bad_size(env, fn, arg, max, d);
    return false;
  }
  *out = static_cast<size_t>(d);
  return true;
}

// A kind code: an integer in [0, count).
[[gnu::cold]] void throw_bad_kind(napi_env env, const char* fn, const char* arg, const char* what, int count,
                                  double received);
inline bool read_kind(napi_env env, const char* fn, napi_value v, const char* arg, int count, const char* what,
                      int* out) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok) {
    throw_wrong_type(env, fn, arg, "an integer kind code", v);
    return false;
  }
  if (!(d >= 0.0 && d < count && d == std::floor(d))) {
    throw_bad_kind(env, fn, arg, what, count, d);
    return false;
  }
  *out = static_cast<int>(d);
  return true;
}

// Bytes that [p, p + p_bytes) and [q, q + q_bytes) have in common. Addresses, not ArrayBuffer
// objects: two SharedArrayBuffer objects (one posted to a worker and back) can wrap the same memory.
inline uint64_t shared_bytes(const void* p, uint64_t p_bytes, const void* q, uint64_t q_bytes) {
  const uintptr_t p0 = reinterpret_cast<uintptr_t>(p);
  const uintptr_t q0 = reinterpret_cast<uintptr_t>(q);
  const uint64_t lo = p0 > q0 ? p0 : q0;
  const uint64_t hi = p0 + p_bytes < q0 + q_bytes ? p0 + p_bytes : q0 + q_bytes;
  return hi > lo ? hi - lo : 0;
}

}  // namespace blasnet

// ---- macros: declare a local named after the JS argument and read argv[i] into it ----

#define BN_ARGS(count)    \
  napi_value argv[count]; \
  if (!::blasnet::read_args(env, info, FN, count, argv)) return nullptr

#define BN_F32(i, var)                                                                                  \
  float* var;                                                                                           \
  size_t var##_len;                                                                                     \
  if (!::blasnet::read_typed<float>(env, FN, argv[i], #var, napi_float32_array, "a Float32Array", &var, \
                                    &var##_len))                                                        \
  return nullptr

#define BN_I32(i, var)                                                                                              \
  int32_t* var;                                                                                                     \
  size_t var##_len;                                                                                                 \
  if (!::blasnet::read_typed<int32_t>(env, FN, argv[i], #var, napi_int32_array, "an Int32Array", &var, &var##_len)) \
  return nullptr

#define BN_F64(i, var)                                                                                   \
  double* var;                                                                                           \
  size_t var##_len;                                                                                      \
  if (!::blasnet::read_typed<double>(env, FN, argv[i], #var, napi_float64_array, "a Float64Array", &var, \
                                     &var##_len))                                                        \
  return nullptr

#define BN_NUMBER(i, var) \
  double var;             \
  if (!::blasnet::read_number(env, FN, argv[i], #var, &var)) return nullptr

#define BN_NOT_NAN(i, var) \
  double var;              \
  if (!::blasnet::read_not_nan(env, FN, argv[i], #var, &var)) return nullptr

#define BN_FINITE(i, var) \
  double var;             \
  if (!::blasnet::read_finite(env, FN, argv[i], #var, &var)) return nullptr

#define BN_BOOL(i, var) \
  bool var;             \
  if (!::blasnet::read_bool(env, FN, argv[i], #var, &var)) return nullptr

// A size: an integer in [0, 2³²−1] (BN_BLAS_SIZE: [0, 2³¹−1], what cblas can take).
#define BN_SIZE(i, var) \
  size_t var;           \
  if (!::blasnet::read_size(env, FN, argv[i], #var, ::blasnet::kMaxLength, &var)) return nullptr

#define BN_BLAS_SIZE(i, var) \
  size_t var;                \
  if (!::blasnet::read_size(env, FN, argv[i], #var, ::blasnet::kMaxBlasInt, &var)) return nullptr

#define BN_KIND(i, var, count, what) \
  int var;                           \
  if (!::blasnet::read_kind(env, FN, argv[i], #var, count, what, &var)) return nullptr

// Requires array `var` to hold at least `need` elements; formula says where the number comes from.
// Sizes are at most 2³²−1, so products of two of them are exact in uint64_t.
#define BN_NEED(var, need, formula)                                            \
  do {                                                                         \
    const uint64_t bn_need_ = (need);                                          \
    if (var##_len < bn_need_) {                                                \
      ::blasnet::throw_too_short(env, FN, #var, bn_need_, formula, var##_len); \
      return nullptr;                                                          \
    }                                                                          \
  } while (0)

// An output that must not share memory with an input (counts are in floats).
#define BN_DISJOINT(out, out_count, in, in_count)                                             \
  do {                                                                                        \
    const uint64_t bn_shared_ = ::blasnet::shared_bytes(out, (out_count) * sizeof(float), in, \
                                                        (in_count) * sizeof(float));          \
    if (bn_shared_ != 0) {                                                                    \
      ::blasnet::throw_overlap(env, FN, #out, #in, bn_shared_);                               \
      return nullptr;                                                                         \
    }                                                                                         \
  } while (0)
