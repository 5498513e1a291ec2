VENV ?= .venv
PY := $(VENV)/bin/python
DEMO_DB := var/demo.sqlite3

.PHONY: demo test lint format messages lock

# The packages come from the lock (pinned, with hashes); the project itself is installed
# on its own, editable, without resolving anything again.
$(VENV)/.installed: requirements-dev.txt pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

# The locks, at the same versions: requirements-dev.txt (with the dev and demo extras) for
# `make` and CI, requirements.txt for production (docs/deploy.md). Run after changing the
# dependencies in pyproject.toml; `make lock LOCK_ARGS="--upgrade-package django"` updates one.
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet \
	--generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links

lock: $(VENV)/.installed
	$(PIP_COMPILE) --extra dev --extra demo $(LOCK_ARGS) -o requirements-dev.txt pyproject.toml
	$(PIP_COMPILE) -c requirements-dev.txt -o requirements.txt pyproject.toml

demo: $(VENV)/.installed
	mkdir -p var
	rm -f $(DEMO_DB)
	DEBUG=1 DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB) $(PY) manage.py migrate --verbosity 0
	DEBUG=1 DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB) $(PY) manage.py seed_demo --scale demo --seed 1
	@echo "Serving on http://127.0.0.1:8000 (Ctrl+C to stop)"
	DEBUG=1 DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB) $(PY) manage.py runserver 127.0.0.1:8000

test: $(VENV)/.installed
	$(PY) -m pytest -n 2 --dist loadgroup

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py makemessages --locale vi --ignore '.venv/*' --no-obsolete
	DEBUG=1 $(PY) manage.py compilemessages --locale vi --ignore '.venv/*'
