// Error messages for checks.h. Only reached on failure, so clarity beats speed here.
#include "checks.h"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>

namespace blasnet {

namespace {

constexpr size_t kMessage = 512;

// A number as JavaScript prints it: NaN, Infinity, integers without a decimal point, and the
// shortest decimal that reads back to the same double otherwise.
void format_number(double v, char* out, size_t size) {
  if (std::isnan(v)) {
    std::snprintf(out, size, "NaN");
    return;
  }
  if (std::isinf(v)) {
    std::snprintf(out, size, v > 0 ? "Infinity" : "-Infinity");
    return;
  }
  if (v == std::floor(v) && std::fabs(v) < 1e21) {
    std::snprintf(out, size, "%.0f", v);
    return;
  }
  for (int precision = 1; precision <= 17; precision++) {
    std::snprintf(out, size, "%.*g", precision, v);
    if (std::strtod(out, nullptr) == v) return;
  }
}

const char* typed_array_name(napi_typedarray_type t) {
  switch (t) {
    case napi_int8_array: return "Int8Array";
    case napi_uint8_array: return "Uint8Array";
    case napi_uint8_clamped_array: return "Uint8ClampedArray";
    case napi_int16_array: return "Int16Array";
    case napi_uint16_array: return "Uint16Array";
    case napi_int32_array: return "Int32Array";
    case napi_uint32_array: return "Uint32Array";
    case napi_float32_array: return "Float32Array";
    case napi_float64_array: return "Float64Array";
    case napi_bigint64_array: return "BigInt64Array";
    case napi_biguint64_array: return "BigUint64Array";
    default: return "TypedArray";
  }
}

// What a value is, in the words lib/validate.ts's describe() uses: Float64Array(4), Array(3),
// 2.5, "text", undefined, null, object.
void describe(napi_env env, napi_value v, char* out, size_t size) {
  napi_valuetype t = napi_undefined;
  napi_typeof(env, v, &t);
  switch (t) {
    case napi_undefined: std::snprintf(out, size, "undefined"); return;
    case napi_null: std::snprintf(out, size, "null"); return;
    case napi_boolean: {
      bool b = false;
      napi_get_value_bool(env, v, &b);
      std::snprintf(out, size, b ? "true" : "false");
      return;
    }
    case napi_number: {
      double d = 0;
      napi_get_value_double(env, v, &d);
      format_number(d, out, size);
      return;
    }
    case napi_string: {
      char text[48];
      size_t copied = 0;
      napi_get_value_string_utf8(env, v, text, 42, &copied);
      size_t total = 0;
      napi_get_value_string_utf8(env, v, nullptr, 0, &total);
      std::snprintf(out, size, "\"%s%s\"", text, total > copied ? "…" : "");
      return;
    }
    case napi_symbol: std::snprintf(out, size, "symbol"); return;
    case napi_bigint: std::snprintf(out, size, "bigint"); return;
    case napi_function: std::snprintf(out, size, "function"); return;
    default: break;
  }
  bool yes = false;
  if (napi_is_typedarray(env, v, &yes) == napi_ok && yes) {
    napi_typedarray_type type;
    size_t length = 0;
    napi_get_typedarray_info(env, v, &type, &length, nullptr, nullptr, nullptr);
    std::snprintf(out, size, "%s(%zu)", typed_array_name(type), length);
    return;
  }
  if (napi_is_array(env, v, &yes) == napi_ok && yes) {
    uint32_t length = 0;
    napi_get_array_length(env, v, &length);
    std::snprintf(out, size, "Array(%u)", length);
    return;
  }
  if (napi_is_arraybuffer(env, v, &yes) == napi_ok && yes) {
    std::snprintf(out, size, "ArrayBuffer");
    return;
  }
  if (napi_is_dataview(env, v, &yes) == napi_ok && yes) {
    std::snprintf(out, size, "DataView");
    return;
  }
  std::snprintf(out, size, "object");
}

void throw_type_error(napi_env env, const char* message) { napi_throw_type_error(env, nullptr, message); }
void throw_range_error(napi_env env, const char* message) { napi_throw_range_error(env, nullptr, message); }

}  // namespace

bool is_detached(napi_env env, napi_value typedarray) {
  napi_value buffer;
  if (napi_get_typedarray_info(env, typedarray, nullptr, nullptr, nullptr, &buffer, nullptr) != napi_ok) return false;
  bool detached = false;
  napi_is_detached_arraybuffer(env, buffer, &detached);
  return detached;
}

void throw_arg_count(napi_env env, const char* fn, size_t expected, size_t received) {
  char msg[kMessage];
  std::snprintf(msg, sizeof msg, "%s: expected %zu arguments, received %zu", fn, expected, received);
  throw_type_error(env, msg);
}

void throw_wrong_type(napi_env env, const char* fn, const char* arg, const char* expected, napi_value value) {
  char got[128];
  describe(env, value, got, sizeof got);
  char msg[kMessage];
  std::snprintf(msg, sizeof msg, "%s: expected %s to be %s, received %s", fn, arg, expected, got);
  throw_type_error(env, msg);
}

void throw_detached(napi_env env, const char* fn, const char* arg, const char* expected) {
  char msg[kMessage];
  std::snprintf(msg, sizeof msg, "%s: expected %s to be %s, received one whose buffer is detached", fn, arg,
                expected);
  throw_type_error(env, msg);
}

void throw_bad_number(napi_env env, const char* fn, const char* arg, const char* expected, double received) {
  char got[64];
  format_number(received, got, sizeof got);
  char msg[kMessage];
  std::snprintf(msg, sizeof msg, "%s: expected %s to be %s, received %s", fn, arg, expected, got);
  throw_range_error(env, msg);
}

void throw_bad_size(napi_env env, const char* fn, const char* arg, double max, double received) {
  char got[64];
  format_number(received, got, sizeof got);
  char msg[kMessage];
  std::snprintf(msg, sizeof msg, "%s: expected %s to be an integer in [0, %.0f], received %s", fn, arg, max, got);
  throw_range_error(env, msg);
}

void throw_bad_kind(napi_env env, const char* fn, const char* arg, const char* what, int count, double received) {
  char got[64];
  format_number(received, got, sizeof got);
  char msg[kMessage];
  std::snprintf(msg, sizeof msg, "%s: expected %s to be %s code in [0, %d], received %s", fn, arg, what, count - 1,
                got);
  throw_range_error(env, msg);
}

void throw_too_short(napi_env env, const char* fn, const char* arg, uint64_t need, const char* formula,
                     size_t length) {
  char msg[kMessage];
  std::snprintf(msg, sizeof msg, "%s: expected %s of length ≥ %" PRIu64 " (%s), received %zu", fn, arg, need, formula,
                length);
  throw_range_error(env, msg);
}

void throw_overlap(napi_env env, const char* fn, const char* a, const char* b, uint64_t shared) {
  char msg[kMessage];
  std::snprintf(msg, sizeof msg, "%s: expected %s not to overlap %s, received arrays that share %" PRIu64 " bytes of memory",
                fn, a, b, shared);
  throw_range_error(env, msg);
}

void throw_bad_element(napi_env env, const char* fn, const char* arg, size_t index, const char* expected,
                       double received) {
  char got[64];
  format_number(received, got, sizeof got);
  char msg[kMessage];
  std::snprintf(msg, sizeof msg, "%s: expected %s[%zu] to be %s, received %s", fn, arg, index, expected, got);
  throw_range_error(env, msg);
}

}  // namespace blasnet
