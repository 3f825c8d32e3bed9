# nianbao. `make demo` ingests the bundled samples and crawls the mock portal into data/demo.duckdb;
# `make test` installs what the tests need (venv, system packages) and runs lint and every test.
# The virtualenv is .venv, built from requirements.lock, and rebuilt only when it or pyproject.toml changes.

VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
export PREFECT_SERVER_ANALYTICS_ENABLED := false

.PHONY: install system-deps demo test lint fixtures lock clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# LibreOffice, Chromium and a CJK font: installed when run as root, else the command to run is printed.
system-deps:
	@bash scripts/system-deps.sh

# The demo warehouse is kept between runs (re-ingesting is idempotent; review decisions stay); the
# demo's registry of expected publishers is loaded into it (only into it).
demo: install
	$(VENV)/bin/nianbao demo --db data/demo.duckdb

test: install system-deps lint
	$(PY) -m pytest -q

lint: install
	$(VENV)/bin/ruff check src flows tests benchmarks scripts

# Regenerate every committed fixture from its generator (tests/fixtures/); `git status` then shows
# what a generator change did. tests/unit/test_fixtures.py checks that regenerating changes nothing.
fixtures: install
	$(PY) -m tests.fixtures

# requirements.lock (the one lock file) is what CI installs: the exact versions of the working .venv.
lock: install
	$(VENV)/bin/pip freeze --exclude-editable > requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info data/demo.duckdb data/demo.duckdb.wal data/demo.duckdb.lock
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
