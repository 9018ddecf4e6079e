from __future__ import annotations

from django.apps import AppConfig


class BrochureConfig(AppConfig):
    name = "brochure"
