#!/usr/bin/env bash
# Install whichever Debian packages from scripts/debian-packages.txt are
# missing (as root, or through sudo).  A line "name cmd=X" is satisfied when
# command X exists, whoever installed it (node and npm may come from elsewhere).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
missing=()
while read -r name rest; do
	case "$name" in ''|'#'*) continue ;; esac
	if [[ "$rest" == cmd=* ]]; then
		command -v "${rest#cmd=}" >/dev/null 2>&1 && continue
	elif dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q 'install ok installed'; then
		continue
	fi
	missing+=("$name")
done < "$here/debian-packages.txt"

if ((${#missing[@]} == 0)); then
	echo "install-deps: every Debian package is present"
	exit 0
fi
echo "install-deps: installing ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then
	command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 1; }
	sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
