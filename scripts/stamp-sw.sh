#!/bin/sh
# trunk post_build hook: writes the build id (a hash of the built index.html, which names
# every hashed file) into the staged service worker.
set -eu
dir="${TRUNK_STAGING_DIR:?run by trunk}"
id=$(sha256sum "$dir/index.html" | cut -c1-16)
sed -i "s/__FIELD_LEDGER_BUILD_ID__/$id/" "$dir/sw.js"
