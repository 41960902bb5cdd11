#!/usr/bin/env bash
# API load: the release server on a generated database (PATIENTS patients with
# a year of history; made once under target/bench-data/), then wrk at 64
# connections against /api/health, patients' own agendas, and durable outcome
# writes. Prints throughput, p50/p99 and the agenda/health ratio.
# usage: tools/bench/load.sh [PATIENTS] [SECONDS]   (needs wrk, python3, target/release/tend)
set -euo pipefail
cd "$(dirname "$0")/../.."
patients=${1:-2000}
seconds=${2:-10}
connections=${TEND_CONNECTIONS:-64}
bin=${TEND_BIN:-target/release/tend}
dir=target/bench-data
db=$dir/tend-$patients.db
tokens=$dir/tokens-$patients.txt
mkdir -p "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port
server=

stop_server() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; server=; fi
}
trap stop_server EXIT
start_server() {
  RUST_LOG=warn "$bin" --db "$db" --addr "127.0.0.1:$port" --dist dist "$@" > "$dir/server.log" 2>&1 &
  server=$!
  for _ in $(seq 300); do curl -sf "$url/api/health" > /dev/null && return; sleep 0.1; done
  echo "server did not start; see $dir/server.log" >&2; exit 1
}

if [ ! -f "$tokens" ]; then
  rm -f "$db" "$db-wal" "$db-shm"
  start_server --demo   # the schema by the server's own migrations, and the demo data
  stop_server
  python3 tools/bench/gen_dataset.py "$db" "$patients" "$tokens"
fi
# Sessions end after 30 idle minutes: make the generated ones fresh again, and
# list yesterday's first daily item of each patient for the writes.
python3 - "$db" "$tokens" "$dir/writes-$patients.txt" <<'PY'
import datetime as dt, json, sqlite3, sys
db, tokens, writes = sys.argv[1:]
con = sqlite3.connect(db)
now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
con.execute("UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE account_id IN "
            "(SELECT id FROM accounts WHERE username LIKE 'load%')",
            (now.strftime("%Y-%m-%dT%H:%M:%SZ"), (now + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")))
con.commit()
yesterday = (now - dt.timedelta(days=1)).date().isoformat()
out = []
for line in open(tokens):
    patient, token = line.split()
    for activity, schedule in con.execute(
            "SELECT a.id, v.schedule FROM activities a JOIN activity_versions v ON v.activity_id = a.id "
            "WHERE a.patient_id = ? ORDER BY a.id, v.version DESC", (int(patient),)):
        r = json.loads(schedule)["recurrence"]
        if r["kind"] == "daily":
            out.append(f"{patient} {token} {activity} {yesterday}T{r['times'][0][:8]}")
            break
open(writes, "w").write("\n".join(out) + "\n")
PY

start_server
echo "server: $bin on $db ($patients generated patients; $(nproc) cores; wrk -t$(( connections < 2 ? 1 : 2 )) -c$connections -d${seconds}s)"
run() { # name, wrk args…
  local name=$1; shift
  local out; out=$(wrk -t$(( connections < 2 ? 1 : 2 )) -c$connections -d"${seconds}s" --latency "$@")
  local rps p50 p99 errors
  rps=$(awk '/^Requests\/sec/ {print $2}' <<< "$out")
  p50=$(awk '$1 == "50%" {print $2}' <<< "$out")
  p99=$(awk '$1 == "99%" {print $2}' <<< "$out")
  errors=$(awk '/Non-2xx/ {print $5}' <<< "$out")
  printf '%-26s %10s req/s   p50 %-9s p99 %-9s non-2xx %s\n' "$name" "$rps" "$p50" "$p99" "${errors:-0}"
  eval "rps_$name=$rps"
}
curl -sf "$url/api/health" > /dev/null
run health "$url/api/health"
# The server keeps sessions, plans and each agenda window's outcomes in
# memory: the first pass after a start reads them from the database (every
# patient once), the second is what a running server serves; a random past
# day is a window not kept, so its outcomes are read from the database.
TEND_TOKENS=$tokens run agenda_first_pass -s tools/bench/agenda.lua "$url"
TEND_TOKENS=$tokens run agenda -s tools/bench/agenda.lua "$url"
TEND_TOKENS=$tokens TEND_PAST_DAYS=300 run agenda_past_day -s tools/bench/agenda.lua "$url"
TEND_WRITES=$dir/writes-$patients.txt run outcome_writes -s tools/bench/outcomes.lua "$url"
ratio() { python3 -c "import sys; print(f'{sys.argv[1]}/health throughput: {float(sys.argv[2]) / float(sys.argv[3]):.2f} (goal >= 0.5)')" "$@"; }
ratio agenda "$rps_agenda" "$rps_health"
ratio agenda_first_pass "$rps_agenda_first_pass" "$rps_health"
ratio agenda_past_day "$rps_agenda_past_day" "$rps_health"
