"""Guardrail status, gaps and fixes: the pure functions of guardrails/domain.py.

The seed case: at the kickoff the poll split evenly between 2 and 4 hours a week, so the
group adopted "study load ≤ 3 h/week". The brochure's year 2 added up to 136 h over 40
learning weeks, 3.4 h/week: that year breached the guardrail although the whole
programme (352 h over 120 weeks, 2.93 h/week) stayed under it.
"""

from __future__ import annotations

import pytest

from guardrails.domain import (
    COMPARATORS,
    METRICS,
    STATUSES,
    Evaluation,
    Fix,
    GuardrailSpec,
    evaluate,
    evaluate_all,
    measure,
    status_for,
    target_from_poll_mean,
    worst,
)
from programmes.domain import ActivityLoad, summarise

WEEKS = 40


def load(
    contact: float,
    prep: float,
    extra: float,
    occurrences: int,
    title: str = "",
    learning_type: str = "discussion",
    modality: str = "face_to_face",
    with_whom: tuple[str, ...] = ("peers",),
) -> ActivityLoad:
    return ActivityLoad(
        contact_hours=contact,
        prep_hours=prep,
        extra_hours=extra,
        occurrences=occurrences,
        learning_type=learning_type,
        modality=modality,
        with_whom=with_whom,
        title=title,
    )


def year_one() -> list[ActivityLoad]:
    """30 + 20 + 32 + 26 = 108 h: 2.7 h/week."""
    return [
        load(2, 1, 0, 10, "Intervisie"),
        load(1.5, 0.5, 0.5, 8, "Casuïstiek", learning_type="practice"),
        load(3, 1, 0, 8, "Masterclass jeugdstelsel", learning_type="acquisition"),
        load(2, 0.5, 0.75, 8, "Leerkring", learning_type="collaboration"),
    ]


def year_two() -> list[ActivityLoad]:
    """48 + 40 + 30 + 18 = 136 h: 3.4 h/week."""
    return [
        load(1, 0.5, 0, 12, "Werkplekleren", learning_type="practice", modality="online_async"),
        load(2, 1, 1, 12, "Leerkring met buurtteams", learning_type="collaboration", with_whom=("own_team",)),
        load(2, 1, 0, 10, "Intervisie"),
        load(1, 1, 2, 10, "Experiment in de driehoek", learning_type="investigation", with_whom=("partners",)),
    ]


def seed_years() -> dict[int, list[ActivityLoad]]:
    return {1: year_one(), 2: year_two(), 3: year_one()}


def hours_guardrail(tolerance: float = 0.25) -> GuardrailSpec:
    return GuardrailSpec("Studiebelasting", "study_load", "le", 3.0, tolerance=tolerance)


def between_spec() -> GuardrailSpec:
    return GuardrailSpec("Face-to-face", "face_to_face_share", "between", 50, target_high=70, tolerance=5)


def test_constants_are_ordered_as_agreed():
    assert METRICS == (
        "study_load",
        "face_to_face_share",
        "sync_share",
        "learning_type_share",
        "with_whom_share",
        "qualitative",
    )
    assert COMPARATORS == ("le", "ge", "between")
    assert STATUSES == ("met", "near", "breached")


def test_target_from_poll_mean_even_split_between_two_and_four_is_three():
    assert target_from_poll_mean([2, 2, 2, 4, 4, 4]) == 3.0


def test_target_from_poll_mean_rounds_to_two_decimals():
    assert target_from_poll_mean([2, 3, 3]) == 2.67


def test_target_from_poll_mean_no_answers_raises():
    with pytest.raises(ValueError, match="without answers"):
        target_from_poll_mean([])


def test_evaluate_seed_case_year_two_breached():
    result = evaluate(hours_guardrail(), seed_years(), WEEKS)

    assert result.years == (
        (1, Evaluation(value=2.7, status="met", gap=0.0)),
        (2, Evaluation(value=3.4, status="breached", gap=0.4)),
        (3, Evaluation(value=2.7, status="met", gap=0.0)),
    )


def test_evaluate_seed_case_breached_although_overall_met():
    result = evaluate(hours_guardrail(), seed_years(), WEEKS)

    assert result.overall == Evaluation(value=2.93, status="met", gap=0.0)
    assert result.status == "breached"


def test_evaluate_seed_case_fix_names_hours_and_largest_activities():
    result = evaluate(hours_guardrail(), seed_years(), WEEKS)

    assert result.fixes == (
        Fix(
            year=2,
            change=-0.4,
            hours=16.0,
            contributors=(
                ("Leerkring met buurtteams", 48.0),
                ("Experiment in de driehoek", 40.0),
                ("Intervisie", 30.0),
            ),
        ),
    )


def test_evaluate_seed_case_keeps_the_spec():
    spec = hours_guardrail()

    result = evaluate(spec, seed_years(), WEEKS)

    assert result.spec == spec


def test_evaluate_all_years_within_target_is_met_without_fixes():
    result = evaluate(hours_guardrail(), {1: year_one(), 2: year_one()}, WEEKS)

    assert result.status == "met"
    assert result.fixes == ()


def test_evaluate_near_year_gets_a_fix_too():
    # 128 h over 40 weeks is 3.2 h/week: within the 0.25 tolerance.
    years = {1: [*year_one(), load(2, 0, 0, 10, "Werkbezoek")]}

    result = evaluate(hours_guardrail(), years, WEEKS)

    assert result.years == ((1, Evaluation(value=3.2, status="near", gap=0.2)),)
    assert result.status == "near"
    assert result.fixes == (
        Fix(
            year=1,
            change=-0.2,
            hours=8.0,
            contributors=(("Masterclass jeugdstelsel", 32.0), ("Intervisie", 30.0), ("Leerkring", 26.0)),
        ),
    )


def test_evaluate_study_load_below_minimum_adds_hours_without_contributors():
    spec = GuardrailSpec("Minimaal leren", "study_load", "ge", 1.0, tolerance=0.25)
    years = {1: [load(2, 1, 0, 10, "Intervisie")]}  # 30 h: 0.75 h/week

    result = evaluate(spec, years, WEEKS)

    assert result.years == ((1, Evaluation(value=0.75, status="near", gap=0.25)),)
    assert result.fixes == (Fix(year=1, change=0.25, hours=10.0, contributors=()),)


def test_status_for_exactly_on_target_is_met():
    assert status_for(3.0, hours_guardrail()) == ("met", 0.0)


def test_status_for_float_noise_on_target_is_met():
    # 0.1 + 0.2 is 0.30000000000000004 in floating point.
    spec = GuardrailSpec("Klein", "study_load", "le", 0.3)

    assert status_for(0.1 + 0.2, spec) == ("met", 0.0)


def test_status_for_le_within_tolerance_is_near():
    assert status_for(3.2, hours_guardrail(tolerance=0.25)) == ("near", 0.2)


def test_status_for_le_on_edge_of_tolerance_is_near():
    assert status_for(3.25, hours_guardrail(tolerance=0.25)) == ("near", 0.25)


def test_status_for_le_beyond_tolerance_is_breached():
    assert status_for(3.4, hours_guardrail(tolerance=0.25)) == ("breached", 0.4)


def test_status_for_le_without_tolerance_any_excess_is_breached():
    assert status_for(3.01, hours_guardrail(tolerance=0)) == ("breached", 0.01)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (80.0, ("met", 0.0)),
        (60.0, ("met", 0.0)),
        (57.0, ("near", 3.0)),
        (55.0, ("near", 5.0)),
        (50.0, ("breached", 10.0)),
    ],
)
def test_status_for_ge_either_side_of_target(value, expected):
    spec = GuardrailSpec("Face-to-face", "face_to_face_share", "ge", 60, tolerance=5)

    assert status_for(value, spec) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (50.0, ("met", 0.0)),
        (60.0, ("met", 0.0)),
        (70.0, ("met", 0.0)),
        (47.0, ("near", 3.0)),
        (73.0, ("near", 3.0)),
        (40.0, ("breached", 10.0)),
        (80.0, ("breached", 10.0)),
    ],
)
def test_status_for_between_both_sides(value, expected):
    assert status_for(value, between_spec()) == expected


def test_measure_face_to_face_share_in_percent():
    # 30 h face-to-face and 10 h online.
    summary = summarise([load(2, 1, 0, 10), load(1, 0, 0, 10, modality="online_async")], WEEKS)
    spec = GuardrailSpec("Face-to-face", "face_to_face_share", "ge", 60)

    assert measure(spec, summary) == 75.0


def test_measure_sync_share_counts_online_hours_only():
    # 30 h face-to-face does not dilute 6 h synchronous against 18 h asynchronous.
    activities = [
        load(2, 1, 0, 10),
        load(1, 0.5, 0, 4, modality="online_sync"),
        load(1, 0.5, 0, 12, modality="online_async"),
    ]
    spec = GuardrailSpec("Synchroon", "sync_share", "ge", 40)

    assert measure(spec, summarise(activities, WEEKS)) == 25.0


def test_measure_learning_type_share_of_the_key():
    # 30 h discussion, 10 h practice.
    activities = [load(2, 1, 0, 10), load(1, 0, 0, 10, learning_type="practice")]
    spec = GuardrailSpec("Oefenen", "learning_type_share", "ge", 20, key="practice")

    assert measure(spec, summarise(activities, WEEKS)) == 25.0


def test_measure_with_whom_share_of_the_key():
    # 30 h with peers; 10 h split over own team and partners, 5 h each.
    activities = [load(2, 1, 0, 10), load(1, 0, 0, 10, with_whom=("own_team", "partners"))]
    spec = GuardrailSpec("Met partners", "with_whom_share", "ge", 20, key="partners")

    assert measure(spec, summarise(activities, WEEKS)) == 12.5


def test_measure_study_load_in_hours_per_week():
    summary = summarise(year_two(), WEEKS)

    assert measure(hours_guardrail(), summary) == 3.4


def test_measure_qualitative_is_none():
    spec = GuardrailSpec("Verankerd in het werk", "qualitative", "", 0)

    assert measure(spec, summarise(year_one(), WEEKS)) is None


def test_evaluate_share_below_minimum_fix_in_percentage_points():
    activities = [load(2, 1, 0, 10), load(1, 0, 0, 10, with_whom=("own_team", "partners"))]
    spec = GuardrailSpec("Met partners", "with_whom_share", "ge", 20, tolerance=5, key="partners")

    result = evaluate(spec, {1: activities}, WEEKS)

    assert result.overall == Evaluation(value=12.5, status="breached", gap=7.5)
    assert result.fixes == (Fix(year=1, change=7.5, hours=0.0, contributors=()),)


def test_evaluate_between_fix_moves_to_the_nearest_bound():
    face_to_face_heavy = [load(2, 1, 0, 10), load(1, 0, 0, 10, modality="online_async")]  # 75%
    online_heavy = [load(2, 0, 0, 10), load(3, 0, 0, 10, modality="online_sync")]  # 40%

    result = evaluate(between_spec(), {1: face_to_face_heavy, 2: online_heavy}, WEEKS)

    assert result.years == (
        (1, Evaluation(value=75.0, status="near", gap=5.0)),
        (2, Evaluation(value=40.0, status="breached", gap=10.0)),
    )
    assert result.fixes == (
        Fix(year=1, change=-5.0, hours=0.0, contributors=()),
        Fix(year=2, change=10.0, hours=0.0, contributors=()),
    )


def test_evaluate_qualitative_is_none():
    spec = GuardrailSpec("Verankerd in het werk", "qualitative", "", 0)

    assert evaluate(spec, seed_years(), WEEKS) is None


def test_evaluate_all_skips_qualitative_and_keeps_order():
    hours = hours_guardrail()
    soft = GuardrailSpec("Verankerd in het werk", "qualitative", "", 0)
    face_to_face = GuardrailSpec("Face-to-face", "face_to_face_share", "ge", 60, tolerance=5)
    years = seed_years()

    results = evaluate_all([hours, soft, face_to_face], years, WEEKS)

    assert results == [evaluate(hours, years, WEEKS), evaluate(face_to_face, years, WEEKS)]


def test_evaluate_all_no_specs_is_empty():
    assert evaluate_all([], seed_years(), WEEKS) == []


def test_evaluate_empty_years_value_zero():
    result = evaluate(hours_guardrail(), {1: [], 2: []}, WEEKS)

    assert result.overall == Evaluation(value=0.0, status="met", gap=0.0)
    assert result.years == (
        (1, Evaluation(value=0.0, status="met", gap=0.0)),
        (2, Evaluation(value=0.0, status="met", gap=0.0)),
    )
    assert result.fixes == ()


def test_evaluate_empty_years_share_minimum_breached():
    spec = GuardrailSpec("Face-to-face", "face_to_face_share", "ge", 60, tolerance=5)

    result = evaluate(spec, {1: []}, WEEKS)

    assert result.overall == Evaluation(value=0.0, status="breached", gap=60.0)
    assert result.fixes == (Fix(year=1, change=60.0, hours=0.0, contributors=()),)


def test_worst_empty_is_met():
    assert worst([]) == "met"


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["met", "met"], "met"),
        (["met", "near", "met"], "near"),
        (["near", "breached", "met"], "breached"),
        (("breached", "near"), "breached"),
    ],
)
def test_worst_picks_the_worst_status(statuses, expected):
    assert worst(statuses) == expected


def test_worst_unknown_status_raises():
    with pytest.raises(ValueError):
        worst(["met", "fine"])


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"metric": "hours", "comparator": "le", "target": 3}, "unknown metric"),
        ({"metric": "study_load", "comparator": "lt", "target": 3}, "unknown comparator"),
        ({"metric": "study_load", "comparator": "between", "target": 2}, "target_high"),
        ({"metric": "study_load", "comparator": "between", "target": 4, "target_high": 2}, "target_high"),
        ({"metric": "study_load", "comparator": "le", "target": 3, "tolerance": -1}, "tolerance"),
        ({"metric": "learning_type_share", "comparator": "ge", "target": 20}, "needs a key"),
        ({"metric": "with_whom_share", "comparator": "ge", "target": 20, "key": "family"}, "needs a key"),
    ],
)
def test_guardrail_spec_invalid_raises(fields, message):
    with pytest.raises(ValueError, match=message):
        GuardrailSpec(name="Vangrail", **fields)
