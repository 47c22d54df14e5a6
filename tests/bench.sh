#!/usr/bin/env bash
# `make bench`: generate SITUATIONS situations (default 1,000,000) over CCAS CCAS and YEARS
# years on SQLite and on PostgreSQL, then time the yearly and the monthly activity report of
# one CCAS on each. Prints a Markdown table. Not a test: nothing fails on a slow machine.
set -euo pipefail
cd "$(dirname "$0")/.."

SITUATIONS=${SITUATIONS:-1000000}
CCAS=${CCAS:-100}
YEARS=${YEARS:-5}
REPEAT=${REPEAT:-5}
RELAIS=${RELAIS:-target/release/relais}
plan=(--situations "$SITUATIONS" --ccas "$CCAS" --years "$YEARS")
workdir=target/bench
mkdir -p "$workdir"
export RUST_LOG=warn RELAIS_JWT_KEY_FILE="$workdir/jwt.pem"

rows=()
echo "== SQLite: generating $SITUATIONS situations ==" >&2
rm -f "$workdir"/bench.db*
export DATABASE_URL="sqlite://$workdir/bench.db"
"$RELAIS" generate "${plan[@]}"
rows+=("$("$RELAIS" bench "${plan[@]}" --repeat "$REPEAT")")

echo "== PostgreSQL: generating $SITUATIONS situations ==" >&2
pg_row=$(tests/with-postgres.sh bash -c '
  export DATABASE_URL="$RELAIS_TEST_POSTGRES_URL"
  "$0" generate "${@:2}" >&2 && "$0" bench "${@:2}" --repeat "$1"' "$RELAIS" "$REPEAT" "${plan[@]}")
rows+=("$pg_row")

echo
echo "Activity report of one CCAS over its last full year ($SITUATIONS situations over $CCAS CCAS and $YEARS years; median of $REPEAT runs, best in brackets):"
echo
echo "| database | situations | CCAS | situations met by the CCAS in the year | yearly report (ms) | monthly report (ms) |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
