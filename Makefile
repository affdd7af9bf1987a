# Shenbao 申报评审平台 — set-up, demo, tests and production serving.
#
#   make run     set everything up, load both cities' 2022 calls (长治 is example data) and demo data, serve http://127.0.0.1:8000
#   make test    the same set-up, then ruff, mypy and the whole test suite (browser tests included)
#   make serve   production profile: gunicorn + whitenoise (needs SECRET_KEY, ALLOWED_HOSTS, ...)
#
# Works on a fresh Debian 12 machine: missing Debian packages are installed with apt-get (as root, or
# through sudo), the virtual environment is built from requirements.lock and rebuilt only when it changes.
# DATABASE_URL from the environment is honoured by every step (SQLite in var/ when unset).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements.lock.stamp
MANAGE := $(PY) manage.py
PYTHON_VERSION := $(shell cat .python-version 2>/dev/null || echo 3.13.0)
PYENV_ROOT ?= $(shell pyenv root 2>/dev/null || echo $$HOME/.pyenv)
# First one that runs and is >= 3.12 wins; `make PYTHON=/path/to/python` forces a choice.
PYTHON ?=
PYTHON_CANDIDATES := $(or $(PYTHON),$(PYENV_ROOT)/versions/$(PYTHON_VERSION)/bin/python python3.13 python3.12 python3)

# Debian packages the product needs at run time: CJK fonts (PDFs, screenshots), Chromium (browser tests),
# gettext (compilemessages), poppler-utils (PDF checks), and the Pango/HarfBuzz stack WeasyPrint loads.
DEB_PACKAGES := fonts-noto-cjk chromium gettext poppler-utils \
	libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1

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

.PHONY: help run test bench serve setup system-deps venv messages data demo lint typecheck format lock lock-upgrade clean \
	distclean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

run: setup ## set up and serve the demo on http://127.0.0.1:8000
	@echo
	@echo "申报评审平台 Shenbao is running: http://$(RUN_ADDR)/   (Ctrl-C stops it; demo log-ins above)"
	@echo
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-$(DEV_SETTINGS)} \
		SHENBAO_PUBLIC_URL=$${SHENBAO_PUBLIC_URL:-http://$(RUN_ADDR)} $(MANAGE) runserver $(RUN_ADDR)

test: setup ## set up, then ruff, mypy and the whole test suite (pytest -n 3, browser tests included)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest -p no:cacheprovider -n $(PYTEST_WORKERS) --ds=shenbao.settings.test $(PYTEST_ARGS)

bench: $(STAMP) messages ## benchmark: a dataset served by gunicorn (production profile) beside a bare Django page; results in var/bench/
	$(PY) -m bench --scale $(BENCH_SCALE) $(BENCH_ARGS)

serve: system-deps $(STAMP) messages ## production: check --deploy, migrate, collectstatic, gunicorn
	DJANGO_SETTINGS_MODULE=$(PROD_SETTINGS) $(MANAGE) check --deploy --fail-level WARNING
	DJANGO_SETTINGS_MODULE=$(PROD_SETTINGS) $(MANAGE) migrate --noinput
	DJANGO_SETTINGS_MODULE=$(PROD_SETTINGS) $(MANAGE) load_reference_data $(REFERENCE_DATA)
	for f in $(CALL_FILES); do DJANGO_SETTINGS_MODULE=$(PROD_SETTINGS) $(MANAGE) load_call "$$f"; done
	DJANGO_SETTINGS_MODULE=$(PROD_SETTINGS) $(MANAGE) collectstatic --noinput
	DJANGO_SETTINGS_MODULE=$(PROD_SETTINGS) $(VENV)/bin/gunicorn -c gunicorn.conf.py

setup: system-deps $(STAMP) messages data demo ## everything make run/test need, nothing served

system-deps: ## install the Debian packages above when any is missing
	@if ! command -v dpkg-query >/dev/null 2>&1; then \
		echo "warning: not a Debian system; make sure these are installed: $(DEB_PACKAGES)" >&2; exit 0; fi; \
	missing=""; \
	for p in $(DEB_PACKAGES); do \
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

venv: $(STAMP) ## create .venv and install requirements.lock (only when the lock changed)

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
$(STAMP): requirements.lock | $(PY)
	$(PY) -m pip install --quiet -r requirements.lock
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

lint: $(STAMP) ## ruff check and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The files and the strictness are in pyproject.toml ([tool.mypy]); the cache in .mypy_cache keeps a re-run fast.
typecheck: $(STAMP) ## mypy (django-stubs) on the typed modules: services, selectors, rules, workflow steps
	$(VENV)/bin/mypy

format: $(STAMP) ## apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

lock: | $(PY) ## regenerate requirements.lock from pyproject.toml (main + dev extra, hashed)
	@$(PY) -c 'import piptools' 2>/dev/null || $(PY) -m pip install --quiet pip-tools
	CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet --extra dev --generate-hashes --allow-unsafe \
		--strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_FLAGS) \
		--output-file requirements.lock pyproject.toml

lock-upgrade: ## like lock, but move unpinned transitive dependencies to their newest releases
	$(MAKE) lock LOCK_FLAGS=--upgrade

clean: ## remove caches, compiled catalogues, collected static files and test output
	find . -path ./$(VENV) -prune -o \( -name __pycache__ -o -name .pytest_cache -o -name .ruff_cache \
		-o -name .mypy_cache -o -name .hypothesis \) -type d -prune -exec rm -rf {} +
	find . -path ./$(VENV) -prune -o -name '*.mo' -type f -exec rm -f {} +
	rm -rf var/staticfiles test-results

distclean: clean ## clean, and also remove .venv and var/ (the SQLite database and uploaded files)
	rm -rf $(VENV) var
