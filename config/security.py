"""Login throttling glue for django-axes: the client address it counts, and the lockout page.

django-ipware is not installed, so axes' own AXES_IPWARE_* settings would be ignored; the
address comes from `client_ip` instead (settings.AXES_CLIENT_IP_CALLABLE).
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

LOCKOUT_TEMPLATE = "registration/lockout.html"


class LoginThrottleBackend(AxesStandaloneBackend):
    """axes' check before ModelBackend, for logins that come with a request.

    Every web login does (the login form, the admin); `authenticate()` called without one
    (the shell, a management command, a test) has no address to count and would make axes
    raise, so it is left to ModelBackend alone.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def client_ip(request: HttpRequest) -> str:
    """The address a login attempt came from.

    REMOTE_ADDR unless TRUST_X_FORWARDED_FOR is on; then the entry TRUSTED_PROXY_COUNT places
    from the right of X-Forwarded-For, the one our own nearest proxy vouches for. Entries
    further left were written by the client and are never trusted.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    if not settings.TRUST_X_FORWARDED_FOR:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if not hops:
        return remote
    count = max(settings.TRUSTED_PROXY_COUNT, 1)
    return hops[-min(count, len(hops))]


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """The page shown instead of the login form once a username is locked out from this address.

    Every attempt during the lockout starts the cool-off again (axes'
    AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT), so "now + cool-off" is when it ends.
    """
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "cool_off_minutes": round(cool_off.total_seconds() / 60) if cool_off else None,
        "retry_at": timezone.now() + cool_off if cool_off else None,
    }
    return render(request, LOCKOUT_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE)
