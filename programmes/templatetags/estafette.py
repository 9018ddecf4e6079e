from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def hours(value) -> str:
    """Hours as people write them: 2, 1,5, 0,25 (localized, no trailing zeros)."""
    if value in (None, ""):
        return ""
    number = Decimal(str(value)).normalize()
    places = max(-number.as_tuple().exponent, 0)
    return number_format(number, decimal_pos=places)


@register.filter
def in_unit(value, guardrail) -> str:
    """A guardrail value or target with its unit: "3,4 h/week" or "62%"."""
    from django.utils.translation import gettext as _

    if value in (None, ""):
        return "–"
    if guardrail.is_percent:
        return f"{number_format(round(float(value)), decimal_pos=0)}%"
    return _("%(hours)s h/week") % {"hours": number_format(round(float(value), 2), decimal_pos=1)}


@register.filter
def absolute(value):
    return abs(value)
