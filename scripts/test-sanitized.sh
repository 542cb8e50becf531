#!/usr/bin/env bash
# Builds the addon with a sanitizer in a scratch copy of the work tree and runs the tests that
# exercise it against that build: a report the tests would not notice still fails the run.
#   address: out-of-bounds reads and writes (native, parity, fuzz, model, training and file tests)
#   thread:  data races in the thread pool (native and parity tests, parallel kernels called from
#            several worker threads while the thread count changes)
# Usage: bash scripts/test-sanitized.sh address|thread [vitest paths…]
set -euo pipefail
sanitizer="${1:?usage: test-sanitized.sh address|thread [test paths…]}"
shift
case "$sanitizer" in
  address)
    runtime=libasan.so
    # V8's own allocations are not instrumented, so leak checks would only report noise.
    export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1"
    defaults=(test/backend test/native test/model test/train test/io) ;;
  thread)
    runtime=libtsan.so
    # Node, V8 and OpenBLAS are not instrumented: only the addon's own accesses are checked, and
    # the pool synchronises through pthreads, which the preloaded runtime intercepts.
    # ignore_noninstrumented_modules and the suppressions keep their reports out.
    export TSAN_OPTIONS="halt_on_error=1:abort_on_error=1:report_signal_unsafe=0:ignore_noninstrumented_modules=1:suppressions=$(cd "$(dirname "$0")" && pwd)/tsan-suppressions.txt"
    defaults=(test/native test/backend/parity.test.ts test/backend/gemm-shared-memory.test.ts) ;;
  *) echo "test-sanitized.sh: expected address or thread, received '$sanitizer'" >&2; exit 2 ;;
esac
tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=("${defaults[@]}")

source "$(dirname "$0")/scratch-copy.sh"
npm run build:ts >/dev/null  # tests that start child processes or workers run dist/
npx cmake-js compile "--CDBLASNET_SANITIZE=$sanitizer" >/dev/null
# A build that is not instrumented would pass every test and prove nothing.
nm -D build/Release/blasnet.node | grep -q "__${sanitizer:0:1}san_" ||
  { echo "test-sanitized.sh: the addon was built without -fsanitize=$sanitizer" >&2; exit 1; }
# Node itself is not instrumented: the runtime is preloaded, and any report aborts the test
# worker, which fails the run. vitest is started by node itself (npm's own process crashes under
# the thread sanitizer's runtime).
LD_PRELOAD="$(gcc -print-file-name=$runtime)" BLASNET_REQUIRE_NATIVE=1 node node_modules/vitest/vitest.mjs run "${tests[@]}"
