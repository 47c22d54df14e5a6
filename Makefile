# Relais — the two commands of the README are `make run` and `make test`.

CARGO ?= cargo
VENV  := target/venv

.PHONY: run test test-sqlite test-postgres openapi check-openapi lint build bench

## Build and run the whole product on an embedded SQLite database with demo data.
run:
	$(CARGO) build --release -p relais-api
	DATABASE_URL=$${DATABASE_URL:-sqlite://relais-demo.db} ./target/release/relais serve --demo

build:
	$(CARGO) build --workspace --all-targets

## Every test, on SQLite and on PostgreSQL (a throwaway cluster unless RELAIS_TEST_POSTGRES_URL is set).
test: lint check-openapi
	tests/with-postgres.sh $(MAKE) --no-print-directory test-sqlite test-postgres

test-sqlite:
	@echo "== tests on SQLite =="
	RELAIS_TEST_BACKEND=sqlite $(CARGO) test --workspace

test-postgres:
	@echo "== tests on PostgreSQL =="
	RELAIS_TEST_BACKEND=postgres $(CARGO) test --workspace

## Time the activity report on a generated dataset (SITUATIONS=1000000 CCAS=100 YEARS=5 by default), on both databases.
bench:
	$(CARGO) build --release -p relais-api
	tests/bench.sh

## Regenerate the checked-in contract after changing routes or schemas.
openapi:
	$(CARGO) run -q -p relais-api -- openapi > openapi/openapi.json

## The checked-in contract is valid OpenAPI 3.1 (its freshness is a cargo test).
check-openapi: $(VENV)/bin/openapi-spec-validator
	$(VENV)/bin/openapi-spec-validator openapi/openapi.json

$(VENV)/bin/openapi-spec-validator:
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet 'openapi-spec-validator>=0.7'

lint:
	$(CARGO) clippy --workspace --all-targets -- -D warnings
