"""The kickoff poll: answer validation and results of workshops/domain.py.

The numbers follow the seed's kickoff: six participants answer "hours a week" on a 0–8 scale,
three say 2 and three say 4, so the mean is 3 and the hours guardrail becomes "≤ 3 h/week".
"""

from __future__ import annotations

import pytest

from programmes.domain import LEARNING_TYPES
from workshops.domain import (
    ANSWER_ERROR_CODES,
    QUESTION_KINDS,
    AnswerError,
    NumberResult,
    OptionCount,
    Word,
    borda_result,
    can_place_dot,
    choice_result,
    clean_answer,
    grade_summary,
    number_result,
    seconds_left,
    session_states,
    split_result,
    word_cloud,
)

MODALITIES = ("face_to_face", "online_sync", "online_async")
WITH_WHOM = ("peers", "own_team", "partners", "director_policy", "external_experts")


# --- number ----------------------------------------------------------------------------


def test_number_result_seed_hours_split_between_2_and_4():
    result = number_result([2, 2, 2, 4, 4, 4], minimum=0, maximum=8, step=1)

    assert result == NumberResult(
        count=6,
        mean=3.0,
        median=3.0,
        histogram=((0, 0), (1, 0), (2, 3), (3, 0), (4, 3), (5, 0), (6, 0), (7, 0), (8, 0)),
    )


def test_number_result_no_answers():
    result = number_result([], minimum=0, maximum=8, step=2)

    assert result == NumberResult(count=0, mean=None, median=None, histogram=((0, 0), (2, 0), (4, 0), (6, 0), (8, 0)))


def test_number_result_mean_and_median_rounded_to_2_decimals():
    result = number_result([1, 2, 2], minimum=0, maximum=8, step=1)

    assert (result.mean, result.median) == (1.67, 2.0)


def test_number_result_answers_snap_to_nearest_step_halves_up():
    result = number_result([2.4, 2.5, 3.49], minimum=0, maximum=4, step=1)

    assert result.histogram == ((0, 0), (1, 0), (2, 1), (3, 2), (4, 0))


def test_number_result_decimal_step_labels_without_float_noise():
    result = number_result([0.3, 0.3, 0.7], minimum=0, maximum=1, step=0.1)

    assert [label for label, _ in result.histogram] == [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
    assert dict(result.histogram)[0.3] == 2
    assert dict(result.histogram)[0.7] == 1


def test_number_result_maximum_off_the_step_grid_stops_at_last_step():
    result = number_result([10], minimum=0, maximum=10, step=3)

    assert result.histogram == ((0, 0), (3, 0), (6, 0), (9, 1))


def test_number_result_values_outside_the_scale_land_in_the_edge_buckets():
    result = number_result([-1, 9], minimum=0, maximum=8, step=4)

    assert result.histogram == ((0, 1), (4, 0), (8, 1))


def test_number_result_bucket_guard_above_50_steps():
    result = number_result([0, 19, 20, 500, 1000], minimum=0, maximum=1000, step=1)

    assert len(result.histogram) == 50
    assert [label for label, _ in result.histogram[:3]] == [0, 20, 40]
    assert result.histogram[-1] == (980, 1)
    assert result.histogram[0] == (0, 2)
    assert result.histogram[1] == (20, 1)
    assert dict(result.histogram)[500] == 1
    assert sum(count for _, count in result.histogram) == 5


def test_number_result_bucket_guard_not_at_exactly_50_steps():
    result = number_result([50], minimum=0, maximum=50, step=1)

    assert len(result.histogram) == 51
    assert result.histogram[-1] == (50, 1)


def test_number_result_non_positive_step_is_a_programming_error():
    with pytest.raises(ValueError, match="step"):
        number_result([1], minimum=0, maximum=8, step=0)


# --- single and multiple choice --------------------------------------------------------


def test_choice_result_single_choice_shares():
    answers = ["face_to_face", "face_to_face", "online_sync", "face_to_face", "online_async"]

    result = choice_result(answers, MODALITIES)

    assert result == (
        OptionCount(option="face_to_face", count=3, share=0.6),
        OptionCount(option="online_sync", count=1, share=0.2),
        OptionCount(option="online_async", count=1, share=0.2),
    )


def test_choice_result_multiple_choice_shares_of_respondents():
    answers = [["peers", "own_team"], ["peers"], ["peers", "partners"]]

    result = choice_result(answers, WITH_WHOM)

    assert [(item.option, item.count, item.share) for item in result] == [
        ("peers", 3, 1.0),
        ("own_team", 1, 0.3333),
        ("partners", 1, 0.3333),
        ("director_policy", 0, 0.0),
        ("external_experts", 0, 0.0),
    ]
    assert round(sum(item.share for item in result), 4) == 1.6666


def test_choice_result_unknown_options_ignored_and_repeats_counted_once():
    answers = [["peers", "peers", "neighbours"], ["own_team"]]

    result = choice_result(answers, ("peers", "own_team"))

    assert result == (OptionCount("peers", 1, 0.5), OptionCount("own_team", 1, 0.5))


def test_choice_result_no_answers():
    assert choice_result([], MODALITIES) == tuple(OptionCount(option, 0, 0.0) for option in MODALITIES)


# --- word cloud ------------------------------------------------------------------------


def test_word_cloud_normalises_case_and_whitespace_showing_the_common_spelling():
    answers = [["  Zorg "], ["zorg"], ["zorg"], ["samen   leren"], ["Samen leren"], ["Samen leren"], ["", "   "]]

    assert word_cloud(answers) == (
        Word(text="Samen leren", count=3, weight=3),
        Word(text="zorg", count=3, weight=3),
    )


def test_word_cloud_same_word_twice_in_one_answer_counts_once():
    answers = [["team", "Team", "TEAM"], ["team", "tijd"]]

    assert word_cloud(answers) == (Word("team", 2, 5), Word("tijd", 1, 1))


def test_word_cloud_weights_scale_linearly_from_1_to_5():
    counts = {"tijd": 5, "team": 4, "zorg": 3, "wijk": 2, "rust": 1}
    answers = [[word] for word, count in counts.items() for _ in range(count)]

    result = word_cloud(answers)

    assert [(word.text, word.count, word.weight) for word in result] == [
        ("tijd", 5, 5),
        ("team", 4, 4),
        ("zorg", 3, 3),
        ("wijk", 2, 2),
        ("rust", 1, 1),
    ]


def test_word_cloud_weights_round_between_extremes():
    # team: 1 + 4 * (4 - 1) / (9 - 1) = 2.5, rounded half up to 3.
    answers = [["tijd"]] * 9 + [["team"]] * 4 + [["rust"]]

    assert [word.weight for word in word_cloud(answers)] == [5, 3, 1]


def test_word_cloud_ties_alphabetical_and_limit():
    answers = [["wijk", "zorg", "anker", "team"]]

    assert [word.text for word in word_cloud(answers, limit=3)] == ["anker", "team", "wijk"]


def test_word_cloud_no_answers():
    assert word_cloud([]) == ()


# --- 100-point split -------------------------------------------------------------------


def test_split_result_learning_type_averages():
    answers = [
        {
            "acquisition": 30,
            "investigation": 10,
            "practice": 20,
            "discussion": 20,
            "collaboration": 10,
            "production": 10,
        },
        {
            "acquisition": 20,
            "investigation": 20,
            "practice": 20,
            "discussion": 20,
            "collaboration": 10,
            "production": 10,
        },
        {"acquisition": 10, "practice": 40, "discussion": 20, "collaboration": 30},
    ]

    assert split_result(answers, LEARNING_TYPES) == (
        ("acquisition", 20.0),
        ("investigation", 10.0),
        ("practice", 26.7),
        ("discussion", 20.0),
        ("collaboration", 16.7),
        ("production", 6.7),
    )


def test_split_result_face_to_face_versus_online():
    answers = [
        {"face_to_face": 70, "online": 30},
        {"face_to_face": 50, "online": 50},
        {"face_to_face": 60, "online": 40},
    ]

    assert split_result(answers, ("face_to_face", "online")) == (("face_to_face", 60.0), ("online", 40.0))


def test_split_result_no_answers():
    assert split_result([], ("synchronous", "asynchronous")) == (("synchronous", 0.0), ("asynchronous", 0.0))


# --- ranking ---------------------------------------------------------------------------


def test_borda_result_three_rankers():
    rankings = [
        ["face_to_face", "online_sync", "online_async"],
        ["online_sync", "face_to_face", "online_async"],
        ["face_to_face", "online_async", "online_sync"],
    ]

    assert borda_result(rankings, MODALITIES) == (("face_to_face", 5), ("online_sync", 3), ("online_async", 1))


def test_borda_result_ties_keep_option_order_and_missing_options_get_nothing():
    rankings = [["online_async", "online_sync"], ["online_sync", "online_async"]]

    assert borda_result(rankings, MODALITIES) == (("online_sync", 3), ("online_async", 3), ("face_to_face", 0))


def test_borda_result_no_rankings():
    assert borda_result([], MODALITIES) == (("face_to_face", 0), ("online_sync", 0), ("online_async", 0))


# --- clean_answer: accepted answers ----------------------------------------------------


def test_clean_answer_number_dutch_decimal_comma():
    assert clean_answer("number", "3,5", minimum=0, maximum=8, step=0.5) == 3.5


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("3", 3.0), (" 4.5 ", 4.5), (2, 2.0), (0.5, 0.5), (",5", 0.5), ("8", 8.0), ("0", 0.0)],
)
def test_clean_answer_number_accepted(raw, expected):
    assert clean_answer("number", raw, minimum=0, maximum=8, step=0.5) == expected


def test_clean_answer_number_on_a_decimal_step_within_tolerance():
    # 0.3 / 0.1 is 2.9999999999999996 in binary floating point.
    assert clean_answer("number", "0,3", minimum=0, maximum=1, step=0.1) == 0.3


def test_clean_answer_number_without_bounds_or_step():
    assert clean_answer("number", "-12,25") == -12.25


def test_clean_answer_single_strips_the_choice():
    assert clean_answer("single", " online_sync ", options=MODALITIES) == "online_sync"


def test_clean_answer_multiple_returns_options_in_their_order():
    assert clean_answer("multiple", ["partners", "peers"], options=WITH_WHOM) == ["peers", "partners"]


def test_clean_answer_multiple_accepts_one_string():
    assert clean_answer("multiple", "peers", options=WITH_WHOM) == ["peers"]


def test_clean_answer_words_from_one_string_split_on_commas_and_newlines():
    assert clean_answer("words", " zorg, samen  leren\nteam,") == ["zorg", "samen leren", "team"]


def test_clean_answer_words_list_drops_blank_fields():
    assert clean_answer("words", ["tijd", "", "  rust "]) == ["tijd", "rust"]


def test_clean_answer_split_fills_missing_options_with_zero():
    raw = {"acquisition": 40, "practice": "35", "discussion": 25.0, "production": ""}

    assert clean_answer("split", raw, options=LEARNING_TYPES) == {
        "acquisition": 40,
        "investigation": 0,
        "practice": 35,
        "discussion": 25,
        "collaboration": 0,
        "production": 0,
    }


def test_clean_answer_ranking_keeps_the_participants_order():
    raw = ("online_async", "face_to_face", "online_sync")

    assert clean_answer("ranking", raw, options=MODALITIES) == ["online_async", "face_to_face", "online_sync"]


# --- clean_answer: refused answers -----------------------------------------------------

REFUSED = [
    ("number", "", {}, "empty"),
    ("number", None, {}, "empty"),
    ("number", "drie", {}, "not_a_number"),
    ("number", "3,5,1", {}, "not_a_number"),
    ("number", "1e3", {}, "not_a_number"),
    ("number", float("nan"), {}, "not_a_number"),
    ("number", True, {}, "not_a_number"),
    ("number", "9", {"minimum": 0, "maximum": 8}, "out_of_range"),
    ("number", -1, {"minimum": 0}, "out_of_range"),
    ("number", "2,5", {"minimum": 0, "maximum": 8, "step": 1}, "off_step"),
    ("single", "  ", {"options": MODALITIES}, "empty"),
    ("single", ["online_sync"], {"options": MODALITIES}, "wrong_type"),
    ("single", "hybrid", {"options": MODALITIES}, "unknown_option"),
    ("multiple", [], {"options": WITH_WHOM}, "empty"),
    ("multiple", {"peers": True}, {"options": WITH_WHOM}, "wrong_type"),
    ("multiple", ["peers", "family"], {"options": WITH_WHOM}, "unknown_option"),
    ("multiple", ["peers", "peers"], {"options": WITH_WHOM}, "duplicate_option"),
    ("words", ["", " "], {}, "empty"),
    ("words", ", ,\n", {}, "empty"),
    ("words", 42, {}, "wrong_type"),
    ("words", ["zorg", 7], {}, "wrong_type"),
    ("words", "tijd, team, zorg, rust", {}, "too_many_words"),
    ("words", ["a" * 41], {}, "too_long"),
    ("split", None, {"options": LEARNING_TYPES}, "empty"),
    ("split", [("practice", 100)], {"options": LEARNING_TYPES}, "wrong_type"),
    ("split", {"gaming": 100}, {"options": LEARNING_TYPES}, "unknown_option"),
    ("split", {"practice": "veel"}, {"options": LEARNING_TYPES}, "not_a_number"),
    ("split", {"practice": 50.5, "discussion": 49.5}, {"options": LEARNING_TYPES}, "not_a_number"),
    ("split", {"practice": 110, "discussion": -10}, {"options": LEARNING_TYPES}, "out_of_range"),
    ("split", {"practice": 60, "discussion": 30}, {"options": LEARNING_TYPES}, "split_sum"),
    ("split", {}, {"options": LEARNING_TYPES}, "split_sum"),
    ("ranking", [], {"options": MODALITIES}, "empty"),
    ("ranking", "face_to_face", {"options": MODALITIES}, "wrong_type"),
    ("ranking", ["face_to_face", "online_sync", "hybrid"], {"options": MODALITIES}, "unknown_option"),
    ("ranking", ["face_to_face", "face_to_face", "online_sync"], {"options": MODALITIES}, "duplicate_rank"),
    ("ranking", ["face_to_face", "online_sync"], {"options": MODALITIES}, "missing_rank"),
]


@pytest.mark.parametrize(("kind", "raw", "kwargs", "code"), REFUSED)
def test_clean_answer_refused_with_code(kind, raw, kwargs, code):
    with pytest.raises(AnswerError) as excinfo:
        clean_answer(kind, raw, **kwargs)

    assert excinfo.value.code == code
    assert str(excinfo.value) == excinfo.value.message
    assert excinfo.value.message.endswith(".")


def test_clean_answer_refusals_cover_every_code_and_kind():
    assert {code for *_, code in REFUSED} == set(ANSWER_ERROR_CODES)
    assert {kind for kind, *_ in REFUSED} == set(QUESTION_KINDS)


def test_clean_answer_out_of_range_message_names_the_scale():
    with pytest.raises(AnswerError) as excinfo:
        clean_answer("number", "8,5", minimum=0, maximum=8, step=0.5)

    assert excinfo.value.message == "Enter a number between 0 and 8."


def test_clean_answer_off_step_message_names_the_nearest_steps():
    with pytest.raises(AnswerError) as excinfo:
        clean_answer("number", "3,25", minimum=0, maximum=8, step=0.5)

    assert excinfo.value.message == "Enter a number in steps of 0.5 from 0, such as 3 or 3.5."


def test_clean_answer_split_sum_message_gives_the_total():
    with pytest.raises(AnswerError) as excinfo:
        clean_answer("split", {"practice": 60, "discussion": 30}, options=LEARNING_TYPES)

    assert excinfo.value.message == "Your points add up to 90; make them add up to exactly 100."


def test_clean_answer_missing_rank_message_names_the_missing_options():
    with pytest.raises(AnswerError) as excinfo:
        clean_answer("ranking", ["online_sync"], options=MODALITIES)

    assert excinfo.value.message == "Also give a place to: face_to_face, online_async."


def test_clean_answer_words_custom_limits():
    assert clean_answer("words", "a, b, c, d", max_words=4) == ["a", "b", "c", "d"]
    with pytest.raises(AnswerError) as excinfo:
        clean_answer("words", "samenwerking", max_word_length=10)

    assert excinfo.value.code == "too_long"


def test_answer_error_is_a_value_error():
    assert issubclass(AnswerError, ValueError)


def test_clean_answer_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown question kind") as excinfo:
        clean_answer("slider", 3)

    assert not isinstance(excinfo.value, AnswerError)


# --- sessions, dots, grades ---------------------------------------------------------------


def test_session_states_done_now_next_later():

    sessions = [
        ("framing", True, True),
        ("kickoff", True, True),
        ("relay 1", True, False),
        ("relay 2", False, False),
        ("final", False, False),
    ]

    assert session_states(sessions) == ["done", "done", "now", "next", "later"]


def test_session_states_nothing_started_makes_the_first_next():

    assert session_states([("a", False, False), ("b", False, False)]) == ["next", "later"]


def test_seconds_left_runs_negative_when_over_time():

    assert seconds_left(15, 600) == 300
    assert seconds_left(15, 960) == -60


def test_can_place_dot_one_per_card_five_per_voter():

    assert can_place_dot(4, already_on_card=False) is True
    assert can_place_dot(5, already_on_card=False) is False
    assert can_place_dot(0, already_on_card=True) is False


def test_grade_summary_of_twelve_team_managers():

    summary = grade_summary([7, 8, 7, 6, 8, 9, 7, 7, 8, 6, 7, 8])

    assert summary.count == 12
    assert summary.mean == 7.3
    assert summary.median == 7.0
    assert dict(summary.distribution) == {1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 2, 7: 5, 8: 4, 9: 1, 10: 0}


def test_grade_summary_without_grades():

    summary = grade_summary([])

    assert (summary.count, summary.mean, summary.median) == (0, None, None)
