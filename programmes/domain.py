"""Study load and learning mixes: pure functions over plain data (no ORM, no request).

The study load of a year is the sum over its activities of
(contact + preparation/follow-up + extra hours) x occurrences, divided by the
programme's learning weeks per year. Mixes are hour-weighted shares: an activity
of 10 hours counts ten times as much as one of 1 hour.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

LEARNING_TYPES = ("acquisition", "investigation", "practice", "discussion", "collaboration", "production")
MODALITIES = ("face_to_face", "online_sync", "online_async")
ONLINE_MODES = ("synchronous", "asynchronous")
WITH_WHOM = ("peers", "own_team", "partners", "director_policy", "external_experts")


@dataclass(frozen=True)
class ActivityLoad:
    """What the computations need of one activity."""

    contact_hours: float
    prep_hours: float
    extra_hours: float
    occurrences: int
    learning_type: str
    modality: str
    with_whom: tuple[str, ...] = ()
    title: str = ""

    @property
    def total_hours(self) -> float:
        return (self.contact_hours + self.prep_hours + self.extra_hours) * self.occurrences


@dataclass(frozen=True)
class LoadSummary:
    """Hours and mixes of one year, or of a whole programme."""

    total_hours: float
    hours_per_week: float
    modality: dict[str, float] = field(default_factory=dict)
    online: dict[str, float] = field(default_factory=dict)
    learning_types: dict[str, float] = field(default_factory=dict)
    with_whom: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "total_hours": round(self.total_hours, 2),
            "hours_per_week": round(self.hours_per_week, 2),
            "modality": self.modality,
            "online": self.online,
            "learning_types": self.learning_types,
            "with_whom": self.with_whom,
        }


def shares(weights: Mapping[str, float], keys: Sequence[str]) -> dict[str, float]:
    """Normalise `weights` to fractions over `keys` that sum to 1.

    With no weight at all every share is 0.0 (there is nothing to divide).
    """
    total = sum(weights.get(key, 0.0) for key in keys)
    if total <= 0:
        return dict.fromkeys(keys, 0.0)
    return {key: weights.get(key, 0.0) / total for key in keys}


def _hours_by(activities: Iterable[ActivityLoad], key) -> dict[str, float]:
    totals: dict[str, float] = {}
    for activity in activities:
        name = key(activity)
        totals[name] = totals.get(name, 0.0) + activity.total_hours
    return totals


def modality_mix(activities: Sequence[ActivityLoad]) -> dict[str, float]:
    """Hour-weighted share of face-to-face, online synchronous and online asynchronous."""
    return shares(_hours_by(activities, lambda a: a.modality), MODALITIES)


def online_mix(activities: Sequence[ActivityLoad]) -> dict[str, float]:
    """Among online hours only: the share of synchronous vs asynchronous."""
    hours = _hours_by(activities, lambda a: a.modality)
    return shares(
        {"synchronous": hours.get("online_sync", 0.0), "asynchronous": hours.get("online_async", 0.0)},
        ONLINE_MODES,
    )


def learning_type_mix(activities: Sequence[ActivityLoad]) -> dict[str, float]:
    """Hour-weighted share of each ABC learning type."""
    return shares(_hours_by(activities, lambda a: a.learning_type), LEARNING_TYPES)


def with_whom_mix(activities: Sequence[ActivityLoad]) -> dict[str, float]:
    """Hour-weighted share of each group people learn with.

    An activity with several groups splits its hours equally over them, so the shares
    still sum to 1; activities with no group named are left out.
    """
    totals: dict[str, float] = {}
    for activity in activities:
        groups = [g for g in activity.with_whom if g in WITH_WHOM]
        for group in groups:
            totals[group] = totals.get(group, 0.0) + activity.total_hours / len(groups)
    return shares(totals, WITH_WHOM)


def summarise(activities: Sequence[ActivityLoad], weeks: float) -> LoadSummary:
    """Total hours, hours per week over `weeks` learning weeks, and all four mixes."""
    if weeks <= 0:
        raise ValueError("weeks must be positive")
    total = sum(a.total_hours for a in activities)
    return LoadSummary(
        total_hours=total,
        hours_per_week=total / weeks,
        modality=modality_mix(activities),
        online=online_mix(activities),
        learning_types=learning_type_mix(activities),
        with_whom=with_whom_mix(activities),
    )


def study_load(years: Mapping[int, Sequence[ActivityLoad]], weeks_per_year: float) -> dict:
    """Per year and overall: the study load per week and the mixes.

    `years` maps a year number to its activities (a year without activities maps to []).
    The overall load spreads all hours over every year's learning weeks, so it is the
    mean of the yearly loads.
    """
    per_year = {number: summarise(acts, weeks_per_year) for number, acts in sorted(years.items())}
    everything = [a for acts in years.values() for a in acts]
    overall = summarise(everything, weeks_per_year * max(len(years), 1))
    return {"years": per_year, "overall": overall}


def largest_contributors(activities: Sequence[ActivityLoad], count: int = 3) -> list[ActivityLoad]:
    """The activities with the most hours, largest first (ties keep their order)."""
    return sorted(activities, key=lambda a: a.total_hours, reverse=True)[:count]


def stage_timeline(current: str, stages: Sequence[str]) -> list[tuple[str, str]]:
    """Each stage with its state: "done" before `current`, "now", "next" right after, "later"."""
    index = stages.index(current) if current in stages else 0
    states = []
    for position, stage in enumerate(stages):
        if position < index:
            state = "done"
        elif position == index:
            state = "now"
        elif position == index + 1:
            state = "next"
        else:
            state = "later"
        states.append((stage, state))
    return states


def move_item(items: Sequence, item, step: int) -> list:
    """A copy of `items` with `item` moved `step` places (clamped at either end)."""
    result = list(items)
    old = result.index(item)
    new = min(max(old + step, 0), len(result) - 1)
    result.insert(new, result.pop(old))
    return result
