#!/usr/bin/env bash
# Prints the first-load size of the build in dist/: every file index.html loads (and the
# service worker), raw, gzip -9 and brotli -q 11. With --check, fails when the brotli total
# is over the budget in size-budget.txt (bytes; the achieved size plus 5 %, lowered as the
# app shrinks).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/index.html ] || { echo "no build in dist/: run trunk build --release first" >&2; exit 1; }
printf '%-48s %10s %10s %10s\n' "first load (dist/)" raw gzip brotli
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
printf 'first load: %d KB brotli, %d KB gzip\n' $((total_br / 1024)) $((total_gz / 1024))
if [ ${#lazy[@]} -gt 0 ]; then
  printf '\n%-48s %10s %10s %10s\n' "loaded on first use (not in the first load)" raw gzip brotli
  lazy_raw=0; lazy_gz=0; lazy_br=0
  for f in "${lazy[@]}"; do
    raw=$(wc -c <"$f"); gz=$(gzip -9c "$f" | wc -c); br=$(brotli -c -q 11 "$f" | wc -c)
    lazy_raw=$((lazy_raw + raw)); lazy_gz=$((lazy_gz + gz)); lazy_br=$((lazy_br + br))
    printf '%-48s %10d %10d %10d\n' "${f#dist/}" "$raw" "$gz" "$br"
  done
  printf '%-48s %10d %10d %10d\n' "total lazy" "$lazy_raw" "$lazy_gz" "$lazy_br"
fi
if [ "${1:-}" = "--check" ]; then
  budget=$(tr -dc 0-9 < size-budget.txt)
  if [ "$total_br" -gt "$budget" ]; then
    echo "first load is $total_br bytes brotli, over the budget of $budget in size-budget.txt" >&2
    exit 1
  fi
  echo "within the size budget: $total_br of $budget bytes brotli"
fi
