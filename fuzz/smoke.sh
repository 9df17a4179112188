#!/usr/bin/env bash
# Builds the fuzz targets with libFuzzer's coverage instrumentation on the stable toolchain (the
# flags `cargo fuzz --sanitizer none` uses, so neither cargo-fuzz nor nightly is needed) and runs
# each for SECONDS (default 30). A crash fails the run and leaves its input in fuzz/artifacts/.
# usage: fuzz/smoke.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_EACH=${1:-30}
export RUSTFLAGS="--cfg fuzzing -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares -Cdebug-assertions -Coverflow-checks"
TARGET=$(rustc -vV | sed -n 's/^host: //p')
cargo build --release --target "$TARGET" --target-dir target/smoke
mkdir -p artifacts corpus/ftm_jsonl corpus/csv_mapping corpus/telegram corpus/mapping_yaml corpus/whatsapp \
  corpus/camt053 corpus/listing
# seed the corpora with the hand-written fixtures
cp ../examples/sample/entities.ftm.jsonl corpus/ftm_jsonl/
cp ../crates/lagesbild-ingest/tests/fixtures/payments.csv corpus/csv_mapping/
cp ../crates/lagesbild-ingest/tests/fixtures/telegram_*.json corpus/telegram/
cp ../crates/lagesbild-ingest/tests/fixtures/payments.yml corpus/mapping_yaml/
cp ../crates/lagesbild-ingest/tests/fixtures/WhatsApp*.txt corpus/whatsapp/
cp ../crates/lagesbild-ingest/tests/fixtures/camt053_*.xml corpus/camt053/
cp ../crates/lagesbild-ingest/tests/fixtures/listing_*.html corpus/listing/
mkdir -p corpus/extract corpus/geo_points corpus/geo_areas corpus/resolve_csv
cp ../crates/lagesbild-extract/tests/fixtures/*.jsonl corpus/extract/ 2>/dev/null || true
printf 'lat,lon,date,category\n55.6,13.0,2026-01-02,cocaine\n55.61,13.01,2026-01-09T21:00:00,skjutning\n' \
  > corpus/geo_points/seed.csv
printf '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"A"},%s}]}' \
  '"geometry":{"type":"Polygon","coordinates":[[[13,55.5],[13.1,55.5],[13.1,55.6],[13,55.5]]]}' \
  > corpus/geo_areas/seed.geojson
printf 'id;förnamn;efternamn;född;telefon\n1;Anna;Andersson;1990-01-02;0701234567\n2;Ana;Andersson;1990-02-01;070-123 45 67\n' \
  > corpus/resolve_csv/seed.csv
for t in ftm_jsonl csv_mapping mapping_yaml normalise telegram whatsapp camt053 listing extract \
         geo_points geo_areas resolve_csv; do
  mkdir -p "corpus/$t"
  echo "fuzzing $t for ${SECONDS_EACH}s"
  "target/smoke/$TARGET/release/$t" -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=10 \
    -artifact_prefix=artifacts/ "corpus/$t" 2>&1 | tail -n 1
  test "${PIPESTATUS[0]}" -eq 0
done
