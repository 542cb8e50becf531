#!/usr/bin/env bash
# Checks native/ against .clang-format (clang-format in check mode; nothing is rewritten).
# The files in `unformatted` predate the style file: reformat one with `clang-format -i FILE`,
# check that the tests still pass, and drop it from the list.
set -euo pipefail
cd "$(dirname "$0")/.."

unformatted=(native/checks.cc native/checks.h native/kernels.h native/kernels_elementwise.cc native/kernels_loss.cc
  native/kernels_norm.cc)

if ! command -v clang-format >/dev/null; then
  echo "lint:native needs clang-format (Debian: apt-get install clang-format)" >&2
  exit 1
fi
files=()
for f in native/*.cc native/*.h; do
  [[ " ${unformatted[*]} " == *" $f "* ]] || files+=("$f")
done
clang-format --dry-run --Werror "${files[@]}"
echo "lint:native: ${#files[@]} files match .clang-format (${#unformatted[@]} not yet reformatted)"
