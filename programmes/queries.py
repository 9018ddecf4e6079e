"""Fetching the design for computations: one query per programme, never one per year."""

from __future__ import annotations

from programmes import domain
from programmes.models import Activity, Programme


def activities_by_year(programme: Programme) -> dict[int, list[Activity]]:
    """Every activity of the programme grouped by year number (years without any map to [])."""
    grouped: dict[int, list[Activity]] = {n: [] for n in range(1, programme.number_of_years + 1)}
    activities = Activity.objects.filter(year__programme=programme, year__number__lte=programme.number_of_years)
    for activity in activities.select_related("year", "anchor").order_by("year__number", "order", "pk"):
        grouped[activity.year.number].append(activity)
    return grouped


def study_load_for(programme: Programme, grouped: dict[int, list[Activity]] | None = None) -> dict:
    """domain.study_load for the programme's current design."""
    if grouped is None:
        grouped = activities_by_year(programme)
    loads = {number: [a.as_load() for a in acts] for number, acts in grouped.items()}
    return domain.study_load(loads, programme.learning_weeks_per_year)
