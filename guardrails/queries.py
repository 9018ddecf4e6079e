"""Guardrails against the current design: one query for the guardrails, one for the design."""

from __future__ import annotations

from dataclasses import dataclass

from guardrails import domain
from guardrails.models import Guardrail
from programmes.domain import study_load
from programmes.models import Activity, Programme
from programmes.queries import activities_by_year


@dataclass
class Checked:
    """A guardrail with its result (None for soft/qualitative or an incomplete definition)."""

    guardrail: Guardrail
    result: domain.GuardrailResult | None

    @property
    def status(self) -> str | None:
        return self.result.status if self.result else None

    def year(self, number: int) -> domain.Evaluation | None:
        if self.result is None:
            return None
        return dict(self.result.years).get(number)


def check_guardrails(
    programme: Programme, grouped: dict[int, list[Activity]] | None = None, guardrails=None, load=None
) -> list[Checked]:
    """Every guardrail of the programme evaluated against the design as it is now.

    `load` is the programme's study load when the caller computed it already (one
    computation per request, shared by every guardrail).
    """
    if grouped is None:
        grouped = activities_by_year(programme)
    if guardrails is None:
        guardrails = list(programme.guardrails.all())
    loads = {number: [a.as_load() for a in acts] for number, acts in grouped.items()}
    if load is None:
        load = study_load(loads, programme.learning_weeks_per_year)
    checked = []
    for guardrail in guardrails:
        result = None
        if guardrail.is_measurable:
            try:
                result = domain.evaluate(guardrail.as_spec(), loads, programme.learning_weeks_per_year, load)
            except ValueError:
                # An incomplete definition (e.g. edited in the admin) shows as "not computed".
                result = None
        checked.append(Checked(guardrail, result))
    return checked
