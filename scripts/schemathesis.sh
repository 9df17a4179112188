#!/usr/bin/env bash
# schemathesis against the live server: a small simulated world in a fresh store, an analyst's
# API token, `lagesbild serve`, then schemathesis generates requests from /api/v1/openapi.json
# and fails on any server error (5xx). schemathesis comes from PyPI into a virtual environment
# under target/ (never a dependency of the product).
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${LAGESBILD_BIN:-$REPO/target/release/lagesbild}"
PORT="${PORT:-8098}"
EXAMPLES="${EXAMPLES:-25}"
VENV="$REPO/target/venv-schemathesis"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/lagesbild-schemathesis.XXXXXX")"
SERVER=""
cleanup() {
    [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT

if [ ! -x "$VENV/bin/schemathesis" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check 'schemathesis>=4,<5'
fi
export LAGESBILD_USER=ci LAGESBILD_PURPOSE="schemathesis"
"$BIN" -q simulate --seed 3 --scale town --months 4 --out "$TMP/world" > /dev/null
LAGESBILD_BIN="$BIN" "$REPO/scripts/demo-store.sh" "$TMP/world" "$TMP/data" > /dev/null 2>&1
TOKEN=$("$BIN" --data "$TMP/data" -q --json token create analytiker --scope read,write \
    --expires 2099-01-01T00:00:00Z | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
"$BIN" --data "$TMP/data" -q serve --addr "127.0.0.1:$PORT" --rate 0 \
    --areas "$TMP/world/districts.geojson" 2> "$TMP/server.log" &
SERVER=$!
for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$PORT/api/v1/readyz" > /dev/null 2>&1 && break
    sleep 0.2
done
status=0
"$VENV/bin/schemathesis" run "http://127.0.0.1:$PORT/api/v1/openapi.json" \
    --header "Authorization: Bearer $TOKEN" --header "X-Purpose: schemathesis" \
    --checks not_a_server_error --max-examples "$EXAMPLES" --seed 1 || status=$?
if [ "$status" != 0 ]; then
    echo "schemathesis failed; the server's log:" >&2
    grep -i "error" "$TMP/server.log" | tail -20 >&2 || true
fi
exit "$status"
