#!/bin/sh
# Builds bench/c/gemm_openblas (needs gcc and libopenblas-dev). Usage: bench/c/build.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
gcc -O2 -std=c11 -Wall -Wextra -o "$here/gemm_openblas" "$here/gemm_openblas.c" -lopenblas
echo "built $here/gemm_openblas"
