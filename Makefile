# autossl-check: one place for the commands README.md names.
#   make serve   build the site (wheels, Pyodide, lock file) and serve it on http://127.0.0.1:8000
#   make test    every check CI runs: lint, types, checker tests, Pyodide-under-Node, site, browser
#   make bench   the speed benchmark (bench/README.md)

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
# pyodide-build needs Python >= 3.12; pyenv machines keep it outside the default shims.
PYTHON312 ?= $(shell command -v python3.12 >/dev/null 2>&1 && python3.12 -c 'import sys' 2>/dev/null && echo python3.12 || ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | head -n1)
HOST ?= 127.0.0.1
PORT ?= 8000
SITE_DIR ?= site

.PHONY: help venv node chromium interop lock site serve test lint typecheck pytest bench clean

help:
	@sed -n '2,5p' Makefile | sed 's/^# *//'

$(BIN)/.installed: requirements/dev.txt pyproject.toml
	@test -n "$(PYTHON312)" || { echo "error: Python 3.12 or newer is needed (set PYTHON312=/path/to/python3.12)" >&2; exit 2; }
	test -x $(BIN)/python || $(PYTHON312) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

venv: $(BIN)/.installed

node_modules/.package-lock.json: package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund

node: node_modules/.package-lock.json

# The browser tests drive Debian's Chromium; Playwright's own browser download is not reachable here.
/usr/bin/chromium:
	@command -v apt-get >/dev/null || { echo "error: install Chromium at /usr/bin/chromium" >&2; exit 2; }
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

chromium: /usr/bin/chromium

# The interop suite (tests/interop) runs real DNS software from Debian: installed only when missing.
INTEROP_PACKAGES := nsd unbound knot-resolver dnsdist tinyproxy dnsutils ldnsutils
interop:
	@missing=$$(for p in $(INTEROP_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  command -v apt-get >/dev/null || { echo "error: install $$missing" >&2; exit 2; }; \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# pip-tools lives in its own throw-away venv: it is how the lock is made, not part of it.
lock:
	test -x build/lock-venv/bin/pip-compile || { $(PYTHON312) -m venv build/lock-venv && \
	  build/lock-venv/bin/pip install --quiet pip-tools==7.6.2; }
	build/lock-venv/bin/pip-compile --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
	  --no-emit-find-links -o requirements/dev.txt requirements/dev.in

# A local build lets the checker reach a loopback DoH resolver (?resolver=http://127.0.0.1:PORT/...):
# the CSP gains http://127.0.0.1:*. Published versions are built by mike without it.
site: venv node
	AUTOSSL_CHECK_TEST_BUILD=1 PATH="$(CURDIR)/$(BIN):$$PATH" NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir $(SITE_DIR)

serve: site
	$(BIN)/python tools/serve.py --root $(SITE_DIR) --host $(HOST) --port $(PORT)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: venv
	$(BIN)/mypy

# Playwright's sync API keeps an event loop running in the main thread for the rest of the
# session, which breaks asyncio.run() in the checker's tests: the browser suite gets its own run.
TEST_ENV = PATH="$(CURDIR)/$(BIN):$$PATH" SITE_DIR="$(CURDIR)/$(SITE_DIR)"

# The page interop opens its own Chromium and closes it before tests/browser opens theirs.
PAGE_INTEROP := tests/interop/test_page_interop.py
pytest: venv node chromium interop site
	$(TEST_ENV) $(BIN)/pytest --ignore=tests/browser --ignore=$(PAGE_INTEROP)
	$(TEST_ENV) $(BIN)/pytest tests/browser
	$(TEST_ENV) $(BIN)/pytest $(PAGE_INTEROP)

test: lint typecheck pytest

bench: venv node chromium site
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python bench/run.py --site $(SITE_DIR)

clean:
	rm -rf $(SITE_DIR) build dist .pytest_cache .mypy_cache .ruff_cache
