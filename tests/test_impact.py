"""Impact quotes and PQR reasonings through their views: quotes grouped by who says them,
reasonings built from quotes and linked both ways, bad input, who may delete, the N+1
guard and the demo."""

from __future__ import annotations

import html
import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programmes.models import Role
from tests.conftest import make_member, make_programme
from workshops.demo import impact as demo
from workshops.models import DesignSession, ImpactQuote, Reasoning, SessionKind, Speaker
from workshops.views.impact import group_by_speaker


def page_text(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(text).split())


def quote(programme, text="Ik hoefde mijn verhaal maar één keer te vertellen.", speaker=Speaker.FAMILIES, **fields):
    return ImpactQuote.objects.create(programme=programme, speaker=speaker, text=text, **fields)


def reasoning(programme, quotes=(), **fields) -> Reasoning:
    values = {
        "p": "leren in vaste intervisietrio's",
        "q": "een maandelijkse casus uit de eigen praktijk",
        "r": "teammanagers die sturen op wat gezinnen nodig hebben",
    }
    values.update(fields)
    item = Reasoning.objects.create(programme=programme, **values)
    item.quotes.set(quotes)
    return item


def impact_url(programme) -> str:
    return reverse("impact", args=[programme.slug])


PQR_DATA = {
    "p": "samen met partners experimenteren",
    "q": "experimenten in een driehoek",
    "r": "gezinnen die eerder geholpen worden",
}


# --- pure helper ----------------------------------------------------------------------------


def test_group_by_speaker_follows_the_speaker_order_and_skips_empty_speakers():
    quotes = [
        SimpleNamespace(speaker="director", text="a"),
        SimpleNamespace(speaker="families", text="b"),
        SimpleNamespace(speaker="director", text="c"),
    ]

    groups = group_by_speaker(quotes, Speaker.choices)

    assert [(value, label, [q.text for q in items]) for value, label, items in groups] == [
        ("families", "Families", ["b"]),
        ("director", "The director", ["a", "c"]),
    ]


# --- the page -------------------------------------------------------------------------------


def test_page_groups_quotes_and_links_quotes_and_reasonings_both_ways(client, director, programme):
    family = quote(programme, speaker_detail="Moeder in Overvecht")
    partner = quote(programme, "Het buurtteam zit bij ons aan tafel.", Speaker.PARTNERS)
    built = reasoning(programme, [family, partner])
    client.force_login(director)

    response = client.get(impact_url(programme))

    body, text = response.content.decode(), page_text(response)
    assert "Families “Ik hoefde mijn verhaal maar één keer te vertellen.” — Moeder in Overvecht" in text
    assert (
        "Partners in the neighbourhood “Het buurtteam zit bij ons aan tafel.” — Partners in the neighbourhood" in text
    )
    assert (
        "Do leren in vaste intervisietrio's, by means of een maandelijkse casus uit de eigen praktijk, "
        "in order to contribute to teammanagers die sturen op wat gezinnen nodig hebben."
        in re.sub(r" ([,.])", r"\1", text)  # the tags around P, Q and R leave a space before the commas
    )
    assert f'href="#quote-{family.pk}"' in body
    assert f'href="#quote-{partner.pk}"' in body
    assert body.count(f'href="#pqr-{built.pk}"') == 2
    assert f'id="quote-{family.pk}"' in body
    assert f'id="pqr-{built.pk}"' in body


def test_page_shows_nothing_of_another_programme(client, facilitator, programme, other_programme):
    quote(other_programme, "Geheime quote")
    client.force_login(facilitator)

    assert "Geheime quote" not in page_text(client.get(impact_url(programme)))


# --- quotes ---------------------------------------------------------------------------------


def test_director_adds_a_quote(client, director, programme):
    client.force_login(director)

    response = client.post(
        reverse("quote_new", args=[programme.slug]),
        {"speaker": "partners", "speaker_detail": "Huisarts", "text": "“Ik weet wie ik kan bellen.”"},
    )

    added = ImpactQuote.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#quote-{added.pk}")
    assert (added.speaker, added.speaker_detail, added.text, added.author) == (
        "partners",
        "Huisarts",
        "Ik weet wie ik kan bellen.",
        director,
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"speaker": "", "text": "Ze kwamen op tijd."}, "Choose who says it."),
        ({"speaker": "neighbours", "text": "Ze kwamen op tijd."}, "Choose one of the listed speakers."),
        ({"speaker": "families", "text": "   "}, "Write what they will say."),
        ({"speaker": "families", "text": "“ ”"}, "Write what they will say."),
        (
            {"speaker": "families", "text": "Ze kwamen op tijd. " * 30},
            "A quote has at most 500 characters; this one has 569. Make it shorter and sharper.",
        ),
    ],
)
def test_bad_quote_is_refused_on_the_page_with_what_was_typed(client, team_manager, programme, data, message):
    client.force_login(team_manager)

    response = client.post(reverse("quote_new", args=[programme.slug]), data)

    assert response.status_code == 200
    assert message in page_text(response)
    if data["text"].strip():
        assert data["text"].strip() in html.unescape(response.content.decode())
    assert ImpactQuote.objects.count() == 0


def test_quote_form_page_works_on_its_own(client, team_manager, programme):
    client.force_login(team_manager)

    response = client.get(reverse("quote_new", args=[programme.slug]))

    assert response.status_code == 200
    assert "Who says it" in page_text(response)


def test_team_manager_edits_someone_elses_quote(client, team_manager, facilitator, programme):
    item = quote(programme, author=facilitator)
    client.force_login(team_manager)

    client.post(
        reverse("quote_edit", args=[programme.slug, item.pk]),
        {"speaker": "colleagues", "speaker_detail": "Gezinswerker", "text": "We leren van elkaar."},
    )

    item.refresh_from_db()
    assert (item.speaker, item.speaker_detail, item.text, item.author) == (
        "colleagues",
        "Gezinswerker",
        "We leren van elkaar.",
        facilitator,
    )


def test_author_and_facilitator_delete_a_quote_others_may_not(client, team_manager, director, facilitator, programme):
    own = quote(programme, "Eigen", author=team_manager)
    theirs = quote(programme, "Van een ander", author=director)
    built = reasoning(programme, [own])
    client.force_login(team_manager)

    refused = client.post(reverse("quote_delete", args=[programme.slug, theirs.pk]))
    deleted = client.post(reverse("quote_delete", args=[programme.slug, own.pk]))
    client.force_login(facilitator)
    client.post(reverse("quote_delete", args=[programme.slug, theirs.pk]))

    assert refused.status_code == 403
    assert deleted.status_code == 302
    assert ImpactQuote.objects.count() == 0
    assert list(Reasoning.objects.all()) == [built]


def test_quote_of_another_programme_is_404(client, facilitator, other_programme):
    foreign = quote(other_programme)
    client.force_login(facilitator)

    assert client.get(reverse("quote_edit", args=["alpha", foreign.pk])).status_code == 404
    assert client.post(reverse("quote_delete", args=["alpha", foreign.pk])).status_code == 404
    assert ImpactQuote.objects.count() == 1


# --- PQR reasonings ---------------------------------------------------------------------------


def test_team_manager_builds_a_reasoning_from_quotes(client, team_manager, programme):
    first, second = quote(programme, "Een"), quote(programme, "Twee", Speaker.DIRECTOR)
    client.force_login(team_manager)

    response = client.post(
        reverse("reasoning_new", args=[programme.slug]), {**PQR_DATA, "quotes": [first.pk, second.pk]}
    )

    built = Reasoning.objects.get()
    assert response["Location"].endswith(f"#pqr-{built.pk}")
    assert (built.p, built.q, built.r, built.author) == (*PQR_DATA.values(), team_manager)
    assert sorted(built.quotes.values_list("pk", flat=True)) == [first.pk, second.pk]


@pytest.mark.parametrize(
    ("empty", "message"),
    [
        ("p", "Write what to do (P), for example “learn in fixed intervision trios”."),
        ("q", "Write by means of what (Q), for example “a monthly case from our own practice”."),
        ("r", "Write what it contributes to (R), for example “families who get help sooner”."),
    ],
)
def test_empty_part_is_refused_with_what_to_write(client, director, programme, empty, message):
    client.force_login(director)

    response = client.post(reverse("reasoning_new", args=[programme.slug]), {**PQR_DATA, empty: "  "})

    assert message in page_text(response)
    for name, value in PQR_DATA.items():
        if name != empty:
            assert value in response.content.decode()
    assert Reasoning.objects.count() == 0


def test_quote_of_another_programme_is_refused_in_a_reasoning(client, facilitator, programme, other_programme):
    own = quote(programme)
    foreign = quote(other_programme, "Geheim")
    client.force_login(facilitator)

    response = client.post(
        reverse("reasoning_new", args=[programme.slug]), {**PQR_DATA, "quotes": [own.pk, foreign.pk]}
    )

    assert response.status_code == 200
    assert "Choose quotes of this programme only." in page_text(response)
    assert "Geheim" not in page_text(response)
    assert Reasoning.objects.count() == 0


def test_new_reasoning_can_start_from_a_quote(client, team_manager, programme):
    picked, other = quote(programme, "Gekozen"), quote(programme, "Andere")
    client.force_login(team_manager)

    response = client.get(reverse("reasoning_new", args=[programme.slug]) + f"?quote={picked.pk}")

    body = response.content.decode()
    assert re.search(rf'value="{picked.pk}"[^>]*checked', body)
    assert not re.search(rf'value="{other.pk}"[^>]*checked', body)


def test_reasoning_form_groups_quotes_in_speaker_order(client, team_manager, programme):
    quote(programme, "Van de bestuurder", Speaker.DIRECTOR)
    quote(programme, "Van een gezin", Speaker.FAMILIES)
    client.force_login(team_manager)

    text = page_text(client.get(reverse("reasoning_new", args=[programme.slug])))

    assert text.index("Families “Van een gezin”") < text.index("The director “Van de bestuurder”")


def test_director_edits_a_reasoning_and_unlinks_quotes(client, director, programme):
    item = reasoning(programme, [quote(programme)])
    client.force_login(director)

    client.post(reverse("reasoning_edit", args=[programme.slug, item.pk]), {**PQR_DATA, "r": "een sterkere wijk"})

    item.refresh_from_db()
    assert (item.p, item.r, item.quotes.count()) == (PQR_DATA["p"], "een sterkere wijk", 0)


def test_only_author_or_facilitator_deletes_a_reasoning(client, team_manager, director, facilitator, programme):
    item = reasoning(programme, author=director)
    client.force_login(team_manager)
    refused = client.post(reverse("reasoning_delete", args=[programme.slug, item.pk]))
    client.force_login(director)

    deleted = client.post(reverse("reasoning_delete", args=[programme.slug, item.pk]))

    assert (refused.status_code, deleted.status_code) == (403, 302)
    assert Reasoning.objects.count() == 0


# --- role × URL (rows for tests/test_permissions.py) ----------------------------------------

ROLES = ["anonymous", "outsider", "co_thinker", "director", "team_manager", "facilitator"]
MATRIX_ROWS = {
    "impact": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "quote_new": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "quote_edit": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "quote_delete": ("post", {}, False, [302, 404, 404, 403, 403, 302]),
    "reasoning_new": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "reasoning_edit": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "reasoning_delete": ("post", {}, False, [302, 404, 404, 403, 403, 302]),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX_ROWS))
def test_role_gets_expected_status(client, request, programme, name, role):
    # As tests/test_permissions.py builds it: a quote and a reasoning nobody of the programme wrote.
    objects = {"quote_": quote(programme), "reasoning_": reasoning(programme)}
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    method, data, _htmx, statuses = MATRIX_ROWS[name]
    kwargs = {"slug": programme.slug}
    if name.endswith(("_edit", "_delete")):
        kwargs["pk"] = next(item.pk for prefix, item in objects.items() if name.startswith(prefix))
    url = reverse(name, kwargs=kwargs)

    response = getattr(client, method)(url, data) if data is not None else client.get(url)

    assert response.status_code == statuses[ROLES.index(role)]
    if response.status_code == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


# --- N+1 guard ----------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 20])
def test_impact_page_query_count_does_not_grow(client, facilitator, team_manager, programme, count):
    quotes = [
        quote(programme, f"Quote {number}", Speaker.values[number % 5], author=team_manager) for number in range(count)
    ]
    for number in range(count):
        reasoning(programme, quotes[: number % 4 + 1], p=f"P {number}", author=team_manager)
    client.force_login(facilitator)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(impact_url(programme))

    assert response.status_code == 200
    # session, user, programme+organisation, membership, reasonings, their quotes, quotes,
    # the header's needs-my-response count
    assert len(queries) == 8


# --- demo ---------------------------------------------------------------------------------------


def test_demo_seed_is_idempotent(django_user_model):
    programme = make_programme("demo")
    for username, role in (("anouk", Role.FACILITATOR), ("tm01", Role.TEAM_MANAGER), ("directeur", Role.DIRECTOR)):
        make_member(django_user_model, programme, role, username)
    DesignSession.objects.create(programme=programme, title="Slotbijeenkomst", kind=SessionKind.FINAL)

    demo.seed(programme)
    demo.seed(programme)

    assert ImpactQuote.objects.filter(programme=programme).count() == 8
    assert set(ImpactQuote.objects.values_list("speaker", flat=True)) == {
        "families",
        "partners",
        "colleagues",
        "director",
    }
    assert Reasoning.objects.filter(programme=programme).count() == 3
    assert [item.quotes.count() for item in Reasoning.objects.order_by("pk")] == [3, 4, 1]
    assert ImpactQuote.objects.filter(author__username="directeur").count() == 2
