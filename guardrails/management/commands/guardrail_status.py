from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from guardrails.queries import check_guardrails
from programmes.models import Programme


def _number(value) -> float | None:
    return None if value is None else float(value)


class Command(BaseCommand):
    help = (
        "Print every guardrail of a programme with its status against the current design: "
        "met, near or breached, overall and per year (soft/qualitative guardrails have status null)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the programme's slug, e.g. demo")
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")

    def handle(self, *args, slug: str, **options):
        try:
            programme = Programme.objects.get(slug=slug)
        except Programme.DoesNotExist as exc:
            raise CommandError(f"No programme with slug {slug!r}.") from exc
        rows = []
        for item in check_guardrails(programme):
            guardrail, result = item.guardrail, item.result
            rows.append(
                {
                    "name": guardrail.name,
                    "kind": guardrail.kind,
                    "metric": guardrail.metric,
                    "key": guardrail.key,
                    "comparator": guardrail.comparator,
                    "target": _number(guardrail.target),
                    "target_high": _number(guardrail.target_high),
                    "tolerance": _number(guardrail.tolerance),
                    "value": result.overall.value if result else None,
                    "status": result.status if result else None,
                    "years": [
                        {"number": number, "value": evaluation.value, "status": evaluation.status}
                        for number, evaluation in (result.years if result else ())
                    ],
                }
            )
        if options["json"]:
            self.stdout.write(json.dumps(rows, indent=2))
            return
        for row in rows:
            years = ", ".join(f"y{y['number']} {y['value']} {y['status']}" for y in row["years"])
            self.stdout.write(f"{row['status'] or '-':9} {row['name']} (value {row['value']}; {years})")
