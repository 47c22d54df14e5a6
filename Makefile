# Relais — the two commands of the README are `make run` and `make test`.

CARGO ?= cargo
VENV  := target/venv

WEB   := web-client

.PHONY: check-deploy run test test-sqlite test-postgres test-contract test-web openapi check-openapi lint build bench web-build

## Build and run the whole product (API + web client, one origin) on an embedded SQLite database with demo data.
run: web-build
	$(CARGO) build --release -p relais-api
	DATABASE_URL=$${DATABASE_URL:-sqlite://relais-demo.db} RELAIS_WEB_DIR=$${RELAIS_WEB_DIR:-$(WEB)/dist} ./target/release/relais serve --demo

build:
	$(CARGO) build --workspace --all-targets

## Every test: the API on SQLite and on PostgreSQL (a throwaway cluster unless RELAIS_TEST_POSTGRES_URL
## is set), the contract checked by schemathesis on both, then the web client (types, components,
## end to end in Chromium).
test: lint check-openapi check-deploy $(VENV)/bin/st $(VENV)/standardwebhooks.installed $(VENV)/data-inclusion-schema.installed \
      $(VENV)/prometheus-client.installed $(VENV)/examples.installed
	tests/with-postgres.sh $(MAKE) --no-print-directory test-sqlite test-postgres test-contract
	$(MAKE) --no-print-directory test-web

test-sqlite:
	@echo "== tests on SQLite =="
	RELAIS_TEST_BACKEND=sqlite $(CARGO) test --workspace

test-postgres:
	@echo "== tests on PostgreSQL =="
	RELAIS_TEST_BACKEND=postgres $(CARGO) test --workspace

## schemathesis (PyPI) against the server built by the tests, on a fresh SQLite and PostgreSQL database
## with the demo data, with a token of each audience: no server error, no answer off the contract.
test-contract: $(VENV)/bin/st
	@echo "== contract (schemathesis) =="
	tests/contract.sh sqlite
	tests/contract.sh postgres

## The web client: its types are fresh and check, component tests (Vitest), then the built client
## and the real API (fresh SQLite) driven in Debian's Chromium; screenshots in $(WEB)/test-results/.
test-web: $(WEB)/node_modules/.package-lock.json
	@echo "== web client =="
	cd $(WEB) && npm run lint
	cd $(WEB) && npm test
	cd $(WEB) && npm run build
	@# The binary exactly as the API's tests built it (same features): nothing to rebuild after them.
	$(CARGO) test --workspace --no-run -q
	cd $(WEB) && npm run e2e

web-build: $(WEB)/node_modules/.package-lock.json
	cd $(WEB) && npm run build

$(WEB)/node_modules/.package-lock.json: $(WEB)/package-lock.json
	cd $(WEB) && npm ci --no-audit --no-fund

## The load benchmark (each endpoint at 1, 16 and 64 clients against its in-process floor, SITUATIONS=100000 CCAS=20)
## and the activity report on REPORT_SITUATIONS=1000000, on both databases; tables on stdout (see BENCHMARKS.md).
bench:
	$(CARGO) build --release -p relais-api
	tests/bench.sh

## Regenerate the checked-in contract after changing routes or schemas, and the client's types.
openapi: $(WEB)/node_modules/.package-lock.json
	$(CARGO) run -q -p relais-api -- openapi > openapi/openapi.json
	cd $(WEB) && npm run types

## The systemd unit parses and names only directives systemd knows (the binary stands in as /bin/true).
check-deploy:
	@if command -v systemd-analyze >/dev/null 2>&1; then \
	  mkdir -p target && sed 's|/usr/local/bin/relais|/bin/true|' deploy/relais.service > target/relais.service && \
	  systemd-analyze verify target/relais.service && echo "deploy/relais.service: verified"; \
	else echo "deploy/relais.service: systemd-analyze not installed, not verified"; fi

## The checked-in contract is valid OpenAPI 3.1 (its freshness is a cargo test).
check-openapi: $(VENV)/bin/openapi-spec-validator
	$(VENV)/bin/openapi-spec-validator openapi/openapi.json

$(VENV)/bin/openapi-spec-validator:
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet 'openapi-spec-validator>=0.7' 'cryptography>=42'

## The webhook tests verify deliveries with this implementation of Standard Webhooks (PyPI).
$(VENV)/standardwebhooks.installed: $(VENV)/bin/openapi-spec-validator
	$(VENV)/bin/pip install --quiet 'standardwebhooks>=1.0,<2'
	touch $@

## The partner export is validated with the models data·inclusion publishes (PyPI).
$(VENV)/data-inclusion-schema.installed: $(VENV)/bin/openapi-spec-validator
	$(VENV)/bin/pip install --quiet 'data-inclusion-schema>=1.0,<2'
	touch $@

## The integration guide's examples (examples/requirements.txt) run in the tests.
$(VENV)/examples.installed: $(VENV)/bin/openapi-spec-validator examples/requirements.txt
	$(VENV)/bin/pip install --quiet -r examples/requirements.txt
	touch $@

## The metrics are parsed by Prometheus's own Python client (PyPI).
$(VENV)/prometheus-client.installed: $(VENV)/bin/openapi-spec-validator
	$(VENV)/bin/pip install --quiet 'prometheus-client>=0.20,<1'
	touch $@

$(VENV)/bin/st: $(VENV)/bin/openapi-spec-validator
	$(VENV)/bin/pip install --quiet 'schemathesis>=4,<5'

lint:
	$(CARGO) clippy --workspace --all-targets -- -D warnings
