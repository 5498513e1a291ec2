VENV ?= .venv
PY := $(VENV)/bin/python
DEMO_DB := var/demo.sqlite3

.PHONY: demo test lint format messages

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev,demo]"
	touch $@

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
