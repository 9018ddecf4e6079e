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
    # Two decimals at most, as the status engine judges them; no trailing zeros.
    shown = hours(round(Decimal(str(value)), 2))
    if guardrail.is_percent:
        return f"{shown}%"
    return _("%(hours)s h/week") % {"hours": shown}


@register.filter
def absolute(value):
    return abs(value)


@register.filter
def contributor_list(contributors) -> str:
    """“Title” (24 h), “Title” (15 h): the largest activities behind a study-load fix."""
    from django.utils.translation import gettext as _

    return ", ".join(
        _("“%(title)s” (%(hours)s h)") % {"title": title, "hours": hours(value)} for title, value in contributors
    )
