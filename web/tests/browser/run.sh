#!/usr/bin/env bash
# The browser journeys against a real server: simulate a small world, ingest it into a fresh
# store with the demo's organisations and users (scripts/demo-store.sh, as `make demo` does),
# start `lagesbild serve`, wait until it is ready, run `npm run test:browser`, and stop the
# server.
#
#   LAGESBILD_BIN   the built binary (default ../target/release/lagesbild, relative to web/)
#   PORT            where the server listens (default 8089)
#   KEEP=1          keep the temporary directory (the world, the store, the server's log)
#
# `run.sh serve` sets up the same and keeps the server running (until Ctrl-C) instead of testing.
#
# Needs web/dist built (`npm run build`) when the server serves the app from disk rather than
# from the binary; the binary embeds it at its own build time.
set -euo pipefail

WEB="$(cd "$(dirname "$0")/../.." && pwd)"
REPO="$(cd "$WEB/.." && pwd)"
BIN="${LAGESBILD_BIN:-$REPO/target/release/lagesbild}"
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"
PORT="${PORT:-8089}"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/lagesbild-browser.XXXXXX")"
DATA="$TMP/data"
WORLD="$TMP/world"
SERVER_PID=""

cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

export LAGESBILD_USER=demo LAGESBILD_PURPOSE="browser tests" RUST_LOG="${RUST_LOG:-warn}"
L() { "$BIN" --data "$DATA" -q "$@"; }

echo "== world and store in $TMP" >&2
"$BIN" -q simulate --seed 1 --scale town --months 6 --out "$WORLD" >/dev/null
if [ -x "$REPO/scripts/demo-store.sh" ]; then
  # The demo's own store and directory (as `make demo` makes them), on a smaller world.
  LAGESBILD_BIN="$BIN" "$REPO/scripts/demo-store.sh" "$WORLD" "$DATA" >/dev/null 2>"$TMP/store.log" ||
    { cat "$TMP/store.log" >&2; exit 1; }
else
  L init >/dev/null
  L ingest --org "Polisen Region Syd" --grading B2 --subject-category suspect "$WORLD"/*.csv >/dev/null
  L ingest --org "Polisen NOA" --dataset seized-phones --grading A2 --subject-category suspect \
    "$WORLD"/telegram-*.json "$WORLD"/whatsapp-*.txt >/dev/null
  L org add "Polisen Region Syd" --kind police >/dev/null
  L org add "Polisen NOA" --kind police >/dev/null
  L org add "Malmö stad" --kind municipality >/dev/null
  # The police share counts (never records) with the municipality: its partners' table then
  # holds the joint picture, and their own observation adds to it.
  L agreement add --from "Polisen Region Syd" --to "Malmö stad" --aggregates-only >/dev/null
  L agreement add --from "Polisen NOA" --to "Polisen Region Syd" --dataset seized-phones >/dev/null
  adduser() { # name org role
    LAGESBILD_NEW_PASSWORD="demo-$1-2026" L user add "$1" --org "$2" --role "$3" >/dev/null
  }
  adduser analytiker "Polisen Region Syd" analyst
  adduser omradespolis "Polisen Region Syd" area-officer
  adduser kommun "Malmö stad" partner
  adduser revisor "Polisen Region Syd" auditor
fi
L ingest --org "Polisen Region Syd" --grading B2 --subject-category suspect \
  --mapping "$REPO/examples/sample/seizures.yml" "$REPO/examples/sample/seizures.csv" >/dev/null
L ingest --org "Polisen NOA" --dataset chats --grading B3 --subject-category suspect \
  "$REPO/examples/sample/entities.ftm.jsonl" >/dev/null
L resolve --propose-above 0.9 >/dev/null || echo "(resolve failed; the review queue will be empty)" >&2

echo "== serve on 127.0.0.1:$PORT" >&2
SERVE_ARGS=(--addr "127.0.0.1:$PORT")
SERVE_HELP="$("$BIN" serve --help 2>&1 || true)"
if [[ "$SERVE_HELP" == *--areas* ]]; then
  SERVE_ARGS+=(--areas "$WORLD/districts.geojson")
fi
"$BIN" --data "$DATA" serve "${SERVE_ARGS[@]}" >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$PORT/api/v1/readyz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "the server stopped:" >&2
    cat "$TMP/server.log" >&2
    exit 1
  fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$PORT/api/v1/readyz" >/dev/null

if [ "${1:-}" = serve ]; then
  echo "serving on http://127.0.0.1:$PORT (store in $DATA); Ctrl-C stops it" >&2
  wait "$SERVER_PID"
  exit 0
fi

echo "== browser journeys" >&2
cd "$WEB"
status=0
LAGESBILD_URL="http://127.0.0.1:$PORT" npm run --silent test:browser || status=$?
if [ $status -ne 0 ]; then
  echo "== server log (last 40 lines)" >&2
  tail -40 "$TMP/server.log" >&2
fi
exit $status
