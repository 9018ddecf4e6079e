"""Study load, mixes, stage timeline and ordering: the pure functions of programmes/domain.py.

The numbers follow the seed case of a neighbourhood team: intervision 2 h contact + 1 h
preparation, ten times a year; a case clinic 1.5 + 0.5 + 0.5 h, eight times; 40 learning weeks.
"""

from __future__ import annotations

import pytest

from programmes.domain import (
    LEARNING_TYPES,
    MODALITIES,
    WITH_WHOM,
    ActivityLoad,
    largest_contributors,
    learning_type_mix,
    modality_mix,
    move_item,
    online_mix,
    shares,
    stage_timeline,
    study_load,
    summarise,
    with_whom_mix,
)
from programmes.models import Stage

WEEKS = 40


def load(
    contact: float,
    prep: float,
    extra: float,
    occurrences: int,
    learning_type: str = "discussion",
    modality: str = "face_to_face",
    with_whom: tuple[str, ...] = ("peers",),
    title: str = "",
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


def intervision(**fields) -> ActivityLoad:
    """2 + 1 + 0 h, ten times: 30 h."""
    return load(2, 1, 0, 10, title="Intervisie", **fields)


def case_clinic(**fields) -> ActivityLoad:
    """1.5 + 0.5 + 0.5 h, eight times: 20 h."""
    return load(1.5, 0.5, 0.5, 8, title="Casuïstiek", **fields)


def test_total_hours_is_hours_per_occurrence_times_occurrences():
    activity = case_clinic()

    assert activity.total_hours == 20.0


def test_summarise_divides_all_hours_by_learning_weeks():
    activities = [intervision(), case_clinic()]

    summary = summarise(activities, WEEKS)

    assert summary.total_hours == 50.0
    assert summary.hours_per_week == 1.25


def test_summarise_empty_year_is_zero_load_and_zero_shares():
    summary = summarise([], WEEKS)

    assert summary.total_hours == 0
    assert summary.hours_per_week == 0.0
    assert summary.modality == dict.fromkeys(MODALITIES, 0.0)
    assert summary.online == {"synchronous": 0.0, "asynchronous": 0.0}
    assert summary.learning_types == dict.fromkeys(LEARNING_TYPES, 0.0)
    assert summary.with_whom == dict.fromkeys(WITH_WHOM, 0.0)


@pytest.mark.parametrize("weeks", [0, -1, -40])
def test_summarise_weeks_not_positive_raises(weeks):
    with pytest.raises(ValueError, match="weeks must be positive"):
        summarise([intervision()], weeks)


def test_summarise_as_dict_rounds_hours_to_two_decimals():
    # 10 h over 3 weeks is 3.333… h/week.
    summary = summarise([load(1, 0, 0, 10)], 3)

    data = summary.as_dict()

    assert data["total_hours"] == 10.0
    assert data["hours_per_week"] == 3.33


def test_study_load_per_year_and_overall():
    years = {1: [intervision(), case_clinic()], 2: [intervision()], 3: []}

    result = study_load(years, WEEKS)

    assert list(result["years"]) == [1, 2, 3]
    assert result["years"][1].hours_per_week == 1.25
    assert result["years"][2].hours_per_week == 0.75
    assert result["years"][3].hours_per_week == 0.0
    # 80 h over 3 × 40 weeks.
    assert result["overall"].total_hours == 80.0
    assert result["overall"].hours_per_week == pytest.approx(80 / 120)


def test_study_load_overall_is_mean_of_yearly_loads():
    years = {1: [intervision(), case_clinic()], 2: [intervision()], 3: [], 4: [case_clinic(), case_clinic()]}

    result = study_load(years, WEEKS)

    yearly = [summary.hours_per_week for summary in result["years"].values()]
    assert yearly == [1.25, 0.75, 0.0, 1.0]
    assert result["overall"].hours_per_week == pytest.approx(sum(yearly) / len(yearly))


def test_study_load_no_years_is_zero():
    result = study_load({}, WEEKS)

    assert result["years"] == {}
    assert result["overall"].hours_per_week == 0.0


def test_modality_mix_is_hour_weighted():
    # 30 h face-to-face, 20 h online synchronous, 10 h online asynchronous.
    activities = [
        intervision(),
        case_clinic(modality="online_sync"),
        load(1, 0, 0, 10, modality="online_async"),
    ]

    mix = modality_mix(activities)

    assert mix == pytest.approx({"face_to_face": 0.5, "online_sync": 1 / 3, "online_async": 1 / 6})


def test_modality_mix_one_long_activity_outweighs_many_short_ones():
    # One 10 h face-to-face activity against ten 1 h online ones: occurrences and hours count, not rows.
    activities = [load(10, 0, 0, 1)] + [load(1, 0, 0, 1, modality="online_async") for _ in range(10)]

    mix = modality_mix(activities)

    assert mix == {"face_to_face": 0.5, "online_sync": 0.0, "online_async": 0.5}


def test_online_mix_ignores_face_to_face_hours():
    # 30 h face-to-face must not dilute the online split of 20 h sync vs 10 h async.
    activities = [
        intervision(),
        case_clinic(modality="online_sync"),
        load(1, 0, 0, 10, modality="online_async"),
    ]

    mix = online_mix(activities)

    assert mix == pytest.approx({"synchronous": 2 / 3, "asynchronous": 1 / 3})


def test_online_mix_only_face_to_face_is_all_zero():
    mix = online_mix([intervision(), case_clinic()])

    assert mix == {"synchronous": 0.0, "asynchronous": 0.0}


def test_learning_type_mix_is_hour_weighted():
    activities = [intervision(learning_type="discussion"), case_clinic(learning_type="practice")]

    mix = learning_type_mix(activities)

    assert mix == {
        "acquisition": 0.0,
        "investigation": 0.0,
        "practice": 0.4,
        "discussion": 0.6,
        "collaboration": 0.0,
        "production": 0.0,
    }


def test_with_whom_mix_splits_hours_equally_over_groups():
    # Intervision 30 h with peers only; case clinic 20 h split over own team and partners (10 h each).
    activities = [intervision(with_whom=("peers",)), case_clinic(with_whom=("own_team", "partners"))]

    mix = with_whom_mix(activities)

    assert mix == {
        "peers": 0.6,
        "own_team": 0.2,
        "partners": 0.2,
        "director_policy": 0.0,
        "external_experts": 0.0,
    }
    assert sum(mix.values()) == pytest.approx(1.0)


def test_with_whom_mix_three_groups_sum_to_one():
    activities = [load(1, 0, 0, 10, with_whom=("peers", "partners", "external_experts")), intervision()]

    mix = with_whom_mix(activities)

    assert mix["peers"] == pytest.approx((10 / 3 + 30) / 40)
    assert mix["partners"] == pytest.approx((10 / 3) / 40)
    assert sum(mix.values()) == pytest.approx(1.0)


def test_with_whom_mix_activity_without_groups_is_left_out():
    # The 20 h clinic names no group, so peers take the whole share.
    activities = [intervision(with_whom=("peers",)), case_clinic(with_whom=())]

    mix = with_whom_mix(activities)

    assert mix["peers"] == 1.0
    assert sum(mix.values()) == 1.0


def test_with_whom_mix_unknown_group_is_ignored():
    # "manager" is not a known group: the hours go to the known group only.
    activities = [case_clinic(with_whom=("own_team", "manager"))]

    mix = with_whom_mix(activities)

    assert mix["own_team"] == 1.0
    assert "manager" not in mix


def test_shares_without_weight_are_all_zero():
    result = shares({}, ("a", "b"))

    assert result == {"a": 0.0, "b": 0.0}


def test_shares_ignore_keys_outside_the_list():
    result = shares({"a": 3.0, "b": 1.0, "c": 100.0}, ("a", "b"))

    assert result == {"a": 0.75, "b": 0.25}


def test_largest_contributors_largest_first():
    small = load(1, 0, 0, 1, title="small")  # 1 h
    large = load(4, 0, 0, 10, title="large")  # 40 h
    middle = load(2, 1, 0, 10, title="middle")  # 30 h
    tiny = load(0.5, 0, 0, 1, title="tiny")  # 0.5 h

    result = largest_contributors([small, large, middle, tiny])

    assert [a.title for a in result] == ["large", "middle", "small"]


def test_largest_contributors_ties_keep_their_order():
    first = load(2, 1, 0, 10, title="first")
    second = load(3, 0, 0, 10, title="second")
    third = load(1, 0, 0, 1, title="third")

    result = largest_contributors([third, first, second], count=2)

    assert [a.title for a in result] == ["first", "second"]


def test_stage_timeline_marks_done_now_next_later():
    result = stage_timeline(Stage.RELAY, Stage.values)

    assert result == [
        ("framing", "done"),
        ("kickoff", "done"),
        ("relay", "now"),
        ("final", "next"),
        ("running", "later"),
    ]


def test_stage_timeline_first_stage_has_nothing_done():
    result = stage_timeline("framing", Stage.values)

    assert result == [
        ("framing", "now"),
        ("kickoff", "next"),
        ("relay", "later"),
        ("final", "later"),
        ("running", "later"),
    ]


def test_stage_timeline_last_stage_has_no_next():
    result = stage_timeline("running", Stage.values)

    assert [state for _, state in result] == ["done", "done", "done", "done", "now"]


def test_stage_timeline_unknown_stage_starts_at_the_first():
    result = stage_timeline("unknown", ["a", "b", "c"])

    assert result == [("a", "now"), ("b", "next"), ("c", "later")]


def test_move_item_up_and_down():
    items = ["a", "b", "c", "d"]

    assert move_item(items, "c", -1) == ["a", "c", "b", "d"]
    assert move_item(items, "b", 1) == ["a", "c", "b", "d"]


def test_move_item_first_up_is_unchanged():
    assert move_item(["a", "b", "c"], "a", -1) == ["a", "b", "c"]


def test_move_item_last_down_is_unchanged():
    assert move_item(["a", "b", "c"], "c", 1) == ["a", "b", "c"]


def test_move_item_large_step_clamps_at_the_ends():
    assert move_item(["a", "b", "c"], "b", 10) == ["a", "c", "b"]
    assert move_item(["a", "b", "c"], "b", -10) == ["b", "a", "c"]


def test_move_item_leaves_the_input_alone():
    items = ["a", "b", "c"]

    move_item(items, "c", -1)

    assert items == ["a", "b", "c"]
