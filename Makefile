# The two commands a newcomer needs: `make run` and `make test`. Both work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test lint audit format messages clean bench-http

$(INSTALLED): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

## run: set up, migrate, load the demo content pack, serve on :8000 with a Celery worker and beat.
run: export DEBUG ?= true
run: $(INSTALLED)
	mkdir -p var
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_content content-packs/demo
	$(BIN)/python manage.py load_simulations content-packs/demo
	exec ./bin/dev

## test: set up, lint, audit the dependencies, run the whole suite.
test: $(INSTALLED) lint audit
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run > /dev/null \
		|| { echo "Models changed without a migration: run manage.py makemigrations."; exit 1; }

## audit: fail on installed dependencies with known vulnerabilities (pip-audit; see bin/audit).
audit: $(INSTALLED)
	./bin/audit

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## messages: refresh and compile the translation catalogues (needs GNU gettext).
messages: $(INSTALLED)
	DEBUG=true $(BIN)/python manage.py makemessages --locale zh_Hant --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'content-packs/*' --no-obsolete --no-location
	DEBUG=true $(BIN)/python manage.py compilemessages --locale zh_Hant --ignore '.venv/*'

## bench-http: the learner path under load on the production server setup, beside baselines
## (needs wrk, PostgreSQL and Redis; BENCH_ARGS="--steady" adds 300 answers/s for 5 minutes).
bench-http: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bench_http
bench-http: export REDIS_URL ?= redis://127.0.0.1:6379/0
bench-http: export CELERY_BROKER_URL ?= redis://127.0.0.1:6379/1
bench-http: $(INSTALLED)
	@command -v wrk > /dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }
	$(BIN)/python tests/bench/bench_http.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var
