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
