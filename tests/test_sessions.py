"""Design sessions: the timeline, the session page, planning, the agenda, session mode on
the projector, and the final session's grades and their adoption.

Roles: facilitators plan and run sessions, everyone who may view the programme reads
them, and only team managers grade. The final-session numbers are the demo's twelve
grades (8, 7, 6, 7, 8, 7, 6, 8, 9, 7, 6, 7): mean 7.2, median 7.
"""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guardrails.models import Guardrail, SoftAssessment, Subgroup
from programmes.models import Membership, Role
from tests.conftest import make_activity, make_member
from workshops import domain
from workshops.models import AgendaStep, DesignSession, FinalGrade, PollQuestion, RelayGroup, SessionKind
from workshops.views.sessions import clock, grade_chart, session_timeline, target_step, with_states

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DEMO_GRADES = [8, 7, 6, 7, 8, 7, 6, 8, 9, 7, 6, 7]
SUGGESTION = "Koppel de webinars in jaar 2 aan het casuïstiekoverleg."
ROLES = ["anonymous", "outsider", "co_thinker", "director", "team_manager", "facilitator"]


def text(response) -> str:
    """The visible text of a page: tags dropped, entities decoded, whitespace collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(body).split())


def make_session(programme, title="Aftrap", kind=SessionKind.KICKOFF, **fields) -> DesignSession:
    return DesignSession.objects.create(programme=programme, title=title, kind=kind, **fields)


def add_steps(session, *steps: tuple[str, int]) -> list[AgendaStep]:
    return [
        AgendaStep.objects.create(session=session, order=order, title=title, minutes=minutes)
        for order, (title, minutes) in enumerate(steps, start=1)
    ]


def url(name: str, session, *extra) -> str:
    return reverse(name, args=[session.programme.slug, session.pk, *extra])


@pytest.fixture
def session(programme):
    return make_session(programme, starts_at=datetime(2026, 9, 14, 13, 30, tzinfo=AMSTERDAM))


@pytest.fixture
def steps(session):
    return add_steps(session, ("Welkom en kaders", 15), ("Ambitie als tweet", 30), ("Inventarisatie", 45))


@pytest.fixture
def final(programme):
    return make_session(programme, "Slotbijeenkomst", SessionKind.FINAL)


def grade(final, user, value=7, suggestion=SUGGESTION, **fields) -> FinalGrade:
    return FinalGrade.objects.create(session=final, user=user, grade=value, suggestion=suggestion, **fields)


# --- pure helpers ---------------------------------------------------------------------------------


def test_target_step_start_goes_to_the_first_step():
    assert target_step([11, 12, 13], 12, "start") == 11


@pytest.mark.parametrize(
    ("current", "action", "expected"),
    [(11, "next", 12), (12, "next", 13), (13, "next", 13), (13, "previous", 12), (11, "previous", 11)],
)
def test_target_step_moves_one_place_and_stays_at_the_ends(current, action, expected):
    assert target_step([11, 12, 13], current, action) == expected


def test_target_step_after_the_current_step_was_deleted_next_is_the_first():
    assert target_step([11, 13], 12, "next") == 11


def test_target_step_finish_and_empty_agenda_give_none():
    assert target_step([11, 12], 12, "finish") is None
    assert target_step([], None, "next") is None


def test_target_step_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown action"):
        target_step([11], 11, "jump")


@pytest.mark.parametrize(("seconds", "shown"), [(754, "12:34"), (900, "15:00"), (0, "0:00"), (-75, "+1:15")])
def test_clock_reads_like_a_countdown(seconds, shown):
    assert clock(seconds) == shown


def test_seconds_left_of_a_15_minute_step_after_10_minutes_is_5_minutes():
    assert domain.seconds_left(15, 600) == 300
    assert domain.seconds_left(15, 1020) == -120


def test_grade_summary_of_the_demo_grades():
    summary = domain.grade_summary(DEMO_GRADES)

    assert (summary.count, summary.mean, summary.median) == (12, 7.2, 7.0)
    assert dict(summary.distribution) == {1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 3, 7: 5, 8: 3, 9: 1, 10: 0}


def test_grade_chart_scales_bars_to_the_most_given_grade_and_marks_the_mean():
    chart = grade_chart(domain.grade_summary([6, 7, 7, 8]))

    bars = {bar["grade"]: bar for bar in chart["bars"]}
    assert (bars[7]["height"], bars[6]["height"], bars[1]["height"]) == (130.0, 65.0, 0.0)
    assert bars[7]["y"] == 40.0
    # grade 7 is the middle of the 7th of ten 40-wide slots: x = 6.5 × 40
    assert chart["mean_x"] == 260.0
    assert chart["mean_label_x"] == 260.0


def test_grade_chart_without_grades_has_no_mean_line():
    chart = grade_chart(domain.grade_summary([]))

    assert chart["mean_x"] is None
    assert [bar["height"] for bar in chart["bars"]] == [0.0] * 10


def test_with_states_labels_done_now_next_later():
    sessions = [DesignSession(pk=n) for n in range(1, 6)]
    sessions[0].started_at = sessions[0].finished_at = timezone.now()
    sessions[1].started_at = timezone.now()

    states = [s.state for s in with_states(sessions)]

    assert states == ["done", "now", "next", "later", "later"]


def test_timeline_orders_by_date_with_undated_sessions_last(programme):
    later = make_session(programme, "Estafette 1", SessionKind.RELAY, starts_at=datetime(2026, 9, 28, tzinfo=AMSTERDAM))
    undated = make_session(programme, "Review", SessionKind.REVIEW)
    first = make_session(programme, "Gesprek", SessionKind.FRAMING, starts_at=datetime(2026, 9, 1, tzinfo=AMSTERDAM))
    DesignSession.objects.filter(pk=first.pk).update(started_at=timezone.now(), finished_at=timezone.now())

    timeline = session_timeline(programme)

    assert [(s.title, s.state) for s in timeline] == [
        (first.title, "done"),
        (later.title, "next"),
        (undated.title, "later"),
    ]


# --- the sessions list and the overview -----------------------------------------------------------


def test_sessions_list_shows_the_timeline_with_links_for_a_team_manager(client, team_manager, programme, session):
    DesignSession.objects.filter(pk=session.pk).update(started_at=timezone.now())
    client.force_login(team_manager)

    response = client.get(reverse("sessions", args=[programme.slug]))

    assert response.status_code == 200
    assert url("session_detail", session) in response.content.decode()
    assert "● now" in text(response)
    assert "Plan a session" not in text(response)


def test_planning_a_session_opens_its_page(client, facilitator, programme):
    client.force_login(facilitator)

    response = client.post(
        reverse("sessions", args=[programme.slug]),
        {"kind": "relay", "title": "Estafette 1", "starts_at": "2026-09-28T13:30", "place": "De Linde"},
    )

    session = DesignSession.objects.get(title="Estafette 1")
    assert response.url == url("session_detail", session)
    assert session.starts_at == datetime(2026, 9, 28, 13, 30, tzinfo=AMSTERDAM)


def test_overview_shows_the_process_timeline(client, director, programme, session):
    DesignSession.objects.filter(pk=session.pk).update(started_at=timezone.now(), finished_at=timezone.now())
    make_session(programme, "Estafette 1", SessionKind.RELAY)
    client.force_login(director)

    response = client.get(programme.get_absolute_url())

    page = text(response)
    assert "Aftrap" in page
    assert "✓ done" in page
    assert "→ next" in page


# --- the session page -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["director", "team_manager", "facilitator"])
def test_session_page_shows_agenda_with_clock_times(client, request, role, session, steps):
    client.force_login(request.getfixturevalue(role))

    response = client.get(url("session_detail", session))

    page = text(response)
    assert response.status_code == 200
    assert "13:30: Welkom en kaders" in page
    assert "13:45: Ambitie als tweet" in page
    assert "14:15: Inventarisatie" in page
    assert "90 minutes in all" in page


@pytest.mark.parametrize("role", ["outsider", "co_thinker"])
def test_session_page_is_404_for_non_members_and_co_thinkers(client, request, role, session):
    client.force_login(request.getfixturevalue(role))

    assert client.get(url("session_detail", session)).status_code == 404


def test_session_of_another_programme_is_404(client, facilitator, programme, other_programme):
    foreign = make_session(other_programme, "Geheim")
    client.force_login(facilitator)

    response = client.get(reverse("session_detail", args=[programme.slug, foreign.pk]))

    assert response.status_code == 404


def test_team_manager_sees_no_planning_controls(client, team_manager, session, steps):
    client.force_login(team_manager)

    page = client.get(url("session_detail", session)).content.decode()

    assert url("session_edit", session) not in page
    assert url("poll_control", session) not in page
    assert url("agenda_step_new", session) not in page


def test_facilitator_sees_links_to_the_parts_of_a_final_session(client, facilitator, final):
    client.force_login(facilitator)

    page = client.get(url("session_detail", final)).content.decode()

    assert url("final_session", final) in page
    assert url("poll_control", final) in page
    assert url("session_mode", final) in page


# --- planning: edit and delete --------------------------------------------------------------------


def test_facilitator_edits_every_field(client, facilitator, team_manager, director, programme, session, year1):
    group = RelayGroup.objects.create(programme=programme, name="Groep 1", year=year1)
    client.force_login(facilitator)

    response = client.post(
        url("session_edit", session),
        {
            "kind": "relay",
            "title": "  Estafette   1 ",
            "starts_at": "2026-09-28T13:30",
            "place": "https://teams.example.org/estafette",
            "relay_group": group.pk,
            "notes": "Vraag aan groep 2 meegegeven.",
            "attendees": [team_manager.pk, director.pk],
        },
    )

    session.refresh_from_db()
    assert response.url == url("session_detail", session)
    assert (session.kind, session.title, session.relay_group) == ("relay", "Estafette 1", group)
    assert session.notes == "Vraag aan groep 2 meegegeven."
    assert set(session.attendees.all()) == {team_manager, director}


def test_attendees_must_be_members_and_typed_text_is_kept(client, facilitator, outsider, session):
    client.force_login(facilitator)

    response = client.post(
        url("session_edit", session),
        {"kind": "kickoff", "title": "Aftrap nieuw", "notes": "Mijn notities", "attendees": [outsider.pk]},
    )

    page = text(response)
    assert response.status_code == 200
    assert "Choose attendees from the members of this programme." in page
    assert "Mijn notities" in page
    assert 'value="Aftrap nieuw"' in response.content.decode()
    session.refresh_from_db()
    assert session.title == "Aftrap"


def test_relay_group_of_another_programme_is_refused(client, facilitator, session, other_programme):
    foreign = RelayGroup.objects.create(
        programme=other_programme, name="Vreemd", year=other_programme.years.get(number=1)
    )
    client.force_login(facilitator)

    response = client.post(url("session_edit", session), {"kind": "relay", "title": "X", "relay_group": foreign.pk})

    assert "Choose one of this programme&#x27;s relay groups." in response.content.decode()


def test_relay_group_only_for_a_relay_session(client, facilitator, programme, session, year1):
    group = RelayGroup.objects.create(programme=programme, name="Groep 1", year=year1)
    client.force_login(facilitator)

    response = client.post(url("session_edit", session), {"kind": "review", "title": "X", "relay_group": group.pk})

    assert "Only a relay session has a relay group." in text(response)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "kickoff", "title": ""}, "Give the session a title"),
        ({"kind": "kickoff", "title": "X", "starts_at": "morgen"}, "Enter a date and a time"),
        ({"kind": "party", "title": "X"}, "Choose one of the listed kinds of session."),
    ],
)
def test_bad_session_input_gets_a_message(client, facilitator, session, data, message):
    client.force_login(facilitator)

    response = client.post(url("session_edit", session), data)

    assert response.status_code == 200
    assert message in text(response)


def test_team_manager_may_not_edit_a_session(client, team_manager, session):
    client.force_login(team_manager)

    assert client.post(url("session_edit", session), {"kind": "kickoff", "title": "X"}).status_code == 403


def test_facilitator_deletes_a_session_after_confirming(client, facilitator, programme, session):
    client.force_login(facilitator)

    assert client.get(url("session_delete", session)).status_code == 200
    response = client.post(url("session_delete", session))

    assert response.url == reverse("sessions", args=[programme.slug])
    assert not DesignSession.objects.filter(pk=session.pk).exists()


# --- the agenda -----------------------------------------------------------------------------------


def titles(session) -> list[str]:
    return list(session.steps.order_by("order", "pk").values_list("title", flat=True))


def test_new_step_goes_at_the_end(client, facilitator, session, steps):
    client.force_login(facilitator)

    response = client.post(
        url("agenda_step_new", session), {"step-title": "Afsluiting", "step-minutes": "20", "step-description": ""}
    )

    assert response.url == url("session_detail", session) + "#agenda"
    assert titles(session) == ["Welkom en kaders", "Ambitie als tweet", "Inventarisatie", "Afsluiting"]


def test_new_step_with_htmx_answers_with_the_agenda(client, facilitator, session, steps):
    client.force_login(facilitator)

    response = client.post(
        url("agenda_step_new", session),
        {"step-title": "Afsluiting", "step-minutes": "20"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#agenda"
    assert "Afsluiting" in text(response)
    assert "110 minutes in all" in text(response)


@pytest.mark.parametrize(
    ("minutes", "message"),
    [
        ("0", "A step takes at least 1 minute."),
        ("500", "A step takes at most 480 minutes"),
        ("abc", "Enter the minutes as a whole number"),
        ("", "Enter how many minutes the step takes"),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_minutes_get_a_message_and_the_title_is_kept(client, facilitator, session, minutes, message, htmx):
    client.force_login(facilitator)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}

    response = client.post(
        url("agenda_step_new", session), {"step-title": "Mentimeter: vangrails", "step-minutes": minutes}, **headers
    )

    assert response.status_code == 200
    assert message in text(response)
    assert 'value="Mentimeter: vangrails"' in response.content.decode()
    assert not session.steps.exists()


def test_step_without_title_gets_a_message(client, facilitator, session):
    client.force_login(facilitator)

    response = client.post(url("agenda_step_new", session), {"step-title": "  ", "step-minutes": "15"})

    assert "Give the step a title" in text(response)


def test_edit_a_step(client, facilitator, session, steps):
    client.force_login(facilitator)
    step = steps[1]

    response = client.post(
        url("agenda_step_edit", session, step.pk),
        {f"step-{step.pk}-title": "Ambitie als tweet (in tweetallen)", f"step-{step.pk}-minutes": "35"},
    )

    step.refresh_from_db()
    assert response.status_code == 302
    assert (step.title, step.minutes) == ("Ambitie als tweet (in tweetallen)", 35)


def test_edit_form_with_htmx_is_the_inline_row(client, facilitator, session, steps):
    client.force_login(facilitator)

    response = client.get(url("agenda_step_edit", session, steps[0].pk), HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert body.lstrip().startswith(f'<li class="card mb-2 agenda-step editing" id="step-{steps[0].pk}"')
    assert "autofocus" in body


def test_invalid_edit_with_htmx_keeps_the_row_form(client, facilitator, session, steps):
    client.force_login(facilitator)
    step = steps[0]

    response = client.post(
        url("agenda_step_edit", session, step.pk),
        {f"step-{step.pk}-title": "Welkom", f"step-{step.pk}-minutes": "0"},
        HTTP_HX_REQUEST="true",
    )

    assert "A step takes at least 1 minute." in text(response)
    assert 'value="Welkom"' in response.content.decode()
    step.refresh_from_db()
    assert step.minutes == 15


def test_delete_a_step(client, facilitator, session, steps):
    client.force_login(facilitator)

    assert client.get(url("agenda_step_delete", session, steps[0].pk)).status_code == 200
    client.post(url("agenda_step_delete", session, steps[0].pk))

    assert titles(session) == ["Ambitie als tweet", "Inventarisatie"]


@pytest.mark.parametrize(
    ("index", "direction", "expected"),
    [
        (2, "up", ["Welkom en kaders", "Inventarisatie", "Ambitie als tweet"]),
        (0, "down", ["Ambitie als tweet", "Welkom en kaders", "Inventarisatie"]),
        (0, "up", ["Welkom en kaders", "Ambitie als tweet", "Inventarisatie"]),
        (1, "sideways", ["Welkom en kaders", "Ambitie als tweet", "Inventarisatie"]),
    ],
)
def test_move_a_step(client, facilitator, session, steps, index, direction, expected):
    client.force_login(facilitator)

    client.post(url("agenda_step_move", session, steps[index].pk), {"direction": direction})

    assert titles(session) == expected


def test_step_of_another_session_is_404(client, facilitator, programme, session):
    other = make_session(programme, "Estafette 1", SessionKind.RELAY)
    (foreign,) = add_steps(other, ("Ontwerpen", 90))
    client.force_login(facilitator)

    assert client.get(url("agenda_step_edit", session, foreign.pk)).status_code == 404
    assert client.post(url("agenda_step_move", session, foreign.pk), {"direction": "up"}).status_code == 404


@pytest.mark.parametrize("role", ["director", "team_manager"])
def test_agenda_changes_are_for_facilitators_only(client, request, role, session, steps):
    client.force_login(request.getfixturevalue(role))

    assert client.post(url("agenda_step_new", session), {"step-title": "X", "step-minutes": "5"}).status_code == 403
    assert client.post(url("agenda_step_delete", session, steps[0].pk)).status_code == 403
    assert client.post(url("agenda_step_move", session, steps[0].pk), {"direction": "up"}).status_code == 403
    assert session.steps.count() == 3


# --- session mode ---------------------------------------------------------------------------------


def step(client, session, action, **data):
    return client.post(url("session_step", session), {"action": action, **data})


def test_start_puts_the_first_step_on_screen(client, facilitator, session, steps):
    client.force_login(facilitator)

    response = step(client, session, "start")

    session.refresh_from_db()
    assert response.url == url("session_mode", session)
    assert session.current_step == steps[0]
    assert session.started_at is not None and session.step_started_at is not None
    page = text(client.get(url("session_mode", session)))
    assert "Step 1 of 3" in page
    assert "Now Welkom en kaders" in page
    assert "Next Ambitie als tweet 30 minutes" in page


def test_next_previous_and_finish(client, facilitator, session, steps):
    client.force_login(facilitator)
    step(client, session, "start")

    step(client, session, "next")
    session.refresh_from_db()
    assert session.current_step == steps[1]
    step(client, session, "previous")
    session.refresh_from_db()
    assert session.current_step == steps[0]
    step(client, session, "finish")
    session.refresh_from_db()
    assert session.finished_at is not None
    assert session.current_step is None
    assert "The session is finished." in text(client.get(url("session_mode", session)))


def test_a_click_from_an_older_screen_does_not_skip_a_step(client, facilitator, session, steps):
    client.force_login(facilitator)
    step(client, session, "start")
    step(client, session, "next", at=str(steps[0].pk))

    step(client, session, "next", at=str(steps[0].pk))  # the same click again (double click, second laptop)

    session.refresh_from_db()
    assert session.current_step == steps[1]


def test_next_on_the_last_step_says_to_finish(client, facilitator, session, steps):
    client.force_login(facilitator)
    step(client, session, "start")
    DesignSession.objects.filter(pk=session.pk).update(current_step=steps[2])

    response = client.post(url("session_step", session), {"action": "next"}, follow=True)

    assert "This is the last step. Finish the session when you are done." in text(response)


def test_next_before_start_says_to_start(client, facilitator, session, steps):
    client.force_login(facilitator)

    response = client.post(url("session_step", session), {"action": "next"}, follow=True)

    assert "Start the session first." in text(response)
    session.refresh_from_db()
    assert session.started_at is None


def test_unknown_action_changes_nothing(client, facilitator, session, steps):
    client.force_login(facilitator)

    response = client.post(url("session_step", session), {"action": "jump"}, follow=True)

    assert "Unknown action." in text(response)
    session.refresh_from_db()
    assert session.started_at is None


def test_mark_finished_from_the_session_page(client, facilitator, session):
    client.force_login(facilitator)

    response = step(client, session, "finish", back="detail")

    session.refresh_from_db()
    assert response.url == url("session_detail", session)
    assert session.started_at is not None and session.finished_at is not None


def test_step_with_htmx_answers_with_the_panel(client, facilitator, session, steps):
    client.force_login(facilitator)

    response = client.post(url("session_step", session), {"action": "start"}, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'data-countdown="900"' in body
    assert ">15:00<" in body


def test_timer_counts_from_when_the_step_started(client, facilitator, session, steps):
    started = timezone.now() - timedelta(minutes=10)
    DesignSession.objects.filter(pk=session.pk).update(
        started_at=started, current_step=steps[0], step_started_at=started
    )
    client.force_login(facilitator)

    body = client.get(url("session_mode", session)).content.decode()

    seconds = int(re.search(r'data-countdown="(-?\d+)"', body).group(1))
    assert 298 <= seconds <= 300
    assert "overtime" not in body.split("data-countdown-box")[0].rsplit("<div", 1)[1]


def test_timer_shows_overtime(client, facilitator, session, steps):
    started = timezone.now() - timedelta(minutes=20)
    DesignSession.objects.filter(pk=session.pk).update(
        started_at=started, current_step=steps[0], step_started_at=started
    )
    client.force_login(facilitator)

    body = client.get(url("session_mode", session)).content.decode()

    assert 'class="mode-timer-box overtime"' in body
    assert re.search(r">\+5:0\d<", body)


def test_mode_panel_answers_304_until_the_step_changes(client, facilitator, session, steps):
    client.force_login(facilitator)
    step(client, session, "start")
    first = client.get(url("session_mode_live", session), HTTP_HX_REQUEST="true")

    unchanged = client.get(url("session_mode_live", session), HTTP_HX_REQUEST="true", HTTP_IF_NONE_MATCH=first["ETag"])
    step(client, session, "next")
    changed = client.get(url("session_mode_live", session), HTTP_HX_REQUEST="true", HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200
    assert unchanged.status_code == 304
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert "Ambitie als tweet" in text(changed)


@pytest.mark.parametrize("role", ["director", "team_manager"])
def test_session_mode_is_for_facilitators_only(client, request, role, session, steps):
    client.force_login(request.getfixturevalue(role))

    assert client.get(url("session_mode", session)).status_code == 403
    assert step(client, session, "start").status_code == 403
    session.refresh_from_db()
    assert session.started_at is None


# --- final session: grades ------------------------------------------------------------------------


def post_grade(client, final, value, suggestion=SUGGESTION):
    return client.post(url("final_session", final), {"grade": value, "suggestion": suggestion})


def test_final_page_only_for_a_final_session(client, facilitator, session):
    client.force_login(facilitator)

    assert client.get(url("final_session", session)).status_code == 404


def test_team_manager_grades_then_sees_the_results(client, team_manager, django_user_model, programme, final):
    other = make_member(django_user_model, programme, Role.TEAM_MANAGER, "tess")
    grade(final, other, 9, "Nodig een teammanager uit een andere stad uit.")
    client.force_login(team_manager)

    before = client.get(url("final_session", final))
    response = post_grade(client, final, "6")

    assert "You see the grades and suggestions of the others once you have given yours." in text(before)
    assert "Nodig een teammanager" not in text(before)
    assert response.url == url("final_session", final) + "#results"
    mine = FinalGrade.objects.get(session=final, user=team_manager)
    assert (mine.grade, mine.suggestion) == (6, SUGGESTION)
    after = text(client.get(url("final_session", final)))
    assert "2 of 2 team managers have graded." in after
    assert "Mean 7.5" in after
    assert "Nodig een teammanager" in after


def test_grading_again_replaces_the_grade(client, team_manager, final):
    client.force_login(team_manager)
    post_grade(client, final, "6")

    post_grade(client, final, "8", "Plan de intervisietrio's vast in de agenda voor het hele jaar.")

    assert list(FinalGrade.objects.values_list("grade", "suggestion")) == [
        (8, "Plan de intervisietrio's vast in de agenda voor het hele jaar.")
    ]


@pytest.mark.parametrize(
    ("value", "suggestion", "message"),
    [
        ("11", SUGGESTION, "Choose a grade from 1 to 10."),
        ("0", SUGGESTION, "Choose a grade from 1 to 10."),
        ("abc", SUGGESTION, "Choose a grade from 1 to 10."),
        ("", SUGGESTION, "Choose a grade from 1 to 10."),
        ("7", "", "Write one concrete suggestion that would raise your grade one point."),
        ("7", "Beter!", "Make your suggestion concrete"),
        ("7", "meer oefenen", "Make your suggestion concrete"),
        ("7", "Geen idee.", "Name one thing that should change in the programme"),
    ],
)
def test_bad_grade_input_gets_a_message_and_keeps_the_text(client, team_manager, final, value, suggestion, message):
    client.force_login(team_manager)

    response = post_grade(client, final, value, suggestion)

    assert response.status_code == 200
    assert message in text(response)
    if suggestion:
        assert html.escape(suggestion) in response.content.decode()
    assert not FinalGrade.objects.exists()


def test_a_valid_grade_stays_checked_when_the_suggestion_is_missing(client, team_manager, final):
    client.force_login(team_manager)

    body = post_grade(client, final, "7", "").content.decode()

    assert re.search(r'value="7"\s+checked', body)


@pytest.mark.parametrize("role", ["facilitator", "director"])
def test_only_team_managers_grade(client, request, role, final):
    client.force_login(request.getfixturevalue(role))

    assert post_grade(client, final, "7").status_code == 403
    assert not FinalGrade.objects.exists()


@pytest.mark.parametrize("role", ["facilitator", "director"])
def test_facilitators_and_directors_see_results_without_grading(client, request, role, team_manager, final):
    grade(final, team_manager, 8)
    client.force_login(request.getfixturevalue(role))

    page = text(client.get(url("final_session", final)))

    assert "1 of 1 team managers has graded." in page
    assert "Mean 8.0" in page
    assert SUGGESTION in page
    assert "Give your grade" not in page


def test_results_show_distribution_mean_and_median_of_the_demo_grades(
    client, facilitator, django_user_model, programme, final
):
    for number, value in enumerate(DEMO_GRADES, start=1):
        grade(final, make_member(django_user_model, programme, Role.TEAM_MANAGER, f"tm{number:02d}"), value)
    client.force_login(facilitator)

    response = client.get(url("final_session", final))

    page = text(response)
    assert "12 of 12 team managers have graded." in page
    assert "Mean 7.2" in page
    assert "Median 7" in page
    assert "Grades given: grade 6: 3 people; grade 7: 5 people; grade 8: 3 people; grade 9: 1 person" in html.unescape(
        response.content.decode()
    )


def test_final_page_shows_the_guardrail_check_and_the_latest_soft_assessment_per_subgroup(
    client, director, programme, final, year1
):
    make_activity(year1, contact_hours=2, prep_hours=1, occurrences=40)  # 120 h over 40 weeks: 3 h/week
    Guardrail.objects.create(programme=programme, name="Studielast", metric="study_load", target=3)
    soft = Guardrail.objects.create(programme=programme, name="In het werk", kind="soft", metric="qualitative")
    subgroup = Subgroup.objects.create(programme=programme, name="Subgroep werkplek")
    SoftAssessment.objects.create(guardrail=soft, subgroup=subgroup, verdict="not_met", recommendation="Oud advies.")
    SoftAssessment.objects.create(guardrail=soft, subgroup=subgroup, verdict="partly", recommendation="Nieuw advies.")
    client.force_login(director)

    page = text(client.get(url("final_session", final)))

    assert "Studielast" in page
    assert "✓ met" in page
    assert "3 h/week" in page
    assert "≈ partly met Subgroep werkplek Nieuw advies." in page
    assert "Oud advies." not in page


@pytest.mark.parametrize("role", ["outsider", "co_thinker"])
def test_final_page_is_404_for_non_members_and_co_thinkers(client, request, role, final):
    client.force_login(request.getfixturevalue(role))

    assert client.get(url("final_session", final)).status_code == 404


# --- final session: adopting a suggestion ---------------------------------------------------------


def adopt(client, final, graded, **data):
    prefix = f"grade-{graded.pk}"
    return client.post(url("grade_adopt", final, graded.pk), {f"{prefix}-{key}": value for key, value in data.items()})


def test_facilitator_marks_a_suggestion_adopted_with_its_change(client, facilitator, team_manager, final, year1):
    activity = make_activity(year1, title="Webinarreeks")
    graded = grade(final, team_manager)
    client.force_login(facilitator)

    response = adopt(
        client, final, graded, adopted="on", change_note="Webinars krijgen een vervolg.", change_activity=activity.pk
    )

    graded.refresh_from_db()
    assert response.url == url("final_session", final) + f"#grade-{graded.pk}"
    assert (graded.adopted, graded.change_note, graded.change_activity) == (
        True,
        "Webinars krijgen een vervolg.",
        activity,
    )
    page = text(client.get(url("final_session", final)))
    assert "✓ adopted" in page
    assert "Change: Webinars krijgen een vervolg. · Webinarreeks" in page


def test_adopting_needs_a_change_note(client, facilitator, team_manager, final):
    graded = grade(final, team_manager)
    client.force_login(facilitator)

    response = adopt(client, final, graded, adopted="on", change_note="  ")

    assert response.status_code == 200
    assert "Describe the change this suggestion led to" in text(response)
    graded.refresh_from_db()
    assert graded.adopted is False


def test_activity_of_another_programme_is_refused(client, facilitator, team_manager, final, other_programme):
    foreign = make_activity(other_programme.years.get(number=1), title="Vreemde activiteit")
    graded = grade(final, team_manager)
    client.force_login(facilitator)

    response = adopt(client, final, graded, adopted="on", change_note="Gedaan.", change_activity=foreign.pk)

    assert "Choose one of this programme&#x27;s activities, or none." in response.content.decode()
    assert "Gedaan." in text(response)
    graded.refresh_from_db()
    assert graded.change_activity is None


def test_adopting_with_htmx_answers_with_the_suggestion(client, facilitator, team_manager, final):
    graded = grade(final, team_manager)
    client.force_login(facilitator)

    response = client.post(
        url("grade_adopt", final, graded.pk),
        {f"grade-{graded.pk}-adopted": "on", f"grade-{graded.pk}-change_note": "Overgenomen in jaar 2."},
        HTTP_HX_REQUEST="true",
    )

    body = response.content.decode()
    assert body.lstrip().startswith(f'<li class="card mb-2 suggestion adopted" id="grade-{graded.pk}"')
    assert "Overgenomen in jaar 2." in body


@pytest.mark.parametrize("role", ["director", "team_manager"])
def test_only_facilitators_adopt(client, request, role, team_manager, final):
    graded = grade(final, team_manager)
    client.force_login(request.getfixturevalue(role))

    assert adopt(client, final, graded, adopted="on", change_note="x").status_code == 403


def test_grade_of_another_session_is_404(client, facilitator, team_manager, programme, final):
    other = make_session(programme, "Tweede slot", SessionKind.FINAL)
    graded = grade(other, team_manager)
    client.force_login(facilitator)

    assert adopt(client, final, graded, adopted="on", change_note="x").status_code == 404


# --- permissions: the rows these URLs need in tests/test_permissions.py ---------------------------

# name: (method, data, htmx, statuses in ROLES order) — the same format as that matrix.
MATRIX = {
    "session_detail": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "session_edit": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "session_delete": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "agenda_step_new": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "agenda_step_edit": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "agenda_step_delete": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "agenda_step_move": ("post", {"direction": "up"}, False, [302, 404, 404, 403, 403, 302]),
    "session_mode": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "session_mode_live": ("get", None, True, [302, 404, 404, 403, 403, 200]),
    "session_step": ("post", {"action": "start"}, False, [302, 404, 404, 403, 403, 302]),
    "final_session": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "grade_adopt": ("post", {}, False, [302, 404, 404, 403, 403, 302]),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_role_gets_expected_status(client, request, programme, django_user_model, name, role):
    session = make_session(programme)
    (agenda_step,) = add_steps(session, ("Welkom", 15))
    final = make_session(programme, "Slot", SessionKind.FINAL)
    graded = grade(final, make_member(django_user_model, programme, Role.TEAM_MANAGER, "grader"))
    kwargs = {"slug": programme.slug, "pk": session.pk}
    if name.startswith("agenda_step_") and name != "agenda_step_new":
        kwargs["step_pk"] = agenda_step.pk
    if name in {"final_session", "grade_adopt"}:
        kwargs["pk"] = final.pk
    if name == "grade_adopt":
        kwargs["grade_pk"] = graded.pk
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    method, data, htmx, statuses = MATRIX[name]
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}

    target = reverse(name, kwargs=kwargs)
    response = getattr(client, method)(target, data, **headers) if data is not None else client.get(target, **headers)

    assert response.status_code == statuses[ROLES.index(role)]
    if response.status_code == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


# --- N+1 guards -----------------------------------------------------------------------------------


def _queries(client, target) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(target)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("count", [1, 12])
def test_sessions_list_query_count_does_not_grow(client, facilitator, programme, count):
    for number in range(count):
        session = make_session(programme, f"Bijeenkomst {number}", starts_at=timezone.now() + timedelta(days=number))
        add_steps(session, ("Welkom", 15), ("Ontwerpen", 90))
        PollQuestion.objects.create(session=session, kind="number", prompt="Uren?", minimum=0, maximum=8, step=1)
    client.force_login(facilitator)

    # session, user, programme+organisation, membership, sessions (+question and step counts),
    # the header's needs-my-response count
    assert _queries(client, reverse("sessions", args=[programme.slug])) == 6


@pytest.mark.parametrize("count", [1, 12])
def test_final_results_query_count_does_not_grow(client, facilitator, django_user_model, programme, final, count):
    year = programme.years.get(number=1)
    activity = make_activity(year)
    Guardrail.objects.create(programme=programme, name="Studielast", metric="study_load", target=3)
    for number in range(count):
        user = make_member(django_user_model, programme, Role.TEAM_MANAGER, f"tm{number:02d}")
        grade(final, user, 5 + number % 5, adopted=bool(number % 2), change_note="x", change_activity=activity)
    client.force_login(facilitator)

    # session, user, programme+organisation, membership, final session, grades(+user,+activity+year),
    # activities(+year,+anchor), guardrails, soft assessments(+subgroup), team-manager count,
    # the header's needs-my-response count
    assert _queries(client, url("final_session", final)) == 11


def test_overview_costs_one_query_for_the_timeline(client, facilitator, programme):
    for number in range(5):
        make_session(programme, f"Bijeenkomst {number}")
    client.force_login(facilitator)

    with CaptureQueriesContext(connection) as queries:
        client.get(programme.get_absolute_url())

    assert sum("workshops_designsession" in query["sql"] for query in queries.captured_queries) == 1


# --- demo data ------------------------------------------------------------------------------------


@pytest.fixture
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.usefixtures("_fast_hashing")
def test_demo_seed_is_idempotent_and_realistic(db):
    from io import StringIO

    from django.core.management import call_command

    from programmes.models import Programme
    from workshops.demo.sessions import seed

    call_command("seed_demo", stdout=StringIO())
    programme = Programme.objects.get(slug="demo")

    seed(programme)
    first = (DesignSession.objects.count(), AgendaStep.objects.count(), FinalGrade.objects.count())
    seed(programme)

    assert (DesignSession.objects.count(), AgendaStep.objects.count(), FinalGrade.objects.count()) == first
    timeline = session_timeline(programme)
    assert [s.kind for s in timeline] == ["framing", "kickoff", "relay", "relay", "relay", "final", "review"]
    assert [s.state for s in timeline] == ["done"] * 6 + ["next"]
    kickoff = DesignSession.objects.get(programme=programme, kind="kickoff")
    assert kickoff.join_code == "STAD25"
    assert 4 <= kickoff.steps.count() <= 6
    final = DesignSession.objects.get(programme=programme, kind="final")
    summary = domain.grade_summary(list(final.grades.values_list("grade", flat=True)))
    assert (summary.count, summary.mean, summary.median) == (12, 7.2, 7.0)
    assert final.grades.filter(adopted=True).exclude(change_note="").count() == 2
    team_managers = Membership.objects.filter(programme=programme, role=Role.TEAM_MANAGER).count()
    assert final.grades.values("user").distinct().count() == team_managers
    relay_sessions = DesignSession.objects.filter(programme=programme, kind="relay").order_by("starts_at")
    assert [s.relay_group.order for s in relay_sessions] == [1, 2, 3]  # linked by the relay demo
