# Two commands on a fresh machine with Python 3.11: `make run` and `make test` (`make lint` for style and types).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint install install-test install-lint demo-db clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

$(VENV)/.installed-lint: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[lint]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test
install-lint: $(VENV)/.installed-lint

# Builds the fictional demo incident into var/demo.duckdb and serves it on 127.0.0.1:8501, with its
# live replay beside it (README "The live replay").
run: install
	$(BIN)/onrust demo

test: install-test
	$(BIN)/python -m pytest -q

# ruff (pyflakes, pycodestyle, bugbear, pyupgrade, mccabe, isort) over everything; mypy over the
# packages listed in pyproject.toml [tool.mypy] files.
lint: install-lint
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
