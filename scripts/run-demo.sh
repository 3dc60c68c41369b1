#!/usr/bin/env bash
# Quick start, step 1: install what is missing, build, and run the demo: a
# generated organisation and program served on http://127.0.0.1:8080/ with
# the login printed.  Extra arguments go to `mentortrack demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
exec ./build/mentortrack demo --db demo.db "$@"
