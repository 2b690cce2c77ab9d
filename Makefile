# The two set-up commands are `make run` and `make test`; everything else is for engineers.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run run-scale test lint bench migrate demo install clean browser-deps

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

migrate: install
	mkdir -p var
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

# Web server + one qcluster on the embedded default (SQLite); Ctrl-C stops both.
run: demo
	$(PY) manage.py serve --host $(HOST) --port $(PORT)

# The scaled-out set-up on the local PostgreSQL and Redis: WEB_WORKERS gunicorn workers and CLUSTERS
# qclusters from the Procfile (honcho); creates the database if missing, migrates, seeds the demo,
# prints the URLs and logins; Ctrl-C stops everything (qclusters: SIGTERM, then SIGKILL after 5 s).
WEB_WORKERS ?= 3
CLUSTERS ?= 2
SCALE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/groupbuy
SCALE_REDIS_URL ?= redis://127.0.0.1:6379/0
run-scale: install
	DATABASE_URL=$(SCALE_DATABASE_URL) REDIS_URL=$(SCALE_REDIS_URL) $(PY) manage.py run_scale \
		--web-workers $(WEB_WORKERS) --clusters $(CLUSTERS) --host $(HOST) --port $(PORT)

test: install browser-deps
	mkdir -p var
	$(PY) -m pytest

# The back office's browser tests drive Debian's Chromium (never `playwright install`) with fonts
# that draw Chinese; its catalog tests run GNU gettext's xgettext and msgfmt. Installed when
# missing, as `bench` installs wrk (apt lists refreshed only if the install fails).
BROWSER_DEBS := chromium fonts-noto-cjk gettext
browser-deps:
	@dpkg -s $(BROWSER_DEBS) >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y $(BROWSER_DEBS) \
		|| { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(BROWSER_DEBS); }

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

# POST /api/v1/orders under gunicorn, driven by wrk, against pgbench issuing the same writes, on a
# throwaway database of the PostgreSQL at 127.0.0.1:5432 (user postgres); BENCH_STRICT=1 asserts
# the goals. wrk is installed when missing (apt lists refreshed only if the install fails).
bench: install
	@pgbench --version >/dev/null 2>&1 || { echo "bench: pgbench is missing (Debian ships it with the server: apt-get install -y postgresql-15)"; exit 1; }
	@command -v wrk >/dev/null || apt-get install -y wrk || { apt-get update && apt-get install -y wrk; }
	mkdir -p var
	BENCH=1 $(PY) -m pytest tests/benchmarks -s -p no:randomly

clean:
	rm -rf $(VENV) var db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles
