#!/usr/bin/env bash
# KPI requests through the real server on the large data set: the start-up
# warm-up, warm reads, a read after the background refresher has caught up
# with a write, and a read that must load right after a write.
# usage: bash bench/kpi_server.sh DB   (DB written by bench_activity; it is
# copied once to DB.server.db, which gets an admin and a few sessions)
set -euo pipefail
cd "$(dirname "$0")/.."
src=${1:?usage: bench/kpi_server.sh DB}
BIN=${BIN:-$PWD/build/mentortrack}
DB=$src.server.db
PORT=${PORT:-18099}
URL=http://127.0.0.1:$PORT
PW=bench-password-1
if [[ ! -e $DB ]]; then
	cp "$src" "$DB"
	sync # a fresh copy's write-back would slow the loads measured below
	"$BIN" user add --db "$DB" --email admin@example.com --name Admin --role admin \
		--password "$PW" >/dev/null
fi
PAIR=$(sqlite3 "$DB" "SELECT id FROM pairs WHERE status = 'active' LIMIT 1")
MENTORTRACK_ALERTS_INTERVAL=0 "$BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" \
	>"$DB.log" 2>&1 &
srv=$!
jar=$(mktemp)
trap 'kill $srv 2>/dev/null; rm -f "$jar"' EXIT
start=$(date +%s.%N)
until curl -s -o /dev/null "$URL/healthz"; do sleep 0.05; done
loads() { curl -s "$URL/metrics" | awk '/^mentortrack_kpi_snapshot_loads_total/ {print $2}'; }
until [[ $(loads) -ge 1 ]]; do sleep 0.05; done
printf 'start-up warm-up load done %.2f s after start\n' "$(echo "$(date +%s.%N) - $start" | bc)"
csrf=$(curl -s -c "$jar" -X POST "$URL/api/v1/auth/login" \
	-d "{\"email\":\"admin@example.com\",\"password\":\"$PW\"}" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
get() { curl -s -b "$jar" -o /dev/null -w '%{time_total}' "$URL/api/v1/programs/1/metrics"; }
write() {
	curl -s -b "$jar" -H "X-CSRF-Token: $csrf" -o /dev/null -w '%{http_code}' \
		-X POST "$URL/api/v1/pairs/$PAIR/sessions" \
		-d '{"held_at":"2025-06-25T10:00:00Z","minutes":45,"status":"completed"}'
}
echo "GET metrics, warm: $(get) $(get) $(get) s"
for i in 1 2 3; do
	code=$(write)
	sleep 6
	echo "write $code; 6 s later (refreshed in the background): $(get) s"
done
for i in 1 2 3; do
	echo "write $(write); at once (the request loads): $(get) s; again: $(get) s"
done
curl -s "$URL/metrics" | grep '^mentortrack_kpi'
