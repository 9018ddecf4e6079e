from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from dialogues.queries import needs_response_dialogues


def needs_response(request) -> dict:
    """`needs_response_count` for the header badge: the open dialogues waiting for this user.

    Lazy: the one COUNT query runs only on pages that show it (not on htmx fragments,
    phone pages or anything that does not render the header)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"needs_response_count": SimpleLazyObject(lambda: needs_response_dialogues(user).count())}
