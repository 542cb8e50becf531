#!/usr/bin/env bash
# Builds the addon with AddressSanitizer in a scratch copy of the work tree and runs the native,
# parity, fuzz, model, training and file tests against it: an out-of-bounds read or write that does
# not crash still fails the run. Usage: bash scripts/test-asan.sh
set -euo pipefail
source "$(dirname "$0")/scratch-copy.sh"
npx cmake-js compile --CDCMAKE_BUILD_TYPE=RelWithDebInfo \
  "--CDCMAKE_CXX_FLAGS=-fsanitize=address -fno-omit-frame-pointer" \
  "--CDCMAKE_SHARED_LINKER_FLAGS=-fsanitize=address" >/dev/null
# Node itself is not instrumented: the runtime is preloaded, leak checks (V8's own) are off, and
# any report aborts the test worker, which fails the run.
LD_PRELOAD="$(gcc -print-file-name=libasan.so)" ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
  BLASNET_REQUIRE_NATIVE=1 npx vitest run test/backend test/native test/model test/train test/io
