# One command per verb; `make help` lists them. `make test` is exactly what CI runs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := build/.stamps

export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help setup policy wheel test test-python site serve serve-static linkcheck bench clean

help: ## list the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP)/venv: requirements/dev.txt
	@mkdir -p $(STAMP)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	@touch $@

setup: $(STAMP)/venv policy ## install pinned tools into .venv and compile the policy

policy: $(STAMP)/venv ## validate policy/ and compile it into the package and build/data
	$(PY) -m scripts.compile_policy

wheel: policy ## build the calculators wheel (with its compiled policy) into build/wheels
	rm -rf build/wheels && mkdir -p build/wheels
	$(PY) -m pip wheel --quiet --disable-pip-version-check --no-deps -w build/wheels .
	$(PY) -m pip download --quiet --disable-pip-version-check --no-deps -d build/wheels chinesecalendar==1.11.0

site: setup ## build the site into site/ (compiles the policy and its pages first)
	$(PY) -m mkdocs build --strict

serve: setup ## build and serve at http://127.0.0.1:8000 with live reload and the site's CSP
	$(PY) -m scripts.serve --port 8000

serve-static: ## serve the built site/ as it is, with the CSP, at http://127.0.0.1:8000
	$(PY) -m scripts.serve --static --port 8000

test-python: setup ## the calculators' and the policy's tests in CPython
	$(PY) -m pytest

test: setup ## every check: what CI runs
	$(PY) -m mkdocs build --strict
	$(PY) -m pytest

linkcheck: setup ## fetch the policy's source pages (needs a network; not part of make test)
	$(PY) -m scripts.linkcheck

clean: ## remove everything the build made
	rm -rf build site dist calculators/policy.json .pytest_cache .hypothesis
