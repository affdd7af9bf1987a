# Shenbao 申报评审平台 — set-up, demo, tests and production serving.
#
#   make run     set everything up, load both cities' 2022 calls (长治 is example data) and demo data, serve http://127.0.0.1:8000
#   make test    the packages, the venv and the catalogues, then ruff, mypy and the whole test suite (browser tests
#                included); the tests build their own databases, so the demo database in var/ is not touched
#   make serve   production profile: gunicorn + whitenoise (needs SECRET_KEY, ALLOWED_HOSTS, ...); installs only the
#                runtime lock and the runtime Debian packages, never migrates (that is `make upgrade`)
#   make upgrade the operator's explicit upgrade step: check --deploy, migrate, collectstatic, reference data and calls
#
# Works on a fresh Debian 12 machine: missing Debian packages are installed with apt-get (as root, or
# through sudo), the virtual environment is built from the lock files and re-installed only when one changes:
# requirements.lock (runtime only) for make serve/upgrade, plus requirements-dev.lock (the dev extra, constrained by
# the runtime lock) for make run/test. docs/OPERATIONS.md describes a production installation with systemd and nginx.
# DATABASE_URL from the environment is honoured by every step (SQLite in var/ when unset).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements.lock.stamp
DEV_STAMP := $(VENV)/.requirements-dev.lock.stamp
MANAGE := $(PY) manage.py
PYTHON_VERSION := $(shell cat .python-version 2>/dev/null || echo 3.13.0)
PYENV_ROOT ?= $(shell pyenv root 2>/dev/null || echo $$HOME/.pyenv)
# First one that runs and is >= 3.12 wins; `make PYTHON=/path/to/python` forces a choice.
PYTHON ?=
PYTHON_CANDIDATES := $(or $(PYTHON),$(PYENV_ROOT)/versions/$(PYTHON_VERSION)/bin/python python3.13 python3.12 python3)

# Debian packages the product needs at run time: CJK fonts (PDFs), gettext (compilemessages), and the
# Pango/HarfBuzz stack WeasyPrint loads. make serve/upgrade install only these.
DEB_PACKAGES := fonts-noto-cjk gettext \
	libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1
# Only for make run/test: Chromium's headless shell (the browser tests; the full chromium for `pytest --headed`),
# poppler-utils (PDF checks), nginx (tests/deploy runs `nginx -t` on the rendered site and serves through it). Never
# on a production web node.
TEST_DEB_PACKAGES := chromium chromium-headless-shell poppler-utils nginx-light
# check --deploy at start-up and upgrade: errors stop it, warnings are printed (they are the operator's to weigh).
DEPLOY_CHECK_FAIL_LEVEL ?= ERROR

DEV_SETTINGS ?= shenbao.settings.dev
PROD_SETTINGS ?= shenbao.settings.production
# What a deployment loads (make serve): its own cities' reference data and calls. The demo (make run/test) adds the
# example second city (示例数据), which must never reach a real deployment's public portal.
REFERENCE_DATA ?= data/reference/jincheng.yaml
CALL_FILES ?= calls/jincheng-2022.yaml
EXAMPLE_REFERENCE_DATA ?= data/reference/changzhi.yaml
EXAMPLE_CALL_FILES ?= calls/changzhi-2022.yaml
RUN_ADDR ?= 127.0.0.1:8000
# Three workers on two cores: a third of a worker's time is spent waiting (the browser, subprocesses, the live
# server), and the third fills it (measured: 8m37 with 3 against 12m23 with 2 before the set-up work of issue 14).
PYTEST_WORKERS ?= 3
PYTEST_ARGS ?=
# make bench: the dataset's scale (bench/scales.py) and extra arguments (e.g. --requests 20, --database-url URL).
BENCH_SCALE ?= demo
BENCH_ARGS ?=
# Some machines' environment asks Python not to write bytecode (PYTHONDONTWRITEBYTECODE=1). Every process then
# compiles the project's modules again, and pytest rewrites every test module again in each worker: a worker's
# collection took 16 s instead of 7.5 s (`pytest --collect-only`, this 2-core machine). The caches go to the
# git-ignored __pycache__ folders; an empty value is "unset" for Python and for every subprocess.
export PYTHONDONTWRITEBYTECODE :=

.PHONY: help run test bench serve upgrade migrate setup system-deps test-system-deps venv dev-venv messages data demo \
	lint typecheck format lock lock-upgrade clean distclean apt-install

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

run: setup ## set up and serve the demo on http://127.0.0.1:8000
	@echo
	@echo "申报评审平台 Shenbao is running: http://$(RUN_ADDR)/   (Ctrl-C stops it; demo log-ins above)"
	@echo
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-$(DEV_SETTINGS)} \
		SHENBAO_PUBLIC_URL=$${SHENBAO_PUBLIC_URL:-http://$(RUN_ADDR)} $(MANAGE) runserver $(RUN_ADDR)

# Not `setup`: every test database is a copy of a migrated template (tests/dbtemplate.py), so migrating and seeding the
# demo database (70 s of a core on a fresh clone, on each of CI's two databases) would serve no test.
test: test-system-deps $(DEV_STAMP) messages ## ruff, mypy and the whole test suite (pytest -n 3, browser tests included)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest -p no:cacheprovider -n $(PYTEST_WORKERS) --ds=shenbao.settings.test $(PYTEST_ARGS)

bench: $(DEV_STAMP) messages ## benchmark: a dataset served by gunicorn (production profile) beside a bare Django page; results in var/bench/
	$(PY) -m bench --scale $(BENCH_SCALE) $(BENCH_ARGS)

serve: system-deps $(STAMP) messages ## production: check --deploy (errors stop it), then gunicorn; run make upgrade first
	DJANGO_SETTINGS_MODULE=$(PROD_SETTINGS) $(MANAGE) check --deploy --fail-level $(DEPLOY_CHECK_FAIL_LEVEL)
	DJANGO_SETTINGS_MODULE=$(PROD_SETTINGS) $(VENV)/bin/gunicorn -c gunicorn.conf.py

# The operator's explicit step after installing or updating the code (docs/OPERATIONS.md): never part of a start, so
# a restart of one web node can never migrate a database that other nodes still serve with the old code.
upgrade: system-deps $(STAMP) messages ## production upgrade: check --deploy, migrate, collectstatic, reference data and calls
	DJANGO_SETTINGS_MODULE=$(PROD_SETTINGS) $(MANAGE) check --deploy --fail-level $(DEPLOY_CHECK_FAIL_LEVEL)
	DJANGO_SETTINGS_MODULE=$(PROD_SETTINGS) $(MANAGE) migrate --noinput
	DJANGO_SETTINGS_MODULE=$(PROD_SETTINGS) $(MANAGE) collectstatic --noinput
	DJANGO_SETTINGS_MODULE=$(PROD_SETTINGS) $(MANAGE) load_reference_data $(REFERENCE_DATA)
	for f in $(CALL_FILES); do DJANGO_SETTINGS_MODULE=$(PROD_SETTINGS) $(MANAGE) load_call "$$f"; done

migrate: $(STAMP) ## production: check --deploy and migrate only (make upgrade does this and more)
	DJANGO_SETTINGS_MODULE=$(PROD_SETTINGS) $(MANAGE) check --deploy --fail-level $(DEPLOY_CHECK_FAIL_LEVEL)
	DJANGO_SETTINGS_MODULE=$(PROD_SETTINGS) $(MANAGE) migrate --noinput

setup: test-system-deps $(DEV_STAMP) messages data demo ## everything make run/test need, nothing served

system-deps: ## install the runtime Debian packages above when any is missing
	@$(MAKE) apt-install PACKAGES="$(DEB_PACKAGES)"

test-system-deps: ## install the runtime and the test-only Debian packages when any is missing
	@$(MAKE) apt-install PACKAGES="$(DEB_PACKAGES) $(TEST_DEB_PACKAGES)"

# apt-install PACKAGES="...": the missing ones only, as root or through sudo.
apt-install:
	@if ! command -v dpkg-query >/dev/null 2>&1; then \
		echo "warning: not a Debian system; make sure these are installed: $(PACKAGES)" >&2; exit 0; fi; \
	missing=""; \
	for p in $(PACKAGES); do \
		dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	echo "Installing Debian packages:$$missing"; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; \
	else echo "error: need root (or sudo) to install:$$missing" >&2; exit 1; fi; \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q -o Acquire::Retries=3; \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		-o Acquire::Retries=3 $$missing

venv: $(STAMP) ## create .venv and install requirements.lock (runtime; only when the lock changed)

dev-venv: $(DEV_STAMP) ## also install requirements-dev.lock (tests and tools; only when a lock changed)

$(PY):
	@py=""; \
	for c in $(PYTHON_CANDIDATES); do \
		if command -v "$$c" >/dev/null 2>&1 && "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; \
		then py="$$c"; break; fi; \
	done; \
	if [ -z "$$py" ]; then \
		echo "error: Python >= 3.12 not found (tried: $(PYTHON_CANDIDATES))." >&2; \
		echo "       Install it (e.g. pyenv install $(PYTHON_VERSION)) or run make PYTHON=/path/to/python3.13" >&2; \
		exit 1; fi; \
	echo "Creating $(VENV) with $$py ($$("$$py" -V))"; \
	"$$py" -m venv --clear $(VENV)

# Order-only on the interpreter: re-install when the lock file changes, not when the venv is touched.
# Both locks carry hashes, so pip installs in hash-checking mode: nothing outside the lock gets in.
$(STAMP): requirements.lock | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	@touch $@

# The dev lock repeats the runtime pins (it is compiled under -c requirements.lock), so this adds only the dev tools.
$(DEV_STAMP): requirements-dev.lock $(STAMP) | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	@touch $@

messages: $(STAMP) ## compile gettext catalogues (locale/*.po -> .mo, not committed)
	@if find . -path ./$(VENV) -prune -o -path ./node_modules -prune -o -name '*.po' -print -quit | grep -q .; then \
		DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(MANAGE) compilemessages --ignore=$(VENV) --ignore=node_modules; fi

data: $(STAMP) ## migrate and load the reference data and the call files (idempotent)
	@mkdir -p var
	$(MANAGE) migrate --noinput
	$(MANAGE) load_reference_data $(REFERENCE_DATA) $(EXAMPLE_REFERENCE_DATA)
	for f in $(CALL_FILES) $(EXAMPLE_CALL_FILES); do $(MANAGE) load_call "$$f"; done

demo: data ## create (idempotently) the demo units, users and applications; prints the log-ins
	$(MANAGE) seed_demo

lint: $(DEV_STAMP) ## ruff check and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The files and the strictness are in pyproject.toml ([tool.mypy]); the cache in .mypy_cache keeps a re-run fast.
typecheck: $(DEV_STAMP) ## mypy (django-stubs) on the typed modules: services, selectors, rules, workflow steps
	$(VENV)/bin/mypy

format: $(DEV_STAMP) ## apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Resolved from pyproject.toml alone (the old pins are only preferences, and a fresh cache is fine): first the
# runtime dependencies, then the dev extra constrained by that runtime lock, so both install into one venv and the
# production venv holds exactly the runtime lock.
LOCK_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
	--strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_FLAGS)
lock: | $(PY) ## regenerate requirements.lock (runtime) and requirements-dev.lock (dev extra) from pyproject.toml, hashed
	@$(PY) -c 'import piptools' 2>/dev/null || $(PY) -m pip install --quiet pip-tools
	$(LOCK_COMPILE) --output-file requirements.lock pyproject.toml
	$(LOCK_COMPILE) --extra dev --constraint requirements.lock --output-file requirements-dev.lock pyproject.toml

lock-upgrade: ## like lock, but move unpinned transitive dependencies to their newest releases
	$(MAKE) lock LOCK_FLAGS=--upgrade

clean: ## remove caches, compiled catalogues, collected static files and test output
	find . -path ./$(VENV) -prune -o \( -name __pycache__ -o -name .pytest_cache -o -name .ruff_cache \
		-o -name .mypy_cache -o -name .hypothesis \) -type d -prune -exec rm -rf {} +
	find . -path ./$(VENV) -prune -o -name '*.mo' -type f -exec rm -f {} +
	rm -rf var/staticfiles test-results

distclean: clean ## clean, and also remove .venv and var/ (the SQLite database and uploaded files)
	rm -rf $(VENV) var
