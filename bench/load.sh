#!/usr/bin/env bash
# Load on `lagesbild serve` with the simulated city loaded: 200 users, each with its own
# account, API token and connection, alternate searches and entity pages for 60 s.
#   USERS (200), DURATION (60 s), THINK_MS (1000: a person's pause between clicks; 0 saturates)
# Writes bench/out/load-*.json and prints the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
USERS=${USERS:-200}
DURATION=${DURATION:-60}
THINK_MS=${THINK_MS:-1000}
PORT=${PORT:-8097}
BIN=target/release/lagesbild
OUT=bench/out
WORLD=$OUT/load-world
DATA=$OUT/load-data
export LAGESBILD_USER=bench LAGESBILD_PURPOSE="load test"
mkdir -p "$OUT"
cargo build --release --bin lagesbild -p lagesbild-cli
cargo build --release -p lagesbild-server --example load
if [ ! -f "$DATA/ready" ]; then
    # a new store: the ids found in the old one may not be in it
    rm -rf "$WORLD" "$DATA" "$OUT/load-ids.txt"
    "$BIN" -q simulate --seed 1 --scale city --months 12 --out "$WORLD"
    LAGESBILD_BIN=$BIN scripts/demo-store.sh "$WORLD" "$DATA" > /dev/null
    echo "creating $USERS users and their tokens" >&2
    : > "$OUT/load-tokens.txt"
    for i in $(seq -w 1 "$USERS"); do
        LAGESBILD_NEW_PASSWORD="load-user-$i-2026" "$BIN" --data "$DATA" -q user add "last$i" \
            --org "Polisen Region Syd" --role analyst > /dev/null
        "$BIN" --data "$DATA" -q --json token create "last$i" --expires 2099-01-01T00:00:00Z \
            | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])' >> "$OUT/load-tokens.txt"
    done
    touch "$DATA/ready"
fi
if [ ! -s "$OUT/load-ids.txt" ]; then
    # what the users look for (names, places, substances) and the entities an analyst finds
    printf '%s\n' Ella Wilma Mohammed Hanna Kaya Jonsson Östervång Kvarnby cannabis kokain \
        swish "säljer" amfetamin Lindhöjd Björkeby Ali Sara Johansson Nilsson "070" > "$OUT/load-terms.txt"
    : > "$OUT/load-ids.txt"
    while read -r term; do
        LAGESBILD_TOKEN=$(head -1 "$OUT/load-tokens.txt") "$BIN" --data "$DATA" -q --json \
            search "$term" -n 50 \
            | python3 -c 'import json,sys; [print(r["id"]) for r in json.load(sys.stdin)["results"]]' \
            >> "$OUT/load-ids.txt"
    done < "$OUT/load-terms.txt"
    sort -u -o "$OUT/load-ids.txt" "$OUT/load-ids.txt"
fi
echo "$(wc -l < "$OUT/load-ids.txt") entity ids, $(wc -l < "$OUT/load-tokens.txt") users" >&2
"$BIN" --data "$DATA" -q serve --addr "127.0.0.1:$PORT" --rate 0 --pool 4 \
    --areas "$WORLD/districts.geojson" 2> "$OUT/load-server.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$PORT/api/v1/readyz" > /dev/null 2>&1 && break
    sleep 0.2
done
target/release/examples/load --addr "127.0.0.1:$PORT" --tokens "$OUT/load-tokens.txt" \
    --ids "$OUT/load-ids.txt" --terms "$OUT/load-terms.txt" --seconds "$DURATION" \
    --think-ms "$THINK_MS" | tee "$OUT/load-think$THINK_MS.json"
