# Two commands on a fresh machine with Python 3.11+, make and Node.js/npm:
#   make run    set up, migrate, load demo data and serve at http://127.0.0.1:8000
#   make test   set up and run ruff and the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
ASSETS := static/build/app.css static/build/govuk-frontend.min.js
GOVUK_DIST := node_modules/govuk-frontend/dist/govuk
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format install assets bench clean deploy-check lock

$(INSTALLED): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed") if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

static/build/app.css: frontend/app.scss node_modules/.installed
	mkdir -p static/build
	node_modules/.bin/sass --no-source-map --style=compressed --load-path=node_modules frontend/app.scss $@

static/build/govuk-frontend.min.js: node_modules/.installed
	mkdir -p static/build
	cp $(GOVUK_DIST)/govuk-frontend.min.js $(GOVUK_DIST)/govuk-frontend.min.js.map static/build/

install: $(INSTALLED)

assets: $(ASSETS)

run: $(INSTALLED) $(ASSETS)
	./scripts/run-dev

test: $(INSTALLED) $(ASSETS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -r config core inspections plans actions -x '*/migrations/*' --severity-level high
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(INSTALLED) $(ASSETS)
	./scripts/run-bench

# Re-pin every installed package after changing pyproject.toml.
lock: $(INSTALLED)
	$(BIN)/python -m pip freeze --exclude-editable --exclude closing-the-loop > constraints.txt

clean:
	rm -rf $(VENV) node_modules static/build var .pytest_cache .ruff_cache
