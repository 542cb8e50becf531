#!/usr/bin/env bash
# Installs what blasnet needs on Debian/Ubuntu (OpenBLAS, a C++ toolchain, the Fashion-MNIST data
# set), then the npm dependencies, which builds the native addon and the TypeScript.
# Usage: bash scripts/setup-debian.sh [--ci]   (--ci uses `npm ci`, the lockfile exactly)
set -euo pipefail
cd "$(dirname "$0")/.."

# Node.js ≥ 20 must already be there (Debian bookworm's own nodejs is 18): say so before installing
# anything rather than failing halfway through npm.
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "blasnet needs Node.js 20 or newer (found: $(node --version 2>/dev/null || echo none)); install it first." >&2
  exit 1
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
# The build: OpenBLAS (libopenblas-dev; the static libopenblas.a of libopenblas-pthread-dev for the
# prebuild), a C++ toolchain; the main job's data set; for the tests and lint: Debian's python3-onnx
# (onnx.checker) and clang-format.
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
  libopenblas-dev libopenblas-pthread-dev cmake g++ make python3 dataset-fashion-mnist \
  python3-onnx clang-format >/dev/null

# onnxruntime-node (dev dependency, ONNX tests): its CPU runtime is in the npm package; skip the
# install script's download of GPU providers unless asked otherwise.
export ONNXRUNTIME_NODE_INSTALL="${ONNXRUNTIME_NODE_INSTALL:-skip}"
if [ "${1:-}" = "--ci" ]; then npm ci; else npm install; fi
