"""Dialogue queries: "needs my response" in SQL agrees with the domain rule, the header count,
outcomes for the guardrail board and the year designer in one query, N+1 guards, demo data."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dialogues import demo, domain, queries
from dialogues.context_processors import needs_response
from dialogues.models import Dialogue, Invitation, Reaction
from dialogues.testing import answer, make_dialogue, react, respond_fully
from guardrails.models import Guardrail
from programmes.models import Membership, Programme, Role
from tests.conftest import make_activity, make_member


def _domain_says(dialogue, user) -> bool:
    progress = domain.Progress(
        questions=dialogue.questions.count(),
        answered=dialogue.questions.filter(answers__author=user, answers__parent=None).distinct().count(),
        proposals=dialogue.proposals.count(),
        reacted=Reaction.objects.filter(proposal__dialogue=dialogue, author=user).count(),
    )
    invited = Invitation.objects.filter(dialogue=dialogue, user=user).exists()
    return domain.needs_response(dialogue.is_open(), invited, progress)


def test_needs_response_in_sql_agrees_with_the_domain_rule(programme, co_thinker, team_manager):
    fresh = make_dialogue(programme, title="Nog niets", invited=[co_thinker])
    done = make_dialogue(programme, title="Klaar", invited=[co_thinker])
    respond_fully(done, co_thinker)
    half = make_dialogue(programme, title="Half", invited=[co_thinker])
    for question in half.questions.all():
        answer(question, co_thinker)
    replied_only = make_dialogue(programme, title="Alleen gereageerd op een ander", invited=[co_thinker])
    top = answer(replied_only.questions.first(), team_manager)
    answer(replied_only.questions.first(), co_thinker, parent=top)  # a reply is no answer
    for proposal in replied_only.proposals.all():
        react(proposal, co_thinker)
    closed = make_dialogue(programme, title="Gesloten", invited=[co_thinker], closed_at=timezone.now())
    past = make_dialogue(programme, title="Voorbij", invited=[co_thinker], closes_in=-1)
    not_invited = make_dialogue(programme, title="Niet uitgenodigd")
    everything = [fresh, done, half, replied_only, closed, past, not_invited]

    in_sql = {d.title for d in queries.needs_response_dialogues(co_thinker)}

    assert in_sql == {d.title for d in everything if _domain_says(d, co_thinker)}
    assert in_sql == {"Nog niets", "Half", "Alleen gereageerd op een ander"}


def test_header_count_is_one_query_and_only_when_used(co_thinker, programme):
    make_dialogue(programme, invited=[co_thinker])
    request = RequestFactory().get("/")
    request.user = co_thinker

    with CaptureQueriesContext(connection) as made:
        context = needs_response(request)
    with CaptureQueriesContext(connection) as used:
        assert context["needs_response_count"] == 1

    assert (len(made), len(used)) == (0, 1)


def test_header_count_is_absent_for_anonymous_visitors(client):
    response = client.get(reverse("login"))

    assert "needs_response_count" not in response.context


def test_outcomes_for_programme_map_guardrails_and_years_in_one_query(
    django_assert_num_queries, programme, facilitator, co_thinker
):
    year2 = programme.years.get(number=2)
    guardrail = Guardrail.objects.create(programme=programme, name="Studiebelasting", target=3)
    first, second = make_activity(year2, title="Webinars"), make_activity(year2, title="Intervisie")
    closed_at = timezone.now() - timedelta(days=2)
    dialogue = make_dialogue(
        programme,
        title="Studiebelasting",
        invited=[co_thinker],
        closed_at=closed_at,
        outcome="Webinars asynchroon.",
        outcome_guardrail=guardrail,
        outcome_change="Doel blijft ≤ 3 u/week",
    )
    dialogue.outcome_activities.set([first, second])
    make_dialogue(programme, title="Nog open", outcome_guardrail=guardrail)
    membership = Membership.objects.get(user=facilitator)
    url = reverse("dialogue_detail", args=[programme.slug, dialogue.pk])

    with django_assert_num_queries(1):
        outcomes = queries.outcomes_for_programme(programme, membership)

    assert outcomes == {
        "guardrails": {guardrail.pk: [queries.Outcome("Studiebelasting", closed_at, "Doel blijft ≤ 3 u/week", url)]},
        "years": {2: [queries.Outcome("Studiebelasting", closed_at, "", url)]},
    }


def test_outcome_links_only_for_those_who_may_open_the_dialogue(programme, co_thinker, team_manager):
    guardrail = Guardrail.objects.create(programme=programme, name="Studiebelasting", target=3)
    make_dialogue(
        programme, invited=[co_thinker], closed_at=timezone.now(), outcome_guardrail=guardrail, outcome_change="x"
    )

    def url_for(user):
        membership = Membership.objects.get(user=user, programme=programme)
        return queries.outcomes_for_programme(programme, membership)["guardrails"][guardrail.pk][0].url

    assert url_for(co_thinker) is not None
    assert url_for(team_manager) is None  # not invited: the board names the dialogue without a link


def test_changed_after_include_shows_title_date_and_change():
    outcome = queries.Outcome("Studiebelasting <b>", timezone.now(), "Doel blijft ≤ 3 u/week", "/p/demo/dialogues/1/")

    html = render_to_string("dialogues/_changed_after.html", {"outcomes": [outcome]})

    assert "Changed after dialogue" in html
    assert '<a href="/p/demo/dialogues/1/">“Studiebelasting &lt;b&gt;”</a>' in html
    assert ": Doel blijft ≤ 3 u/week" in html
    assert render_to_string("dialogues/_changed_after.html", {"outcomes": []}).strip() == ""


# --- N+1 guards -------------------------------------------------------------------------------


# The header badge (dialogues/_header_badge.html in base.html) costs one COUNT query on every
# full page once it is included there.
HEADER = int("dialogues/_header_badge.html" in (settings.BASE_DIR / "templates" / "base.html").read_text())


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("count", [1, 10])
def test_dialogue_list_query_count_does_not_grow(client, facilitator, co_thinker, programme, count):
    for number in range(count):
        dialogue = make_dialogue(programme, title=f"Dialoog {number}", invited=[co_thinker])
        respond_fully(dialogue, co_thinker)
    client.force_login(facilitator)

    # session, user, programme+organisation, membership, dialogues with their counts (subqueries),
    # and the header badge
    assert _queries(client, reverse("dialogues", args=[programme.slug])) == 5 + HEADER


@pytest.mark.parametrize(("answers", "reactions"), [(1, 1), (20, 12)])
def test_detail_query_count_does_not_grow(client, django_user_model, facilitator, programme, answers, reactions):
    guardrail = Guardrail.objects.create(programme=programme, name="Studiebelasting", target=3)
    year = programme.years.get(number=2)
    make_activity(year)
    people = [make_member(django_user_model, programme, Role.TEAM_MANAGER, f"tm{n}") for n in range(12)]
    dialogue = make_dialogue(
        programme, invited=people, guardrail=guardrail, year=year, activity=year.activities.first()
    )
    questions, proposals = list(dialogue.questions.all()), list(dialogue.proposals.all())
    for number in range(answers):
        top = answer(questions[number % 2], people[number % 12], f"Antwoord {number}")
        answer(top.question, people[(number + 1) % 12], f"Reactie {number}", parent=top)
    for number in range(reactions):
        react(proposals[number % 2], people[number], "block" if number % 3 == 0 else "agree", "Omdat.")
    client.force_login(facilitator)

    # session, user, dialogue(+programme, links), membership, own invitation, questions, proposals,
    # answers(+author), reactions(+author), invitations(+user), roles, activities for the numbers,
    # and the header badge
    assert _queries(client, reverse("dialogue_detail", args=[programme.slug, dialogue.pk])) == 12 + HEADER


# --- demo data ---------------------------------------------------------------------------------


@pytest.fixture
def demo_programme(db, settings) -> Programme:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", stdout=StringIO())
    return Programme.objects.get(slug="demo")


def test_demo_is_idempotent_and_tells_the_seed_case(demo_programme, django_user_model):
    first = demo.seed(demo_programme)
    counts = [model.objects.count() for model in (Dialogue, Invitation, Reaction)]
    demo.seed(demo_programme)

    assert [model.objects.count() for model in (Dialogue, Invitation, Reaction)] == counts
    study_load = first["study_load"]
    assert study_load.title == "Studiebelasting: hoe houden we het bij 3 uur?"
    assert study_load.is_closed and study_load.outcome
    assert study_load.outcome_guardrail.metric == "study_load"
    assert sorted(a.year.number for a in study_load.outcome_activities.all()) == [2, 2]
    assert study_load.questions.count() == 3
    assert list(study_load.proposals.values_list("title", flat=True)) == [
        "Verleng jaar 2 naar 44 leerweken",
        "Maak de webinars asynchroon en korter",
    ]
    assert Reaction.objects.filter(proposal__dialogue=study_load, kind="block").exclude(reason="").count() == 1
    assert set(study_load.participants.values_list("username", flat=True)) == {
        "meedenker",
        "directeur",
        "tm03",
        "tm05",
        "tm07",
    }
    assert study_load.questions.first().answers.exclude(parent=None).exists()
    partners = first["partners"]
    assert partners.is_open()
    meedenker = django_user_model.objects.get(username="meedenker")
    assert list(queries.needs_response_dialogues(meedenker)) == [partners]


def test_demo_outcome_shows_on_the_board_data(demo_programme):
    dialogues = demo.seed(demo_programme)
    guardrail = dialogues["study_load"].outcome_guardrail

    outcomes = queries.outcomes_for_programme(demo_programme)

    assert [o.title for o in outcomes["guardrails"][guardrail.pk]] == ["Studiebelasting: hoe houden we het bij 3 uur?"]
    assert [o.title for o in outcomes["years"][2]] == ["Studiebelasting: hoe houden we het bij 3 uur?"]
    assert outcomes["guardrails"][guardrail.pk][0].url is None  # no viewer given: no link


# --- the includes the rest of the app uses ------------------------------------------------------


def test_header_badge_shows_the_count_and_links_to_my_dialogues(co_thinker, programme):
    make_dialogue(programme, invited=[co_thinker])
    request = RequestFactory().get("/")
    request.user = co_thinker

    html = render_to_string("dialogues/_header_badge.html", request=request)

    assert f'href="{reverse("my_dialogues")}"' in html
    assert '<span class="badge rounded-pill needs-badge" data-testid="needs-response-count">1</span>' in html
    assert ": 1 needs your response" in html


def test_header_badge_is_absent_without_anything_to_respond_to(co_thinker):
    request = RequestFactory().get("/")
    request.user = co_thinker

    assert render_to_string("dialogues/_header_badge.html", request=request).strip() == ""


def test_dashboard_list_names_what_needs_my_response(co_thinker, programme):
    dialogue = make_dialogue(programme, title="Leren met partners", invited=[co_thinker])

    html = render_to_string(
        "dialogues/_needs_response.html", {"needs_response": queries.needs_response_for(co_thinker)}
    )

    assert "Needs my response" in html
    assert f'<a href="{dialogue.get_absolute_url()}">Leren met partners</a>' in html
    assert f'href="{reverse("my_dialogues")}"' in html


def test_dashboard_links_to_my_dialogues_when_nothing_waits(co_thinker, programme):
    html = render_to_string("dialogues/_needs_response.html", {"needs_response": [], "has_dialogues": True})

    assert "Nothing waits for your response." in html
    assert render_to_string("dialogues/_needs_response.html", {"needs_response": []}).strip() == ""


def test_start_dialogue_link_prefills_the_subject(client, facilitator, programme):
    guardrail = Guardrail.objects.create(programme=programme, name="Studiebelasting", target=3)
    html = render_to_string(
        "dialogues/_start_dialogue.html", {"programme": programme, "about": "guardrail", "pk": guardrail.pk}
    )
    url = f"{reverse('dialogue_new', args=[programme.slug])}?guardrail={guardrail.pk}"
    client.force_login(facilitator)

    response = client.get(url)

    assert f'href="{url}"' in html
    assert response.context["form"]["guardrail"].value() == str(guardrail.pk)
