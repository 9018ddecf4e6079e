#!/usr/bin/env bash
# Install, migrate, load the demo data and serve on http://127.0.0.1:8000 (development only).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
export DEBUG=1
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py seed_demo
# The background worker renders large brochure PDFs; it stops with the server.
.venv/bin/python manage.py db_worker &
worker=$!
trap 'kill "$worker" 2>/dev/null' EXIT
.venv/bin/python manage.py runserver 127.0.0.1:8000
