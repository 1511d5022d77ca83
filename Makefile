# Huishoudboekje — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test lint typecheck importlint pytest fuzz bench demo-reset clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

## run: install, run the demo gemeente (config + every demo night, progress bar),
# create the demo logins and start the web app on http://127.0.0.1:8000
DEMO_DB ?= sqlite:///$(CURDIR)/var/demo/hhb.sqlite3
run: install
	mkdir -p var/demo
	HHB_DATABASE_URL=$(DEMO_DB) $(BIN)/python sample_statements/run_demo.py
	HHB_DATABASE_URL=$(DEMO_DB) $(BIN)/hhb users demo
	HHB_DATABASE_URL=$(DEMO_DB) HHB_TODAY=2026-11-30 HHB_DEMO=1 $(BIN)/hhb serve --host 127.0.0.1 --port 8000

## test: every check (format, lint, types, import contracts, tests)
test: lint typecheck importlint pytest

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy

importlint: install
	$(BIN)/lint-imports

# tests in parallel processes, one per core (pytest-xdist, see tests/conftest.py); a
# test file's tests stay in one process (--dist loadfile), so module fixtures are
# built once. PYTEST_WORKERS=0 runs them all in one process.
PYTEST_WORKERS ?= $(shell nproc)
pytest: install
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadfile

## fuzz: the long connector fuzz run (thousands of mutated files)
fuzz: install
	HHB_FUZZ_EXAMPLES=3000 HHB_FUZZ_RANDOM=1 $(BIN)/pytest -q tests/test_connectors_fuzz.py
	HHB_FUZZ_EXAMPLES=3000 $(BIN)/pytest -q tests/test_connectors_mt940.py \
	  tests/test_connectors_ofx.py tests/test_connectors_mt940_roundtrip.py -k "damaged or parse_back"
	HHB_FUZZ_EXAMPLES=3000 $(BIN)/pytest -q tests/test_connectors_csv_banks.py -k mutated

## bench: every benchmark in bench/
bench: install
	$(BIN)/python bench/report.py

demo-reset:
	rm -rf var/demo

clean:
	rm -rf $(VENV) var .mypy_cache .pytest_cache .ruff_cache .hypothesis
