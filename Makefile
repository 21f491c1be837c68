# storyline — `make demo` and `make test` work from nothing (Python 3.11+ on PATH).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
CORPUS ?= $(shell [ -d ../shared/corpus/seeds ] && echo ../shared/corpus/seeds || echo examples)
DB ?= sqlite:///storyline.db

.PHONY: install dev demo test lint clean

$(BIN)/storyline: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e .
	touch $@

install: $(BIN)/storyline

$(VENV)/.dev: $(BIN)/storyline
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

dev: $(VENV)/.dev

demo: install
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
	$(BIN)/ruff check src tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) storyline.db* test-artifacts .pytest_cache .mypy_cache .ruff_cache
