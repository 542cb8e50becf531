#!/usr/bin/env bash
# Builds prebuilds/linux-x64/blasnet.glibc.node, the addon published in the package: prebuildify
# through node-gyp (scripts/prebuildify-node-gyp.cjs), OpenBLAS linked in statically, stripped. It
# builds in a scratch copy, since node-gyp writes build/, where this work tree keeps its cmake-js
# build. With --test, the native parity, fuzz and addon tests run on the prebuild itself first.
# Usage: bash scripts/build-prebuild.sh [--test]    (npm run prebuildify, npm run test:gyp, prepack)
set -euo pipefail
source "$(dirname "$0")/scratch-copy.sh"
npx prebuildify --napi --strip --tag-libc --node-gyp=./scripts/prebuildify-node-gyp.cjs >build-prebuild.log 2>&1 ||
  { cat build-prebuild.log; exit 1; }
if [ "${1:-}" = "--test" ]; then
  rm -rf build  # node-gyp-build prefers build/Release: without it, the stripped prebuild is what loads
  node -e "const f = require('node-gyp-build').resolve('.'); console.log('testing', f); if (!f.includes('prebuilds')) process.exit(1);"
  npm run build:ts >/dev/null  # tests that start child processes (the core chooser's) run dist/
  BLASNET_REQUIRE_NATIVE=1 npx vitest run test/backend test/native
fi
rm -rf "$root/prebuilds"
cp -r prebuilds "$root/"
ls -l "$root"/prebuilds/*/
