# The daily loop. The README's two front-door commands are `make run` and `make test`.

PYTHON ?= $(shell for p in python3.13 python3 python; do command -v $$p >/dev/null 2>&1 && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test check audit bench lint format screenshots setup setup-dev clean

## run: install, migrate, load the default ladder and demo team (on an empty database), serve
run: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_default_ladder
	$(BIN)/python manage.py seed_demo --if-empty
	@echo "Careerladder runs on http://$(HOST):$(PORT)/ (demo accounts above, or in the README)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## test: install the test tools and run the whole suite (browser tests need Debian's chromium)
test: setup-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## check: lint, formatting, types, security lint and migrations that match the models
check: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/bandit -c pyproject.toml -r . --severity-level high --quiet
	$(BIN)/python manage.py makemigrations --check --dry-run

## audit: known vulnerabilities in the pinned requirements (pip-audit, in a venv of its own)
audit: | $(BIN)/python
	bin/audit-requirements

## bench: load benchmark on PostgreSQL and gunicorn at 1,000 engineers; writes docs/performance.md
bench: setup
	bin/loadbench

## screenshots: refresh docs/screenshots/ (the README's) from the journeys, at 1280 and 375 px
screenshots: setup-dev
	REQUIRE_BROWSER=1 SCREENSHOTS_DIR=docs/screenshots $(BIN)/python -m pytest -q tests/browser/test_*_journey.py

## format: let ruff fix what it can
format: setup-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

setup: $(VENV)/.installed
setup-dev: $(VENV)/.installed-dev

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Careerladder needs Python 3.12 or newer (3.13 recommended); set PYTHON=/path/to/python3.13")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $(VENV)/.installed $@

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mypy_cache
