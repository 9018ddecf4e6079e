"""A relay hand-over in a real browser: group 1 designs its year and hands over its baton
question; group 2 reads year 1 without edit controls, sees the question and answers it."""

from __future__ import annotations

from programmes.models import Activity, Role
from tests.browser.conftest import PHONE
from tests.conftest import make_member, make_programme
from workshops.models import Handover, RelayGroup

QUESTION = "How do you keep learning inside the daily work, not next to it?"
ANSWER = "We tie every activity to a meeting that already exists."


def _relay(django_user_model):
    programme = make_programme("demo", title="Samen leren in de wijk")
    first = make_member(django_user_model, programme, Role.TEAM_MANAGER, "tm01")
    second = make_member(django_user_model, programme, Role.TEAM_MANAGER, "tm05")
    years = {year.number: year for year in programme.years.all()}
    group1 = RelayGroup.objects.create(programme=programme, name="Groep 1", year=years[1], order=1)
    group1.members.add(first)
    group2 = RelayGroup.objects.create(programme=programme, name="Groep 2", year=years[2], order=2)
    group2.members.add(second)
    return years[1], group1, first, second


def test_relay_hand_over_from_group_1_to_group_2(open_as, live_server, django_user_model):
    year1, group1, first, second = _relay(django_user_model)

    # Group 1 designs its own year through the htmx designer…
    page = open_as(first, language="en")
    page.goto(f"{live_server.url}/p/demo/years/1/")
    page.evaluate("window.__marker = 'same page'")
    page.get_by_text("Add activity").click()
    form = page.locator("#new-activity-form")
    form.get_by_label("Title").fill("Learning group on casework")
    form.get_by_label("Learning type").select_option("discussion")
    form.get_by_label("Modality").select_option("face_to_face")
    form.get_by_label("Peers").check()
    form.get_by_label("Contact hours").fill("2")
    form.get_by_label("Occurrences").fill("6")
    form.get_by_role("button", name="Add to this year").click()
    page.locator("#activity-list").get_by_text("Learning group on casework").wait_for()
    assert page.evaluate("window.__marker") == "same page"
    assert Activity.objects.filter(year=year1, title="Learning group on casework").count() == 1

    # …and ends its session with a vlog link and the baton question.
    page.goto(f"{live_server.url}/p/demo/relay/")
    page.get_by_role("link", name="Record the hand-over").click()
    page.get_by_label("…or paste a link to the vlog").fill("https://video.example.org/estafette/groep-1")
    page.get_by_label("Baton question for the next group").fill(QUESTION)
    page.get_by_role("button", name="Save the hand-over").click()
    page.get_by_text("The hand-over of “Groep 1” is saved.").wait_for()
    assert page.locator(f"#group-{group1.pk}").get_by_test_id("baton-question").inner_text() == QUESTION
    assert page.js_errors == []

    # Group 2 reads year 1 but cannot change it.
    other = open_as(second, language="en", viewport=PHONE)
    other.goto(f"{live_server.url}/p/demo/years/1/")
    other.get_by_text("Learning group on casework").wait_for()
    assert other.get_by_text("Add activity").count() == 0
    assert other.get_by_role("link", name="Edit year").count() == 0
    assert other.get_by_role("link", name="Edit “Learning group on casework”").count() == 0

    # On the relay board group 2 finds the question and answers it, without a reload.
    other.goto(f"{live_server.url}/p/demo/relay/")
    other.evaluate("window.__marker = 'same page'")
    card = other.locator(f"#group-{group1.pk}")
    assert card.get_by_test_id("baton-question").inner_text() == QUESTION
    assert card.get_by_role("link", name="Watch the vlog").get_attribute("href") == (
        "https://video.example.org/estafette/groep-1"
    )
    card.get_by_label("Your group's answer").fill(ANSWER)
    card.get_by_role("button", name="Hand in the answer").click()
    card.get_by_text("The answer is handed in.").wait_for()
    assert card.get_by_test_id("baton-answer").inner_text() == ANSWER
    assert other.evaluate("window.__marker") == "same page"
    assert other.js_errors == []
    handover = Handover.objects.get(group=group1)
    assert (handover.answer, handover.answer_by) == (ANSWER, second)

    # Group 1 sees the answer on its board.
    page.reload()
    assert page.locator(f"#group-{group1.pk}").get_by_test_id("baton-answer").inner_text() == ANSWER


def test_relay_answer_left_empty_explains_in_place(open_as, live_server, django_user_model):
    _year1, group1, first, second = _relay(django_user_model)
    Handover.objects.create(group=group1, question=QUESTION, question_by=first)
    page = open_as(second, language="en")
    page.goto(f"{live_server.url}/p/demo/relay/")

    card = page.locator(f"#group-{group1.pk}")
    card.get_by_label("Your group's answer").fill("   ")  # passes the browser's `required`, not ours
    card.get_by_role("button", name="Hand in the answer").click()

    card.get_by_text("Write the answer before you hand it in.").wait_for()
    assert Handover.objects.get(group=group1).answer == ""
    assert page.js_errors == []
