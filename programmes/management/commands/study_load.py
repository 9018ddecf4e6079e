from __future__ import annotations

import json as jsonlib

from django.core.management.base import BaseCommand, CommandError

from programmes.models import Programme
from programmes.queries import study_load_for


class Command(BaseCommand):
    help = (
        "Print the study load per week and the learning mixes of a programme, per year and overall. "
        "Shares are fractions that sum to 1 (all 0.0 when there are no hours)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the programme's slug, e.g. demo")
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")

    def handle(self, *args, slug: str, json: bool = False, **options):
        try:
            programme = Programme.objects.get(slug=slug)
        except Programme.DoesNotExist as exc:
            raise CommandError(f"No programme with slug {slug!r}.") from exc
        load = study_load_for(programme)
        if json:
            self.stdout.write(dumps(load))
            return
        self.stdout.write(f"{programme.title} ({programme.learning_weeks_per_year} learning weeks a year)")
        for number, summary in load["years"].items():
            self.stdout.write(f"  year {number}: {summary.hours_per_week:5.2f} h/week ({summary.total_hours:.1f} h)")
        overall = load["overall"]
        self.stdout.write(f"  overall: {overall.hours_per_week:5.2f} h/week ({overall.total_hours:.1f} h)")


def _as_dict(summary, **extra) -> dict:
    data = summary.as_dict()
    return {
        **extra,
        "hours_per_week": data["hours_per_week"],
        "total_hours": data["total_hours"],
        "modality": data["modality"],
        "online": data["online"],
        "learning_types": data["learning_types"],
        "with_whom": data["with_whom"],
    }


def dumps(load: dict) -> str:
    return jsonlib.dumps(
        {
            "years": [_as_dict(summary, number=number) for number, summary in load["years"].items()],
            "overall": _as_dict(load["overall"]),
        },
        indent=2,
    )
