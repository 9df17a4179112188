#!/usr/bin/env bash
# Where the mapped ingest's time goes: the 1M-row ingest of bench/ingest.sh run whole and with
# parts of its work left out, in turn, in one sitting, beside `sqlite3 .import` of the same file.
#   full       everything: records, entity/key/mention/link/key-value rows, index documents
#   no-tables  records and index documents; no entity, key, mention, link or key-value rows
#   no-index   records and those rows; no index documents
#   floor      reading, mapping and the record rows only (provenance, raw row, statements)
# The parts are left out by a build with the store's `bench-floor` feature (a switch read from
# FLOOR_SKIP), in target/floor; the product is built without it.
# usage: bench/floor.sh [ROUNDS]   (default 2); figures in bench/out/floor.txt
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-2}
OUT=bench/out
ROWS=1000000
mkdir -p "$OUT"
export LAGESBILD_USER=bench LAGESBILD_PURPOSE="benchmark"

[ -f "$OUT/payments.csv" ] && [ "$(($(wc -l < "$OUT/payments.csv") - 1))" = "$ROWS" ] \
  || python3 bench/gen.py "$ROWS" "$OUT/payments.csv"

trap 'rm -rf "$OUT/floor-store" "$OUT/floor.db" "$OUT/floor-time.txt"' EXIT
CARGO_TARGET_DIR="$PWD/target/floor" cargo build --release --bin lagesbild \
  --features lagesbild-store/bench-floor 2>&1 | tail -1
BIN=target/floor/release/lagesbild

report="$OUT/floor.txt"
: > "$report"
say() { echo "$*" | tee -a "$report"; }
say "ingest decomposition, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $ROWS rows, $ROUNDS rounds"
say "variant    wall_s  cpu_s  peak_MiB"

run() {
  local name=$1 skip=$2
  rm -rf "$OUT/floor-store"
  $BIN --data "$OUT/floor-store" init >/dev/null
  FLOOR_SKIP=$skip /usr/bin/time -f "%e %U %S %M" -o "$OUT/floor-time.txt" \
    $BIN --data "$OUT/floor-store" -q ingest --org Bench --mapping bench/payments.yml \
    "$OUT/payments.csv" >/dev/null
  read -r wall user sys rss < "$OUT/floor-time.txt"
  say "$(printf '%-9s %7.2f %6.2f %9d' "$name" "$wall" "$(awk "BEGIN { print $user + $sys }")" $((rss / 1024)))"
}

for _ in $(seq "$ROUNDS"); do
  run full ""
  run no-tables tables
  run no-index index
  run floor tables,index
  rm -f "$OUT/floor.db"
  /usr/bin/time -f "%e %U %S %M" -o "$OUT/floor-time.txt" \
    sqlite3 "$OUT/floor.db" ".mode csv" ".import $OUT/payments.csv payments"
  read -r wall user sys rss < "$OUT/floor-time.txt"
  say "$(printf '%-9s %7.2f %6.2f %9d' import "$wall" "$(awk "BEGIN { print $user + $sys }")" $((rss / 1024)))"
done
