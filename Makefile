# The two commands: `make run` (set up and serve on the embedded defaults) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install lint messages bench clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	$(VENV)/bin/ruff check .
	DATABASE_URL=sqlite:///:memory: $(PY) manage.py makemigrations --check --dry-run --settings=mentoring.settings.test
	# The forum search gives the same answers on both databases: a PostgreSQL run checks its cases on SQLite too.
	case "$${DATABASE_URL:-}" in postgres*) DATABASE_URL=sqlite:///:memory: $(PY) -m pytest -q -m "not postgres" \
	  forum/tests/test_search.py;; esac
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .

messages: $(STAMP)
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=var
	$(PY) manage.py makemessages -d djangojs -l en --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv

# Every benchmark in one run, each printing its table; the run fails at the end if one of them did.
# bench/web.py needs PostgreSQL (DATABASE_URL), Redis (REDIS_URL) and wrk (apt-get install wrk);
# without them it measures what it can and says what it skipped.
bench: $(STAMP)
	@status=0; \
	$(PY) bench/matching.py || status=1; \
	$(PY) bench/web.py || status=1; \
	if test -f bench/outbox.py; then $(PY) bench/outbox.py || status=1; fi; \
	$(PY) bench/overview.py || status=1; \
	exit $$status

clean:
	rm -rf $(VENV) var db.sqlite3 db.sqlite3-wal db.sqlite3-shm
