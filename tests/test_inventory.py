"""The kickoff inventory and the ambition drafts through their views: sticky notes in four
lanes from members and phones, clusters, dots (at most five per voter per session, one
per card), links to activities, cards that become workplace anchors; ambition drafts that
are proposed, voted on and chosen. Plus the pure helpers, the N+1 guards and the demo."""

from __future__ import annotations

import html
import re
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programmes.models import Programme, Role, WorkplaceAnchor
from tests.conftest import make_activity, make_member, make_programme
from workshops.demo import inventory as demo
from workshops.forms.inventory import canonical_cluster
from workshops.models import (
    AmbitionDraft,
    AmbitionVote,
    CardVote,
    DesignSession,
    InventoryCard,
    Lane,
    Participant,
    SessionKind,
)
from workshops.views.inventory import dot_change, group_cards

CODE = "KCK7QA"
FULL = "You have used all your dots. Take one back from another card to place it here."
TIGHT_LIMITS = {"join": (2, 1000, 3600), "vote": (2, 1000, 3600)}


@pytest.fixture(autouse=True)
def _fresh_rate_limit_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def kickoff(programme):
    return DesignSession.objects.create(programme=programme, title="Aftrap", kind=SessionKind.KICKOFF, join_code=CODE)


def page_text(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(text).split())


def card(session, text="Tijd vinden naast het werk", lane=Lane.CONCERNS, **fields) -> InventoryCard:
    return InventoryCard.objects.create(session=session, lane=lane, text=text, **fields)


def board_url(session) -> str:
    return reverse("inventory", args=[session.programme.slug, session.pk])


def card_url(name: str, item: InventoryCard) -> str:
    return reverse(name, args=[item.session.programme.slug, item.session_id, item.pk])


def joined_phone(session) -> Client:
    phone = Client()
    phone.get(reverse("phone_cards", args=[session.join_code]))
    return phone


# --- pure helpers -------------------------------------------------------------------------------


def note(lane, cluster="", text=""):
    return SimpleNamespace(lane=lane, cluster=cluster, text=text)


def test_group_cards_keeps_every_lane_in_order_with_named_clusters_first():
    cards = [
        note("concerns", "", "a"),
        note("concerns", "werkdruk", "b"),
        note("anchors", "", "c"),
        note("concerns", "Tijd", "d"),
        note("concerns", "werkdruk", "e"),
        note("unknown", "", "f"),
    ]

    lanes = group_cards(cards, Lane.choices)

    assert [lane.key for lane in lanes] == ["anchors", "concerns", "challenges", "looking_forward"]
    assert [lane.count for lane in lanes] == [1, 4, 0, 0]
    concerns = lanes[1]
    assert [cluster.name for cluster in concerns.clusters] == ["Tijd", "werkdruk", ""]
    assert [[c.text for c in cluster.cards] for cluster in concerns.clusters] == [["d"], ["b", "e"], ["a"]]
    assert lanes[2].clusters == []


@pytest.mark.parametrize(
    ("dots_used", "on_card", "expected"),
    [(0, False, "place"), (4, False, "place"), (5, False, "full"), (5, True, "remove"), (2, True, "remove")],
)
def test_dot_change_allows_five_dots_and_one_per_card(dots_used, on_card, expected):
    assert dot_change(dots_used, on_card) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("  werkdruk ", "Werkdruk"), ("Tijd  en   ruimte", "Tijd en ruimte"), ("", ""), ("Nieuw", "Nieuw")],
)
def test_canonical_cluster_reuses_an_existing_spelling(typed, expected):
    assert canonical_cluster(typed, ["Werkdruk", "Tijd en ruimte"]) == expected


# --- the board ----------------------------------------------------------------------------------


def test_board_shows_cards_per_lane_and_cluster_with_dot_counts(client, director, kickoff):
    dotted = card(kickoff, "Waar haal ik de tijd vandaan?", cluster="Tijd en werkdruk")
    card(kickoff, "Casuïstiekoverleg", lane=Lane.ANCHORS)
    CardVote.objects.create(card=dotted, voter="u999")
    CardVote.objects.create(card=dotted, voter="p1")
    client.force_login(director)

    response = client.get(board_url(kickoff))

    text = page_text(response)
    assert response.status_code == 200
    assert "Tijd en werkdruk Waar haal ik de tijd vandaan? 2 dots" in text
    assert "Workplace anchors 1 Casuïstiekoverleg" in text
    assert "You have placed 0 of your 5 dots." in text
    assert "New card in" not in text  # the director weighs cards but does not write them


@pytest.mark.parametrize("kind", [SessionKind.RELAY, SessionKind.FINAL])
def test_board_of_a_session_that_is_no_kickoff_is_404(client, facilitator, programme, kind):
    session = DesignSession.objects.create(programme=programme, title="Estafette 1", kind=kind)
    client.force_login(facilitator)

    assert client.get(board_url(session)).status_code == 404


def test_board_of_another_programmes_session_is_404(client, facilitator, other_programme):
    session = DesignSession.objects.create(programme=other_programme, title="Aftrap", kind=SessionKind.KICKOFF)
    client.force_login(facilitator)

    url = reverse("inventory", args=["alpha", session.pk])

    assert client.get(url).status_code == 404


# --- adding cards -------------------------------------------------------------------------------


def test_team_manager_adds_a_card_to_a_lane(client, team_manager, kickoff):
    client.force_login(team_manager)

    response = client.post(
        reverse("card_new", args=["alpha", kickoff.pk]), {"lane": "challenges", "text": "  Sturen   op de bedoeling "}
    )

    added = InventoryCard.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith("#lane-challenges")
    assert (added.lane, added.text, added.author, added.session) == (
        "challenges",
        "Sturen op de bedoeling",
        team_manager,
        kickoff,
    )


def test_adding_a_card_with_htmx_returns_its_lane_with_the_card_and_a_fresh_form(client, facilitator, kickoff):
    client.force_login(facilitator)

    response = client.post(
        reverse("card_new", args=["alpha", kickoff.pk]),
        {"lane": "looking_forward", "text": "Meelopen in een ander team"},
        HTTP_HX_REQUEST="true",
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="lane-looking_forward"')
    assert "Meelopen in een ander team" in body
    assert "Your card is added." in body
    assert "autofocus" in body
    assert "<html" not in body


def test_too_long_card_is_refused_with_the_text_kept(client, team_manager, kickoff):
    client.force_login(team_manager)
    text = "Werkdruk " * 23  # 207 characters, 206 after stripping

    response = client.post(reverse("card_new", args=["alpha", kickoff.pk]), {"lane": "concerns", "text": text})

    assert response.status_code == 200
    assert "The card is not added yet; see the message in “Concerns”." in page_text(response)
    assert "A card holds at most 200 characters; this one has 206. Shorten it and add it again." in page_text(response)
    assert text.strip() in html.unescape(response.content.decode())
    assert InventoryCard.objects.count() == 0


def test_empty_card_with_htmx_shows_the_message_in_its_lane(client, team_manager, kickoff):
    client.force_login(team_manager)

    response = client.post(
        reverse("card_new", args=["alpha", kickoff.pk]), {"lane": "concerns", "text": "   "}, HTTP_HX_REQUEST="true"
    )

    assert 'id="lane-concerns"' in response.content.decode()
    assert "Write something on the card first." in page_text(response)
    assert InventoryCard.objects.count() == 0


def test_forged_lane_is_refused_with_a_message(client, team_manager, kickoff):
    client.force_login(team_manager)

    response = client.post(
        reverse("card_new", args=["alpha", kickoff.pk]), {"lane": "wishes", "text": "Iets"}, follow=True
    )

    assert "Choose one of the four lanes." in page_text(response)
    assert InventoryCard.objects.count() == 0


def test_director_may_not_add_cards(client, director, kickoff):
    client.force_login(director)

    response = client.post(reverse("card_new", args=["alpha", kickoff.pk]), {"lane": "concerns", "text": "Iets"})

    assert response.status_code == 403
    assert InventoryCard.objects.count() == 0


# --- dots ---------------------------------------------------------------------------------------


def test_a_click_places_a_dot_and_a_second_click_takes_it_back(client, team_manager, kickoff):
    item = card(kickoff)
    client.force_login(team_manager)

    client.post(card_url("card_vote", item))
    placed = list(CardVote.objects.values_list("voter", flat=True))
    client.post(card_url("card_vote", item))

    assert placed == [f"u{team_manager.pk}"]
    assert CardVote.objects.count() == 0


def test_a_sixth_dot_is_refused_with_a_message(client, director, kickoff):
    cards = [card(kickoff, f"Kaart {number}") for number in range(6)]
    client.force_login(director)
    for item in cards[:5]:
        client.post(card_url("card_vote", item))

    response = client.post(card_url("card_vote", cards[5]), follow=True)

    assert FULL in page_text(response)
    assert CardVote.objects.filter(voter=f"u{director.pk}").count() == 5
    assert not CardVote.objects.filter(card=cards[5]).exists()


def test_dots_of_another_session_do_not_count(client, team_manager, programme, kickoff):
    other = DesignSession.objects.create(programme=programme, title="Tweede aftrap", kind=SessionKind.KICKOFF)
    for number in range(5):
        CardVote.objects.create(card=card(other, f"Oud {number}"), voter=f"u{team_manager.pk}")
    item = card(kickoff)
    client.force_login(team_manager)

    client.post(card_url("card_vote", item))

    assert CardVote.objects.filter(card=item).count() == 1


def test_dot_with_htmx_returns_the_card_and_the_dots_left(client, facilitator, kickoff):
    item = card(kickoff, "Casuïstiekoverleg", lane=Lane.ANCHORS)
    CardVote.objects.create(card=item, voter="p7")
    client.force_login(facilitator)

    response = client.post(card_url("card_vote", item), HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert body.lstrip().startswith(f'<li id="card-{item.pk}"')
    assert "2 dots" in page_text(response)
    assert "Take back my dot" in body
    assert 'id="dots-left" class="dots-left mb-0" hx-swap-oob="true"' in body
    assert "You have placed 1 of your 5 dots." in page_text(response)


def test_full_dots_with_htmx_explain_in_the_card(client, facilitator, kickoff):
    cards = [card(kickoff, f"Kaart {number}") for number in range(6)]
    for item in cards[:5]:
        CardVote.objects.create(card=item, voter=f"u{facilitator.pk}")
    client.force_login(facilitator)

    response = client.post(card_url("card_vote", cards[5]), HTTP_HX_REQUEST="true")

    assert FULL in page_text(response)
    assert "0 dots" in page_text(response)


def test_dot_on_a_card_of_another_session_is_404(client, team_manager, programme, kickoff):
    other = DesignSession.objects.create(programme=programme, title="Tweede", kind=SessionKind.KICKOFF)
    stranger = card(other)
    client.force_login(team_manager)

    response = client.post(reverse("card_vote", args=["alpha", kickoff.pk, stranger.pk]))

    assert response.status_code == 404


# --- editing, clustering, linking, deleting ---------------------------------------------------


def test_team_manager_edits_own_card_and_clusters_it_under_an_existing_spelling(client, team_manager, kickoff, year1):
    card(kickoff, "Bij drukte schiet leren erbij in", cluster="Werkdruk")
    own = card(kickoff, "Geen tijd", author=team_manager)
    activity = make_activity(year1, title="Intervisie in vaste trio's")
    client.force_login(team_manager)

    response = client.post(
        card_url("card_edit", own),
        {"text": "Geen tijd naast het werk", "lane": "concerns", "cluster": " werkdruk ", "activities": [activity.pk]},
    )

    own.refresh_from_db()
    assert response.status_code == 302
    assert (own.text, own.cluster) == ("Geen tijd naast het werk", "Werkdruk")
    assert list(own.activities.all()) == [activity]


def test_edit_form_groups_activities_per_year_and_offers_existing_clusters(client, facilitator, kickoff, programme):
    item = card(kickoff, cluster="Tijd")
    make_activity(programme.years.get(number=1), title="Leesclub")
    make_activity(programme.years.get(number=2), title="Wijkschouw")
    client.force_login(facilitator)

    response = client.get(card_url("card_edit", item))

    text = page_text(response)
    assert "Year 1 – Year 1 Leesclub Year 2 – Year 2 Wijkschouw" in text
    assert '<option value="Tijd">' in response.content.decode()


def test_linking_an_activity_of_another_programme_is_refused(client, facilitator, kickoff, other_programme):
    item = card(kickoff)
    foreign = make_activity(other_programme.years.get(number=1), title="Geheim")
    client.force_login(facilitator)

    response = client.post(
        card_url("card_edit", item), {"text": item.text, "lane": "concerns", "cluster": "", "activities": [foreign.pk]}
    )

    assert response.status_code == 200
    assert "Choose activities of this programme only." in page_text(response)
    assert item.activities.count() == 0


def test_too_long_edit_keeps_what_was_typed(client, facilitator, kickoff):
    item = card(kickoff)
    client.force_login(facilitator)
    text = "x" * 201

    response = client.post(card_url("card_edit", item), {"text": text, "lane": "concerns", "cluster": "Nieuw"})

    assert "A card holds at most 200 characters; this one has 201." in page_text(response)
    assert text in response.content.decode()
    assert 'value="Nieuw"' in response.content.decode()


def test_team_manager_may_not_edit_or_delete_someone_elses_card(client, team_manager, facilitator, kickoff):
    theirs = card(kickoff, author=facilitator)
    client.force_login(team_manager)

    assert client.get(card_url("card_edit", theirs)).status_code == 403
    assert client.post(card_url("card_delete", theirs)).status_code == 403
    assert InventoryCard.objects.filter(pk=theirs.pk).exists()


def test_facilitator_deletes_a_phone_card_with_its_dots(client, facilitator, kickoff):
    participant = Participant.objects.create(session=kickoff, token="t")
    item = card(kickoff, participant=participant)
    CardVote.objects.create(card=item, voter="u1")
    client.force_login(facilitator)

    response = client.post(card_url("card_delete", item))

    assert response.status_code == 302
    assert InventoryCard.objects.count() == 0
    assert CardVote.objects.count() == 0


# --- a card becomes a workplace anchor --------------------------------------------------------


def test_anchors_card_becomes_a_workplace_anchor_once(client, facilitator, kickoff, programme):
    item = card(kickoff, "Huisbezoek met een collega", lane=Lane.ANCHORS)
    client.force_login(facilitator)

    first = client.post(card_url("card_to_anchor", item), follow=True)
    second = client.post(card_url("card_to_anchor", item), follow=True)

    assert list(WorkplaceAnchor.objects.filter(programme=programme).values_list("name", flat=True)) == [
        "Huisbezoek met een collega"
    ]
    assert "“Huisbezoek met een collega” is now a workplace anchor" in page_text(first)
    assert "“Huisbezoek met een collega” is already a workplace anchor." in page_text(second)
    assert "⚓ Workplace anchor" in page_text(second)


def test_anchor_names_are_compared_without_case(client, facilitator, kickoff, programme):
    WorkplaceAnchor.objects.create(programme=programme, name="Teamoverleg")
    item = card(kickoff, "teamoverleg", lane=Lane.ANCHORS)
    client.force_login(facilitator)

    client.post(card_url("card_to_anchor", item))

    assert WorkplaceAnchor.objects.filter(programme=programme).count() == 1


def test_a_concern_cannot_become_an_anchor(client, facilitator, kickoff):
    item = card(kickoff, "Werkdruk", lane=Lane.CONCERNS)
    client.force_login(facilitator)

    response = client.post(card_url("card_to_anchor", item), follow=True)

    assert "Only a card in the lane “Workplace anchors” can become a workplace anchor." in page_text(response)
    assert WorkplaceAnchor.objects.count() == 0


def test_team_manager_turns_own_anchors_card_into_an_anchor(client, team_manager, kickoff, programme):
    item = card(kickoff, "Weekstart", lane=Lane.ANCHORS, author=team_manager)
    client.force_login(team_manager)

    client.post(card_url("card_to_anchor", item))

    assert WorkplaceAnchor.objects.filter(programme=programme, name="Weekstart").exists()


# --- phones -------------------------------------------------------------------------------------


def test_phone_joins_on_the_cards_page_and_adds_a_card(kickoff):
    phone = joined_phone(kickoff)

    response = phone.post(reverse("phone_cards", args=[CODE]), {"lane": "concerns", "text": "Te weinig tijd"})

    participant = Participant.objects.get(session=kickoff)
    added = InventoryCard.objects.get()
    assert response.status_code == 302
    assert (added.lane, added.text, added.participant, added.author) == (
        "concerns",
        "Te weinig tijd",
        participant,
        None,
    )
    assert "Thank you, your note is on the board in “Concerns”." in page_text(phone.get(response["Location"]))


def test_phone_without_a_lane_or_text_gets_messages_and_keeps_the_text(kickoff):
    phone = joined_phone(kickoff)

    no_lane = phone.post(reverse("phone_cards", args=[CODE]), {"text": "Samen leren"})
    no_text = phone.post(reverse("phone_cards", args=[CODE]), {"lane": "anchors", "text": ""}, HTTP_HX_REQUEST="true")

    assert "Choose the lane the card belongs in." in page_text(no_lane)
    assert "Samen leren" in no_lane.content.decode()
    assert "Write something on the card first." in page_text(no_text)
    assert "<html" not in no_text.content.decode()
    assert InventoryCard.objects.count() == 0


def test_phone_with_htmx_gets_the_board_with_its_new_card(kickoff):
    phone = joined_phone(kickoff)

    response = phone.post(
        reverse("phone_cards", args=[CODE]), {"lane": "challenges", "text": "Data lezen"}, HTTP_HX_REQUEST="true"
    )

    text = page_text(response)
    assert "Thank you, your note is on the board in “Challenges”." in text
    assert "Data lezen" in text


def test_phone_that_did_not_join_is_sent_to_join_first(kickoff):
    response = Client().post(reverse("phone_cards", args=[CODE]), {"lane": "concerns", "text": "Iets"})

    assert response.status_code == 302
    assert response["Location"] == reverse("participate", args=[CODE])
    assert InventoryCard.objects.count() == 0


@pytest.mark.parametrize("kind", [SessionKind.RELAY, SessionKind.FINAL])
def test_phone_cards_only_for_a_kickoff(programme, kind):
    DesignSession.objects.create(programme=programme, title="Estafette", kind=kind, join_code="RLY234")

    assert Client().get(reverse("phone_cards", args=["RLY234"])).status_code == 404


def test_closed_session_does_not_let_new_phones_in_but_keeps_joined_ones(kickoff):
    joined = joined_phone(kickoff)
    kickoff.joinable = False
    kickoff.save()

    assert Client().get(reverse("phone_cards", args=[CODE])).status_code == 404
    assert joined.get(reverse("phone_cards", args=[CODE])).status_code == 200


def test_phone_places_a_dot_as_a_participant(kickoff):
    item = card(kickoff)
    phone = joined_phone(kickoff)
    participant = Participant.objects.get()

    response = phone.post(reverse("phone_card_vote", args=[CODE, item.pk]), HTTP_HX_REQUEST="true")

    assert list(CardVote.objects.values_list("voter", flat=True)) == [f"p{participant.pk}"]
    assert "You have placed 1 of your 5 dots." in page_text(response)


def test_phone_gets_at_most_five_dots(kickoff):
    cards = [card(kickoff, f"Kaart {number}") for number in range(6)]
    phone = joined_phone(kickoff)
    for item in cards:
        response = phone.post(reverse("phone_card_vote", args=[CODE, item.pk]), follow=True)

    assert CardVote.objects.count() == 5
    assert FULL in page_text(response)


def test_phone_dots_on_a_card_of_another_session_is_404(programme, kickoff):
    other = DesignSession.objects.create(programme=programme, title="Ander", kind=SessionKind.KICKOFF)
    stranger = card(other)
    phone = joined_phone(kickoff)

    assert phone.post(reverse("phone_card_vote", args=[CODE, stranger.pk])).status_code == 404


def test_phone_that_adds_too_fast_is_slowed_down(settings, kickoff):
    settings.RATE_LIMITS = TIGHT_LIMITS
    phone = joined_phone(kickoff)
    url = reverse("phone_cards", args=[CODE])
    for number in range(2):
        phone.post(url, {"lane": "concerns", "text": f"Kaart {number}"})

    response = phone.post(url, {"lane": "concerns", "text": "Nog eentje"})

    assert response.status_code == 429
    assert "Too many notes at once. Wait a moment and send it again." in page_text(response)
    assert "Nog eentje" in response.content.decode()
    assert InventoryCard.objects.count() == 2


def test_participate_page_links_to_the_cards_of_a_kickoff_only(programme, kickoff):
    relay = DesignSession.objects.create(programme=programme, title="Estafette", kind=SessionKind.RELAY)

    kickoff_page = Client().get(reverse("participate", args=[CODE]))
    relay_page = Client().get(reverse("participate", args=[relay.join_code]))

    assert reverse("phone_cards", args=[CODE]) in kickoff_page.content.decode()
    assert "Add a sticky note" not in page_text(relay_page)


# --- ambition drafts ---------------------------------------------------------------------------


def drafts_url(programme: Programme) -> str:
    return reverse("ambition_drafts", args=[programme.slug])


def draft(programme, text="Samen leren in de wijk", **fields) -> AmbitionDraft:
    return AmbitionDraft.objects.create(programme=programme, text=text, **fields)


def test_team_manager_proposes_a_draft_linked_to_the_kickoff(client, team_manager, programme, kickoff):
    client.force_login(team_manager)

    response = client.post(drafts_url(programme), {"text": "In drie jaar worden wij wijkmanagers. #samen"})

    proposed = AmbitionDraft.objects.get()
    assert response.status_code == 302
    assert (proposed.text, proposed.author, proposed.session, proposed.chosen_at) == (
        "In drie jaar worden wij wijkmanagers. #samen",
        team_manager,
        kickoff,
        None,
    )


def test_draft_over_280_characters_is_refused_and_kept(client, facilitator, programme):
    client.force_login(facilitator)
    text = "Leren in het werk. " * 15  # 285 characters, 284 after stripping

    response = client.post(drafts_url(programme), {"text": text})

    assert response.status_code == 200
    assert "A tweet has at most 280 characters; this one has 284. Shorten it and propose it again." in page_text(
        response
    )
    assert text.strip() in html.unescape(response.content.decode())
    assert AmbitionDraft.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write the ambition as a tweet first."),
        ("  samen LEREN in de  wijk ", "This draft is already proposed. Vote for it instead."),
    ],
)
def test_empty_or_repeated_draft_is_refused(client, team_manager, programme, text, message):
    draft(programme)
    client.force_login(team_manager)

    response = client.post(drafts_url(programme), {"text": text})

    assert message in page_text(response)
    assert AmbitionDraft.objects.count() == 1


def test_director_sees_drafts_but_may_not_propose(client, director, programme):
    draft(programme)
    client.force_login(director)

    page = client.get(drafts_url(programme))
    refused = client.post(drafts_url(programme), {"text": "Mijn eigen ambitie"})

    assert "Samen leren in de wijk" in page_text(page)
    assert "Propose a draft" not in page_text(page)
    assert refused.status_code == 403


def test_vote_toggles_one_vote_per_member(client, director, team_manager, programme):
    proposed = draft(programme)
    url = reverse("ambition_vote", args=[programme.slug, proposed.pk])
    client.force_login(director)
    client.post(url)
    client.post(url)
    client.post(url)
    client.force_login(team_manager)

    response = client.post(url, HTTP_HX_REQUEST="true")

    assert sorted(AmbitionVote.objects.values_list("voter__username", flat=True)) == ["diana", "tom"]
    assert response.content.decode().lstrip().startswith(f'<li id="draft-{proposed.pk}"')
    assert "2 votes" in page_text(response)
    assert "Take back my vote" in page_text(response)


def test_facilitator_chooses_a_draft_as_the_ambition(client, facilitator, programme):
    earlier = draft(programme, "Eerdere keuze")
    client.force_login(facilitator)
    client.post(reverse("ambition_choose", args=[programme.slug, earlier.pk]))
    chosen = draft(programme, "Wij leren waar we werken. #lerenindewijk")

    response = client.post(reverse("ambition_choose", args=[programme.slug, chosen.pk]), follow=True)

    programme.refresh_from_db()
    earlier.refresh_from_db()
    chosen.refresh_from_db()
    assert programme.ambition == "Wij leren waar we werken. #lerenindewijk"
    assert chosen.chosen_at is not None
    assert earlier.chosen_at is None
    assert "“Wij leren waar we werken. #lerenindewijk” is now the programme's ambition." in page_text(response)
    overview = client.get(programme.get_absolute_url())
    assert "Wij leren waar we werken. #lerenindewijk" in page_text(overview)


@pytest.mark.parametrize("role", ["team_manager", "director"])
def test_only_a_facilitator_chooses(client, request, programme, role):
    proposed = draft(programme)
    client.force_login(request.getfixturevalue(role))

    response = client.post(reverse("ambition_choose", args=[programme.slug, proposed.pk]))

    programme.refresh_from_db()
    assert response.status_code == 403
    assert programme.ambition == ""


def test_draft_of_another_programme_is_404(client, facilitator, other_programme):
    foreign = draft(other_programme)
    client.force_login(facilitator)

    assert client.post(reverse("ambition_vote", args=["alpha", foreign.pk])).status_code == 404
    assert client.post(reverse("ambition_choose", args=["alpha", foreign.pk])).status_code == 404


# --- role × URL (rows for tests/test_permissions.py) ----------------------------------------

ROLES = ["anonymous", "outsider", "co_thinker", "director", "team_manager", "facilitator"]
MATRIX_ROWS = {
    "inventory": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "card_new": ("post", {"lane": "concerns", "text": "Werkdruk"}, False, [302, 404, 404, 403, 302, 302]),
    "card_vote": ("post", {}, False, [302, 404, 404, 302, 302, 302]),
    "card_edit": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "card_delete": ("post", {}, False, [302, 404, 404, 403, 403, 302]),
    "card_to_anchor": ("post", {}, False, [302, 404, 404, 403, 403, 302]),
    "phone_cards": ("get", None, False, [200, 200, 200, 200, 200, 200]),
    "phone_card_vote": ("post", {}, False, [302, 302, 302, 302, 302, 302]),
    "ambition_drafts": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "ambition_vote": ("post", {}, False, [302, 404, 404, 302, 302, 302]),
    "ambition_choose": ("post", {}, False, [302, 404, 404, 403, 403, 302]),
}


def matrix_kwargs(name: str, programme, objects) -> dict:
    session, item, proposed = objects["session"], objects["card"], objects["draft"]
    if name == "phone_cards":
        return {"code": session.join_code}
    if name == "phone_card_vote":
        return {"code": session.join_code, "card_pk": item.pk}
    if name in {"inventory", "card_new"}:
        return {"slug": programme.slug, "pk": session.pk}
    if name in {"card_vote", "card_edit", "card_delete", "card_to_anchor"}:
        return {"slug": programme.slug, "pk": session.pk, "card_pk": item.pk}
    if name == "ambition_drafts":
        return {"slug": programme.slug}
    return {"slug": programme.slug, "draft_pk": proposed.pk}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX_ROWS))
def test_role_gets_expected_status(client, request, programme, name, role):
    # As tests/test_permissions.py builds it: a kickoff session (the default kind), a card
    # in the anchors lane that nobody of the programme wrote, and a draft.
    session = DesignSession.objects.create(programme=programme, title="Aftrap")
    objects = {
        "session": session,
        "card": InventoryCard.objects.create(session=session, lane="anchors", text="Teamoverleg"),
        "draft": AmbitionDraft.objects.create(programme=programme, text="Samen leren"),
    }
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    method, data, htmx, statuses = MATRIX_ROWS[name]
    url = reverse(name, kwargs=matrix_kwargs(name, programme, objects))
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}

    response = getattr(client, method)(url, data, **headers) if data is not None else client.get(url, **headers)

    assert response.status_code == statuses[ROLES.index(role)]
    if response.status_code == 302 and role == "anonymous" and name not in {"phone_cards", "phone_card_vote"}:
        assert response["Location"].startswith(reverse("login"))


# --- N+1 guards ---------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("count", [1, 40])
def test_board_query_count_does_not_grow(client, facilitator, team_manager, programme, kickoff, year1, count):
    activities = [make_activity(year1, title=f"Activiteit {number}") for number in range(3)]
    WorkplaceAnchor.objects.create(programme=programme, name="Teamoverleg")
    for number in range(count):
        item = card(
            kickoff,
            f"Kaart {number}",
            lane=Lane.values[number % 4],
            cluster=f"Cluster {number % 3}" if number % 2 else "",
            author=team_manager if number % 3 else None,
        )
        item.activities.add(activities[number % 3])
        CardVote.objects.create(card=item, voter=f"u{facilitator.pk}" if number < 5 else f"p{number}")
        CardVote.objects.create(card=item, voter="u999")
    client.force_login(facilitator)

    # session, user, programme+organisation, membership, kickoff session,
    # cards(+author, dot count, my dot), their activities(+year), the programme's anchor names,
    # the header's needs-my-response count
    assert _queries(client, board_url(kickoff)) == 9


@pytest.mark.parametrize("count", [1, 20])
def test_drafts_query_count_does_not_grow(client, team_manager, django_user_model, programme, count):
    voters = [make_member(django_user_model, programme, Role.TEAM_MANAGER, f"tm{number}") for number in range(3)]
    for number in range(count):
        proposed = draft(programme, f"Ambitie {number}", author=voters[number % 3])
        for voter in voters[: number % 3 + 1]:
            AmbitionVote.objects.create(draft=proposed, voter=voter)
    client.force_login(team_manager)

    # session, user, programme+organisation, membership, drafts(+author, vote count, my vote),
    # the header's needs-my-response count
    assert _queries(client, drafts_url(programme)) == 6


# --- demo ---------------------------------------------------------------------------------------


def test_demo_seed_is_idempotent_and_chooses_the_current_ambition(django_user_model):
    programme = make_programme("demo", ambition="Samen leren in de wijk, dichtbij gezinnen. #samen")
    for username, role in (("anouk", Role.FACILITATOR), ("tm01", Role.TEAM_MANAGER), ("directeur", Role.DIRECTOR)):
        make_member(django_user_model, programme, role, username)
    year2 = programme.years.get(number=2)
    make_activity(year2, title="Experiment 'Vroeg ontmoeten' met wijkpartners")
    session = DesignSession.objects.create(programme=programme, title=demo.KICKOFF_TITLE, kind=SessionKind.KICKOFF)

    demo.seed(programme)
    counts = (
        InventoryCard.objects.filter(session=session).count(),
        CardVote.objects.count(),
        AmbitionDraft.objects.count(),
        AmbitionVote.objects.count(),
        WorkplaceAnchor.objects.count(),
    )
    demo.seed(programme)

    assert counts == (
        InventoryCard.objects.filter(session=session).count(),
        CardVote.objects.count(),
        AmbitionDraft.objects.count(),
        AmbitionVote.objects.count(),
        WorkplaceAnchor.objects.count(),
    )
    assert counts[0] == 24
    assert set(InventoryCard.objects.values_list("lane", flat=True)) == set(Lane.values)
    assert list(AmbitionDraft.objects.filter(chosen_at__isnull=False).values_list("text", flat=True)) == [
        programme.ambition
    ]
    assert InventoryCard.objects.filter(activities__isnull=False).count() == 1  # the other activity is missing here
    assert WorkplaceAnchor.objects.filter(name="Inwerken van nieuwe collega's").exists()
    per_voter = {}
    for voter in CardVote.objects.values_list("voter", flat=True):
        per_voter[voter] = per_voter.get(voter, 0) + 1
    assert max(per_voter.values()) <= 5
