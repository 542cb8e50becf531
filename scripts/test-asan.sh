#!/usr/bin/env bash
# The native, parity, fuzz, model, training and file tests against an AddressSanitizer build of the
# addon (see test-sanitized.sh). Usage: bash scripts/test-asan.sh [vitest paths…]
exec bash "$(dirname "$0")/test-sanitized.sh" address "$@"
