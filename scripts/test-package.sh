#!/usr/bin/env bash
# The package as a user gets it: `npm pack` (prepack builds the prebuild), then the tarball installed
# into a fresh project whose PATH holds node and npm but no cmake, g++, c++, cc or make. The native
# backend must load from the prebuild, with no system OpenBLAS behind it (ldd of the addon, and the
# process's own mappings), and fit a small model. Then the install step's fallback: with the tools
# hidden it must say what is missing; with them, it must compile the addon with npm's own node-gyp.
# Prints the tarball's size, the install time and the packages the install added.
# Usage: bash scripts/test-package.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "test-package: $*" >&2; exit 1; }

cd "$root"
# A prebuild newer than every native source and dist/ newer than lib/ (as CI leaves them after
# `npm run test:gyp` and `npm ci`) are packed as they are, rather than built a second time.
prebuild=prebuilds/linux-x64/blasnet.glibc.node
pack_flags=()
if [ -f "$prebuild" ] && [ -z "$(find native binding.gyp -newer "$prebuild" -print -quit)" ] &&
  [ -d dist ] && [ -z "$(find lib -newer dist/index.js -print -quit)" ]; then
  pack_flags=(--ignore-scripts)
fi
npm pack "${pack_flags[@]}" --pack-destination "$work" --silent >"$work/pack.log" 2>&1 || { cat "$work/pack.log"; fail "npm pack failed"; }
tarball="$(ls "$work"/blasnet-*.tgz)"
tar -tzf "$tarball" >"$work/contents"
grep -qx 'package/prebuilds/linux-x64/blasnet.glibc.node' "$work/contents" || fail "the tarball holds no prebuild"
if grep -E '^package/(test|bench|examples|build|lib)/' "$work/contents"; then fail "the tarball holds files that do not run"; fi
bytes=$(stat -c %s "$tarball")
[ "$bytes" -le $((12 * 1024 * 1024)) ] || fail "tarball is $bytes bytes, over 12 MiB"

# node, npm and sh (npm runs scripts with it) only: npm itself is a node script, so it runs here.
mkdir "$work/bin" "$work/app"
ln -s "$(command -v node)" "$work/bin/node"
ln -s "$(command -v sh)" "$work/bin/sh"
ln -s "$(readlink -f "$(command -v npm)")" "$work/bin/npm"
bare="$work/bin"
for tool in cmake g++ c++ cc make; do
  if PATH="$bare" command -v "$tool" >/dev/null; then fail "$tool is on the bare PATH"; fi
done

cd "$work/app"
PATH="$bare" npm init -y >/dev/null
start=$(date +%s%N)
PATH="$bare" npm install --no-audit --no-fund --foreground-scripts "$tarball" >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "npm install failed"; }
ms=$(( ($(date +%s%N) - start) / 1000000 ))
if grep -q '^blasnet:' "$work/install.log"; then cat "$work/install.log"; fail "the install step did not use the prebuild"; fi
[ ! -e node_modules/blasnet/build ] || fail "the install step compiled the addon"
packages=$(PATH="$bare" npm ls --all --parseable | tail -n +2 | wc -l)

addon=node_modules/blasnet/prebuilds/linux-x64/blasnet.glibc.node
if ldd "$addon" | grep -E 'openblas|gfortran|quadmath'; then fail "the prebuild links a shared OpenBLAS or Fortran runtime"; fi

cat >check.cjs <<'JS'
const fs = require('node:fs');
const b = require('blasnet');
const fail = (msg) => { console.error('test-package:', msg); process.exit(1); };
if (b.backend() !== 'native') fail(`backend is ${b.backend()}: ${b.nativeStatus().reason}`);
const iris = b.loadIris();
const x = new b.StandardScaler().fitTransform(iris.x);
const model = new b.Sequential([new b.Dense(4, 16, { activation: 'relu' }), new b.Dense(16, 3)], { seed: 1 });
model.compile({ loss: 'softmaxCrossentropy', optimizer: b.adam({ lr: 0.01 }), metrics: ['accuracy'] });
const before = model.evaluate(x, iris.y);
model.fitSync(x, iris.y, { epochs: 30, batchSize: 16, verbose: 0 });
const after = model.evaluate(x, iris.y);
if (!(after.loss < before.loss / 2 && after.accuracy > 0.9)) fail(`fit did not learn: ${JSON.stringify({ before, after })}`);
const maps = fs.readFileSync('/proc/self/maps', 'utf8');
if (!maps.includes('prebuilds/linux-x64/blasnet.glibc.node')) fail('the loaded addon is not the prebuild');
if (/lib(openblas|gfortran|quadmath)/.test(maps)) fail('a shared OpenBLAS or Fortran runtime is loaded');
console.log(`native (${b.nativeInfo().openblasCore}); iris fit: loss ${before.loss.toFixed(3)} -> ${after.loss.toFixed(3)}, accuracy ${after.accuracy.toFixed(3)}`);
JS
PATH="$bare" node check.cjs
PATH="$bare" node --input-type=module -e "import { backend } from 'blasnet'; if (backend() !== 'native') process.exit(1);"

# The fallback (npm shows an install script's output only with --foreground-scripts; the library
# repeats the cause when it loads): no tools, so it must say which are missing and how to install them...
PATH="$bare" BLASNET_FORCE_BUILD=1 npm rebuild blasnet --foreground-scripts >"$work/rebuild.log" 2>&1 || { cat "$work/rebuild.log"; fail "npm rebuild failed"; }
grep -q 'compiling it here needs a C++ compiler (g++), make' "$work/rebuild.log" &&
  grep -q 'Fedora/RHEL: dnf install gcc-c++ make python3 openblas-devel' "$work/rebuild.log" ||
  { cat "$work/rebuild.log"; fail "the install step did not name the missing tools"; }
# ...and with them it compiles against the system OpenBLAS with npm's node-gyp (no cmake-js here).
BLASNET_FORCE_BUILD=1 npm rebuild blasnet --foreground-scripts >"$work/rebuild.log" 2>&1 || { cat "$work/rebuild.log"; fail "npm rebuild failed"; }
grep -q 'compiling it with node-gyp' "$work/rebuild.log" || { cat "$work/rebuild.log"; fail "the fallback did not use node-gyp"; }
[ -f node_modules/blasnet/build/Release/blasnet.node ] || { cat "$work/rebuild.log"; fail "the fallback compile left no addon"; }
node -e "const b = require('blasnet'); if (b.backend() !== 'native') process.exit(1);" || fail "the compiled addon does not load"

echo "tarball: $(basename "$tarball") $bytes bytes ($(( bytes / 1024 )) KiB), $(wc -l <"$work/contents") files"
echo "install into a fresh project (no compiler on PATH): ${ms} ms, $packages packages in node_modules"
echo "prebuild NEEDED: $(readelf -d "$addon" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | tr '\n' ' ')"
floors="$(objdump -T "$addon" | grep -oE '(GLIBC|GLIBCXX)_[0-9.]+' | sort -uV | awk -F_ '{v[$1] = $0} END {print v["GLIBC"], v["GLIBCXX"]}')"
echo "prebuild's newest symbol versions: $floors"
for floor in $floors; do  # the README states which systems the prebuild runs on
  grep -q "\`$floor\`" "$root/README.md" || fail "README.md does not state the prebuild's $floor"
done
