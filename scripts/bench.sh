#!/usr/bin/env bash
# Benchmarks on the release build (not pass/fail): prints a table and writes BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
./setup.sh
. scripts/env.sh
trunk build --release
(cd tests/e2e && node bench.mjs)
