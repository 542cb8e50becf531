# Sourced by the scripts that build the addon another way (AddressSanitizer, node-gyp prebuilds):
# copies the work tree's files (tracked and new, not ignored ones such as build/) into a fresh
# directory that shares node_modules and is removed on exit, then changes into it. A build made
# there, and tests run there, never touch the work tree's own build/. Sets $root and $scratch.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
(cd "$root" && git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |  # not files deleted since
  xargs -0 cp --parents -t "$scratch")
ln -s "$root/node_modules" "$scratch/node_modules"
cd "$scratch"
