#!/bin/sh
# Builds the C timing programs into build/bench/ (build/ is git-ignored): gemm_openblas (sgemm from
# C) and row_parallel (row- vs layer-parallel inference). Needs gcc and libopenblas-dev.
# Usage: bench/c/build.sh && build/bench/gemm_openblas 128 256 784 && build/bench/row_parallel 2 1000
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$root/build/bench"
gcc -O2 -std=c11 -Wall -Wextra -o "$root/build/bench/gemm_openblas" "$root/bench/c/gemm_openblas.c" -lopenblas
gcc -O2 -std=c11 -Wall -Wextra -o "$root/build/bench/row_parallel" "$root/bench/c/row_parallel.c" -lopenblas -lpthread
echo "built $root/build/bench/gemm_openblas and row_parallel"
