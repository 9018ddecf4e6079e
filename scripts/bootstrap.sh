#!/usr/bin/env bash
# Create .venv and install the pinned dependencies: `scripts/bootstrap.sh` for running
# the app, `scripts/bootstrap.sh dev` for the tests too. Installs Debian packages the
# project needs (gettext; chromium for dev) when missing and running as root.
set -euo pipefail
cd "$(dirname "$0")/.."

want_dev=${1:-}
apt_packages=()
command -v msgfmt >/dev/null 2>&1 || apt_packages+=(gettext)
# WeasyPrint (brochure PDFs) needs Pango and a font.
ldconfig -p 2>/dev/null | grep -q "libpango-1.0.so" || apt_packages+=(libpango-1.0-0 libpangoft2-1.0-0)
[ -d /usr/share/fonts/truetype/dejavu ] || apt_packages+=(fonts-dejavu-core)
if [ "$want_dev" = "dev" ]; then
  [ -x /usr/bin/chromium ] || apt_packages+=(chromium)
  if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    apt_packages+=(postgresql)
  fi
fi
if [ ${#apt_packages[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "Installing Debian packages: ${apt_packages[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
  else
    echo "Missing Debian packages: ${apt_packages[*]} (run as root or install them)" >&2
  fi
fi

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
if [ "$want_dev" = "dev" ]; then
  .venv/bin/python -m pip install --quiet -r requirements-dev.txt
else
  .venv/bin/python -m pip install --quiet -r requirements.txt
fi
(cd . && DEBUG=1 .venv/bin/python manage.py compilemessages --ignore=.venv -v0)
