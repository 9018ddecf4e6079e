"""N+1 guards: the overview and the year designer cost the same with 1 or 30 activities."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guardrails.models import Guardrail, SoftAssessment, Subgroup
from programmes.models import Membership, Role, WorkplaceAnchor
from tests.conftest import make_activity, make_programme


def _fill(programme, count: int) -> None:
    anchor = WorkplaceAnchor.objects.create(programme=programme, name="Casuïstiekoverleg")
    for number in range(count % 7 + 1):
        Guardrail.objects.create(programme=programme, name=f"Vangrail {number}", metric="study_load", target=3)
    for number in range(count):
        year = programme.years.get(number=number % programme.number_of_years + 1)
        make_activity(
            year, title=f"Activiteit {number}", anchor=anchor if number % 2 else None, with_whom=["peers", "own_team"]
        )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("count", [1, 30])
def test_overview_query_count_does_not_grow(client, facilitator, programme, count):
    _fill(programme, count)
    client.force_login(facilitator)

    # session, user, programme+organisation, membership, years, activities(+year,+anchor), guardrails,
    # sessions (timeline), the header's needs-my-response count
    assert _queries(client, reverse("programme_overview", args=[programme.slug])) == 9


@pytest.mark.parametrize("count", [1, 30])
def test_designer_query_count_does_not_grow(client, team_manager, programme, count):
    _fill(programme, count)
    client.force_login(team_manager)

    # session, user, programme+organisation, membership, year, relay groups (team managers: may they
    # edit this year?), activities(+year,+anchor), guardrails, dialogue outcomes (changed after …),
    # anchors for the add form, years for the tabs, the header's needs-my-response count
    assert _queries(client, reverse("year_designer", args=[programme.slug, 1])) == 12


@pytest.mark.parametrize("count", [1, 30])
def test_dashboard_query_count_does_not_grow(client, facilitator, count):
    for number in range(count):
        Membership.objects.create(user=facilitator, programme=make_programme(f"p{number}"), role=Role.FACILITATOR)
    client.force_login(facilitator)

    # session, user, memberships(+programme,+organisation), dialogues needing my response
    # (the header badge reuses that list)
    assert _queries(client, reverse("dashboard")) == 4


@pytest.mark.parametrize("count", [1, 12])
def test_board_query_count_does_not_grow(client, facilitator, team_manager, programme, count):
    _fill(programme, count)
    subgroup = Subgroup.objects.create(programme=programme, name="Subgroep werkplek")
    subgroup.members.add(team_manager)
    for number in range(count):
        soft = Guardrail.objects.create(programme=programme, name=f"Zacht {number}", kind="soft", metric="qualitative")
        SoftAssessment.objects.create(
            guardrail=soft, subgroup=subgroup, verdict="partly", recommendation="Koppel het aan het teamoverleg."
        )
    client.force_login(facilitator)

    # session, user, programme+organisation, membership, guardrails(+origin question+session),
    # assessments(+subgroup,+author), activities(+year,+anchor), subgroups, dialogue outcomes, years,
    # the header's needs-my-response count
    assert _queries(client, reverse("guardrail_board", args=[programme.slug])) == 11
