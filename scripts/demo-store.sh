#!/usr/bin/env bash
# A store for the demo from a simulated world: `demo-store.sh WORLD_DIR STORE_DIR`.
# Every file goes in with the organisation and grading it would come from: the police's own
# registers (suspects), the municipality's observations, the banks' statements, the saved pages
# of online markets and sales channels, the national unit's seized phones (shared with the
# region); then the demo's users (scripts/demo-directory.sh).
set -euo pipefail
WORLD=${1:?usage: demo-store.sh WORLD_DIR STORE_DIR}
DATA=${2:?usage: demo-store.sh WORLD_DIR STORE_DIR}
BIN=${LAGESBILD_BIN:-target/release/lagesbild}
export LAGESBILD_USER=${LAGESBILD_USER:-demo} LAGESBILD_PURPOSE=${LAGESBILD_PURPOSE:-demo of Lägesbild}
lb() { "$BIN" --data "$DATA" "$@"; }

lb init
police=()
for f in "$WORLD"/*.csv; do
    case "$(basename "$f")" in
        observations.csv | wastewater.csv) ;;
        *) police+=("$f") ;;
    esac
done
lb ingest --org "Polisen Region Syd" --grading B2 --subject-category suspect "${police[@]}"
lb ingest --org "Polisen Region Syd" --dataset wastewater --grading A1 --subject-category none \
    "$WORLD/wastewater.csv"
lb ingest --org "Malmö stad" --dataset observations --grading X2 --subject-category none \
    "$WORLD/observations.csv"
# the banks' statements of the accounts under investigation (ISO 20022 camt.053)
shopt -s nullglob
statements=("$WORLD"/statements-*.xml)
shopt -u nullglob
if [ ${#statements[@]} -gt 0 ]; then
    lb ingest --org "Polisen Region Syd" --dataset bank-statements --grading A1 \
        --subject-category suspect "${statements[@]}"
fi
# what the internet unit saved of the dark-web markets and the Telegram sales channels
shopt -s nullglob
pages=("$WORLD"/market-*.html "$WORLD"/tme-*.html)
shopt -u nullglob
if [ ${#pages[@]} -gt 0 ]; then
    lb ingest --org "Polisen Region Syd" --dataset online --grading C3 --subject-category suspect \
        "${pages[@]}"
fi
lb ingest --org "Polisen NOA" --dataset seized-phones --grading A2 --subject-category suspect \
    "$WORLD"/telegram-*.json "$WORLD"/whatsapp-*.txt
LAGESBILD_BIN="$BIN" "$(dirname "$0")/demo-directory.sh" "$DATA"
