"""Brochure rules over plain data (snapshots are JSON dicts): numbering, the changelog
between two versions, the sections a reviewer judges, and who sees what. No ORM, no request."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

# The activity fields a changelog compares, in the order it lists them.
ACTIVITY_FIELDS = (
    "title",
    "description",
    "learning_type",
    "modality",
    "with_whom",
    "contact_hours",
    "prep_hours",
    "extra_hours",
    "occurrences",
    "anchor",
    "triangle",
)
YEAR_FIELDS = ("title", "signature", "description")


class NothingChanged(Exception):
    """Publishing was asked for, but the design is the same as in the latest version."""


def next_number(latest: tuple[int, int] | None, major: bool) -> tuple[int, int]:
    """The number after `latest`: 1.0 first; a major step resets the minor (1.1 → 2.0)."""
    if latest is None:
        return (1, 0)
    if major:
        return (latest[0] + 1, 0)
    return (latest[0], latest[1] + 1)


def same_design(old: dict | None, new: dict) -> bool:
    """Whether two snapshots hold the same programme (so publishing would add nothing)."""
    return old is not None and old == new


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: object
    after: object


@dataclass(frozen=True)
class ActivityChange:
    year: int
    title: str
    kind: str  # "added", "removed" or "changed"
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class LoadChange:
    year: int | None  # None: the whole programme
    before: float | None
    after: float | None

    @property
    def delta(self) -> float:
        return round((self.after or 0) - (self.before or 0), 2)


@dataclass(frozen=True)
class StatusChange:
    name: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class Changelog:
    activities: tuple[ActivityChange, ...] = ()
    loads: tuple[LoadChange, ...] = ()
    statuses: tuple[StatusChange, ...] = ()
    years: tuple[tuple[int, FieldChange], ...] = ()  # (year number, change of title/signature/description)
    ambition: FieldChange | None = None
    other: tuple[str, ...] = field(default=())  # sections that changed otherwise: "photos", "relay", …

    @property
    def is_empty(self) -> bool:
        return not (
            self.activities
            or any(c.delta for c in self.loads)
            or self.statuses
            or self.years
            or self.ambition
            or self.other
        )

    @property
    def changed_years(self) -> frozenset[int]:
        """The years whose design changed: whose relay groups should review the new version."""
        numbers = {c.year for c in self.activities} | {n for n, _c in self.years}
        return frozenset(numbers)


def _activities(snapshot: dict) -> dict[int, tuple[int, dict]]:
    return {a["id"]: (y["number"], a) for y in snapshot.get("years", []) for a in y.get("activities", [])}


def changelog(old: dict | None, new: dict) -> Changelog:
    """What changed from `old` to `new` (both snapshots); against nothing, everything is added.

    Activities are matched by id: added, removed, or changed with every differing field
    (a move to another year shows as the field "year"). Study load is listed per year and
    overall, before → after, for every year; guardrails whose status changed, by id.
    """
    old = old or {}
    before, after = _activities(old), _activities(new)
    activity_changes = []
    for pk, (year, activity) in after.items():
        if pk not in before:
            activity_changes.append(ActivityChange(year, activity["title"], "added"))
            continue
        old_year, old_activity = before[pk]
        fields = [
            FieldChange(name, old_activity.get(name), activity.get(name))
            for name in ACTIVITY_FIELDS
            if old_activity.get(name) != activity.get(name)
        ]
        if old_year != year:
            fields.insert(0, FieldChange("year", old_year, year))
        if fields:
            activity_changes.append(ActivityChange(year, activity["title"], "changed", tuple(fields)))
    for pk, (year, activity) in before.items():
        if pk not in after:
            activity_changes.append(ActivityChange(year, activity["title"], "removed"))
    activity_changes.sort(key=lambda c: (c.year, ("removed", "changed", "added").index(c.kind), c.title))

    old_years = {y["number"]: y for y in old.get("years", [])}
    new_years = {y["number"]: y for y in new.get("years", [])}
    loads = [
        LoadChange(
            number,
            old_years[number]["load"]["hours_per_week"] if number in old_years else None,
            new_years[number]["load"]["hours_per_week"] if number in new_years else None,
        )
        for number in sorted(old_years.keys() | new_years.keys())
    ]
    loads.append(
        LoadChange(
            None,
            old["overall"]["hours_per_week"] if old.get("overall") else None,
            new["overall"]["hours_per_week"],
        )
    )

    year_changes = [
        (number, FieldChange(name, old_years[number].get(name), year.get(name)))
        for number, year in sorted(new_years.items())
        if number in old_years
        for name in YEAR_FIELDS
        if old_years[number].get(name) != year.get(name)
    ]

    old_rails = {g["id"]: g for g in old.get("guardrails", [])}
    new_rails = {g["id"]: g for g in new.get("guardrails", [])}
    statuses = [
        StatusChange(g["name"], old_rails[pk]["status"] if pk in old_rails else None, g["status"])
        for pk, g in new_rails.items()
        if pk not in old_rails or old_rails[pk]["status"] != g["status"]
    ] + [StatusChange(g["name"], g["status"], None) for pk, g in old_rails.items() if pk not in new_rails]

    old_ambition = old.get("programme", {}).get("ambition")
    new_ambition = new.get("programme", {}).get("ambition")
    ambition = FieldChange("ambition", old_ambition, new_ambition) if old and old_ambition != new_ambition else None
    other = tuple(
        name
        for name in ("photos", "relay", "quotes", "reasonings", "inventory", "final")
        if old and old.get(name) != new.get(name)
    )
    return Changelog(tuple(activity_changes), tuple(loads), tuple(statuses), tuple(year_changes), ambition, other)


def sections(snapshot: dict) -> list[str]:
    """The section keys a reviewer confirms or disputes, in reading order."""
    keys = ["ambition", "guardrails"]
    keys += [f"year-{y['number']}" for y in snapshot.get("years", [])]
    if snapshot.get("relay"):
        keys.append("relay")
    if snapshot.get("photos"):
        keys.append("photos")
    if snapshot.get("quotes") or snapshot.get("reasonings"):
        keys.append("impact")
    if snapshot.get("final"):
        keys.append("final")
    return keys


def default_reviewer_groups(groups: Iterable[tuple[int, int]], changed_years: Iterable[int]) -> list[int]:
    """Of `groups` as (group id, year number), the ids of those whose year changed."""
    changed = set(changed_years)
    return [pk for pk, year in groups if year in changed]


def may_see(state: str, is_facilitator: bool, is_reviewer: bool, can_view: bool) -> bool:
    """Released versions: everyone who may view the programme. Drafts and versions in
    review: facilitators and the members of the reviewing relay groups."""
    if not can_view:
        return False
    if is_facilitator or state == "released":
        return True
    return is_reviewer


def may_review(state: str, is_facilitator: bool, is_reviewer: bool) -> bool:
    """Only a version in review, only its reviewing groups (and facilitators)."""
    return state == "in_review" and (is_facilitator or is_reviewer)
