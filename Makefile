# The two commands of the README: `make run` and `make test`.
# Every step is idempotent: a stamp file or the tool's own check skips work
# already done, so a second `make run` starts in seconds.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Unset in production; the demo settings are for a developer's machine.
export DJANGO_SETTINGS_MODULE ?= fedportal.settings.local

.PHONY: run test setup python assets chromium migrate demo lint scale bench worker clean-db

# Links in emails (reminders, decisions, password resets) point where this
# server listens, unless FEDPORTAL_BASE_URL says otherwise.
run: export FEDPORTAL_BASE_URL ?= http://$(HOST):$(PORT)
run: setup migrate demo
	@$(PY) -m fedportal.database --describe
	@echo "Serving $(FEDPORTAL_BASE_URL) (links in emails point there)"
	@# The background worker (board packs) runs beside the web server and stops with it.
	$(PY) manage.py db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver $(HOST):$(PORT)

# The worker alone (production runs it as its own service, beside gunicorn).
worker: python
	$(PY) manage.py db_worker

test: setup chromium
	$(PY) -m fedportal.database --describe
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports
	DJANGO_SETTINGS_MODULE=fedportal.settings.test $(PY) -m pytest $(PYTEST_ARGS)

setup: python assets

python: $(VENV)/.installed

$(VENV)/.installed: requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock
	touch $@

# nhsuk-frontend is built from its Sass so that no font or icon is fetched from
# an NHS server at run time (DESIGN.md, Pages).
assets: static/dist/.built

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/dist/.built: node_modules/.package-lock.json static/scss/fedportal.scss
	mkdir -p static/dist/nhsuk
	npm run --silent build:css
	cp -R node_modules/nhsuk-frontend/dist/nhsuk/assets static/dist/nhsuk/
	cp node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.js static/dist/nhsuk/nhsuk-frontend.min.js 2>/dev/null \
	  || cp node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend-*.min.js static/dist/nhsuk/nhsuk-frontend.min.js
	touch $@

# Browser tests drive Debian's Chromium; Playwright never downloads a browser.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

migrate: python
	$(PY) manage.py migrate --noinput

demo: python
	$(PY) manage.py load_demo

lint: python
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# The large synthetic federation lives in its own database (fedportal_scale).
scale: setup
	DJANGO_SETTINGS_MODULE=fedportal.settings.scale $(PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=fedportal.settings.scale $(PY) manage.py seed_scale $(SCALE_ARGS)

# LibreOffice is installed here only: bench times it beside the portal's own
# renderer; the portal itself never needs it.
bench: setup
	@command -v soffice >/dev/null 2>&1 || { \
	  echo "Installing Debian's libreoffice-writer-nogui for the bench's comparison"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libreoffice-writer-nogui >/dev/null; }
	DJANGO_SETTINGS_MODULE=fedportal.settings.scale $(PY) manage.py bench $(BENCH_ARGS)
