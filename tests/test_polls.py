"""The live poll through its views: joining on a phone, voting, bad input, rate limits,
the projector's and the phone's ETags, the facilitator's controls, and adopting a result.

Participants have no account: `Client()` without a login is one phone, and its signed
cookie (set by GET /join/<code>/) carries its token. The seed case: the hours question
split evenly between 2 and 4 h a week, so the group adopted "study load ≤ 3 h/week".
"""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from guardrails.models import Guardrail
from workshops.models import DesignSession, Participant, PollAnswer, PollQuestion, QuestionState
from workshops.presets import presets

CODE = "HVR7QK"
HOURS_PROMPT = "How many hours a week do you grant yourself for learning?"
WORDS_PROMPT = "In a few words: what worries you about learning next to your work?"
WITH_WHOM_OPTIONS = ["Peers", "Own team", "Neighbourhood partners"]
NOT_OPEN = "This question is not open. Look at the screen for the current one."
THANK_YOU = "Thank you, your answer is counted. You can change it while the question is open."
# A window of an hour: a test never straddles two fixed windows.
TIGHT_LIMITS = {"join": (2, 1000, 3600), "vote": (2, 1000, 3600)}


@pytest.fixture(autouse=True)
def _fresh_rate_limit_counts():
    # The rate limits count in the cache; no test may inherit another's hits.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def session(programme):
    return DesignSession.objects.create(programme=programme, title="Kickoff", join_code=CODE)


def add_question(session, state=QuestionState.OPEN, current=True, **fields) -> PollQuestion:
    order = session.questions.count() + 1
    question = PollQuestion.objects.create(session=session, order=order, state=state, **fields)
    if current:
        session.current_question = question
        session.save(update_fields=["current_question"])
    return question


def hours_question(session, **kwargs) -> PollQuestion:
    return add_question(session, **presets()["hours"], **kwargs)


def learning_types_question(session, **kwargs) -> PollQuestion:
    return add_question(session, **presets()["learning_types"], **kwargs)


def with_whom_question(session, kind="single", **kwargs) -> PollQuestion:
    return add_question(session, kind=kind, prompt="With whom do you learn best?", options=WITH_WHOM_OPTIONS, **kwargs)


def words_question(session, **kwargs) -> PollQuestion:
    return add_question(session, kind="words", prompt=WORDS_PROMPT, **kwargs)


QUESTIONS = {
    "number": lambda session: hours_question(session),
    "single": lambda session: with_whom_question(session, kind="single"),
    "multiple": lambda session: with_whom_question(session, kind="multiple"),
    "words": lambda session: words_question(session),
    "split": lambda session: learning_types_question(session),
    "ranking": lambda session: with_whom_question(session, kind="ranking"),
}


def joined_phone(session, **extra) -> Client:
    phone = Client()
    phone.get(reverse("participate", args=[session.join_code]), **extra)
    return phone


def vote(phone, question, data, **extra):
    return phone.post(reverse("vote", args=[question.session.join_code, question.pk]), data, **extra)


def page_text(response) -> str:
    """The visible text of a page: tags dropped, entities decoded, whitespace collapsed."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(text).split())


def stored_values(question) -> list:
    return list(PollAnswer.objects.filter(question=question).order_by("pk").values_list("value", flat=True))


def control_url(session) -> str:
    return reverse("poll_control", args=[session.programme.slug, session.pk])


def action(client, question, name: str):
    url = reverse("question_action", args=[question.session.programme.slug, question.session.pk, question.pk])
    return client.post(url, {"action": name})


# --- joining ---------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["hvr7qk", "hvr 7qk", " HVR-7QK "])
def test_join_code_in_lower_case_or_with_spaces_redirects_to_session(client, session, typed):
    response = client.post(reverse("join"), {"code": typed})

    assert response.status_code == 302
    assert response.url == f"/join/{CODE}/"


def test_join_wrong_code_keeps_typed_code_with_message(client, session):
    response = client.post(reverse("join"), {"code": "zzz999"})

    assert response.status_code == 200
    assert "No open session has this code. Check the code on the screen." in page_text(response)
    assert 'value="zzz999"' in response.content.decode()


def test_join_closed_session_is_refused_with_message(client, session):
    session.joinable = False
    session.save()

    response = client.post(reverse("join"), {"code": CODE})

    assert response.status_code == 200
    assert "No open session has this code. Check the code on the screen." in page_text(response)
    assert f'value="{CODE}"' in response.content.decode()


def test_join_too_short_code_says_how_long_a_code_is(client, session):
    response = client.post(reverse("join"), {"code": "hvr7"})

    assert response.status_code == 200
    assert "A code has 6 letters and digits, as shown on the screen." in page_text(response)
    assert 'value="hvr7"' in response.content.decode()


def test_participate_sets_signed_cookie_and_registers_phone(session):
    phone = Client()

    response = phone.get(reverse("participate", args=[CODE]))

    assert response.status_code == 200
    assert settings.PARTICIPANT_COOKIE in response.cookies
    assert Participant.objects.filter(session=session).count() == 1


def test_participate_twice_with_same_cookie_is_one_participant(session):
    phone = joined_phone(session)

    phone.get(reverse("participate", args=[CODE]))

    assert Participant.objects.filter(session=session).count() == 1


# --- voting ----------------------------------------------------------------------------------

# kind: (first answer posted, value stored, second answer posted, value that replaces it)
VOTES = {
    "number": ({"value": "3,5"}, 3.5, {"value": "2"}, 2.0),
    "single": ({"choice": "Own team"}, "Own team", {"choice": "Peers"}, "Peers"),
    "multiple": (
        {"choice": ["Neighbourhood partners", "Peers"]},
        ["Peers", "Neighbourhood partners"],
        {"choice": ["Own team"]},
        ["Own team"],
    ),
    "words": (
        {"word": ["werkdruk", " tijd ", ""]},
        ["werkdruk", "tijd"],
        {"word": ["planning", "", ""]},
        ["planning"],
    ),
    "split": (
        {"points-acquisition": "40", "points-practice": "60"},
        {
            "acquisition": 40,
            "investigation": 0,
            "practice": 60,
            "discussion": 0,
            "collaboration": 0,
            "production": 0,
        },
        {"points-discussion": "100"},
        {
            "acquisition": 0,
            "investigation": 0,
            "practice": 0,
            "discussion": 100,
            "collaboration": 0,
            "production": 0,
        },
    ),
    "ranking": (
        {"rank-Peers": "2", "rank-Own team": "1", "rank-Neighbourhood partners": "3"},
        ["Own team", "Peers", "Neighbourhood partners"],
        {"rank-Peers": "1", "rank-Own team": "3", "rank-Neighbourhood partners": "2"},
        ["Peers", "Neighbourhood partners", "Own team"],
    ),
}


@pytest.mark.parametrize("kind", sorted(VOTES))
def test_vote_stores_cleaned_value(session, kind):
    question = QUESTIONS[kind](session)
    posted, expected, _again, _replaced = VOTES[kind]
    phone = joined_phone(session)

    response = vote(phone, question, posted)

    assert response.status_code == 200
    assert THANK_YOU in page_text(response)
    assert stored_values(question) == [expected]


@pytest.mark.parametrize("kind", sorted(VOTES))
def test_vote_again_by_same_phone_replaces_answer(session, kind):
    question = QUESTIONS[kind](session)
    first, _stored, again, replaced = VOTES[kind]
    phone = joined_phone(session)
    vote(phone, question, first)

    response = vote(phone, question, again)

    assert response.status_code == 200
    assert stored_values(question) == [replaced]


def test_vote_by_two_phones_gives_two_answers(session):
    question = with_whom_question(session)
    first, second = joined_phone(session), joined_phone(session)

    vote(first, question, {"choice": "Peers"})
    vote(second, question, {"choice": "Own team"})

    assert stored_values(question) == ["Peers", "Own team"]


def test_database_refuses_second_answer_row_for_one_phone(session):
    question = with_whom_question(session)
    vote(joined_phone(session), question, {"choice": "Peers"})
    participant = Participant.objects.get(session=session)

    with pytest.raises(IntegrityError), transaction.atomic():
        PollAnswer.objects.create(question=question, participant=participant, value="Own team")

    assert stored_values(question) == ["Peers"]


def test_vote_with_htmx_returns_panel_with_thanks(session):
    question = hours_question(session)
    phone = joined_phone(session)

    response = vote(phone, question, {"value": "3"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert THANK_YOU in page_text(response)


# --- bad input -------------------------------------------------------------------------------


# case: (kind, answer posted, message the phone must show)
BAD_ANSWERS = {
    "out_of_range": ("number", {"value": "9"}, "Choose a number from 0 to 8."),
    "off_step": ("number", {"value": "3,3"}, "Choose a number in steps of 0.5, from 0 to 8."),
    "not_a_number": ("number", {"value": "abc"}, "Enter a number, for example 3 or 3.5."),
    "empty_number": ("number", {"value": " "}, "Give an answer first."),
    "split_not_100": (
        "split",
        {"points-acquisition": "40", "points-practice": "50"},
        "Your points add up to 90; make them add up to exactly 100.",
    ),
    "split_over_100": (
        "split",
        {"points-acquisition": "70", "points-practice": "50"},
        "Your points add up to 120; make them add up to exactly 100.",
    ),
    "ranking_duplicate_place": (
        "ranking",
        {"rank-Peers": "1", "rank-Own team": "1", "rank-Neighbourhood partners": "2"},
        "Give each option a different place.",
    ),
    "ranking_missing_place": (
        "ranking",
        {"rank-Peers": "1", "rank-Own team": "2", "rank-Neighbourhood partners": ""},
        "Give every option a place.",
    ),
    "word_too_long": ("words", {"word": ["w" * 41, "", ""]}, "Keep each word to 40 characters or fewer."),
    "four_words": ("words", {"word": ["tijd", "werkdruk", "planning", "rooster"]}, "Give at most three words."),
    "unknown_single_option": ("single", {"choice": "Director"}, "Choose one of the options shown."),
    "unknown_multiple_option": ("multiple", {"choice": ["Peers", "Director"]}, "Choose one of the options shown."),
}
# A valid first answer per kind, to prove a refused answer leaves it alone.
FIRST_ANSWERS = {kind: (posted, stored) for kind, (posted, stored, _again, _replaced) in VOTES.items()}


def bad_answer_params():
    params = []
    for case, (kind, posted, message) in BAD_ANSWERS.items():
        params.append(pytest.param(kind, posted, message, id=case))
    return params


@pytest.mark.parametrize(("kind", "posted", "message"), bad_answer_params())
def test_bad_answer_shows_clear_message(session, kind, posted, message):
    question = QUESTIONS[kind](session)
    phone = joined_phone(session)

    response = vote(phone, question, posted)

    assert response.status_code == 200
    assert message in page_text(response)


@pytest.mark.parametrize(("kind", "posted", "message"), bad_answer_params())
def test_bad_answer_leaves_earlier_answer_unchanged(session, kind, posted, message):
    question = QUESTIONS[kind](session)
    phone = joined_phone(session)
    first, stored = FIRST_ANSWERS[kind]
    vote(phone, question, first)

    response = vote(phone, question, posted)

    assert THANK_YOU not in page_text(response)
    assert stored_values(question) == [stored]


def alert_text(response) -> str:
    match = re.search(r'<div class="alert alert-danger" role="alert">(.*?)</div>', response.content.decode(), re.S)
    return " ".join(html.unescape(match.group(1)).split())


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        pytest.param(
            {"points-acquisition": "120", "points-practice": "-20"},
            "Give each option a whole number of points from 0 to 100.",
            id="negative_points",
        ),
        pytest.param(
            {"points-acquisition": "97.5", "points-practice": "2.5"},
            "Give each option a whole number of points from 0 to 100.",
            id="fractional_points",
        ),
    ],
)
def test_split_bad_points_message_fits_a_split(session, posted, message):
    question = learning_types_question(session)
    phone = joined_phone(session)

    response = vote(phone, question, posted)

    assert alert_text(response) == message


@pytest.mark.parametrize(
    "posted",
    [{"points-acquisition": "120", "points-practice": "-20"}, {"points-acquisition": "97.5", "points-practice": "2.5"}],
)
def test_split_bad_points_are_not_stored(session, posted):
    question = learning_types_question(session)
    phone = joined_phone(session)

    vote(phone, question, posted)

    assert stored_values(question) == []


def test_bad_number_keeps_what_the_phone_typed(session):
    question = hours_question(session)
    phone = joined_phone(session)

    response = vote(phone, question, {"value": "abc"})

    assert 'name="value" value="abc"' in response.content.decode()
    assert stored_values(question) == []


@pytest.mark.parametrize("state", [QuestionState.CLOSED, QuestionState.DRAFT])
def test_vote_on_question_not_open_is_refused(session, state):
    question = hours_question(session, state=state)
    phone = joined_phone(session)

    response = vote(phone, question, {"value": "3"})

    assert response.status_code == 409
    assert NOT_OPEN in page_text(response)
    assert stored_values(question) == []


def test_vote_on_question_of_another_session_is_refused(programme, session):
    hours_question(session)
    other = DesignSession.objects.create(programme=programme, title="Review", join_code="PQ3ZW8")
    foreign = hours_question(other)
    phone = joined_phone(session)

    response = phone.post(reverse("vote", args=[CODE, foreign.pk]), {"value": "3"})

    assert response.status_code == 409
    assert NOT_OPEN in page_text(response)
    assert stored_values(foreign) == []


def test_vote_without_joining_redirects_to_join_page(session):
    question = hours_question(session)
    phone = Client()

    response = vote(phone, question, {"value": "3"})

    assert response.status_code == 302
    assert response.url == f"/join/{CODE}/"
    assert stored_values(question) == []


def test_vote_without_joining_explains_after_redirect(session):
    question = hours_question(session)

    response = vote(Client(), question, {"value": "3"}, follow=True)

    assert "Join the session first: open the link or enter the code." in page_text(response)


def test_vote_with_tampered_cookie_counts_as_not_joined(session):
    question = hours_question(session)
    phone = joined_phone(session)
    signed = phone.cookies[settings.PARTICIPANT_COOKIE].value
    phone.cookies[settings.PARTICIPANT_COOKIE] = "x" + signed

    response = vote(phone, question, {"value": "3"})

    assert response.status_code == 302
    assert response.url == f"/join/{CODE}/"
    assert stored_values(question) == []


def test_vote_with_cookie_of_another_session_counts_as_not_joined(programme, session):
    question = hours_question(session)
    other = DesignSession.objects.create(programme=programme, title="Review", join_code="PQ3ZW8")
    phone = joined_phone(other)

    response = vote(phone, question, {"value": "3"})

    assert response.status_code == 302
    assert stored_values(question) == []


# --- rate limits -----------------------------------------------------------------------------


def test_third_vote_by_one_phone_within_window_is_refused(settings, session):
    settings.RATE_LIMITS = TIGHT_LIMITS
    question = hours_question(session)
    phone = joined_phone(session)
    vote(phone, question, {"value": "2"})
    vote(phone, question, {"value": "3"})

    response = vote(phone, question, {"value": "4"})

    assert response.status_code == 429
    assert "Too many answers at once. Wait a moment." in page_text(response)
    assert stored_values(question) == [3.0]


def test_third_vote_from_one_address_within_window_is_refused(settings, session):
    settings.RATE_LIMITS = {"join": (1000, 1000, 3600), "vote": (1000, 2, 3600)}
    question = hours_question(session)
    phones = [joined_phone(session) for _ in range(3)]
    for phone in phones[:2]:
        vote(phone, question, {"value": "2"}, REMOTE_ADDR="203.0.113.7")

    response = vote(phones[2], question, {"value": "4"}, REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 429
    assert "Too many answers at once. Wait a moment." in page_text(response)
    assert stored_values(question) == [2.0, 2.0]


def test_limit_per_address_leaves_other_addresses_alone(settings, session):
    settings.RATE_LIMITS = {"join": (1000, 1000, 3600), "vote": (1000, 2, 3600)}
    question = hours_question(session)
    phones = [joined_phone(session) for _ in range(3)]
    for phone in phones[:2]:
        vote(phone, question, {"value": "2"}, REMOTE_ADDR="203.0.113.7")

    response = vote(phones[2], question, {"value": "4"}, REMOTE_ADDR="198.51.100.20")

    assert response.status_code == 200
    assert stored_values(question) == [2.0, 2.0, 4.0]


def test_third_join_attempt_from_one_address_is_refused(settings, client, session):
    settings.RATE_LIMITS = {"join": (1000, 2, 3600), "vote": (1000, 1000, 3600)}
    client.post(reverse("join"), {"code": "ZZZ999"})
    client.post(reverse("join"), {"code": "ZZZ998"})

    response = client.post(reverse("join"), {"code": CODE})

    assert response.status_code == 200
    assert "Too many attempts. Wait a minute and try again." in page_text(response)


def test_third_new_phone_from_one_address_is_throttled(settings, session):
    settings.RATE_LIMITS = {"join": (1000, 2, 3600), "vote": (1000, 1000, 3600)}
    joined_phone(session)
    joined_phone(session)

    response = Client().get(reverse("participate", args=[CODE]))

    assert response.status_code == 429
    assert "Too many attempts. Wait a minute and try again." in page_text(response)
    assert Participant.objects.filter(session=session).count() == 2


# --- ETags -----------------------------------------------------------------------------------


def live_url(session) -> str:
    return reverse("projector_live", args=[session.programme.slug, session.pk])


def current_url(session) -> str:
    return reverse("participant_current", args=[session.join_code])


def test_projector_live_same_etag_gives_304(client, facilitator, session):
    hours_question(session)
    client.force_login(facilitator)
    etag = client.get(live_url(session))["ETag"]

    response = client.get(live_url(session), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response["ETag"] == etag


def test_projector_live_new_vote_changes_etag(client, facilitator, session):
    question = hours_question(session)
    client.force_login(facilitator)
    etag = client.get(live_url(session))["ETag"]
    vote(joined_phone(session), question, {"value": "3"})

    response = client.get(live_url(session), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "1 answer" in page_text(response)


def test_projector_live_show_results_changes_etag(client, facilitator, session):
    question = hours_question(session)
    vote(joined_phone(session), question, {"value": "3"})
    client.force_login(facilitator)
    etag = client.get(live_url(session))["ETag"]
    action(client, question, "show")

    response = client.get(live_url(session), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag


def test_projector_live_changed_answer_changes_etag(client, facilitator, session):
    question = hours_question(session)
    phone = joined_phone(session)
    vote(phone, question, {"value": "2"})
    client.force_login(facilitator)
    action(client, question, "show")
    etag = client.get(live_url(session))["ETag"]
    vote(phone, question, {"value": "4"})

    response = client.get(live_url(session), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200


def test_projector_live_is_the_partial(client, facilitator, session):
    hours_question(session)
    client.force_login(facilitator)

    response = client.get(live_url(session), HTTP_HX_REQUEST="true")

    assert "<html" not in response.content.decode()
    assert HOURS_PROMPT in page_text(response)


def test_phone_current_same_etag_gives_304(session):
    hours_question(session)
    phone = joined_phone(session)
    etag = phone.get(current_url(session))["ETag"]

    response = phone.get(current_url(session), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304


def test_phone_current_etag_unchanged_by_a_vote(session):
    question = hours_question(session)
    phone = joined_phone(session)
    etag = phone.get(current_url(session))["ETag"]
    vote(joined_phone(session), question, {"value": "3"})

    response = phone.get(current_url(session), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304


def test_phone_current_etag_changes_when_question_closes(client, facilitator, session):
    question = hours_question(session)
    phone = joined_phone(session)
    etag = phone.get(current_url(session))["ETag"]
    client.force_login(facilitator)
    action(client, question, "close")

    response = phone.get(current_url(session), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "This question is closed. Look at the screen for the results." in page_text(response)


def test_phone_current_etag_changes_with_next_question(client, facilitator, session):
    hours_question(session)
    words_question(session, state=QuestionState.DRAFT, current=False)
    phone = joined_phone(session)
    etag = phone.get(current_url(session))["ETag"]
    client.force_login(facilitator)
    client.post(reverse("session_next", args=[session.programme.slug, session.pk]))

    response = phone.get(current_url(session), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert WORDS_PROMPT in page_text(response)


# --- facilitator controls ----------------------------------------------------------------------


def test_preset_hours_creates_number_question(client, facilitator, session):
    client.force_login(facilitator)

    response = client.post(reverse("question_preset", args=[session.programme.slug, session.pk]), {"preset": "hours"})

    assert response.status_code == 302
    question = session.questions.get()
    assert (question.kind, question.prompt, question.topic, question.state) == (
        "number",
        HOURS_PROMPT,
        "study_load",
        "draft",
    )
    assert (question.minimum, question.maximum, question.step) == (Decimal("0"), Decimal("8"), Decimal("0.5"))


def test_preset_learning_types_creates_split_with_keys(client, facilitator, session):
    client.force_login(facilitator)

    client.post(reverse("question_preset", args=[session.programme.slug, session.pk]), {"preset": "learning_types"})

    question = session.questions.get()
    assert (question.kind, question.topic) == ("split", "learning_types")
    assert question.option_keys == [
        "acquisition",
        "investigation",
        "practice",
        "discussion",
        "collaboration",
        "production",
    ]
    assert question.options == ["Acquisition", "Investigation", "Practice", "Discussion", "Collaboration", "Production"]


def test_preset_is_added_after_existing_questions(client, facilitator, session):
    hours_question(session)
    client.force_login(facilitator)

    client.post(reverse("question_preset", args=[session.programme.slug, session.pk]), {"preset": "concerns"})

    assert list(session.questions.values_list("order", "kind")) == [(1, "number"), (2, "words")]


def test_preset_unknown_is_refused_with_message(client, facilitator, session):
    client.force_login(facilitator)

    response = client.post(
        reverse("question_preset", args=[session.programme.slug, session.pk]), {"preset": "salary"}, follow=True
    )

    assert "Choose one of the listed questions." in page_text(response)
    assert session.questions.count() == 0


def test_action_open_opens_and_puts_on_screen(client, facilitator, session):
    question = hours_question(session, state=QuestionState.DRAFT, current=False)
    client.force_login(facilitator)

    response = action(client, question, "open")

    assert response.status_code == 302
    question.refresh_from_db()
    session.refresh_from_db()
    assert (question.state, session.current_question_id) == ("open", question.pk)


def test_action_close_closes(client, facilitator, session):
    question = hours_question(session)
    client.force_login(facilitator)

    action(client, question, "close")

    question.refresh_from_db()
    assert question.state == "closed"


@pytest.mark.parametrize(("name", "visible"), [("show", True), ("hide", False)])
def test_action_show_and_hide_results(client, facilitator, session, name, visible):
    question = hours_question(session, results_visible=not visible)
    client.force_login(facilitator)

    action(client, question, name)

    question.refresh_from_db()
    assert question.results_visible is visible


def test_action_current_puts_question_on_screen_without_opening(client, facilitator, session):
    hours_question(session)
    later = words_question(session, state=QuestionState.DRAFT, current=False)
    client.force_login(facilitator)

    action(client, later, "current")

    later.refresh_from_db()
    session.refresh_from_db()
    assert (session.current_question_id, later.state) == (later.pk, "draft")


def test_action_reset_deletes_answers_and_returns_to_draft(client, facilitator, session):
    question = hours_question(session, results_visible=True)
    vote(joined_phone(session), question, {"value": "2"})
    vote(joined_phone(session), question, {"value": "4"})
    client.force_login(facilitator)

    action(client, question, "reset")

    question.refresh_from_db()
    assert (question.state, question.results_visible) == ("draft", False)
    assert stored_values(question) == []


def test_action_unknown_is_refused_with_message(client, facilitator, session):
    question = hours_question(session)
    client.force_login(facilitator)

    response = action(client, question, "explode")

    assert response.status_code == 302
    assert "Unknown action." in page_text(client.get(response.url))
    question.refresh_from_db()
    assert question.state == "open"


def test_next_closes_current_and_opens_following(client, facilitator, session):
    first = hours_question(session)
    second = words_question(session, state=QuestionState.DRAFT, current=False)
    client.force_login(facilitator)

    client.post(reverse("session_next", args=[session.programme.slug, session.pk]))

    first.refresh_from_db()
    second.refresh_from_db()
    session.refresh_from_db()
    assert (first.state, second.state, session.current_question_id) == ("closed", "open", second.pk)


def test_next_without_current_opens_first(client, facilitator, session):
    first = hours_question(session, state=QuestionState.DRAFT, current=False)
    words_question(session, state=QuestionState.DRAFT, current=False)
    client.force_login(facilitator)

    client.post(reverse("session_next", args=[session.programme.slug, session.pk]))

    first.refresh_from_db()
    session.refresh_from_db()
    assert (first.state, session.current_question_id) == ("open", first.pk)


def test_next_at_last_question_says_so(client, facilitator, session):
    hours_question(session, state=QuestionState.DRAFT, current=False)
    last = words_question(session)
    client.force_login(facilitator)

    response = client.post(reverse("session_next", args=[session.programme.slug, session.pk]), follow=True)

    assert "That was the last question." in page_text(response)
    last.refresh_from_db()
    session.refresh_from_db()
    assert (last.state, session.current_question_id) == ("open", last.pk)


@pytest.mark.parametrize(("posted", "joinable"), [("0", False), ("1", True)])
def test_joining_toggle(client, facilitator, session, posted, joinable):
    session.joinable = not joinable
    session.save()
    client.force_login(facilitator)

    client.post(reverse("session_joining", args=[session.programme.slug, session.pk]), {"joinable": posted})

    session.refresh_from_db()
    assert session.joinable is joinable


def test_closed_joining_refuses_new_phones(client, facilitator, session):
    client.force_login(facilitator)
    client.post(reverse("session_joining", args=[session.programme.slug, session.pk]), {"joinable": "0"})

    response = Client().get(reverse("participate", args=[CODE]))

    assert response.status_code == 404
    assert Participant.objects.count() == 0


def question_data(**overrides) -> dict:
    data = {
        "kind": "single",
        "prompt": "With whom do you learn best?",
        "options_text": "Peers\nOwn team",
        "minimum": "",
        "maximum": "",
        "step": "",
        "unit": "",
        "topic": "",
    }
    data.update(overrides)
    return data


def number_data(**overrides) -> dict:
    return question_data(
        kind="number", prompt=HOURS_PROMPT, options_text="", minimum="0", maximum="8", step="0.5", **overrides
    )


BAD_QUESTIONS = {
    "single_one_option": (question_data(options_text="Peers"), "Give at least two options, one per line."),
    "ranking_no_options": (question_data(kind="ranking", options_text=""), "Give at least two options, one per line."),
    "split_one_option": (
        question_data(kind="split", options_text="Peers\n"),
        "Give at least two options, one per line.",
    ),
    "duplicate_options": (question_data(options_text="Peers\nOwn team\npeers"), "Each option may appear only once."),
    "too_many_options": (
        question_data(options_text="\n".join(f"Option {n}" for n in range(13))),
        "Use at most 12 options.",
    ),
    "maximum_not_above_minimum": (
        number_data() | {"minimum": "8", "maximum": "8"},
        "The maximum must be larger than the minimum.",
    ),
    "zero_step": (number_data() | {"step": "0"}, "The step must be larger than 0, e.g. 0.5 or 1."),
    "negative_step": (number_data() | {"step": "-1"}, "The step must be larger than 0, e.g. 0.5 or 1."),
    "too_many_steps": (
        number_data() | {"maximum": "1000", "step": "0.5"},
        "Use a larger step: at most 1000 steps from minimum to maximum.",
    ),
    "number_without_step": (number_data() | {"step": ""}, "A number question needs a minimum, a maximum and a step."),
}


@pytest.mark.parametrize(("data", "message"), [pytest.param(*v, id=k) for k, v in BAD_QUESTIONS.items()])
def test_question_new_bad_input_is_refused_with_message(client, facilitator, session, data, message):
    client.force_login(facilitator)

    response = client.post(reverse("question_new", args=[session.programme.slug, session.pk]), data)

    assert response.status_code == 200
    assert message in page_text(response)
    assert session.questions.count() == 0


def test_question_new_number_is_saved_after_existing(client, facilitator, session):
    with_whom_question(session)
    client.force_login(facilitator)

    response = client.post(reverse("question_new", args=[session.programme.slug, session.pk]), number_data())

    assert response.status_code == 302
    assert response.url == control_url(session)
    question = session.questions.get(kind="number")
    assert (question.order, question.minimum, question.maximum, question.step, question.options) == (
        2,
        Decimal("0"),
        Decimal("8"),
        Decimal("0.5"),
        [],
    )


def test_question_new_choice_options_one_per_line(client, facilitator, session):
    client.force_login(facilitator)

    client.post(
        reverse("question_new", args=[session.programme.slug, session.pk]),
        question_data(options_text=" Peers \n\nOwn team\nNeighbourhood partners\n"),
    )

    question = session.questions.get()
    assert (question.options, question.minimum) == (WITH_WHOM_OPTIONS, None)


def test_question_edit_with_answers_is_refused(client, facilitator, session):
    question = with_whom_question(session)
    vote(joined_phone(session), question, {"choice": "Peers"})
    client.force_login(facilitator)
    url = reverse("question_edit", args=[session.programme.slug, session.pk, question.pk])

    response = client.post(url, question_data(prompt="Changed afterwards?"), follow=True)

    assert "This question already has answers; reset it before you change it." in page_text(response)
    question.refresh_from_db()
    assert question.prompt == "With whom do you learn best?"


def test_question_edit_without_answers_saves(client, facilitator, session):
    question = with_whom_question(session)
    client.force_login(facilitator)
    url = reverse("question_edit", args=[session.programme.slug, session.pk, question.pk])

    response = client.post(url, question_data(prompt="Who do you learn with?", options_text="Peers\nExperts"))

    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.prompt, question.options) == ("Who do you learn with?", ["Peers", "Experts"])


def six_phones_vote_hours(session, question) -> None:
    for value in ["2", "2", "2", "4", "4", "4"]:
        vote(joined_phone(session), question, {"value": value})


def test_poll_control_shows_result_of_current_question(client, facilitator, session):
    question = hours_question(session)
    six_phones_vote_hours(session, question)
    client.force_login(facilitator)

    response = client.get(control_url(session))

    text = page_text(response)
    assert "Mean 3 · Median 3 hours a week" in text
    assert "6 answers" in text


def test_projector_hides_result_until_shown(client, facilitator, session):
    question = hours_question(session)
    six_phones_vote_hours(session, question)
    client.force_login(facilitator)

    response = client.get(reverse("projector", args=[session.programme.slug, session.pk]))

    text = page_text(response)
    assert "The results appear here when the facilitator shows them." in text
    assert "Mean" not in text


def test_projector_shows_result_once_shown(client, facilitator, session):
    question = hours_question(session, results_visible=True)
    six_phones_vote_hours(session, question)
    client.force_login(facilitator)

    response = client.get(reverse("projector", args=[session.programme.slug, session.pk]))

    text = page_text(response)
    assert "Mean 3 · Median 3 hours a week" in text
    assert "6 phones joined" in text


def test_phone_shows_step_without_trailing_zero(session):
    hours_question(session)

    response = Client().get(reverse("participate", args=[CODE]))

    assert "A number from 0 to 8 (hours a week) In steps of 0.5." in page_text(response)


def test_projector_histogram_labels_without_trailing_zero(client, facilitator, session):
    question = hours_question(session, results_visible=True)
    vote(joined_phone(session), question, {"value": "2,5"})
    client.force_login(facilitator)

    response = client.get(reverse("projector", args=[session.programme.slug, session.pk]))

    assert 'aria-label="Histogram: 0 × 0, 0.5 × 0, 1 × 0, 1.5 × 0, 2 × 0, 2.5 × 1,' in response.content.decode()


def test_projector_shows_word_cloud(client, facilitator, session):
    question = words_question(session, results_visible=True)
    vote(joined_phone(session), question, {"word": ["werkdruk", "tijd"]})
    vote(joined_phone(session), question, {"word": ["werkdruk", "planning"]})
    client.force_login(facilitator)

    response = client.get(reverse("projector", args=[session.programme.slug, session.pk]))

    assert '<span class="word w5" title="2">werkdruk</span>' in response.content.decode()


# --- adopting a result as guardrail ------------------------------------------------------------


def adopt_url(question) -> str:
    return reverse("adopt", args=[question.session.programme.slug, question.session.pk, question.pk])


def test_adopt_hours_seed_case_creates_study_load_guardrail(client, facilitator, programme, session):
    question = hours_question(session)
    six_phones_vote_hours(session, question)
    client.force_login(facilitator)

    response = client.post(adopt_url(question))

    assert response.status_code == 302
    assert response.url == reverse("guardrail_board", args=[programme.slug])
    guardrail = Guardrail.objects.get(programme=programme)
    assert (
        guardrail.name,
        guardrail.kind,
        guardrail.metric,
        guardrail.comparator,
        guardrail.target,
        guardrail.target_high,
        guardrail.tolerance,
        guardrail.origin_question,
    ) == ("Study load (hours per week)", "hard", "study_load", "le", Decimal("3.00"), None, Decimal("0.20"), question)


def test_adopt_hours_keeps_answers_and_question_as_origin(client, facilitator, programme, session):
    question = hours_question(session)
    six_phones_vote_hours(session, question)
    client.force_login(facilitator)

    client.post(adopt_url(question))

    origin = dict(Guardrail.objects.get(programme=programme).origin)
    assert sorted(origin.pop("answers")) == [2.0, 2.0, 2.0, 4.0, 4.0, 4.0]
    assert origin == {"session": "Kickoff", "question": HOURS_PROMPT, "kind": "number", "count": 6}


def test_adopt_says_how_many_guardrails(client, facilitator, session):
    question = hours_question(session)
    six_phones_vote_hours(session, question)
    client.force_login(facilitator)

    response = client.post(adopt_url(question), follow=True)

    assert f"1 guardrail adopted from “{HOURS_PROMPT}”. Check its target below." in page_text(response)


def guardrail_rows(programme) -> list[tuple]:
    return list(
        Guardrail.objects.filter(programme=programme)
        .order_by("pk")
        .values_list("name", "kind", "metric", "key", "comparator", "target", "target_high", "tolerance")
    )


def test_adopt_learning_types_band_of_ten_around_each_average(client, facilitator, programme, session):
    question = learning_types_question(session)
    vote(joined_phone(session), question, {"points-acquisition": "50", "points-practice": "50"})
    vote(joined_phone(session), question, {"points-acquisition": "30", "points-discussion": "70"})
    client.force_login(facilitator)

    client.post(adopt_url(question))

    share, between, hard = "learning_type_share", "between", "hard"
    assert guardrail_rows(programme) == [
        ("Share of a learning type (%): Acquisition", hard, share, "acquisition", between, 30, 50, 5),
        ("Share of a learning type (%): Practice", hard, share, "practice", between, 15, 35, 5),
        ("Share of a learning type (%): Discussion", hard, share, "discussion", between, 25, 45, 5),
    ]


def test_adopt_learning_types_band_is_clamped_to_0_and_100(client, facilitator, programme, session):
    question = learning_types_question(session)
    vote(joined_phone(session), question, {"points-acquisition": "100"})
    vote(joined_phone(session), question, {"points-acquisition": "90", "points-practice": "10"})
    client.force_login(facilitator)

    client.post(adopt_url(question))

    assert [(key, low, high) for _n, _k, _m, key, _c, low, high, _t in guardrail_rows(programme)] == [
        ("acquisition", 85, 100),
        ("practice", 0, 15),
    ]


def test_adopt_words_creates_one_soft_qualitative_guardrail(client, facilitator, programme, session):
    question = words_question(session)
    vote(joined_phone(session), question, {"word": ["werkdruk", "tijd"]})
    vote(joined_phone(session), question, {"word": ["werkdruk", "planning"]})
    client.force_login(facilitator)

    client.post(adopt_url(question))

    guardrail = Guardrail.objects.get(programme=programme)
    assert (guardrail.name, guardrail.kind, guardrail.metric, guardrail.target, guardrail.description) == (
        WORDS_PROMPT,
        "soft",
        "qualitative",
        None,
        "werkdruk (2), planning (1), tijd (1)",
    )


def test_adopt_without_answers_creates_nothing(client, facilitator, programme, session):
    question = hours_question(session)
    client.force_login(facilitator)

    response = client.post(adopt_url(question), follow=True)

    assert response.redirect_chain == [(control_url(session), 302)]
    assert "Nobody has answered yet; there is nothing to adopt." in page_text(response)
    assert Guardrail.objects.filter(programme=programme).count() == 0


# --- QR code -----------------------------------------------------------------------------------


def test_qr_code_is_svg(session):
    response = Client().get(reverse("join_qr", args=[CODE]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "<svg" in response.content.decode()


def test_qr_code_unknown_session_is_404(session):
    response = Client().get(reverse("join_qr", args=["ZZZ999"]))

    assert response.status_code == 404
