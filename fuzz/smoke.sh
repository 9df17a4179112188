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
mkdir -p artifacts corpus/ftm_jsonl corpus/csv_mapping corpus/telegram corpus/mapping_yaml corpus/whatsapp
# seed the corpora with the hand-written fixtures
cp ../examples/sample/entities.ftm.jsonl corpus/ftm_jsonl/
cp ../crates/lagesbild-ingest/tests/fixtures/payments.csv corpus/csv_mapping/
cp ../crates/lagesbild-ingest/tests/fixtures/telegram_*.json corpus/telegram/
cp ../crates/lagesbild-ingest/tests/fixtures/payments.yml corpus/mapping_yaml/
cp ../crates/lagesbild-ingest/tests/fixtures/WhatsApp*.txt corpus/whatsapp/
mkdir -p corpus/extract
cp ../crates/lagesbild-extract/tests/fixtures/*.jsonl corpus/extract/ 2>/dev/null || true
for t in ftm_jsonl csv_mapping mapping_yaml normalise telegram whatsapp extract; do
  mkdir -p "corpus/$t"
  echo "fuzzing $t for ${SECONDS_EACH}s"
  "target/smoke/$TARGET/release/$t" -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=10 \
    -artifact_prefix=artifacts/ "corpus/$t" 2>&1 | tail -n 1
  test "${PIPESTATUS[0]}" -eq 0
done
