#!/usr/bin/env bash
# Nightly backup on one machine (SQLite + media): a consistent copy of the database taken
# while the app runs (SQLite's online backup), and the media files next to it.
#   sudo -u estafette /srv/estafette/deploy/backup.sh /var/backups/estafette
set -euo pipefail
target=${1:?usage: backup.sh TARGET_DIRECTORY}
set -a
# shellcheck disable=SC1091
. "${ESTAFETTE_ENV:-/etc/estafette/env}"
set +a
stamp=$(date +%Y-%m-%d)
mkdir -p "$target"
/srv/estafette/.venv/bin/python - "$SQLITE_PATH" "$target/db-$stamp.sqlite3" <<'PY'
import sqlite3
import sys

source, copy = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
with copy:
    source.backup(copy)
copy.close()
source.close()
PY
tar -C "$(dirname "$MEDIA_ROOT")" -czf "$target/media-$stamp.tar.gz" "$(basename "$MEDIA_ROOT")"
# Keep two weeks.
find "$target" -name 'db-*.sqlite3' -mtime +14 -delete
find "$target" -name 'media-*.tar.gz' -mtime +14 -delete
