"""Guardrail status: pure functions over plain data (no ORM, no request).

A guardrail (*vangrail*) is a target the group set itself at the kickoff, e.g. "study load
≤ 3 h/week" or "at least 60% face-to-face". It is checked against every year and against
the whole programme; it is met only when all of them meet it. A "near" band of
`tolerance` just outside the target separates a small miss from a breach, and every year
that misses gets a fix: how far the metric has to move, and for study load how many hours
and which activities weigh most.

Study load is in hours per week; every share is in percent (0..100), as people vote it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean

from programmes.domain import (
    LEARNING_TYPES,
    WITH_WHOM,
    ActivityLoad,
    LoadSummary,
    largest_contributors,
    study_load,
)

METRICS = ("study_load", "face_to_face_share", "sync_share", "learning_type_share", "with_whom_share", "qualitative")
COMPARATORS = ("le", "ge", "between")
STATUSES = ("met", "near", "breached")  # best to worst

# Float noise (0.1 + 0.2 …) must not turn a value that sits on the target into a miss.
EPSILON = 1e-9

_KEYS = {"learning_type_share": LEARNING_TYPES, "with_whom_share": WITH_WHOM}
_CONTRIBUTOR_COUNT = 3


@dataclass(frozen=True)
class GuardrailSpec:
    """One guardrail as the group set it; raises ValueError when it cannot be evaluated."""

    name: str
    metric: str
    comparator: str
    target: float
    target_high: float | None = None
    tolerance: float = 0.0
    key: str = ""

    def __post_init__(self) -> None:
        if self.metric not in METRICS:
            raise ValueError(f"unknown metric {self.metric!r}; expected one of {', '.join(METRICS)}")
        if self.metric == "qualitative":
            # Judged by a subgroup, not computed: comparator and target carry no meaning.
            return
        if self.comparator not in COMPARATORS:
            raise ValueError(f"unknown comparator {self.comparator!r}; expected one of {', '.join(COMPARATORS)}")
        if self.comparator == "between" and (self.target_high is None or self.target_high < self.target):
            raise ValueError("a 'between' guardrail needs target_high at or above target")
        if self.tolerance < 0:
            raise ValueError("tolerance must not be negative")
        if self.metric in _KEYS and self.key not in _KEYS[self.metric]:
            raise ValueError(f"{self.metric} needs a key, one of {', '.join(_KEYS[self.metric])}")


@dataclass(frozen=True)
class Evaluation:
    """A guardrail against one scope (a year or the whole programme)."""

    value: float
    status: str
    gap: float


@dataclass(frozen=True)
class Fix:
    """What would bring one year back within the target."""

    year: int
    change: float
    hours: float
    contributors: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class GuardrailResult:
    """A guardrail against every year and the whole programme, with the fixes."""

    spec: GuardrailSpec
    overall: Evaluation
    years: tuple[tuple[int, Evaluation], ...]
    status: str
    fixes: tuple[Fix, ...]


def measure(spec: GuardrailSpec, summary: LoadSummary) -> float | None:
    """The value of the spec's metric in `summary`: h/week for study load, percent for shares.

    The sync share is taken among online hours only; qualitative guardrails have no value (None).
    """
    if spec.metric == "study_load":
        return summary.hours_per_week
    if spec.metric == "face_to_face_share":
        return 100 * summary.modality["face_to_face"]
    if spec.metric == "sync_share":
        return 100 * summary.online["synchronous"]
    if spec.metric == "learning_type_share":
        return 100 * summary.learning_types[spec.key]
    if spec.metric == "with_whom_share":
        return 100 * summary.with_whom[spec.key]
    return None


def status_for(value: float, spec: GuardrailSpec) -> tuple[str, float]:
    """The status of `value` against the spec, and its gap: how far outside the target (0.0 when met).

    Within `tolerance` outside the target is "near", further is "breached"; the gap is
    rounded to 2 decimals.
    """
    if spec.comparator == "le":
        gap = value - spec.target
    elif spec.comparator == "ge":
        gap = spec.target - value
    else:
        gap = max(spec.target - value, value - spec.target_high)
    if gap <= EPSILON:
        return "met", 0.0
    if gap <= spec.tolerance + EPSILON:
        return "near", round(gap, 2)
    return "breached", round(gap, 2)


def worst(statuses: Iterable[str]) -> str:
    """The worst of `statuses` ("breached" over "near" over "met"); "met" when there are none.

    Raises ValueError for a status outside STATUSES.
    """
    return max(statuses, key=STATUSES.index, default="met")


def target_from_poll_mean(values: Sequence[float]) -> float:
    """The arithmetic mean of poll answers, rounded to 2 decimals: the target a poll adopts.

    Raises ValueError when nobody answered.
    """
    if not values:
        raise ValueError("a poll without answers has no mean")
    return round(fmean(values), 2)


def evaluate(
    spec: GuardrailSpec,
    years: Mapping[int, Sequence[ActivityLoad]],
    weeks_per_year: float,
    load: dict | None = None,
) -> GuardrailResult | None:
    """The guardrail's status per year and overall, with a fix for every year that misses.

    `years` maps a year number to its activities; `load` is their programmes.domain.study_load
    when the caller has it already (it is computed otherwise). None for a qualitative guardrail.
    """
    if spec.metric == "qualitative":
        return None
    return _evaluate(spec, load or study_load(years, weeks_per_year), years, weeks_per_year)


def evaluate_all(
    specs: Iterable[GuardrailSpec], years: Mapping[int, Sequence[ActivityLoad]], weeks_per_year: float
) -> list[GuardrailResult]:
    """`evaluate` for every computable spec, in order; qualitative guardrails are left out."""
    load = study_load(years, weeks_per_year)
    return [_evaluate(spec, load, years, weeks_per_year) for spec in specs if spec.metric != "qualitative"]


def _evaluate(
    spec: GuardrailSpec,
    load: dict,
    years: Mapping[int, Sequence[ActivityLoad]],
    weeks_per_year: float,
) -> GuardrailResult:
    overall = _evaluation(spec, load["overall"])
    per_year = tuple((number, _evaluation(spec, summary)) for number, summary in load["years"].items())
    fixes = tuple(
        _fix(spec, number, evaluation.value, years[number], weeks_per_year)
        for number, evaluation in per_year
        if evaluation.status != "met"
    )
    status = worst([overall.status, *(evaluation.status for _, evaluation in per_year)])
    return GuardrailResult(spec=spec, overall=overall, years=per_year, status=status, fixes=fixes)


def _evaluation(spec: GuardrailSpec, summary: LoadSummary) -> Evaluation:
    # Judge the rounded value people see, so a shown "3.0" is never a breach.
    value = round(measure(spec, summary), 2)
    status, gap = status_for(value, spec)
    return Evaluation(value=value, status=status, gap=gap)


def _fix(
    spec: GuardrailSpec, year: int, value: float, activities: Sequence[ActivityLoad], weeks_per_year: float
) -> Fix:
    # A "between" guardrail is missed on one side only: move to the bound on that side.
    above_range = spec.comparator == "between" and value > spec.target_high
    bound = spec.target_high if above_range else spec.target
    change = round(bound - value, 2)
    hours = 0.0
    contributors: tuple[tuple[str, float], ...] = ()
    if spec.metric == "study_load":
        hours = round(abs(change) * weeks_per_year, 1)
        if change < 0:
            contributors = tuple(
                (activity.title, round(activity.total_hours, 1))
                for activity in largest_contributors(activities, _CONTRIBUTOR_COUNT)
            )
    return Fix(year=year, change=change, hours=hours, contributors=contributors)


@dataclass(frozen=True)
class Proposal:
    """A guardrail a poll result suggests; the fields of the guardrail to create."""

    metric: str
    comparator: str
    target: float | None
    target_high: float | None = None
    tolerance: float = 0.0
    key: str = ""
    kind: str = "hard"


# How wide the band around a voted share is, in percentage points, and its "near" margin.
SHARE_BAND = 10.0
SHARE_TOLERANCE = 5.0
STUDY_LOAD_TOLERANCE = 0.2


def _share_band(metric: str, mean: float, key: str = "") -> Proposal:
    return Proposal(
        metric=metric,
        comparator="between",
        target=round(max(0.0, mean - SHARE_BAND), 1),
        target_high=round(min(100.0, mean + SHARE_BAND), 1),
        tolerance=SHARE_TOLERANCE,
        key=key,
    )


def proposals_from_result(topic: str, kind: str, values: Sequence[float] = (), split=()) -> list[Proposal]:
    """The guardrails a poll result suggests, by what the question measures (`topic`).

    - hours per week (number) → study load ≤ the mean answer (the seed: 2,2,2,4,4,4 → ≤ 3);
    - share of face-to-face / of synchronous online (number, in %) → between mean ± 10 points;
    - a 100-point split over learning types or with-whom groups → per option, between its
      average ± 10 points (options averaging 0 are left out);
    - anything else → one soft, qualitative guardrail (its text comes from the result).
    Raises ValueError for a number topic nobody answered.
    """
    if kind == "number" and topic == "study_load":
        return [Proposal("study_load", "le", target_from_poll_mean(values), tolerance=STUDY_LOAD_TOLERANCE)]
    if kind == "number" and topic in ("face_to_face_share", "sync_share"):
        return [_share_band(topic, target_from_poll_mean(values))]
    if kind == "split" and topic in ("learning_types", "with_whom"):
        metric = "learning_type_share" if topic == "learning_types" else "with_whom_share"
        return [_share_band(metric, average, key) for key, average in split if average > 0]
    return [Proposal("qualitative", "le", None, kind="soft")]
