#!/usr/bin/env bash
# Quick start, step 2: install what is missing, build, and run every test:
# the cmocka unit tests (optimised and under ASan+UBSan) and the black-box
# API tests (node's test runner) against the sanitizer build of the binary,
# and the browser tests (playwright-core driving chromium) against the optimised one.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh asan
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
echo "== unit tests (optimised build)"
meson test -C build --suite unit --print-errorlogs
echo "== unit tests (address + undefined sanitizers)"
meson test -C build-asan --suite unit --print-errorlogs
echo "== API tests against the sanitizer build"
MENTORTRACK_BIN="$PWD/build-asan/mentortrack" node --test --test-reporter=spec tests/api/
echo "== browser tests"
# playwright-core from package-lock.json drives Debian's chromium; npm ci only
# when node_modules is missing or older than the lock file.
if [[ ! -d node_modules/playwright-core || package-lock.json -nt node_modules/.package-lock.json ]]; then
	npm ci --no-audit --no-fund
fi
MENTORTRACK_BIN="$PWD/build/mentortrack" node --test --test-reporter=spec tests/browser/
