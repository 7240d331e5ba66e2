# One command per verb; `make help` lists them. `make test` is exactly what CI runs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := build/.stamps

export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help setup chromium hosts policy wheel lint check diff test test-python test-pyodide site serve serve-static linkcheck sourcecheck bench clean

help: ## list the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP)/venv: requirements/dev.txt
	@mkdir -p $(STAMP)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
	@touch $@

$(STAMP)/npm: package.json package-lock.json
	@mkdir -p $(STAMP)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# checked on every run (a quick test when present): a Chromium removed since is installed again,
# instead of failing the browser tests (Playwright itself comes with the pinned .venv)
chromium:
	@scripts/dev/install-chromium.sh

setup: $(STAMP)/venv $(STAMP)/npm policy ## install pinned tools (.venv, node_modules) and compile the policy

policy: $(STAMP)/venv ## validate policy/ and compile it into the package and build/data
	$(PY) -m scripts.policy.compile_policy

wheel: policy ## build the calculators wheel (with its compiled policy) and chinesecalendar into build/wheels
	$(PY) -m scripts.assets.wheels

site: setup ## build the site into site/ (compiles the policy and its pages first)
	$(PY) -m scripts.site_build

PORT ?= 8000

serve: $(STAMP)/venv $(STAMP)/npm ## preview at http://127.0.0.1:8000 (PORT=8001 for another): rebuilds on save, shows build problems in the page
	$(PY) -m scripts.dev.serve --port $(PORT)

serve-static: ## serve the built site/ as it is, with the CSP, at http://127.0.0.1:8000 (PORT=8001 for another)
	$(PY) -m scripts.dev.serve --static --port $(PORT)

test-python: setup ## the calculators' and the policy's tests in CPython
	$(PY) -m pytest

test-pyodide: setup ## the calculators' test suite inside Pyodide (Node)
	$(PY) -m scripts.dev.pyodide_tests

lint: setup ## ruff over the Python code, ESLint (pinned in package.json) over the JavaScript, actionlint over the workflows
	$(PY) -m ruff check calculators scripts tests hooks
	$(VENV)/bin/actionlint .github/workflows/*.yml
	npx --no-install eslint eslint.config.mjs docs/assets/js bench/*.mjs scripts/*/*.mjs tests/pyodide/*.mjs

check: setup ## the docs team's lane: policy and version guard, strict build, figures and words, the diff (FROM=<git ref>)
	$(PY) -m scripts.dev.check $(if $(FROM),--from $(FROM))

diff: policy ## what changed in the policy since the last release (or FROM=<git ref>), both languages
	$(PY) -m scripts.policy.policy_diff $(if $(FROM),--from $(FROM))



# the real hosts the browser tests serve the site with (Debian's nginx, its brotli_static module, Caddy)
hosts:
	@scripts/dev/install-hosts.sh

test: setup chromium hosts lint check ## every check: what CI runs (lint, site build, Pyodide, CPython and browser tests)
	$(PY) -m scripts.site_build -d build/test-site
	$(PY) -m scripts.dev.pyodide_tests
	$(PY) -m pytest

linkcheck: setup ## fetch the policy's source pages (needs a network; not part of make test)
	$(PY) -m scripts.policy.linkcheck

sourcecheck: $(STAMP)/venv ## fetch each source page, report every quote no longer on it (needs a network; not in make test)
	$(PY) -m scripts.policy.sourcecheck

bench: setup chromium hosts ## measure through nginx: first answers, bytes per phase, a slow link, fees, build (after make site; BENCH_RUNS=1 for a short run)
	$(PY) -m scripts.dev.bench

clean: ## remove everything the build made
	rm -rf build site dist calculators/policy.json calculators/site.json .pytest_cache .hypothesis
