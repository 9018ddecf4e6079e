"""The kickoff inventory and the ambition drafts in real browsers: a phone adds a sticky
note, the facilitator's board shows it and takes a dot without a page load, and an
ambition draft of a team manager becomes the programme's ambition."""

from __future__ import annotations

from programmes.models import Role
from tests.browser.conftest import PHONE
from tests.conftest import make_member, make_programme
from workshops.models import CardVote, DesignSession, InventoryCard


def test_phone_adds_a_card_and_the_facilitator_dots_it(open_as, live_server, django_user_model):
    programme = make_programme("demo", title="Samen leren in de wijk")
    facilitator = make_member(django_user_model, programme, Role.FACILITATOR, "anouk")
    session = DesignSession.objects.create(programme=programme, title="Aftrap", kind="kickoff", join_code="STAD25")
    board_url = f"{live_server.url}/p/demo/sessions/{session.pk}/inventory/"

    board = open_as(facilitator, language="en")
    board.goto(board_url)
    board.locator("#lane-concerns").get_by_text("No cards in this lane yet.").wait_for()

    phone = open_as(None, language="en", viewport=PHONE)
    phone.goto(f"{live_server.url}/join/")
    phone.get_by_label("Enter the code shown on the screen").fill("stad25")
    phone.get_by_role("button", name="Join").click()
    phone.get_by_role("link", name="Add a sticky note").click()
    phone.get_by_role("radio", name="Concerns").check()
    phone.get_by_label("Your note").fill("Waar haal ik de tijd vandaan?")
    phone.locator(".tweet-counter").filter(has_text="29 / 200").wait_for()
    phone.get_by_role("button", name="Put it on the board").click()
    phone.get_by_text("Thank you, your note is on the board in “Concerns”.").wait_for()
    assert InventoryCard.objects.get().participant is not None

    board.reload()
    card = board.locator("#lane-concerns .sticky-note").filter(has_text="Waar haal ik de tijd vandaan?")
    card.get_by_text("0 dots").wait_for()
    board.evaluate("window.__marker = 'same page'")
    card.get_by_role("button", name="Place a dot on “Waar haal ik de tijd vandaan?”").click()
    card.get_by_text("1 dot", exact=True).wait_for()
    board.get_by_text("You have placed 1 of your 5 dots.").wait_for()
    assert board.evaluate("window.__marker") == "same page"
    assert board.evaluate("document.activeElement.id") == f"dot-{InventoryCard.objects.get().pk}"
    assert list(CardVote.objects.values_list("voter", flat=True)) == [f"u{facilitator.pk}"]

    lane = board.locator("#lane-looking_forward")
    lane.get_by_label("New card in “Looking forward to”").fill("Meelopen in een ander team")
    lane.get_by_role("button", name="Add card").click()
    lane.get_by_text("Your card is added.").wait_for()
    lane.locator(".sticky-note").filter(has_text="Meelopen in een ander team").wait_for()
    assert board.evaluate("document.activeElement.id") == "id_looking_forward_text"
    assert board.evaluate("window.__marker") == "same page"
    assert board.js_errors == []
    assert phone.js_errors == []


def test_team_managers_draft_becomes_the_ambition(open_as, live_server, django_user_model):
    programme = make_programme("demo", title="Samen leren in de wijk")
    facilitator = make_member(django_user_model, programme, Role.FACILITATOR, "anouk")
    team_manager = make_member(django_user_model, programme, Role.TEAM_MANAGER, "tm01")
    drafts_url = f"{live_server.url}/p/demo/ambition/drafts/"
    text = "Wij leren waar we werken: in het teamoverleg, op huisbezoek en in de wijk. #lerenindewijk"

    manager = open_as(team_manager, language="en")
    manager.goto(drafts_url)
    manager.get_by_label("Your draft of the ambition").fill(text)
    manager.locator(".tweet-counter").filter(has_text=f"{len(text)} / 280").wait_for()
    manager.get_by_role("button", name="Propose").click()
    manager.get_by_text("Your draft is proposed. Now everyone can vote on it.").wait_for()
    manager.get_by_role("button", name="Vote").click()
    manager.get_by_test_id("vote-count").filter(has_text="1 vote").wait_for()
    assert manager.get_by_role("button", name="Make this the ambition").count() == 0

    chooser = open_as(facilitator, language="en")
    chooser.on("dialog", lambda dialog: dialog.accept())
    chooser.goto(drafts_url)
    chooser.get_by_role("button", name="Make this the ambition").click()
    chooser.get_by_test_id("current-ambition").filter(has_text=text).wait_for()
    chooser.goto(f"{live_server.url}/p/demo/")
    assert text in chooser.locator("#ambition-form textarea").input_value()
    assert manager.js_errors == []
    assert chooser.js_errors == []
