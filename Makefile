# One entry point for every routine task. `make run` and `make test` work on a fresh checkout.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# Local defaults: DEBUG on for the development server and tests (production sets DEBUG=0).
export DEBUG ?= 1

.PHONY: backup install run test test-fast lint typecheck migrations-check messages compose-check bench clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed .env
	$(BIN)/python manage.py compilemessages -v 0 --ignore=.venv
	$(BIN)/python manage.py migrate --noinput -v 0

# A development .env so that plain `.venv/bin/python manage.py …` works; production copies .env.example.
.env:
	printf '# Development settings (git-ignored). For production start from .env.example.\nDEBUG=1\n' > .env

run: install
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "Cổng Dịch vụ công: http://127.0.0.1:8000/  (quản trị: http://127.0.0.1:8000/admin/)"
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# The whole suite. Uses DATABASE_URL / CELERY_BROKER_URL when given; with REQUIRE_SERVICES=1 a
# missing PostgreSQL, Redis or Chromium fails the run instead of skipping.
test: $(VENV)/.installed
	$(BIN)/python manage.py compilemessages -v 0 --ignore=.venv
	$(BIN)/pytest -n $${PYTEST_WORKERS:-2} --dist loadfile $(PYTEST_ARGS)

# The type-checked modules grow file by file; every listed module must stay clean.
TYPED := applications/workflow.py payments workdays accounts/access.py quality/summary.py quality/selectors.py quality/periods.py quality/indicators.py quality/reports.py quality/public.py quality/rebuild_sql.py retention ops/backup.py portal/lib/replica.py portal/lib/pagination.py

lint: $(VENV)/.installed typecheck
	$(BIN)/ruff check .

typecheck: $(VENV)/.installed
	$(BIN)/mypy $(TYPED)

migrations-check: $(VENV)/.installed
	$(BIN)/python manage.py makemigrations --check --dry-run

messages: $(VENV)/.installed
	$(BIN)/python manage.py makemessages -l en --no-location --ignore=.venv --ignore=tests --ignore=bench

# Validated with the example settings (the compose file requires the object-store credentials).
compose-check:
	docker-compose --env-file .env.example -f docker-compose.yml config -q

clean:
	rm -rf $(VENV) db.sqlite3 media private_media staticfiles

# A full backup (database + private and public files, with a SHA-256 manifest) into BACKUP_DIR.
# Encrypted when BACKUP_ENCRYPTION_KEY is set. Restore: `$(BIN)/python manage.py restore --from FILE`.
# No install step: cron runs it on production servers, which have no development requirements.
BACKUP_DIR ?= backups
backup:
	$(BIN)/python manage.py backup --to $(BACKUP_DIR)
