#!/usr/bin/env bash
# Runs every test tier: native domain and storage tests, browser tests in headless Chromium,
# and end-to-end tests against the release build. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
./setup.sh
. scripts/env.sh
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export TMPDIR="$scratch"
# Everything is also kept in a log, for the summary of faults and hostile inputs at the end.
log="$scratch/test.log"
exec > >(tee "$log") 2>&1

echo "== Tier 1: native tests (cargo test)"
cargo test --locked --test domain --test store --test sync --test fixtures --test locales --test progress --test quick_entry -- --nocapture

echo "== Tier 2: browser tests in headless Chromium (wasm-bindgen-test)"
cargo test --locked --target wasm32-unknown-unknown --test browser_storage --test components --test faults --test quick_entry_browser -- --nocapture

echo "== Tier 3: end-to-end tests on the release build"
trunk build --release
# The same app built to be served from a sub-path, for the sub-path test.
trunk build --release --public-url /field-ledger/ --dist target/dist-subpath
(cd tests/e2e && npm test)

scripts/size.sh --check

echo "== Faults and hostile inputs tried"
grep -h "\[fault case\]" "$log" | sed 's/^ *//' | sort -u || true
echo "fault cases in browser storage: $(grep -h "\[fault case\]" "$log" | sort -u | wc -l)"
grep -h "hostile import inputs tried\|hostile text:" "$log" | sed 's/^[# ]*//' | sort -u || true
