# fbss_eval — every target sets up what it needs itself.
#   make run    start the app on http://127.0.0.1:$(PORT) with the embedded SQLite database
#   make test   run the whole suite on SQLite and PostgreSQL (TEST_DATABASE_URL= for SQLite alone)
#   make bench  performance figures against the targets in design.md section 6
#   make lint   ruff, mypy (strict for fbss_eval.checklist and .reports) and bandit
#   make mutation  mutmut over the checklist's instruments and rules (tests/MUTATION.md; ~25 min)
#   make mutation-sample  a sampled mutation run over services/ and reports/ (scripts/mutation_sample.py)
#   make fuzz   the property-based fuzz with many examples (FUZZ_EXAMPLES per test, SQLite and,
#               with TEST_DATABASE_URL, PostgreSQL); make test runs it with a few

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

# make fuzz: examples per fuzz test (tests/web/test_fuzz.py: every route, every form) and per
# section (tests/web/test_visits_property.py); the defaults give over 20,000 examples on SQLite
# (each test prints how many it ran). The GET fuzz runs beside the others, in a second process.
FUZZ_EXAMPLES ?= 10000
PROPERTY_EXAMPLES ?= 15
FUZZ_PYTEST = $(BIN)/python -m pytest -p no:cacheprovider -n 0 -q -rP --hypothesis-show-statistics

.PHONY: run test bench lint mutation mutation-sample clean fuzz

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

# LHC-Forms for the FHIR browser test (tests/browser/test_lforms_round_trip.py): the lforms npm
# package at the version pinned in package-lock.json, installed into a gitignored node_modules.
LFORMS = tests/browser/lforms
$(LFORMS)/node_modules/.package-lock.json: $(LFORMS)/package.json $(LFORMS)/package-lock.json
	cd $(LFORMS) && npm ci --no-audit --no-fund
# axe-core for the accessibility checks of every page (tests/browser/test_screens.py), the same way.
AXE = tests/browser/js
$(AXE)/node_modules/.package-lock.json: $(AXE)/package.json $(AXE)/package-lock.json
	cd $(AXE) && npm ci --no-audit --no-fund

test: $(STAMP)
	scripts/system-deps.sh test
	$(MAKE) $(LFORMS)/node_modules/.package-lock.json $(AXE)/node_modules/.package-lock.json
	if [ -n "$(TEST_DATABASE_URL)" ]; then scripts/postgres-up.sh "$(TEST_DATABASE_URL)"; fi
	$(BIN)/python -m pytest $(PYTEST_ARGS)

fuzz: $(STAMP)
	export FBSS_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FBSS_PROPERTY_EXAMPLES=$(PROPERTY_EXAMPLES); \
	$(FUZZ_PYTEST) "tests/web/test_fuzz.py::test_any_query_on_any_page_never_fails" & get=$$!; \
	$(FUZZ_PYTEST) tests/web/test_fuzz.py -k "not test_any_query" tests/web/test_visits_property.py; post=$$?; \
	wait $$get; get=$$?; test $$get -eq 0 -a $$post -eq 0

bench: $(STAMP)
	scripts/system-deps.sh bench
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check fbss_eval config.py tests benchmarks migrations
	$(BIN)/mypy fbss_eval
	$(BIN)/bandit -q -r fbss_eval config.py -c bandit.yaml

# One process: the machine's cores are shared. Configuration in setup.cfg [mutmut].
mutation: $(STAMP)
	$(BIN)/pip install --quiet -e '.[mutation]'
	$(BIN)/mutmut run --max-children 1
	$(BIN)/mutmut results

mutation-sample: $(STAMP)
	nice -n 15 $(BIN)/python scripts/mutation_sample.py
	$(BIN)/python scripts/mutation_sample.py --summary

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache mutants
