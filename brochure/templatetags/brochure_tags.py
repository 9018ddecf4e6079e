from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """mapping[key], or None: for per-section data in templates."""
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def percent(share) -> str:
    return f"{round((share or 0) * 100)}%"
