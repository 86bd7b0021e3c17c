#!/usr/bin/env bash
# Benchmarks on the release build (not pass/fail): measures the app against a raw-JavaScript
# baseline, prints a table and writes BENCHMARKS.md. BENCH_RUNS sets the runs per measure
# (default 5). Takes a few minutes; run it on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
./setup.sh
. scripts/env.sh
trunk build --release
scripts/size.sh
sections="$(mktemp -d)"
trap 'rm -rf "$sections"' EXIT
export BENCH_LIGHTHOUSE_OUT="$sections/lighthouse.md" BENCH_SYNC_OUT="$sections/sync.md"
# Lighthouse 12 (mobile preset) on the first screens, served brotli-compressed.
(cd tests/e2e && node bench-lighthouse.mjs)
# Live sync against pouchdb-server, side by side with PouchDB.
(cd tests/e2e && node bench-sync.mjs)
# The app against raw-JavaScript baselines; writes BENCHMARKS.md with the sections above.
(cd tests/e2e && node bench.mjs)
