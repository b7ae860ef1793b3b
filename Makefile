# fbss_eval — every target sets up what it needs itself.
#   make run    start the app on http://127.0.0.1:$(PORT) with the embedded SQLite database
#   make test   run the whole suite on SQLite and PostgreSQL (TEST_DATABASE_URL= for SQLite alone)
#   make bench  performance figures against the targets in design.md section 6
#   make lint   ruff, mypy (strict for fbss_eval.checklist and .reports) and bandit
#   make mutation  mutmut over the checklist's instruments and rules (tests/MUTATION.md; ~25 min)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
# Two workers on the two cores; each has its own databases (tests/conftest.py).
PYTEST_ARGS ?= -n 2
STAMP := $(VENV)/.installed
export FLASK_APP := fbss_eval
# The tests run on PostgreSQL too; the local cluster is started and the database made when missing.
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/fbss_test
export TEST_DATABASE_URL

.PHONY: run test bench lint mutation clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall when the package metadata or the pinned versions change.
$(STAMP): setup.cfg requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -c requirements.lock -e '.[test,dev]'
	touch $(STAMP)

run: $(STAMP)
	scripts/system-deps.sh run
	$(BIN)/flask db upgrade
	$(BIN)/flask ensure-admin
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

test: $(STAMP)
	scripts/system-deps.sh test
	if [ -n "$(TEST_DATABASE_URL)" ]; then scripts/postgres-up.sh "$(TEST_DATABASE_URL)"; fi
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check fbss_eval config.py tests benchmarks
	$(BIN)/mypy fbss_eval
	$(BIN)/bandit -q -r fbss_eval config.py -c bandit.yaml

# One process: the machine's cores are shared. Configuration in setup.cfg [mutmut].
mutation: $(STAMP)
	$(BIN)/pip install --quiet -e '.[mutation]'
	$(BIN)/mutmut run --max-children 1
	$(BIN)/mutmut results

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache mutants
