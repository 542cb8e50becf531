#!/bin/sh
# Builds the C sgemm timing program into build/bench/gemm_openblas (build/ is git-ignored).
# Needs gcc and libopenblas-dev. Usage: bench/c/build.sh && build/bench/gemm_openblas 128 256 784
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$root/build/bench"
gcc -O2 -std=c11 -Wall -Wextra -o "$root/build/bench/gemm_openblas" "$root/bench/c/gemm_openblas.c" -lopenblas
echo "built $root/build/bench/gemm_openblas"
