#!/usr/bin/env bash
# Installs what is missing, then serves the app with live rebuilds at http://127.0.0.1:8080.
# Extra arguments go to `trunk serve` (e.g. --release, --address 0.0.0.0 for a tablet on the LAN).
set -euo pipefail
cd "$(dirname "$0")/.."
./setup.sh
. scripts/env.sh
exec trunk serve "$@"
