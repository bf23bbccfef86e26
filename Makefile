# Every target installs what it needs on first use: a fresh clone needs only
# `make generate` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
VENV_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: generate check validate test contract lint bench clean

generate: $(VENV_STAMP)
	$(PY) -m generator generate

check: $(VENV_STAMP)
	$(PY) -m generator check

validate: $(VENV_STAMP)
	$(PY) -m generator validate

test: $(VENV_STAMP) $(NODE_STAMP)
	$(PY) -m pytest

# The contract tests alone: generated clients against Prism serving each spec.
contract: $(VENV_STAMP) $(NODE_STAMP)
	$(PY) -m pytest -m prism

# The runtime is checked where it lives, as the package it becomes: its relative imports
# resolve with templates/ as the search path and runtime/ as the package.
lint: $(VENV_STAMP)
	$(PY) -m ruff check generator tests templates/runtime
	$(PY) -m mypy
	MYPYPATH=templates $(PY) -m mypy --strict --python-version 3.10 -p runtime

bench: $(VENV_STAMP) $(NODE_STAMP)
	$(PY) bench/run.py

$(VENV_STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	@# An editable install leaves the generator uncompiled, and PYTHONDONTWRITEBYTECODE would
	@# keep it so: every run would compile its source again.
	$(PY) -m compileall -q generator > /dev/null
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache
