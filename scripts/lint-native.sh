#!/usr/bin/env bash
# Checks native/ against .clang-format (clang-format in check mode; nothing is rewritten).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v clang-format >/dev/null; then
  echo "lint:native needs clang-format (Debian: apt-get install clang-format)" >&2
  exit 1
fi
files=(native/*.cc native/*.h)
clang-format --dry-run --Werror "${files[@]}"
echo "lint:native: ${#files[@]} files match .clang-format"
