#!/usr/bin/env bash
# The native and parity tests against a ThreadSanitizer build of the addon (see test-sanitized.sh).
# Usage: bash scripts/test-tsan.sh [vitest paths…]
exec bash "$(dirname "$0")/test-sanitized.sh" thread "$@"
