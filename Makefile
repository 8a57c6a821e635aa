# Two commands for a newcomer: `make run` and `make test`. Both set everything up first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# XStatic-Bootstrap builds from source and needs setuptools' pkg_resources (gone in setuptools 81).
export PIP_BUILD_CONSTRAINT := $(CURDIR)/build-constraints.txt
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test integration e2e lint format messages check-messages bench bench-hub install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed-run: pyproject.toml build-constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml build-constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed-run

install: $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Convene is starting on http://127.0.0.1:8000 (Ctrl+C to stop)."
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# The unit suite: SQLite, tasks in-process, no services needed.
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -m "not integration and not e2e" -q

# Real PostgreSQL, Redis, Celery workers and an SMTP server (see README). .ci/run starts the services.
INTEGRATION_ENV := DATABASE_URL=$${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/convene} \
	REDIS_URL=$${TEST_REDIS_URL:-redis://127.0.0.1:6379/9}

integration: $(VENV)/.installed-test
	$(INTEGRATION_ENV) $(BIN)/python -m pytest -m integration -q -p no:cacheprovider

e2e: $(VENV)/.installed-test
	$(INTEGRATION_ENV) DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/python -m pytest -m e2e -q -p no:cacheprovider

# Speed targets: see bench/README.md.
bench: $(VENV)/.installed-run
	$(BIN)/python -m bench.outbox
	$(BIN)/python -m bench.submissions
	$(BIN)/python -m bench.assignment

# The hub at 100,000 publications: needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL; see bench/hub.py).
bench-hub: $(VENV)/.installed-run
	$(BIN)/python -m bench.hub

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Update the French and Spanish catalogues after changing strings (needs gettext), then compile them.
messages: $(VENV)/.installed-test
	$(BIN)/python manage.py makemessages -l fr -l es --no-obsolete --ignore='.venv/*' --ignore='tests/*' --ignore='bench/*'
	$(BIN)/python manage.py compilemessages --ignore='.venv/*'

# CI: a string added or changed without `make messages` (and its translation) fails here; where the
# strings sit in the code (the `#:` lines) may lag behind.
check-messages: $(VENV)/.installed-test
	$(BIN)/python manage.py makemessages -l fr -l es --no-obsolete --ignore='.venv/*' --ignore='tests/*' --ignore='bench/*'
	@git diff --exit-code -I '^"POT-Creation-Date: ' -I '^#: ' -- 'locale/*.po' \
		|| (echo "The catalogues are out of date: run 'make messages', translate, and commit." && exit 1)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
