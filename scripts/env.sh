# Sourced by the scripts: where setup.sh put the tools, and the settings they need here.
FIELD_LEDGER_TOOLS="${FIELD_LEDGER_TOOLS:-$HOME/.local/share/field-ledger}"
export PATH="$HOME/.cargo/bin:$FIELD_LEDGER_TOOLS/wasm-split/bin:$FIELD_LEDGER_TOOLS/binaryen/node_modules/.bin:$FIELD_LEDGER_TOOLS/terser/node_modules/.bin:$PATH"
# trunk must not look for updates or tools on the network.
export TRUNK_SKIP_VERSION_CHECK=true
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
