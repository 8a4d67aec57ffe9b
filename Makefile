# One toolchain, run the same way locally and in CI (DESIGN habit 10).
# `make demo` and `make test` are the two set-up commands: each installs what it needs.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help demo serve test test-fast check lint format typecheck bench install install-dev assets browser lock migrate clean
.PHONY: deploy-test backup-test faults fuzz loadtest

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(VENV)/.base-installed: requirements/base.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + ")")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/base.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.base-installed requirements/dev.txt requirements/nodeps.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements/nodeps.txt
	touch $@

install: $(VENV)/.base-installed ## Create .venv with the locked run-time dependencies

install-dev: $(VENV)/.dev-installed ## ... and the locked development and test dependencies

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed to build the front-end assets: install Node.js 18 or newer (e.g. apt-get install nodejs npm)."; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

build/static/.built: node_modules/.installed frontend/build.mjs $(wildcard frontend/scss/*.scss)
	npm run --silent build
	touch $@

assets: build/static/.built ## Build GOV.UK Frontend and our styles into build/static

browser: ## Make sure Chromium and pdftoppm are installed for the tests
	@bash scripts/ensure-test-tools

migrate: install assets ## Apply database migrations
	$(MANAGE) migrate --no-input

demo: install assets ## Install, migrate, load the demo partnership and data, serve on 127.0.0.1:8000
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo
	@echo
	@echo "Demo ready: open http://$(HOST):$(PORT)/ and sign in as one of the demo users in README.md."
	HOST=$(HOST) PORT=$(PORT) bash scripts/serve-demo

serve: install assets ## Serve (with a task worker) without reloading the demo
	HOST=$(HOST) PORT=$(PORT) bash scripts/serve-demo

test: install-dev assets browser ## Install everything and run the whole test suite
	$(BIN)/pytest $(PYTEST_ARGS)

test-fast: install-dev assets ## The test suite without the browser tests
	$(BIN)/pytest -m "not e2e" $(PYTEST_ARGS)

check: install-dev ## ruff lint, ruff format check, mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(MANAGE) makemigrations --check --dry-run --settings=config.settings.test

format: install-dev ## Apply ruff's formatting and safe fixes
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install-dev ## Run the benchmarks (ratios against references measured in the same run)
	$(PY) bench/run.py

# Production readiness (docs/how-to/deploy.md). The deployment tests start their own private
# PostgreSQL server (initdb/pg_ctl) and processes on 127.0.0.1, and remove them after.
deploy-test: install-dev assets ## Production settings, gunicorn + task worker on PostgreSQL, faults
	$(BIN)/pytest tests/production $(PYTEST_ARGS)

backup-test: install-dev ## manage.py backup/restore round trip, verified (PostgreSQL with DATABASE_URL)
	$(BIN)/pytest socprofiles/core/tests/test_backups.py $(PYTEST_ARGS)

faults: install-dev assets ## Kill the task worker mid-import; crash and restart PostgreSQL
	$(BIN)/pytest tests/production/test_faults.py $(PYTEST_ARGS)

fuzz: install-dev ## Hostile input: importers and API fuzzed, XSS in every text field, bad uploads
	$(BIN)/pytest tests/hostile $(PYTEST_ARGS)

loadtest: install-dev assets ## 20 signed-in users on the demo for 60 s, on loopback (docs/benchmarks.md)
	$(PY) bench/run.py bench_load

# Locks against PyPI itself (not a machine's local mirrors), hashes included.
LOCK := PIP_CONFIG_FILE=/dev/null $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links

lock: install-dev ## Re-lock the Python dependencies after changing pyproject.toml
	$(LOCK) -o requirements/base.txt pyproject.toml
	$(LOCK) --extra dev -o requirements/dev.txt pyproject.toml

clean: ## Remove the virtual environment, node_modules and built assets (keeps var/)
	rm -rf $(VENV) node_modules build
