"""The kickoff poll in real browsers: a projector, three phones, and adopting the result."""

from __future__ import annotations

from programmes.models import Role
from tests.browser.conftest import PHONE
from tests.conftest import make_member, make_programme
from workshops.models import DesignSession, PollQuestion
from workshops.presets import presets


def test_three_phones_vote_and_projector_updates_then_adopt(browser, open_as, live_server, django_user_model):
    programme = make_programme("demo", title="Samen leren in de wijk")
    facilitator = make_member(django_user_model, programme, Role.FACILITATOR, "anouk")
    session = DesignSession.objects.create(programme=programme, title="Aftrap", kind="kickoff")
    PollQuestion.objects.create(session=session, order=1, **presets()["hours"])

    control = open_as(facilitator, language="en")
    control.goto(f"{live_server.url}/p/demo/sessions/{session.pk}/poll/")
    control.get_by_role("button", name="Open", exact=True).click()
    control.get_by_role("button", name="Show results").click()

    projector = control.context.new_page()
    projector_errors = []
    projector.on("pageerror", lambda exc: projector_errors.append(str(exc)))
    projector.goto(f"{live_server.url}/p/demo/sessions/{session.pk}/projector/")
    projector.get_by_text("How many hours a week do you grant yourself for learning?").wait_for()
    code = projector.get_by_test_id("join-code").inner_text()
    projector.evaluate("window.__marker = 'same page'")

    for hours in ("2", "4", "3"):
        phone = open_as(None, language="en", viewport=PHONE)
        phone.goto(f"{live_server.url}/join/")
        phone.get_by_label("Enter the code shown on the screen").fill(code.lower())
        phone.get_by_role("button", name="Join").click()
        phone.get_by_label("A number from 0 to 8 (hours a week)").fill(hours)
        phone.get_by_role("button", name="Send").click()
        phone.get_by_text("Thank you, your answer is counted.").wait_for()
        assert phone.js_errors == []

    projector.get_by_test_id("answer-count").filter(has_text="3 answers").wait_for(timeout=5_000)
    projector.locator(".result-stats").filter(has_text="Mean 3").wait_for()
    assert projector.evaluate("window.__marker") == "same page"

    control.reload()
    control.get_by_role("button", name="Adopt as guardrail").click()
    control.wait_for_url(f"{live_server.url}/p/demo/guardrails/")
    card = control.locator(".guardrail-card").first
    card.get_by_text("Study load (hours per week) ≤ 3 h/week").wait_for()
    assert "3 answers" in card.inner_text()
    assert control.js_errors == []
    assert projector_errors == []


def test_phone_sees_a_clear_message_for_a_wrong_code(open_as, live_server):
    phone = open_as(None, language="nl", viewport=PHONE)
    phone.goto(f"{live_server.url}/join/")
    phone.locator("input[name=code]").fill("ZZZZ99")
    phone.locator("main button[type=submit]").click()

    phone.locator(".invalid-feedback").wait_for()
    assert phone.locator("input[name=code]").input_value() == "ZZZZ99"
