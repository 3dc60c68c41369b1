#!/usr/bin/env bash
# Build mentortrack into build/ (optimised, warnings are errors).
# With "asan": also build build-asan/ with AddressSanitizer and UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f build/build.ninja ]]; then
	meson setup build --buildtype=debugoptimized -Dwerror=true >/dev/null
fi
ninja -C build
if [[ "${1:-}" == asan ]]; then
	if [[ ! -f build-asan/build.ninja ]]; then
		meson setup build-asan --buildtype=debug -Dwerror=true \
			-Db_sanitize=address,undefined -Db_lundef=false >/dev/null
	fi
	ninja -C build-asan
fi
