# Hamstring Coach — the project's commands. `make help` lists them.
# Everything installs into ./.venv; nothing needs root, a system Redis or a global install.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# The interpreter that builds the venv: PYTHON=... if given, else python3.11, else a
# python3 that is at least 3.11. (Run, not just looked up: a pyenv shim may exist
# for a version that is not installed.)
PYTHON ?=
PYTEST_ARGS ?=

.PHONY: help .venv dev-venv run test lint clean

help: ## list the targets
	@grep -E '^[a-zA-Z_.-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'
	@echo "  (PORT=8000 for run, PYTEST_ARGS=... for test)"

# ---------------------------------------------------------------- virtualenv

.venv: $(RUNTIME_STAMP) ## create .venv with the runtime deps (reinstalls when requirements change)

dev-venv: $(DEV_STAMP) ## .venv plus the test, lint and bench deps

$(PY):
	@set -e; \
	for candidate in $(or $(PYTHON),python3.11 python3); do \
	  if $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then \
	    echo "creating $(VENV) with $$candidate"; \
	    $$candidate -m venv $(VENV); \
	    $(PY) -m pip install --quiet --upgrade pip; \
	    exit 0; \
	  fi; \
	done; \
	echo "error: need Python >= 3.11 (tried: $(or $(PYTHON),python3.11 python3)); set PYTHON=/path/to/python3.11" >&2; \
	exit 1

$(RUNTIME_STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --progress-bar off -r requirements.txt
	touch $@

$(DEV_STAMP): requirements-dev.txt requirements.txt | $(PY)
	$(PY) -m pip install --progress-bar off -r requirements-dev.txt
	touch $@ $(RUNTIME_STAMP)

# ---------------------------------------------------------------- run, test, lint

# Local runs talk to the simulator unless the environment says otherwise.
run: export SIMULATOR ?= true
run: $(RUNTIME_STAMP) ## the webhook on 127.0.0.1:$PORT (default 8000) with its own Redis in var/redis
	$(PY) -m tools.redis_server --dir var/redis -- \
	  $(VENV)/bin/gunicorn --config deploy/gunicorn.conf.py 'webhook:create_app()'

# ruff first: a lint failure is cheaper to read than a test run. The tests start their
# own redis-server (tests/conftest.py), so nothing is started here.
test: $(DEV_STAMP) ## ruff, then pytest (PYTEST_ARGS="-k name" passes through)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(DEV_STAMP) ## ruff check
	$(VENV)/bin/ruff check .

clean: ## remove .venv, var/ (local Redis data too), test artifacts and caches
	rm -rf $(VENV) var test-artifacts .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

# ---------------------------------------------------------------- reserved for others
# chat:          talk to the skill from the terminal            (not yet)
# bench:         latency benchmark against a local webhook      (not yet)
# skill-package: build skill-package/ for the ASK CLI           (not yet)
# transcript:    record a scripted conversation                 (not yet)
