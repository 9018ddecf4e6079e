"""Fixed-window rate limits in the cache, keyed by participant token and by IP address.

With the default per-process cache each app server counts on its own; set
CACHE_BACKEND=database (docs/deploy.md) to share the counts between servers.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache


def allow(scope: str, key: str, limit: int, window: int) -> bool:
    """Count one hit for `key` in `scope`; False once more than `limit` hits fall in the window."""
    bucket = f"rl:{scope}:{key}:{int(time.time() // window)}"
    if cache.add(bucket, 1, timeout=window + 1):
        return True
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.add(bucket, 1, timeout=window + 1)
        return True
    return count <= limit


def client_ip(request) -> str:
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def participant_allowed(request, action: str, token: str) -> bool:
    """Both limits for a join or a vote: per token, and per IP (generous: a venue's phones
    often share one address)."""
    per_token, per_ip, window = settings.RATE_LIMITS[action]
    ip_ok = allow(f"{action}-ip", client_ip(request), per_ip, window)
    return ip_ok and (not token or allow(f"{action}-token", token, per_token, window))
