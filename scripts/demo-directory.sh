#!/usr/bin/env bash
# The demo's organisations, users and sharing agreement, in the store given as $1 (by the
# binary in $LAGESBILD_BIN, default target/release/lagesbild). Each user's password is
# demo-<name>-2026: for a demonstration on one machine only.
set -euo pipefail
DATA=${1:?usage: demo-directory.sh STORE_DIR}
BIN=${LAGESBILD_BIN:-target/release/lagesbild}
export LAGESBILD_USER=${LAGESBILD_USER:-demo} LAGESBILD_PURPOSE=${LAGESBILD_PURPOSE:-demo of Lägesbild}
run() { "$BIN" --data "$DATA" -q "$@" > /dev/null; }

run org add "Polisen Region Syd" --kind police
run org add "Malmö stad" --kind municipality
run org add "Polisen NOA" --kind police
user() { # name org role
    LAGESBILD_NEW_PASSWORD="demo-$1-2026" run user add "$1" --org "$2" --role "$3"
}
user analytiker "Polisen Region Syd" analyst
user utredare "Polisen Region Syd" investigator
user omradespolis "Polisen Region Syd" area-officer
user revisor "Polisen Region Syd" auditor
user kommun "Malmö stad" partner
# the police share counts (never records) with the municipality
run agreement add --from "Polisen Region Syd" --to "Malmö stad" --aggregates-only
# the national unit shares the seized phones with the region
run agreement add --from "Polisen NOA" --to "Polisen Region Syd" --dataset seized-phones
