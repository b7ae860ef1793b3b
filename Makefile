# fbss_eval — every target sets up what it needs itself.
#   make run    start the app on http://127.0.0.1:$(PORT) with the embedded SQLite database
#   make test   run the whole suite (SQLite; PostgreSQL too when TEST_DATABASE_URL is set)
#   make bench  performance figures against the targets in design.md section 6
#   make lint   ruff and bandit
#   make mutation  mutmut over the checklist's instruments and rules (tests/MUTATION.md; ~20 min)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
# Two workers on the two cores; each has its own databases (tests/conftest.py).
PYTEST_ARGS ?= -n 2
STAMP := $(VENV)/.installed
export FLASK_APP := fbss_eval

.PHONY: run test bench lint mutation clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall when the package metadata or the pinned versions change.
$(STAMP): setup.cfg requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -c requirements.lock -e '.[test,dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/flask db upgrade
	$(BIN)/flask ensure-admin
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check fbss_eval config.py tests benchmarks
	$(BIN)/bandit -q -r fbss_eval config.py -c bandit.yaml

# One process: the machine's cores are shared. Configuration in setup.cfg [mutmut].
mutation: $(STAMP)
	$(BIN)/pip install --quiet -e '.[mutation]'
	$(BIN)/mutmut run --max-children 1
	$(BIN)/mutmut results

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache mutants
