#!/usr/bin/env bash
# The ingest benchmark, side by side in one run on the same file:
#   - lagesbild ingest of ROWS CSV rows through bench/payments.yml (2 entities + 1 link a row),
#     with peak memory;
#   - lagesbild ingest of the same number of FtM entities (JSON Lines);
#   - sqlite3 .import of the same CSV into one table: the floor;
#   - `ftm map` (PyPI followthemoney) on a 100k-row slice with the same mapping, installed into
#     a throwaway virtualenv (a peer, never a dependency of the product).
# usage: bench/ingest.sh [ROWS]   (default 1000000); figures in bench/out/ingest.txt
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
SLICE=100000
OUT=bench/out
BIN=target/release/lagesbild
mkdir -p "$OUT"
export LAGESBILD_USER=bench LAGESBILD_PURPOSE="benchmark"

[ -x "$BIN" ] || cargo build --release --bin lagesbild
[ -f "$OUT/payments.csv" ] && [ "$(($(wc -l < "$OUT/payments.csv") - 1))" = "$ROWS" ] \
  || python3 bench/gen.py "$ROWS" "$OUT/payments.csv"
head -n $((SLICE + 1)) "$OUT/payments.csv" > "$OUT/slice.csv"
sed 's#csv_url: payments.csv#csv_url: slice.csv#' bench/payments.yml > "$OUT/slice.yml"

secs() { python3 -c 'import sys,time; print(f"{float(sys.argv[1]):.2f}")' "$1"; }
now() { python3 -c 'import time; print(time.time())'; }
elapsed() { python3 -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.2f}")' "$1" "$2"; }

report="$OUT/ingest.txt"
: > "$report"
say() { echo "$*" | tee -a "$report"; }
say "ingest benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $ROWS rows"

# lagesbild: CSV through the mapping
rm -rf "$OUT/store"
$BIN --data "$OUT/store" init >/dev/null
t0=$(now)
/usr/bin/time -f "%M" -o "$OUT/rss.txt" $BIN --data "$OUT/store" -q ingest --org Bench \
  --mapping bench/payments.yml "$OUT/payments.csv" >/dev/null
t1=$(now)
lb=$(elapsed "$t0" "$t1")
rss=$(( $(cat "$OUT/rss.txt") / 1024 ))
say "lagesbild ingest csv+mapping: $lb s, $(python3 -c "print(int($ROWS/$lb))") rows/s, peak RSS $rss MiB"

# lagesbild: FtM JSON Lines of the same size
python3 - "$ROWS" "$OUT/entities.jsonl" <<'PY'
import json, random, sys
n, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(7)
words = "koks tjack gräs leverans swish ikväll imorgon gram pris möte Malmö Lund Rosengård".split()
with open(out, "w") as f:
    for i in range(n):
        f.write(json.dumps({"id": f"m{i}", "schema": "Message", "properties": {
            "bodyText": [" ".join(rng.choice(words) for _ in range(8))],
            "date": [f"2026-{rng.randrange(1,13):02d}-{rng.randrange(1,29):02d}"]}}, ensure_ascii=False) + "\n")
PY
rm -rf "$OUT/store2"
$BIN --data "$OUT/store2" init >/dev/null
t0=$(now)
$BIN --data "$OUT/store2" -q ingest --org Bench "$OUT/entities.jsonl" >/dev/null
t1=$(now)
lbj=$(elapsed "$t0" "$t1")
say "lagesbild ingest ftm jsonl:   $lbj s, $(python3 -c "print(int($ROWS/$lbj))") entities/s"

# the floor: sqlite3 .import into one table
rm -f "$OUT/floor.sqlite"
t0=$(now)
sqlite3 "$OUT/floor.sqlite" -cmd ".mode csv" ".import $OUT/payments.csv payments"
t1=$(now)
sq=$(elapsed "$t0" "$t1")
say "sqlite3 .import (floor):      $sq s, ratio lagesbild/sqlite3 = $(python3 -c "print(round($lb/$sq, 2))")"

# the peer: ftm map on a slice
VENV="$PWD/$OUT/venv"
if [ ! -x "$VENV/bin/ftm" ]; then
  python3 -m venv "$VENV" && "$VENV/bin/pip" install -q followthemoney
fi
rm -rf "$OUT/store3"
$BIN --data "$OUT/store3" init >/dev/null
t0=$(now)
(cd "$OUT" && "$VENV/bin/ftm" map slice.yml > ftm-slice.jsonl 2> ftm-slice.log)
t1=$(now)
fm=$(elapsed "$t0" "$t1")
t0=$(now)
$BIN --data "$OUT/store3" -q ingest --org Bench --mapping "$OUT/slice.yml" "$OUT/slice.csv" >/dev/null
t1=$(now)
ls=$(elapsed "$t0" "$t1")
say "ftm map on $SLICE rows:       $fm s; lagesbild on the same rows: $ls s; lagesbild is $(python3 -c "print(round($fm/$ls, 1))")x faster"
