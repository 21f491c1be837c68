# storyline — `make demo` and `make test` work from nothing (Python 3.11+ on PATH).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
CORPUS ?= $(shell [ -d ../shared/corpus/seeds ] && echo ../shared/corpus/seeds || echo examples)
DB ?= sqlite:///storyline.db

.PHONY: install dev demo test lint clean bench bench-api train-cleaner train-quotes train-stance

# pip's own lines name each package and its download size as it goes (no -q on the large steps)
$(BIN)/storyline: pyproject.toml
	@echo "Installing storyline into $(VENV): under 2 GB on disk (1.8 GB with the dev tools), a few minutes on a fast line."
	@echo "  1/2 pip itself"
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	@echo "  2/2 storyline and its pinned dependencies (pyproject.toml): spaCy with its English"
	@echo "      model, ray, pyarrow, scikit-learn, FastAPI, SQLAlchemy"
	$(BIN)/pip install --progress-bar on -e .
	@echo "Installed: $$(du -sh $(VENV) | cut -f1) in $(VENV)"
	touch $@

install: $(BIN)/storyline

$(VENV)/.dev: $(BIN)/storyline
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

dev: $(VENV)/.dev

demo: install
	@echo "Demo: ingesting $(CORPUS) into $(DB) (progress below), then the brief."
	$(BIN)/storyline ingest $(CORPUS) --db $(DB)
	$(BIN)/storyline brief --db $(DB)
	@echo
	@echo "Next: explore the store with"
	@echo "  $(BIN)/storyline claims --db $(DB)      # claim clusters with Admiralty grades"
	@echo "  $(BIN)/storyline brief --format html -o brief.html --db $(DB)"
	@echo "  $(BIN)/storyline export -o export.json --db $(DB)"
	@echo
	@echo "Open the web workbench:"
	@echo "  $(BIN)/storyline serve --db $(DB)      # then browse http://127.0.0.1:8000/"
	@echo "  (REST API: http://127.0.0.1:8000/api/v1/openapi.json; writes need $(BIN)/storyline token create NAME)"

test: dev
	$(BIN)/python -m pytest

lint: dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

# Learned models: trained from ../shared into src/storyline/models/ (seeded; prints CV by site).
WCXB ?= ../shared/eval/wcxb
train-cleaner: dev
	$(BIN)/python scripts/train_cleaner.py --wcxb $(WCXB)

POLNEAR ?= ../shared/eval/polnear
train-quotes: dev
	$(BIN)/python scripts/train_quotes.py --polnear $(POLNEAR)

SHARED ?= ../shared
train-stance: dev
	$(BIN)/python scripts/train_stance.py --shared $(SHARED)

BBC ?= ../shared/corpus/bbc/bbc-news-2004-2005.jsonl
OUT := benchmarks/out
SCALE_N ?= 100000

# Benchmarks print a table and write JSON under benchmarks/out/. Ratios are measured against a
# baseline in the same run. The 100k part takes a long time on two cores.
bench: dev
	mkdir -p $(OUT)
	$(BIN)/python benchmarks/extraction.py --json $(OUT)/extraction.json
	$(BIN)/python benchmarks/nlp.py $(BBC) --processes 2 --json $(OUT)/nlp.json
	$(BIN)/python benchmarks/pipeline.py --json $(OUT)/throughput.json throughput --jsonl $(BBC) --processes 2
	$(BIN)/python benchmarks/pipeline.py --json $(OUT)/incremental.json incremental --jsonl $(BBC) --processes 2
	$(BIN)/python benchmarks/make_corpus.py $(BBC) $(OUT)/corpus --n $(SCALE_N)
	$(BIN)/python benchmarks/make_corpus.py $(BBC) $(OUT)/more --n 100 --seed 7
	rm -f $(OUT)/scale.db*
	$(BIN)/python benchmarks/pipeline.py --json $(OUT)/scale-sqlite.json scale $(OUT)/corpus \
		--db sqlite:///$(OUT)/scale.db --incremental $(OUT)/more
	# the same store with the analysis of the BBC corpus copied onto every document, then 100
	# more articles placed among its 1.3 million claims
	rm -f $(OUT)/analysed.db* && $(BIN)/storyline ingest $(BBC) --db sqlite:///$(OUT)/analysed.db
	cp $(OUT)/scale.db $(OUT)/replicated.db
	$(BIN)/python benchmarks/replicate_analysis.py sqlite:///$(OUT)/analysed.db sqlite:///$(OUT)/replicated.db
	$(BIN)/python benchmarks/make_corpus.py $(BBC) $(OUT)/more-replicated --n 100 --seed 11
	$(BIN)/python benchmarks/pipeline.py --json $(OUT)/latency-sqlite-replicated.json latency \
		--db sqlite:///$(OUT)/replicated.db
	$(BIN)/python benchmarks/pipeline.py --json $(OUT)/add-replicated.json add $(OUT)/more-replicated \
		--db sqlite:///$(OUT)/replicated.db
	@if [ -n "$$STORYLINE_BENCH_PG" ]; then \
		$(BIN)/python benchmarks/pipeline.py --json $(OUT)/scale-postgresql.json scale $(OUT)/corpus \
			--db "$$STORYLINE_BENCH_PG" --incremental $(OUT)/more; \
	else echo "(set STORYLINE_BENCH_PG=postgresql+psycopg://… to a fresh database for the PostgreSQL figures)"; fi

bench-api: install
	$(BIN)/storyline ingest $(CORPUS) --db $(DB)
	$(BIN)/python benchmarks/api_load.py --db $(DB) --clients 50 --seconds 30

clean:
	rm -rf $(VENV) storyline.db* test-artifacts .pytest_cache .mypy_cache .ruff_cache
