"""`GET /healthz` for load balancers and monitoring: is this app server able to serve?

No login, no session, no cookie; cheap enough to be polled every few seconds. It answers
200 {"status": "ok", "database": "ok", "cache": "ok", "media": "ok"} or 503 with "error" for
the checks that failed. Details of a failure go to the log, never into the response: error
texts of database drivers can name hosts and users.
"""

from __future__ import annotations

import logging
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("health check: database unreachable")
        return False


def check_cache() -> bool:
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, 1, timeout=10)
        ok = cache.get(key) == 1
        cache.delete(key)
    except Exception:
        logger.exception("health check: cache unusable")
        return False
    if not ok:
        logger.error("health check: cache did not return what was stored")
    return ok


def check_media() -> bool:
    """MEDIA_ROOT is (or can become) a writable directory (uploads and brochure PDFs land there). Another
    storage backend (MEDIA_STORAGE=s3) is not probed: that would cost a request per check."""
    if not isinstance(default_storage, FileSystemStorage):
        return True
    # Storage creates MEDIA_ROOT on the first upload; until then its nearest existing
    # parent must be writable.
    path = Path(settings.MEDIA_ROOT).resolve()
    while not path.exists() and path != path.parent:
        path = path.parent
    ok = path.is_dir() and os.access(path, os.W_OK | os.X_OK)
    if not ok:
        logger.error("health check: MEDIA_ROOT is missing or not writable")
    return ok


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": check_database(), "cache": check_cache(), "media": check_media()}
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "error"}
    body.update({name: "ok" if ok else "error" for name, ok in checks.items()})
    return JsonResponse(body, status=200 if healthy else 503)
