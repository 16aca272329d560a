# Everything a newcomer needs: `make run` to see the site, `make test` to check it.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
MANAGE := $(BIN)/python manage.py
PYTEST_ARGS ?=
BACKUP_DIR ?= var/backups

.PHONY: help install install-dev install-quality messages makemessages migrate content setup run test lint format bench loadtest screenshots quality backup restore clean

help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[1m%-15s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# Three layers, each with a stamp so a second run installs nothing: what serving the
# site needs; the dev extras (pytest, ruff, djLint, Playwright…) and axe-core for the
# tests; Lighthouse (and puppeteer-core) for `make quality`, in a package folder of
# its own (scripts/lighthouse/) so that the tests never fetch it.
# uv (pinned in constraints.txt, from PyPI through pip) installs the pinned packages:
# it fetches them side by side where pip takes one after the other (a fresh .venv with
# the dev extras in about 30 s instead of 75 s). The packages are compiled to bytecode
# as they are installed: Python reads it even where PYTHONDONTWRITEBYTECODE forbids
# writing it, and every process (a test worker, an import's parsing process, a
# command) starts faster: `manage.py check` in 2.0 s of CPU instead of 3.9 s.
UV := $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -c constraints.txt

$(VENV)/.installed: pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt uv
	$(UV) -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(UV) -e ".[dev]"
	@touch $@

# axe-core for the browser tests, from package-lock.json.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: browser accessibility checks need Node.js and npm"; fi

LIGHTHOUSE := scripts/lighthouse
$(LIGHTHOUSE)/node_modules/.installed: $(LIGHTHOUSE)/package.json $(LIGHTHOUSE)/package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: Lighthouse needs Node.js and npm"; exit 1; }
	npm ci --prefix $(LIGHTHOUSE) --no-audit --no-fund --loglevel=error
	@touch $@

install: $(VENV)/.installed ## Create .venv with what serving the site needs (no dev tools, no npm)

install-dev: $(VENV)/.installed-dev node_modules/.installed ## Add the test and lint tools to .venv, and axe-core to node_modules

install-quality: install-dev $(LIGHTHOUSE)/node_modules/.installed

messages: install ## Compile the gettext catalogues (locale/*/LC_MESSAGES/django.mo)
	@command -v msgfmt >/dev/null || { echo "msgfmt not found: install GNU gettext (apt-get install gettext)"; exit 1; }
	@$(MANAGE) compilemessages --locale ar --ignore '.venv/*' -v 0

makemessages: install ## Refresh locale/ar/LC_MESSAGES/django.po from the templates and code
	$(MANAGE) makemessages --locale ar --no-obsolete --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'node_modules/*'

migrate: install
	@mkdir -p var
	$(MANAGE) migrate --noinput

content: migrate ## Load the structured fixtures in fixtures/content/ into the site
	$(MANAGE) load_content
	$(MANAGE) update_search_documents

setup: messages content

# DEBUG_TOOLBAR=1 needs django-debug-toolbar, one of the dev extras.
run: $(if $(filter 1 true yes on,$(DEBUG_TOOLBAR)),install-dev) setup ## Set up everything and serve the site on $(HOST):$(PORT)
	@$(MANAGE) ensure_dev_superuser
	@echo
	@echo "  Site:   http://$(HOST):$(PORT)/en/  and  http://$(HOST):$(PORT)/ar/"
	@echo "  Admin:  http://$(HOST):$(PORT)/admin/  (sign in as the development superuser above)"
	@echo
	$(MANAGE) runserver $(HOST):$(PORT)

test: install-dev messages ## Set up and run the whole test suite (DATABASE_URL picks the database)
	@mkdir -p var
	$(BIN)/python -m pytest $(PYTEST_ARGS)

screenshots: install-dev messages ## Screenshots of every page type in both languages into docs/screenshots/
	@mkdir -p var docs/screenshots
	SCREENSHOTS_DIR=docs/screenshots $(BIN)/python -m pytest "tests/browser/test_pages.py::test_every_page_type_has_the_right_direction_and_no_axe_violations" -q -n 0

# The import takes the most time: `timeout` allows 20 minutes for the rest plus a fifth of
# a second per story (5 pages/s), and ends the script, both gunicorns and wrk (one process
# group). The import commits batch by batch, so a run cut short resumes where it stopped.
BENCH_STORIES ?= 50000
bench: install-dev messages ## The served stack at archive scale: import, then wrk per page type, cached and uncached (docs/benchmarks.md)
	@command -v wrk >/dev/null || { echo "wrk not found: install it with apt-get install wrk"; exit 1; }
	@mkdir -p var
	BENCH_STORIES=$(BENCH_STORIES) timeout --kill-after=30 $$(( 1200 + $(BENCH_STORIES) / 5 )) $(BIN)/python benchmarks/bench.py

loadtest: bench ## The same as `make bench` (its wrk runs took over the load test)

quality: install-quality content ## Lighthouse and the Nu HTML checker on key pages (docs/quality.md)
	$(BIN)/python scripts/quality.py

backup: install ## Back up the database and media into one archive in BACKUP_DIR (var/backups)
	$(MANAGE) backup --dir "$(BACKUP_DIR)"

restore: install ## Restore BACKUP=<archive> into the empty DATABASE_URL database (FORCE=1: not empty)
	@test -n "$(BACKUP)" || { echo "Name the archive: make restore BACKUP=$(BACKUP_DIR)/mediation-<time>.tar"; exit 2; }
	$(MANAGE) restore "$(BACKUP)" $(if $(filter 1 yes true,$(FORCE)),--force)

lint: install-dev ## ruff (check, format) and djLint (format, lint) on the templates
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates apps --check
	$(BIN)/djlint templates apps --lint

format: install-dev ## Format the code with ruff and the templates with djLint
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	@# djLint exits 1 when it has changed a file: the check after it tells a real failure.
	$(BIN)/djlint templates apps --reformat --quiet || $(BIN)/djlint templates apps --check --quiet

clean: ## Remove the virtual environment, the local database and compiled files
	rm -rf $(VENV) var
	find . -name '__pycache__' -prune -exec rm -rf {} +
