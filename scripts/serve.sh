#!/usr/bin/env bash
# Installs what is missing, then serves the app with live rebuilds at http://127.0.0.1:8080.
# Extra arguments go to `trunk serve` (e.g. --release, --address 0.0.0.0 for a tablet on the LAN).
# A debug build (the default) is split but not run through wasm-opt (scripts/wasm-split.mjs),
# so a rebuild costs cargo's compile and a few seconds; --release optimises as a deployment.
set -euo pipefail
cd "$(dirname "$0")/.."
./setup.sh
. scripts/env.sh
# trunk's live reload is an inline <script> added to index.html, which the page's
# Content-Security-Policy would block and the post_build hook refuses (scripts/post-build.mjs):
# reload the page by hand after a rebuild.
export TRUNK_SERVE_NO_AUTORELOAD="${TRUNK_SERVE_NO_AUTORELOAD:-true}"
exec trunk serve "$@"
