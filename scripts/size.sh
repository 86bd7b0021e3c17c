#!/usr/bin/env bash
# The size of the release build in dist/, as users wait for it.
#
# 1. The files index.html names (HTML, JS, the main wasm, CSS), raw, gzip -9 and brotli -q 11,
#    and apart from them the lazily loaded wasm parts (listing only, no check).
# 2. The check: tests/e2e/first-screens.mjs loads the build in headless Chromium and sums,
#    brotli -q 11, every file the page fetches until each first screen is up and idle (first
#    start, the officer's home, the coordinator's home, the officer's home with a record),
#    printing the files per screen and what the service worker fetches after.
#
#   scripts/size.sh            prints both
#   scripts/size.sh --check    fails (exit 1) when a screen's total is over its budget
#
# size-budget.txt holds one budget per screen, a line each: `<screen> <brotli bytes>`
# (screens: first-start, officer, coordinator, officer-with-records); `#` starts a comment,
# blank lines are ignored. A budget only goes down; the goal is 235520 bytes (230 KB) for each screen.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/index.html ] || { echo "no build in dist/: run trunk build --release first" >&2; exit 1; }
printf '%-48s %10s %10s %10s\n' "named by index.html (dist/)" raw gzip brotli
total_raw=0; total_gz=0; total_br=0
lazy=()
for f in dist/index.html dist/*.js dist/*.wasm dist/*.css; do
  [ -f "$f" ] || continue
  # A wasm that index.html does not name is a lazily loaded part (code splitting).
  if [[ "$f" == *.wasm ]] && ! grep -qF "${f#dist/}" dist/index.html; then lazy+=("$f"); continue; fi
  raw=$(wc -c <"$f"); gz=$(gzip -9c "$f" | wc -c); br=$(brotli -c -q 11 "$f" | wc -c)
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz)); total_br=$((total_br + br))
  printf '%-48s %10d %10d %10d\n' "${f#dist/}" "$raw" "$gz" "$br"
done
printf '%-48s %10d %10d %10d\n' "total" "$total_raw" "$total_gz" "$total_br"
if [ ${#lazy[@]} -gt 0 ]; then
  lazy_raw=0; lazy_gz=0; lazy_br=0
  for f in "${lazy[@]}"; do
    raw=$(wc -c <"$f"); gz=$(gzip -9c "$f" | wc -c); br=$(brotli -c -q 11 "$f" | wc -c)
    lazy_raw=$((lazy_raw + raw)); lazy_gz=$((lazy_gz + gz)); lazy_br=$((lazy_br + br))
  done
  printf '%-48s %10d %10d %10d\n' "${#lazy[@]} lazy wasm parts (split_*, chunk_*)" "$lazy_raw" "$lazy_gz" "$lazy_br"
fi
echo
# What the first screens fetch, measured in the browser (the check).
args=()
[ "${1:-}" = "--check" ] && args+=(--check)
exec node tests/e2e/first-screens.mjs "${args[@]}"
