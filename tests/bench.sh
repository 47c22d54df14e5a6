#!/usr/bin/env bash
# `make bench`: the load benchmark, then the activity report on a large dataset. Not a test:
# nothing fails on a slow machine; the tables say what was measured.
#
# Load: on SQLite and on PostgreSQL (a throwaway cluster with durable settings), generate
# SITUATIONS situations over CCAS CCAS and YEARS years, start the release server, and drive
# each endpoint with wrk (tests/bench/relais.lua) at each count of CLIENTS for DURATION
# seconds; then run the same queries in-process over a pool of the same size at the same
# concurrency (`relais floor`: no HTTP, no authentication, no access log). Prints, per
# endpoint and backend, requests/s, p50/p95/p99, errors, the floor and the ratio API / floor,
# and the server's idle and peak RSS.
#
# Report: REPORT_SITUATIONS situations over REPORT_CCAS CCAS, the yearly and monthly report of
# one CCAS timed in-process (REPORT_SITUATIONS=0 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."

SITUATIONS=${SITUATIONS:-100000}
CCAS=${CCAS:-20}
YEARS=${YEARS:-5}
DURATION=${DURATION:-5}
CLIENTS=${CLIENTS:-"1 16 64"}
BACKENDS=${BACKENDS:-"sqlite postgres"}
ENDPOINTS=${ENDPOINTS:-"inbox referrals situations situation timeline person-name person-phone partners agenda availability unit-status create-referral add-note report"}
REPORT_SITUATIONS=${REPORT_SITUATIONS:-1000000}
REPORT_CCAS=${REPORT_CCAS:-100}
REPEAT=${REPEAT:-5}
RELAIS=${RELAIS:-$PWD/target/release/relais}
workdir=$PWD/target/bench
mkdir -p "$workdir"
export RUST_LOG=warn RELAIS_JWT_KEY_FILE="$workdir/jwt.pem"
[[ -e $RELAIS_JWT_KEY_FILE ]] || "$RELAIS" key generate --out "$RELAIS_JWT_KEY_FILE" >/dev/null

if ! command -v wrk >/dev/null; then
  echo "== installing wrk (Debian) ==" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

results="$workdir/load.jsonl"
: >"$results"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rss_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }

# Runs the load benchmark against DATABASE_URL, appending JSON lines to $results.
load() {
  local backend=$1 plan=(--situations "$SITUATIONS" --ccas "$CCAS" --years "$YEARS")
  echo "== $backend: generating $SITUATIONS situations over $CCAS CCAS and $YEARS years ==" >&2
  "$RELAIS" generate "${plan[@]}"
  # The retention run the server would start with (a generated dataset holds years of closed
  # files): done before measuring, so that the first rows measure the steady state.
  "$RELAIS" retention run >&2
  local port pid
  port=$(free_port)
  RELAIS_BIND=127.0.0.1:$port "$RELAIS" serve >"$workdir/$backend-server.log" 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null || true' RETURN
  until curl -fs "http://127.0.0.1:$port/health/live" >/dev/null; do sleep 0.2; done
  local idle_kib
  idle_kib=$(rss_kib "$pid" VmRSS)
  export CCAS SITUATIONS
  CCAS_TOKEN=$("$RELAIS" token --org bench-ccas-0 --sub bench-user-0 --scope ccas --ttl 7200)
  UNIT_TOKEN=$("$RELAIS" token --org bench-brigade-0 --sub bench-unit --scope gendarmerie --ttl 7200)
  TODAY=$(date -u +%F) WEEK_END=$(date -u -d '+7 days' +%F) LAST_YEAR=$(( $(date -u +%Y) - 1 ))
  DAYS=$(for d in $(seq 0 13); do date -u -d "+$d days" +%F; done | paste -sd,)
  export CCAS_TOKEN UNIT_TOKEN TODAY WEEK_END LAST_YEAR DAYS
  for endpoint in $ENDPOINTS; do
    for clients in $CLIENTS; do
      local threads=$(( clients < 2 ? 1 : 2 ))
      echo "  $backend $endpoint × $clients" >&2
      local api floor
      api=$(ENDPOINT=$endpoint wrk -t"$threads" -c"$clients" -d"${DURATION}s" --timeout 10s -s tests/bench/relais.lua \
        "http://127.0.0.1:$port" | tail -n 1)
      floor=$("$RELAIS" floor "${plan[@]}" --endpoint "$endpoint" --clients "$clients" --seconds "$DURATION")
      echo "{\"backend\":\"$backend\",\"endpoint\":\"$endpoint\",\"clients\":$clients,\"api\":$api,\"floor\":$floor}" >>"$results"
    done
  done
  local peak_kib
  peak_kib=$(rss_kib "$pid" VmHWM)
  echo "{\"backend\":\"$backend\",\"idle_rss_kib\":$idle_kib,\"peak_rss_kib\":$peak_kib}" >>"$results"
  if grep -q -i "error\|panic" "$workdir/$backend-server.log"; then
    echo "  (server log: $(grep -c -i 'error\|panic' "$workdir/$backend-server.log") error lines in $workdir/$backend-server.log)" >&2
  fi
}

for backend in $BACKENDS; do
  case $backend in
    sqlite)
      rm -f "$workdir"/load.db*
      DATABASE_URL="sqlite://$workdir/load.db" load sqlite
      ;;
    postgres)
      export -f load free_port rss_kib
      export RELAIS SITUATIONS CCAS YEARS DURATION CLIENTS ENDPOINTS workdir results
      PG_DURABLE=1 tests/with-postgres.sh bash -c 'DATABASE_URL="$RELAIS_TEST_POSTGRES_URL" load postgres'
      ;;
  esac
done

echo
echo "Load on $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $SITUATIONS situations over $CCAS CCAS and $YEARS years;"
echo "wrk for ${DURATION} s per row; the floor is the same queries in-process over the same pool (\`relais floor\`)."
python3 tests/bench/table.py "$results"

if (( REPORT_SITUATIONS > 0 )); then
  rows=()
  plan=(--situations "$REPORT_SITUATIONS" --ccas "$REPORT_CCAS" --years "$YEARS")
  echo "== report: SQLite, generating $REPORT_SITUATIONS situations ==" >&2
  rm -f "$workdir"/bench.db*
  rows+=("$(DATABASE_URL="sqlite://$workdir/bench.db" bash -c '"$0" generate "$@" >&2 && "$0" bench "$@" --repeat '"$REPEAT" "$RELAIS" "${plan[@]}")")
  echo "== report: PostgreSQL, generating $REPORT_SITUATIONS situations ==" >&2
  rows+=("$(PG_DURABLE=1 tests/with-postgres.sh bash -c '
    export DATABASE_URL="$RELAIS_TEST_POSTGRES_URL"
    "$0" generate "${@:2}" >&2 && "$0" bench "${@:2}" --repeat "$1"' "$RELAIS" "$REPEAT" "${plan[@]}")")
  echo
  echo "Activity report of one CCAS over its last full year ($REPORT_SITUATIONS situations over $REPORT_CCAS CCAS and $YEARS years; median of $REPEAT runs, best in brackets):"
  echo
  echo "| database | situations | CCAS | situations met by the CCAS in the year | yearly report (ms) | monthly report (ms) | yearly funders' grid (ms) | yearly report for reporting tools, both layouts protected (ms) |"
  echo "|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
fi
