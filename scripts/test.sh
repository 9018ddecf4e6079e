#!/usr/bin/env bash
# Install the dev dependencies, then run ruff, the whole suite on SQLite, the same
# suite on a throw-away PostgreSQL cluster, and the Playwright browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh dev
export PATH="$PWD/.venv/bin:$PATH"
# Developer defaults (dev secret key, test hosts) for the management commands below.
export ESTAFETTE_TESTING=1

echo "== ruff"
ruff check .
ruff format --check .

echo "== migrations are complete"
python manage.py makemigrations --check --dry-run -v0

echo "== pytest on SQLite"
python -m pytest -m "not browser" -q -p no:cacheprovider

echo "== pytest on PostgreSQL"
scripts/with_postgres.sh python -m pytest -m "not browser" -q -p no:cacheprovider

echo "== Playwright browser tests (Chromium)"
python -m pytest -m browser -q -p no:cacheprovider
