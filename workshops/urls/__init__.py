"""URLs of the workshops app: one module per part of the process."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("", include("workshops.urls.polls")),
    path("", include("workshops.urls.sessions")),
    path("", include("workshops.urls.inventory")),
    path("", include("workshops.urls.relay")),
    path("", include("workshops.urls.captures")),
    path("", include("workshops.urls.final")),
    path("", include("workshops.urls.impact")),
]
