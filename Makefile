# nianbao: `make demo` ingests data/samples and crawls the mock portal into data/demo.duckdb;
# `make test` runs the tests.
# The virtualenv is .venv; it is (re)built only when pyproject.toml or a lock file changes.

VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
LOCKS  := $(wildcard requirements.lock uv.lock)
# uv is used when it is on PATH and the project has a uv.lock; otherwise pip and requirements.lock.
UV     := $(if $(wildcard uv.lock),$(shell command -v uv 2>/dev/null))
RUFF_ARGS :=

.PHONY: install demo test lint lock clean

install: $(STAMP)

$(STAMP): pyproject.toml $(LOCKS)
ifneq ($(UV),)
	$(UV) sync --frozen --extra dev
else
	test -x $(PY) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps -e .
endif
	touch $(STAMP)

# data/demo.duckdb: the sample corpus, then the main job end to end without internet: the mock
# portal (data/mock_portal) on a free loopback port, crawled, its new documents ingested, and the
# demo's registry of expected publishers loaded. Re-running is idempotent and keeps the review
# decisions recorded in the demo warehouse (`make clean` removes it).
demo: install
	$(VENV)/bin/nianbao ingest data/samples --db data/demo.duckdb
	$(VENV)/bin/nianbao demo --db data/demo.duckdb

test: install
	$(PY) -m pytest -q

lint: install
	$(VENV)/bin/ruff check src flows tests benchmarks scripts

# requirements.lock is what CI installs: the exact versions of the working .venv.
lock: install
	$(VENV)/bin/pip freeze --exclude-editable > requirements.lock
ifneq ($(UV),)
	$(UV) lock
endif

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info data/demo.duckdb data/demo.duckdb.wal data/demo.duckdb.lock
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
