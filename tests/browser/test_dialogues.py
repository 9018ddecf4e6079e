"""The async dialogue in a real browser: a co-thinker answers and reacts on a phone-width
page without reloads; a facilitator closes the dialogue with its outcome."""

from __future__ import annotations

from dialogues.models import Answer, Dialogue, Reaction
from dialogues.testing import answer, make_dialogue
from guardrails.models import Guardrail
from programmes.models import Role
from tests.browser.conftest import PHONE
from tests.conftest import make_activity, make_member, make_programme


def test_co_thinker_answers_and_reacts_on_a_phone(open_as, live_server, django_user_model):
    programme = make_programme("demo")
    hans = make_member(django_user_model, programme, Role.CO_THINKER, "meedenker")
    ingrid = make_member(django_user_model, programme, Role.TEAM_MANAGER, "tm03")
    dialogue = make_dialogue(programme, invited=[hans, ingrid])
    first_question = dialogue.questions.first()
    answer(first_question, ingrid, "De experimenten met partners.")
    proposal = dialogue.proposals.first()
    page = open_as(hans, language="en", viewport=PHONE)
    page.goto(f"{live_server.url}{dialogue.get_absolute_url()}")
    page.evaluate("window.__marker = 'same page'")

    page.get_by_label("Your answer to question 1").fill("Vooral de webinars: een vast live moment kost meer.")
    page.locator(f"#question-{first_question.pk}").get_by_role("button", name="Send answer").click()
    page.get_by_text("Your answer is saved.").wait_for()
    page.get_by_text("You answered 1 of 2 questions and reacted to 0 of 2 proposals.").wait_for()

    page.locator(f"#question-{first_question.pk} summary", has_text="Reply to tm03").click()
    page.get_by_label("Your reply to tm03").fill("Herkenbaar, juist het afstemmen.")
    page.get_by_role("button", name="Send reply").click()
    page.get_by_text("Your reply is saved.").wait_for()

    card = page.locator(f"#proposal-{proposal.pk}")
    card.locator("label", has_text="Block").click()
    card.get_by_role("button", name="Send reaction").click()
    card.get_by_text("Give a reason when you disagree or block").wait_for()
    assert Reaction.objects.count() == 0
    card = page.locator(f"#proposal-{proposal.pk}")
    card.get_by_label("Reason").fill("Leren in de zomer maakt het niet lichter.")
    card.get_by_role("button", name="Send reaction").click()
    page.locator(f"#proposal-{proposal.pk}").get_by_text("Your reaction is saved.").wait_for()

    assert page.evaluate("window.__marker") == "same page"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert list(Answer.objects.filter(author=hans).values_list("text", "parent__author__username")) == [
        ("Vooral de webinars: een vast live moment kost meer.", None),
        ("Herkenbaar, juist het afstemmen.", "tm03"),
    ]
    assert list(Reaction.objects.values_list("kind", "reason")) == [
        ("block", "Leren in de zomer maakt het niet lichter."),
    ]
    assert "Leren in de zomer maakt het niet lichter." in page.locator(f"#proposal-{proposal.pk}").inner_text()
    assert page.js_errors == []


def test_facilitator_closes_with_an_outcome(open_as, live_server, django_user_model):
    programme = make_programme("demo")
    anouk = make_member(django_user_model, programme, Role.FACILITATOR, "anouk")
    hans = make_member(django_user_model, programme, Role.CO_THINKER, "meedenker")
    guardrail = Guardrail.objects.create(programme=programme, name="Studiebelasting", target=3)
    webinars = make_activity(programme.years.get(number=2), title="Webinarreeks")
    dialogue = make_dialogue(programme, invited=[hans])
    page = open_as(anouk, language="nl")
    page.goto(f"{live_server.url}{dialogue.get_absolute_url()}")

    page.get_by_role("link", name="Sluiten met uitkomst").click()
    page.get_by_label("Uitkomst").fill("De webinars worden asynchroon en korter.")
    page.get_by_label("Vangrail die veranderde").select_option(str(guardrail.pk))
    page.get_by_role("button", name="Dialoog sluiten").click()
    page.get_by_text("Zeg wat er aan de vangrail veranderde").wait_for()  # a guardrail link needs its note
    page.get_by_label("Wat er aan de vangrail veranderde").fill("Doel blijft ≤ 3 u/week")
    page.locator("summary", has_text="Jaar 2").click()
    page.get_by_label("Webinarreeks").check()
    page.get_by_role("button", name="Dialoog sluiten").click()

    page.get_by_text("De dialoog is gesloten met de uitkomst.").wait_for()
    assert "De webinars worden asynchroon en korter." in page.locator(".outcome-card").inner_text()
    closed = Dialogue.objects.get()
    assert closed.closed_by == anouk
    assert list(closed.outcome_activities.all()) == [webinars]
    assert page.locator(".answer-form").count() == 0
    assert page.js_errors == []
