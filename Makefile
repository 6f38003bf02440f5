# The two commands of the README: `make run` and `make test`. Both install what they need first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_INSTALL := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends

.PHONY: run test bench bench-directory bench-footprint loadtest loadtest-step reset-demo nginx chromium libreoffice wrk pgclient\
        pgbouncer clean

run: $(STAMP) nginx
	$(PY) -m tools.stack run

# The lint gate first (pyproject.toml [tool.ruff]): a lint error fails `make test` before any test runs.
test: $(STAMP) nginx chromium libreoffice pgclient pgbouncer
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

bench: $(STAMP) nginx wrk pgbouncer
	status=0; for part in run directory exports portal workbook reminders; do $(PY) -m bench.$$part || status=1; done; exit $$status

# Only the registry's figures: sync of the fake DLA Connect, province pages through the gateway.
bench-directory: $(STAMP) nginx wrk pgbouncer
	$(PY) -m bench.directory

# What each process needs in memory and CPU (docs/operations.md "Sizing").
bench-footprint: $(STAMP) nginx wrk pgbouncer
	$(PY) -m bench.footprint

# The season's deadline day with Locust (README "Load test"): 974 users for 10 minutes; fails on a missed target.
loadtest: $(STAMP) nginx pgbouncer
	$(PY) -m loadtest.run

# The step test: +200 users every 2 minutes (at most 20) until p95 passes 1 s.
loadtest-step: $(STAMP) nginx pgbouncer
	$(PY) -m loadtest.run step

# Deletes the local databases and keys; the next `make run` loads fresh demo data.
reset-demo:
	rm -rf var/*.sqlite3* var/keys

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(PY) tools/paths.py
	rm -f $(VENV)/.installed-* && touch $@

nginx:
	@command -v nginx >/dev/null || { $(SUDO) apt-get update -qq && $(APT_INSTALL) nginx; }

chromium:
	@command -v chromium >/dev/null && fc-list | grep -qi -e tlwg -e sarabun \
	  || { $(SUDO) apt-get update -qq && $(APT_INSTALL) chromium fonts-thai-tlwg; }

# LibreOffice Calc, headless: the Excel import's tests re-save the downloaded workbook through another program.
libreoffice:
	@command -v soffice >/dev/null || { $(SUDO) apt-get update -qq && $(APT_INSTALL) libreoffice-calc-nogui; }

# psql, pg_dump and pg_restore: the deploy tests run the roles script and rehearse a backup and a restore.
pgclient:
	@command -v pg_dump >/dev/null && command -v psql >/dev/null \
	  || { $(SUDO) apt-get update -qq && $(APT_INSTALL) postgresql-client; }

# The stack on PostgreSQL (CI, the benchmarks) reaches it through PgBouncer, as production does.
pgbouncer:
	@command -v pgbouncer >/dev/null || test -x /usr/sbin/pgbouncer \
	  || { $(SUDO) apt-get update -qq && $(APT_INSTALL) pgbouncer; }

wrk:
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -qq && $(APT_INSTALL) wrk; }

clean:
	rm -rf $(VENV) var
