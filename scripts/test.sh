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

# Every file in tests/*.rs is a test target, found by cargo (`--tests`), never listed here, so
# that a new file cannot be left out. Each file says its tier in its first line:
#   #![cfg(not(target_arch = "wasm32"))]   native only (tier 1)
#   #![cfg(target_arch = "wasm32")]        browser only (tier 2)
# A file with neither is built in both tiers, which is allowed: natively its #[test]s run,
# in the browser its #[wasm_bindgen_test]s (each runner skips the other kind). It must then
# build for wasm32 too, so it cannot use the native-only dev-dependencies (proptest,
# jsonschema): tier 2 would fail to compile.
# The code as written: formatted, and no lint (the lint levels are [lints] in Cargo.toml),
# natively, in the browser, and in the split release build's configuration.
echo "== Format and lints (cargo fmt, cargo clippy)"
cargo fmt --all --check
cargo clippy --locked --workspace --all-targets -- -D warnings
cargo clippy --locked --workspace --all-targets --target wasm32-unknown-unknown -- -D warnings
cargo clippy --locked --lib --bins --target wasm32-unknown-unknown --features split -- -D warnings

echo "== Tier 1: native tests (cargo test)"
cargo test --locked --tests -- --nocapture

echo "== Tier 2: browser tests in headless Chromium (wasm-bindgen-test)"
cargo test --locked --target wasm32-unknown-unknown --tests -- --nocapture

echo "== Tier 3: end-to-end tests on the release build"
trunk build --release
# The same app built to be served from a sub-path, for the sub-path test (FL_SUBPATH_DIST).
trunk build --release --public-url /field-ledger/ --dist target/dist-subpath
# Every tests/e2e/*.test.mjs (package.json's glob), so a new file is run too. Screenshots go
# to the ignored tests/e2e/artifacts/ (scripts/screenshots.sh refreshes docs/screenshots/).
(cd tests/e2e && npm test)

scripts/size.sh --check

echo "== The development build that scripts/serve.sh serves (debug, split, not optimised)"
# Its split parts are made by the same hook in another way (no wasm-opt, no merged chunks):
# each first screen must come up with no page error (first-screens.mjs fails otherwise).
trunk build --dist target/dist-debug
node tests/e2e/first-screens.mjs --dist target/dist-debug | tail -5

echo "== Faults and hostile inputs tried"
grep -h "\[fault case\]" "$log" | sed 's/^ *//' | sort -u || true
echo "fault cases in browser storage: $(grep -h "\[fault case\]" "$log" | sort -u | wc -l)"
grep -h "hostile import inputs tried\|hostile text:" "$log" | sed 's/^[# ]*//' | sort -u || true
