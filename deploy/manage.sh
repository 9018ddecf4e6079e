#!/usr/bin/env bash
# Run a management command with the production environment, as the estafette user:
#   sudo -u estafette /srv/estafette/deploy/manage.sh migrate
set -euo pipefail
cd "$(dirname "$0")/.."
set -a
# shellcheck disable=SC1091
. "${ESTAFETTE_ENV:-/etc/estafette/env}"
set +a
exec .venv/bin/python manage.py "$@"
