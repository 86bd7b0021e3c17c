#!/usr/bin/env bash
# Refreshes the README's pictures in docs/screenshots/: builds the release, then runs only the
# end-to-end tests that take screenshots (their names say "screenshots", in any file), with
# FL_SCREENSHOTS_DIR pointing there. The tests themselves, run by test.sh, write their
# screenshots into the ignored tests/e2e/artifacts/screenshots/ and leave docs/ alone.
# Extra arguments go to `node --test` (e.g. --test-reporter=spec).
set -euo pipefail
cd "$(dirname "$0")/.."
./setup.sh
. scripts/env.sh
trunk build --release
export FL_SCREENSHOTS_DIR="$PWD/docs/screenshots"
cd tests/e2e
node --test --test-concurrency=1 --test-name-pattern=screenshots "$@" ./*.test.mjs
echo "== Screenshots in docs/screenshots/"
ls -l "$FL_SCREENSHOTS_DIR"
