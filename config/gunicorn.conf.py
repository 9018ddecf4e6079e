"""gunicorn settings, every one from the environment (docs/deploy.md).

    .venv/bin/gunicorn config.wsgi -c config/gunicorn.conf.py

Threads suit this app: a request mostly waits for the database, and brochure PDFs render in
the background worker (`manage.py db_worker`), not in a web request. A few processes with
several threads each handle a session's worth of phones polling the live poll.
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _default_workers() -> int:
    # gthread: fewer processes than the classic 2 × cores + 1, each with several threads.
    return min(multiprocessing.cpu_count() + 1, 8)


# Where nginx/caddy reaches us: a local port, or "unix:/run/estafette/gunicorn.sock".
bind = [address.strip() for address in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",") if address.strip()]
worker_class = "gthread"
workers = _int("WEB_CONCURRENCY", _default_workers())
threads = _int("GUNICORN_THREADS", 4)
# Photo uploads from phones on a slow connection take a while; the proxy buffers them, so 60 s is plenty.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle a worker after this many requests (plus jitter, so they don't all restart at once).
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)
# Access log to stdout ("-"), errors to stderr: systemd's journal keeps both.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = os.environ.get("GUNICORN_ERRORLOG", "-")
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# The proxies whose X-Forwarded-* headers gunicorn believes (comma-separated; "*" only when
# the app port is reachable from the proxy alone).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "estafette"
