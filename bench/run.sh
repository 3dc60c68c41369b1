#!/usr/bin/env bash
# Run the benchmarks on demand (not part of CI) and print their figures.
# usage: bash bench/run.sh [import|match|activity|kpi ...]   (default: all)
# Copy the figures into bench/RESULTS.md with the date and the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh >/dev/null
out=bench/out
mkdir -p "$out"
want=("$@")
[[ ${#want[@]} -eq 0 ]] && want=(import match activity kpi)

for b in "${want[@]}"; do
	case "$b" in
	import)
		echo "== import: 100,000 people, in-process (parse + write + re-import)"
		./build/bench/bench_import 100000 "$out/people-100k.csv"
		echo "== import: the CLI end to end, fresh database"
		rm -f "$out/import.db"*
		./build/mentortrack init --db "$out/import.db" --password bench-password >/dev/null
		/usr/bin/time -f "wall %e s, peak RSS %M KB" \
			./build/mentortrack import people "$out/people-100k.csv" --db "$out/import.db"
		;;
	match|activity|kpi)
		if [[ -x build/bench/bench_$b ]]; then
			echo "== $b"
			"./build/bench/bench_$b"
		else
			echo "== $b: not built"
		fi
		;;
	*) echo "unknown benchmark $b" >&2; exit 2 ;;
	esac
done
