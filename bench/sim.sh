#!/usr/bin/env bash
# How fast the simulator writes, and in how much memory: a city (12 months) and a nation
# (MONTHS months, 4 unless told; 12 months of a nation need about 27 GB of disk).
#   MONTHS (4), SCALES ("city nation")
# Each run's output is deleted after it is measured. Writes bench/out/sim.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
MONTHS=${MONTHS:-4}
SCALES=${SCALES:-city nation}
BIN=target/release/lagesbild
OUT=bench/out
mkdir -p "$OUT"
cargo build --release --bin lagesbild -p lagesbild-cli
: > "$OUT/sim.txt"
for scale in $SCALES; do
    months=$MONTHS
    [ "$scale" = city ] && months=12
    dir=$(mktemp -d "$OUT/sim-XXXXXX")
    /usr/bin/time -f '%e %M' -o "$OUT/sim-time.txt" \
        "$BIN" -q --json simulate --seed 1 --scale "$scale" --months "$months" --out "$dir" \
        > "$OUT/sim-summary.json"
    read -r secs kb < "$OUT/sim-time.txt"
    bytes=$(du -sb "$dir" | cut -f1)
    rm -rf "$dir"
    python3 - "$scale" "$months" "$secs" "$kb" "$bytes" "$OUT/sim-summary.json" <<'PY' | tee -a "$OUT/sim.txt"
import json, sys
scale, months, secs, kb, size, summary = sys.argv[1:]
s = json.load(open(summary))
records = sum(s["files"].values())
secs = float(secs)
print(f"{scale:7} {months:>2} months: {records:>12,} records, {int(size) / 1e9:6.1f} GB, "
      f"{secs:7.1f} s, {records / secs:>11,.0f} records/s, peak RSS {int(kb) / 1024:,.0f} MiB")
PY
done
