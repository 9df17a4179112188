# Lägesbild: two commands matter. `make demo` builds everything and runs the main job on the
# embedded default store; `make test` runs every test.

CARGO ?= cargo
BIN := target/release/lagesbild
DEMO_DATA := lagesbild-data
DEMO_WORLD := lagesbild-world
export LAGESBILD_USER ?= demo
export LAGESBILD_PURPOSE ?= demo of Lägesbild
FUZZ_SECONDS ?= 30

.PHONY: all build demo test lint fmt bench bench-ingest bench-search extract-eval fuzz-build fuzz-smoke clean

all: build

build:
	$(CARGO) build --release --bin lagesbild

demo: build
	rm -rf $(DEMO_DATA) $(DEMO_WORLD)
	$(BIN) simulate --seed 1 --scale city --months 12 --out $(DEMO_WORLD)
	$(BIN) --data $(DEMO_DATA) init
	$(BIN) --data $(DEMO_DATA) ingest --org "Polisen Region Syd" --grading B2 $(DEMO_WORLD)/*.csv
	$(BIN) --data $(DEMO_DATA) ingest --org "Polisen NOA" --dataset seized-phones --grading A2 \
		--subject-category suspect $(DEMO_WORLD)/telegram-*.json $(DEMO_WORLD)/whatsapp-*.txt
	$(BIN) --data $(DEMO_DATA) ingest --org "Polisen Region Syd" --grading B2 \
		--subject-category suspect --mapping examples/sample/seizures.yml examples/sample/seizures.csv
	$(BIN) --data $(DEMO_DATA) ingest --org "Polisen NOA" --dataset chats --grading B3 \
		--subject-category suspect examples/sample/entities.ftm.jsonl
	$(BIN) --data $(DEMO_DATA) stats
	$(BIN) --data $(DEMO_DATA) search "säljer swish" -n 5
	$(BIN) --data $(DEMO_DATA) search "kokain OR cocaine" --schema Seizure -n 5
	$(BIN) --data $(DEMO_DATA) show lina-ek
	$(BIN) --data $(DEMO_DATA) resolve --propose-above 0.9
	$(BIN) --data $(DEMO_DATA) aggregate --category kokain
	$(BIN) --data $(DEMO_DATA) hotspots --schema Seizure --top 5
	$(BIN) --data $(DEMO_DATA) nearrepeat --schema Incident
	$(BIN) --data $(DEMO_DATA) audit verify
	echo 'ja 🍁 5g/600, swisha 123 456 78 90 eller ring 070-123 45 67 (Kvarnby)' | $(BIN) extract
	$(BIN) extract --eval $(DEMO_WORLD)/texts.jsonl
	@echo
	@echo "The simulated world (and its truth.json) is in ./$(DEMO_WORLD), the store in ./$(DEMO_DATA); try:"
	@echo "  $(BIN) --data $(DEMO_DATA) search 'Östervång' --purpose 'test'"

test:
	$(CARGO) test --workspace --all-targets

# Precision and recall of text extraction on the annotated fixtures and on a simulated city.
extract-eval: build
	$(BIN) extract --eval crates/lagesbild-extract/tests/fixtures/annotated.jsonl --date 2026-06-01
	$(BIN) extract --eval crates/lagesbild-extract/tests/fixtures/holdout.jsonl --date 2026-06-01
	$(BIN) simulate --seed 1 --scale city --months 12 --out bench/out/world > /dev/null
	$(BIN) extract --eval bench/out/world/texts.jsonl

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

fmt:
	$(CARGO) fmt --all

# Benchmarks: figures go to bench/out/ and the README's performance section.
bench: bench-ingest bench-search

bench-ingest: build
	bench/ingest.sh

bench-search:
	$(CARGO) bench -p lagesbild-store --bench search

fuzz-build:
	cd fuzz && RUSTC_BOOTSTRAP=1 $(CARGO) fuzz build

# Every fuzz target for a short while, on the stable toolchain (see fuzz/smoke.sh).
fuzz-smoke:
	fuzz/smoke.sh $(FUZZ_SECONDS)

clean:
	$(CARGO) clean
	rm -rf $(DEMO_DATA) $(DEMO_WORLD) bench/out
