#!/usr/bin/env bash
# Installs everything Field Ledger needs to build, serve and test, skipping what is
# already there. Safe to run again and again (CI runs it on every build).
set -euo pipefail

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130
WASM_SPLIT_VERSION=0.2.4
BINARYEN_VERSION=132.0.0
TERSER_VERSION=5.51.2
POUCHDB_SERVER_VERSION=4.2.0
POUCHDB_VERSION=9.0.0
LIGHTHOUSE_VERSION=12.8.2
TOOLS_DIR="${FIELD_LEDGER_TOOLS:-$HOME/.local/share/field-ledger}"

log() { printf '[setup] %s\n' "$*"; }

# The tools live outside the repo so that every clone on this machine reuses them.
export PATH="$HOME/.cargo/bin:$TOOLS_DIR/wasm-split/bin:$TOOLS_DIR/binaryen/node_modules/.bin:$TOOLS_DIR/terser/node_modules/.bin:$TOOLS_DIR/e2e/node_modules/.bin:$TOOLS_DIR/pouchdb-server/node_modules/.bin:$PATH"

# 1. Debian packages: the browser and its driver for tests, brotli for size reports, and a
#    Chinese font so that the browser lays out and screenshots Chinese text as a tablet would.
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
command -v brotli >/dev/null 2>&1 || need_apt+=(brotli)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need_apt+=(fonts-noto-cjk)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
else
  log "chromium, chromedriver, brotli, fonts-noto-cjk: present"
fi

# 2. The wasm target.
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "wasm32-unknown-unknown: present"
else
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# 3. trunk (0.22 needs a newer rustc than this machine has).
if trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION"; then
  log "trunk $TRUNK_VERSION: present"
else
  log "cargo install trunk $TRUNK_VERSION (about 5 minutes)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi

# 4. wasm-bindgen-cli, matching the wasm-bindgen pinned in Cargo.toml. Not --locked: one
#    locked dependency is missing from the registry mirror.
if wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
  log "wasm-bindgen-cli $WASM_BINDGEN_VERSION: present"
else
  log "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 4 minutes)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# 5. wasm-opt from npm's binaryen. Debian's binaryen (108) produces a wasm that fails at
#    run time, so it is never used.
if wasm-opt --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
  log "wasm-opt ${BINARYEN_VERSION%%.*}: present"
else
  log "npm install binaryen@$BINARYEN_VERSION"
  mkdir -p "$TOOLS_DIR/binaryen"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS_DIR/binaryen" "binaryen@$BINARYEN_VERSION"
fi

# 5a. terser, which minifies the JavaScript glue that the split hook writes after trunk's own
#     minifier has run (scripts/wasm-split.mjs, release builds).
if terser --version 2>/dev/null | grep -q "terser $TERSER_VERSION"; then
  log "terser $TERSER_VERSION: present"
else
  log "npm install terser@$TERSER_VERSION"
  mkdir -p "$TOOLS_DIR/terser"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS_DIR/terser" "terser@$TERSER_VERSION"
fi

# 5b. wasm-split-cli, which cuts the wasm at the #[lazy] pages (scripts/wasm-split.mjs; it is
#     what `cargo leptos build --split` runs, as a library). It must read the markers of the
#     wasm_split_helpers in Cargo.lock (0.2.3).
if cargo install --list --root "$TOOLS_DIR/wasm-split" 2>/dev/null | grep -q "^wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  log "wasm-split-cli $WASM_SPLIT_VERSION: present"
else
  log "cargo install wasm_split_cli_support $WASM_SPLIT_VERSION (about 2 minutes)"
  cargo install --locked wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --root "$TOOLS_DIR/wasm-split"
fi

# 6. End-to-end test driver: playwright-core drives Debian's Chromium (it never downloads a
#    browser of its own).
E2E_DIR="$(cd "$(dirname "$0")" && pwd)/tests/e2e"
if [ -f "$E2E_DIR/package.json" ]; then
  if [ -d "$E2E_DIR/node_modules/playwright-core" ] && [ "$E2E_DIR/node_modules/.package-lock.json" -nt "$E2E_DIR/package.json" ]; then
    log "e2e node modules: present"
  else
    log "npm ci in tests/e2e"
    (cd "$E2E_DIR" && npm ci --silent --no-audit --no-fund)
  fi
fi

# 6a. pouchdb-server, the CouchDB stand-in the sync tests run against (tests/e2e/couch.mjs;
#     CI has no CouchDB), and PouchDB itself for the sync benchmark page.
if [ "$(node -p "require('$TOOLS_DIR/pouchdb-server/node_modules/pouchdb-server/package.json').version" 2>/dev/null)" = "$POUCHDB_SERVER_VERSION" ] \
  && [ -x "$TOOLS_DIR/pouchdb-server/node_modules/.bin/pouchdb-server" ]; then
  log "pouchdb-server $POUCHDB_SERVER_VERSION: present"
else
  log "npm install pouchdb-server@$POUCHDB_SERVER_VERSION"
  mkdir -p "$TOOLS_DIR/pouchdb-server"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS_DIR/pouchdb-server" "pouchdb-server@$POUCHDB_SERVER_VERSION"
fi
if [ "$(node -p "require('$TOOLS_DIR/pouchdb-bench/node_modules/pouchdb/package.json').version" 2>/dev/null)" = "$POUCHDB_VERSION" ]; then
  log "pouchdb $POUCHDB_VERSION: present"
else
  log "npm install pouchdb@$POUCHDB_VERSION"
  mkdir -p "$TOOLS_DIR/pouchdb-bench"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS_DIR/pouchdb-bench" "pouchdb@$POUCHDB_VERSION"
fi

# 6b. Lighthouse, for the benchmark (scripts/bench.sh, tests/e2e/bench-lighthouse.mjs): it
#     drives Debian's Chromium and downloads no browser.
if [ "$(node -p "require('$TOOLS_DIR/lighthouse/node_modules/lighthouse/package.json').version" 2>/dev/null)" = "$LIGHTHOUSE_VERSION" ]; then
  log "lighthouse $LIGHTHOUSE_VERSION: present"
else
  log "npm install lighthouse@$LIGHTHOUSE_VERSION"
  mkdir -p "$TOOLS_DIR/lighthouse"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS_DIR/lighthouse" "lighthouse@$LIGHTHOUSE_VERSION"
fi

# 7. Crates, so that builds can run offline afterwards.
if [ -f "$(dirname "$0")/Cargo.toml" ]; then
  log "cargo fetch"
  (cd "$(dirname "$0")" && cargo fetch --quiet)
fi

log "done"
