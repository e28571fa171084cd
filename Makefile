# Two commands: `make demo` and `make test`. Both build their own virtualenv in .venv.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
STAMP_RUN := $(VENV)/.stamp-run
STAMP_DEV := $(VENV)/.stamp-dev
DEMO_OUT  := out/demo

.PHONY: demo test lint typecheck unit slow gates bench docs notebooks clean help

help:
	@echo "make demo   - set up .venv and analyse the bundled sample corpus"
	@echo "make test   - set up .venv with dev extras, run linters and the test suite"
	@echo "make gates  - model quality gates on ../shared data"
	@echo "make bench  - benchmarks (see benchmarks/README.md)"
	@echo "make docs   - build the documentation site strictly"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(STAMP_RUN): pyproject.toml | $(PY)
	$(PIP) install -q -e .
	@touch $@

# camel-tools is installed without its dependencies: its normalization utilities are pure Python
# and importing them needs no torch; pulling torch into a test env would cost gigabytes.
$(STAMP_DEV): pyproject.toml $(STAMP_RUN)
	$(PIP) install -q -e ".[dev,pyarabic,dask,notebooks,docs]"
	$(PIP) install -q --no-deps "camel-tools>=1.5"
	@touch $@

demo: $(STAMP_RUN)
	$(VENV)/bin/arabnews analyze src/arabnews_nlp/data/sample_articles.jsonl \
		-o $(DEMO_OUT)/analysis.jsonl --report $(DEMO_OUT)/report.html
	@echo "Results: $(DEMO_OUT)/analysis.jsonl  report: $(DEMO_OUT)/report.html"

lint: $(STAMP_DEV)
	$(VENV)/bin/ruff check src tests benchmarks scripts notebooks
	$(VENV)/bin/ruff format --check src tests benchmarks scripts notebooks

typecheck: $(STAMP_DEV)
	$(VENV)/bin/mypy

unit: $(STAMP_DEV)
	$(VENV)/bin/pytest -q -n 2 -m "not slow"

slow: $(STAMP_DEV)
	$(VENV)/bin/pytest -q -m slow

test: lint typecheck unit

gates: $(STAMP_DEV)
	$(PY) scripts/gates.py

bench: $(STAMP_DEV)
	$(PY) -m benchmarks

docs: $(STAMP_DEV)
	$(VENV)/bin/mkdocs build --strict

clean:
	rm -rf $(VENV) out site .pytest_cache .mypy_cache .ruff_cache
