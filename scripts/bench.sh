#!/usr/bin/env bash
# Benchmarks on the release build (not pass/fail): measures the app against a raw-JavaScript
# baseline, prints a table and writes BENCHMARKS.md. BENCH_RUNS sets the runs per measure
# (default 5). Takes a few minutes; run it on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
./setup.sh
. scripts/env.sh
trunk build --release
(cd tests/e2e && node bench.mjs)
# Live sync against pouchdb-server, side by side with PouchDB: its section of BENCHMARKS.md is
# printed and written to BENCH_SYNC_OUT (default /tmp/bench-sync-section.md).
(cd tests/e2e && node bench-sync.mjs)
