# Lägesbild: two commands matter. `make demo` builds everything and runs the main job on the
# embedded default store; `make test` runs every test.

CARGO ?= cargo
BIN := target/release/lagesbild
DEMO_DATA := lagesbild-data
DEMO_WORLD := lagesbild-world
export LAGESBILD_USER ?= demo
export LAGESBILD_PURPOSE ?= demo of Lägesbild
FUZZ_SECONDS ?= 30

# `make demo DEMO_SERVE=0` stops after the commands instead of serving the web app
DEMO_SERVE ?= 1
DEMO_ADDR ?= 127.0.0.1:8080
WEB_SOURCES := $(shell find web/src web/index.html web/vite.config.ts web/tsconfig*.json web/public -type f 2>/dev/null)

.PHONY: all build web demo serve test test-web test-browser test-api lint fmt bench bench-ingest bench-floor bench-search bench-load bench-sim extract-eval fuzz-build fuzz-smoke clean

all: build

# The web app (web/, React + Vite), built into web/dist and embedded in the binary.
web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error

web/dist/index.html: web/node_modules/.package-lock.json $(WEB_SOURCES)
	cd web && npm run build

web: web/dist/index.html

build: web
	$(CARGO) build --release --bin lagesbild

demo: build
	rm -rf $(DEMO_DATA) $(DEMO_WORLD)
	$(BIN) simulate --seed 1 --scale city --months 12 --out $(DEMO_WORLD)
	LAGESBILD_BIN=$(BIN) scripts/demo-store.sh $(DEMO_WORLD) $(DEMO_DATA)
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
	# the report and its partner version side by side (the store takes many readers)
	$(BIN) --data $(DEMO_DATA) report --area Östervång --from 2026-07 --to 2026-12 \
		--areas $(DEMO_WORLD)/districts.geojson --out $(DEMO_WORLD)/lagesbild-ostervang.html & \
	police=$$!; \
	$(BIN) --data $(DEMO_DATA) report --area Östervång --from 2026-07 --to 2026-12 --partner \
		--areas $(DEMO_WORLD)/districts.geojson --out $(DEMO_WORLD)/lagesbild-ostervang-partner.html; \
	partner=$$?; wait $$police && [ $$partner = 0 ]
	$(BIN) --data $(DEMO_DATA) audit verify
	echo 'ja 🍁 5g/600, swisha 123 456 78 90 eller ring 070-123 45 67 (Kvarnby)' | $(BIN) extract
	$(BIN) extract --eval $(DEMO_WORLD)/texts.jsonl
	@echo
	@echo "The simulated world (and its truth.json) is in ./$(DEMO_WORLD), the store in ./$(DEMO_DATA)."
	@if [ "$(DEMO_SERVE)" = 1 ]; then $(MAKE) --no-print-directory serve; fi

# The web app on the demo store (after `make demo`).
serve:
	@echo
	@echo "Lägesbild: open http://$(DEMO_ADDR)/ and log in as one of the demo users"
	@echo "  analytiker   / demo-analytiker-2026    analyst, Polisen Region Syd: search, entities, network, map"
	@echo "  utredare     / demo-utredare-2026      investigator: also informants' and uncategorised records"
	@echo "  omradespolis / demo-omradespolis-2026  area officer: map, area dashboard"
	@echo "  kommun       / demo-kommun-2026        partner, Malmö stad: report an observation, see the counts"
	@echo "  revisor      / demo-revisor-2026       auditor: who saw what"
	@echo "The API is described at http://$(DEMO_ADDR)/api/v1/docs. Ctrl-C stops the server."
	$(BIN) --data $(DEMO_DATA) serve --addr $(DEMO_ADDR) --areas $(DEMO_WORLD)/districts.geojson

test: build
	$(CARGO) test --workspace --all-targets
	$(MAKE) --no-print-directory test-web test-browser test-api

# The web app's unit tests (Vitest).
test-web: web
	cd web && npm test

# The main journeys in headless Chromium against a live server (web/tests/browser).
test-browser: build
	LAGESBILD_BIN=$(CURDIR)/$(BIN) web/tests/browser/run.sh

# schemathesis (PyPI, in a virtual environment of its own) against the live server's
# OpenAPI document: no request it makes may get a server error.
test-api: build
	LAGESBILD_BIN=$(CURDIR)/$(BIN) scripts/schemathesis.sh

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

# where the ingest's time goes: the same ingest with parts left out (a patched build)
bench-floor:
	bench/floor.sh

bench-search:
	$(CARGO) bench -p lagesbild-store --bench search

# 200 users on the simulated city through the API (bench/load.sh).
bench-load: build
	bench/load.sh

# The simulator's speed and memory: a city and a nation (bench/sim.sh).
bench-sim:
	bench/sim.sh

fuzz-build:
	cd fuzz && RUSTC_BOOTSTRAP=1 $(CARGO) fuzz build

# Every fuzz target for a short while, on the stable toolchain (see fuzz/smoke.sh).
fuzz-smoke:
	fuzz/smoke.sh $(FUZZ_SECONDS)

clean:
	$(CARGO) clean
	rm -rf $(DEMO_DATA) $(DEMO_WORLD) bench/out web/dist web/node_modules
