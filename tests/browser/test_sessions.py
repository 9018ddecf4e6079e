"""Sessions in real browsers: preparing the agenda and stepping through it on the
projector, a team manager grading on a phone, and a facilitator adopting a suggestion."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from programmes.models import Role
from tests.browser.conftest import PHONE
from tests.conftest import make_member, make_programme
from workshops.models import AgendaStep, DesignSession, FinalGrade, SessionKind


def test_facilitator_prepares_the_agenda_and_steps_through_it(open_as, live_server, django_user_model):
    programme = make_programme("demo", title="Samen leren in de wijk")
    facilitator = make_member(django_user_model, programme, Role.FACILITATOR, "anouk")
    session = DesignSession.objects.create(programme=programme, title="Aftrap", kind=SessionKind.KICKOFF)
    AgendaStep.objects.create(session=session, order=1, title="Ambitie als tweet", minutes=30)
    AgendaStep.objects.create(session=session, order=2, title="Inventarisatie", minutes=45)

    page = open_as(facilitator, language="en")
    page.goto(f"{live_server.url}/p/demo/sessions/{session.pk}/")
    page.evaluate("window.__marker = 'same page'")
    page.get_by_text("Add a step").click()
    page.get_by_label("Title").fill("Welkom en kaders")
    page.get_by_label("Minutes").fill("15")
    page.get_by_role("button", name="Add to the agenda").click()
    page.get_by_test_id("agenda-total").filter(has_text="90 minutes in all").wait_for()
    page.get_by_role("button", name="Move “Welkom en kaders” up").click()
    page.get_by_role("button", name="Move “Welkom en kaders” up").click()
    page.locator(".agenda-step").first.filter(has_text="Welkom en kaders").wait_for()
    assert page.evaluate("window.__marker") == "same page"
    assert page.locator(".agenda-step h3").all_inner_texts() == [
        "Welkom en kaders",
        "Ambitie als tweet",
        "Inventarisatie",
    ]

    page.goto(f"{live_server.url}/p/demo/sessions/{session.pk}/mode/")
    page.evaluate("window.__marker = 'projector'")
    page.get_by_role("button", name="Start the session").click()
    page.get_by_test_id("current-step").filter(has_text="Welkom en kaders").wait_for()
    assert page.get_by_test_id("next-step").inner_text().startswith("Ambitie als tweet")
    assert re.fullmatch(r"1[45]:\d\d", page.get_by_test_id("timer").inner_text())
    first = page.get_by_test_id("timer").inner_text()
    expect(page.get_by_test_id("timer")).not_to_have_text(first, timeout=3_000)  # it counts down

    page.get_by_role("button", name="Next step").click()
    page.get_by_test_id("current-step").filter(has_text="Ambitie als tweet").wait_for()
    assert page.get_by_test_id("progress").inner_text() == "Step 2 of 3"
    assert page.get_by_test_id("next-step").inner_text().startswith("Inventarisatie")
    assert re.fullmatch(r"(30:00|29:5\d)", page.get_by_test_id("timer").inner_text())

    page.keyboard.press("PageDown")  # a presenter's clicker
    page.get_by_test_id("current-step").filter(has_text="Inventarisatie").wait_for()
    assert page.get_by_test_id("next-step").inner_text() == "This is the last step."
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Finish session").click()
    page.get_by_text("The session is finished.").wait_for()
    assert page.evaluate("window.__marker") == "projector"
    assert page.js_errors == []
    session.refresh_from_db()
    assert session.finished_at is not None


def test_team_manager_grades_on_a_phone_and_sees_the_mean(open_as, live_server, django_user_model):
    programme = make_programme("demo", title="Samen leren in de wijk")
    colleague = make_member(django_user_model, programme, Role.TEAM_MANAGER, "tm01")
    manager = make_member(django_user_model, programme, Role.TEAM_MANAGER, "tm02")
    final = DesignSession.objects.create(programme=programme, title="Slotbijeenkomst", kind=SessionKind.FINAL)
    FinalGrade.objects.create(
        session=final, user=colleague, grade=8, suggestion="Koppel de webinars aan het casuïstiekoverleg."
    )

    phone = open_as(manager, language="en", viewport=PHONE)
    phone.goto(f"{live_server.url}/p/demo/sessions/{final.pk}/final/")
    assert phone.get_by_test_id("grade-mean").count() == 0
    phone.get_by_label("One concrete suggestion to raise it one point").fill("Meer")
    phone.get_by_role("button", name="Save my grade").click()
    phone.get_by_text("Choose a grade from 1 to 10.").wait_for()
    assert phone.get_by_label("One concrete suggestion to raise it one point").input_value() == "Meer"

    phone.locator("label[for=id_grade_5]").click()  # the sixth option: grade 6
    phone.get_by_label("One concrete suggestion to raise it one point").fill(
        "Plan de intervisietrio's vast in de agenda voor het hele jaar."
    )
    phone.get_by_role("button", name="Save my grade").click()

    phone.get_by_text("Thank you: your grade and suggestion are saved.").wait_for()
    assert phone.get_by_test_id("grade-mean").inner_text() == "7.0"
    assert phone.get_by_test_id("grade-count").inner_text() == "2 of 2 team managers have graded."
    assert phone.get_by_text("Koppel de webinars aan het casuïstiekoverleg.").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone.js_errors == []


def test_facilitator_adopts_a_suggestion_in_place(open_as, live_server, django_user_model):
    programme = make_programme("demo", title="Samen leren in de wijk")
    facilitator = make_member(django_user_model, programme, Role.FACILITATOR, "anouk")
    manager = make_member(django_user_model, programme, Role.TEAM_MANAGER, "tm01")
    final = DesignSession.objects.create(programme=programme, title="Slotbijeenkomst", kind=SessionKind.FINAL)
    graded = FinalGrade.objects.create(
        session=final, user=manager, grade=7, suggestion="Maak van de leesclub een lunchsessie."
    )

    page = open_as(facilitator, language="en")
    page.goto(f"{live_server.url}/p/demo/sessions/{final.pk}/final/")
    page.evaluate("window.__marker = 'same page'")
    card = page.locator(f"#grade-{graded.pk}")
    card.get_by_text("Mark adopted").click()
    card.get_by_label("Adopted").check()
    card.get_by_role("button", name="Save").click()
    page.locator(f"#grade-{graded.pk}").get_by_text("Describe the change this suggestion led to").wait_for()

    page.locator(f"#grade-{graded.pk}").get_by_label("The change it led to").fill("Leesclub wordt een lunchsessie.")
    page.locator(f"#grade-{graded.pk}").get_by_role("button", name="Save").click()

    page.locator(f"#grade-{graded.pk}").get_by_text("✓ adopted").wait_for()
    assert page.evaluate("window.__marker") == "same page"
    assert page.js_errors == []
    graded.refresh_from_db()
    assert (graded.adopted, graded.change_note) == (True, "Leesclub wordt een lunchsessie.")
