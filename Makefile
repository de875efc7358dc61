# Hamstring Coach — the project's commands. `make help` lists them.
# Everything installs into ./.venv; nothing needs root, a system Redis or a global install.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev
# Amazon's SMAPI schemas (see its rule below). Defined up here: a rule's prerequisites expand when make reads it.
SMAPI_SPEC := var/smapi/spec.json
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# The interpreter that builds the venv: PYTHON=... if given, else python3.11, else a
# python3 that is at least 3.11. (Run, not just looked up: a pyenv shim may exist
# for a version that is not installed.)
PYTHON ?=
PYTEST_ARGS ?=
ARGS ?=

.PHONY: help .venv dev-venv run test lint clean chat browser nginx

help: ## list the targets
	@grep -E '^[a-zA-Z_.-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'
	@echo "  (PORT=8000 for run, PYTEST_ARGS=... for test, ARGS=\"--user NAME\" for chat)"

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

# make run serves webhook.local (the app plus the browser simulator, and a secret pepper kept in
# var/user-id-pepper); production serves webhook:create_app(), which cannot mount the simulator.
# Workers share /metrics through files here (prometheus_client multiprocess mode; gunicorn wipes it at start).
run: export PROMETHEUS_MULTIPROC_DIR ?= $(CURDIR)/var/metrics
run: $(RUNTIME_STAMP) ## try it locally: the webhook + /simulator on 127.0.0.1:$PORT (default 8000), its own Redis in var/redis
	mkdir -p "$$PROMETHEUS_MULTIPROC_DIR"
	$(PY) -m local_redis --dir var/redis -- \
	  $(VENV)/bin/gunicorn --config deploy/gunicorn.conf.py 'webhook.local:create_app()'

# ruff and the layer rules first: a lint failure is cheaper to read than a test run. The tests
# start their own redis-server (tests/conftest.py; one per pytest-xdist worker), so nothing is started
# here. TEST_WORKERS=1 runs them in one process.
TEST_WORKERS ?= auto
test: $(DEV_STAMP) browser nginx $(SMAPI_SPEC) ## ruff, the layer rules (import-linter), then pytest (PYTEST_ARGS="-k name" passes through)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: $(DEV_STAMP) ## ruff check and the layer rules
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

clean: ## remove .venv, var/ (local Redis data too), test artifacts and caches
	rm -rf $(VENV) var test-artifacts .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

# ---------------------------------------------------------------- reserved for others

# The real skill in-process on make run's Redis (var/redis; started here if make run is not up).
# Standard input passes through, so a conversation can be scripted:
#   printf 'start my hamstring workout\nready\n' | make chat
chat: $(RUNTIME_STAMP) ## talk to the skill from the terminal (ARGS="--user NAME", "--url URL", "--speak")
	@$(PY) -m simulator.chat $(ARGS)

# Amazon's schemas for interaction models and the skill manifest (tests/test_schemas.py): the npm package
# ask-smapi-model ships them as spec.json (Swagger 2.0). Fetched from the npm registry into var/ and
# checked against its published sha512 (tools/fetch_smapi_spec.py): no npm needed.
$(SMAPI_SPEC): | $(PY)
	$(PY) -m tools.fetch_smapi_spec $@

# The browser test drives Debian's chromium (tests/test_simulator_page.py). Installed only
# when missing and we are root (CI is); otherwise that one test skips and says why.
browser: ## Debian's chromium for the browser test (apt-get, only as root)
	@if command -v chromium >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium) \
	    || echo "note: could not install chromium: the browser test will skip"; \
	else echo "note: chromium is not installed and this is not root: the browser test will skip"; fi

# The slowloris test runs the shipped nginx site (tests/test_slowloris.py) with Debian's nginx. Installed only
# when missing and we are root (CI is); otherwise that test skips and says why.
nginx: ## Debian's nginx for the slowloris test (apt-get, only as root)
	@if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx) \
	    || echo "note: could not install nginx: the slowloris test will skip"; \
	else echo "note: nginx is not installed and this is not root: the slowloris test will skip"; fi

# The real stack (gunicorn with deploy/gunicorn.conf.py + its own Redis, as make run) against three
# floors at rising concurrency: bench/author_floor.py (an empty ask-sdk skill with its own plain view,
# DefaultSerializer in and out, sync workers: the fixed yardstick), bench/floor.py (an empty skill
# behind our view) and bench/saving_floor.py (the author floor plus one durable Redis write a turn),
# plus the cost of signature verification. Prints a table (bench/run.py); about two minutes; scratch
# in var/bench. ARGS="--fsync everysec" runs its Redis with one fsync a second.
.PHONY: bench
bench: $(DEV_STAMP) ## benchmark: turns/s, latency, Redis round trips per turn, against three floors (ARGS="--levels 1,8")
	$(PY) -m bench.run $(ARGS)

# The real app on gunicorn sync workers against gthread, each behind the shipped nginx, at rising
# concurrency, then with Redis hung for 3 s (bench/workers.py): the numbers behind the worker class
# in deploy/gunicorn.conf.py. Needs nginx (apt-get install nginx); about two minutes.
.PHONY: bench-workers
bench-workers: $(DEV_STAMP) ## sync vs gthread workers behind nginx: turns/s, p99, and a Redis hang
	$(PY) -m bench.workers $(ARGS)

# CPU instructions per turn, in-process, under valgrind's callgrind (bench/instructions.py): repeatable
# on a busy machine where wall times are not. Needs valgrind (apt-get install valgrind); about a minute.
.PHONY: instructions
instructions: $(DEV_STAMP) ## callgrind instructions per turn: a ready turn, the 8-turn mix, both floors
	$(PY) -m bench.instructions $(ARGS)

# skill-package/ and ask-resources.json for `ask deploy` (deploy/README.md). SKILL_ENDPOINT_URL
# (https://your.host/alexa) is required; SKILL_CERT_TYPE=SelfSigned for a development skill.
.PHONY: skill-package
skill-package: $(RUNTIME_STAMP) ## write skill-package/ for `ask deploy` (needs SKILL_ENDPOINT_URL)
	$(PY) -m tools.skill_package

# docs/sample-workout.md: a full sample workout as the runner hears it (pauses as [10 s]), from the
# pure workout with a fixed clock; tests/test_transcript.py fails when the committed file is stale.
.PHONY: transcript
transcript: $(RUNTIME_STAMP) ## regenerate docs/sample-workout.md, docs/transcripts/ and docs/sample-workouts/<locale>.md
	$(PY) -m tools.transcript
