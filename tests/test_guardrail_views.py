"""Guardrails through their views and their command: the board with the seed case, the
guardrail form, stale edits, soft-guardrail assessments by subgroups, and `guardrail_status`.

The seed case: the group adopted "study load ≤ 3 h/week, tolerance 0.2". Year 1 and year 3
take 108 h (2.7 h/week over 40 learning weeks), year 2 takes 136 h (3.4 h/week): year 2
breaches the guardrail although the whole programme (352 h over 120 weeks, 2.93 h/week)
stays under it.
"""

from __future__ import annotations

import html
import json
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from guardrails.models import Guardrail, SoftAssessment, Subgroup
from tests.conftest import make_activity

CONFLICT_NOTICE = "Someone else saved this guardrail while you were editing."


def page_text(response) -> str:
    """The visible text of a page: tags dropped, entities decoded, whitespace collapsed."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(text).split())


def add_year_like_one(year) -> None:
    """30 + 20 + 32 + 26 = 108 h: 2.7 h/week."""
    make_activity(year, title="Intervisie", contact_hours=Decimal("2"), prep_hours=Decimal("1"), occurrences=10)
    make_activity(
        year,
        title="Casuïstiek",
        learning_type="practice",
        contact_hours=Decimal("1.5"),
        prep_hours=Decimal("0.5"),
        extra_hours=Decimal("0.5"),
        occurrences=8,
    )
    make_activity(
        year,
        title="Masterclass jeugdstelsel",
        learning_type="acquisition",
        contact_hours=Decimal("3"),
        prep_hours=Decimal("1"),
        occurrences=8,
    )
    make_activity(
        year,
        title="Leerkring",
        learning_type="collaboration",
        contact_hours=Decimal("2"),
        prep_hours=Decimal("0.5"),
        extra_hours=Decimal("0.75"),
        occurrences=8,
    )


def add_year_two(year) -> None:
    """18 + 48 + 30 + 40 = 136 h: 3.4 h/week."""
    make_activity(
        year,
        title="Werkplekleren",
        learning_type="practice",
        modality="online_async",
        contact_hours=Decimal("1"),
        prep_hours=Decimal("0.5"),
        occurrences=12,
    )
    make_activity(
        year,
        title="Leerkring met buurtteams",
        learning_type="collaboration",
        with_whom=["own_team"],
        contact_hours=Decimal("2"),
        prep_hours=Decimal("1"),
        extra_hours=Decimal("1"),
        occurrences=12,
    )
    make_activity(year, title="Intervisie", contact_hours=Decimal("2"), prep_hours=Decimal("1"), occurrences=10)
    make_activity(
        year,
        title="Experiment in de driehoek",
        learning_type="investigation",
        with_whom=["partners"],
        contact_hours=Decimal("1"),
        prep_hours=Decimal("1"),
        extra_hours=Decimal("2"),
        occurrences=10,
    )


@pytest.fixture
def seed_design(programme):
    add_year_like_one(programme.years.get(number=1))
    add_year_two(programme.years.get(number=2))
    add_year_like_one(programme.years.get(number=3))
    return programme


@pytest.fixture
def study_load_guardrail(seed_design):
    return Guardrail.objects.create(
        programme=seed_design,
        name="Study load (hours per week)",
        kind="hard",
        metric="study_load",
        comparator="le",
        target=Decimal("3"),
        tolerance=Decimal("0.2"),
    )


@pytest.fixture
def soft_guardrail(programme):
    return Guardrail.objects.create(
        programme=programme,
        name="Learning happens in daily work",
        kind="soft",
        metric="qualitative",
        comparator="le",
    )


def board_url(programme) -> str:
    return reverse("guardrail_board", args=[programme.slug])


# --- the board with the seed case ------------------------------------------------------------


def year_rows(response) -> list[str]:
    rows = re.findall(r'<tr><th scope="row">.*?</tr>', response.content.decode(), re.S)
    return [page_text_of(row) for row in rows]


def page_text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def fixes(response) -> list[str]:
    match = re.search(r'<ul class="small fixes mb-2">(.*?)</ul>', response.content.decode(), re.S)
    return [page_text_of(item) for item in re.findall(r"<li>(.*?)</li>", match.group(1), re.S)]


def test_board_seed_case_year_two_breached(client, team_manager, study_load_guardrail):
    client.force_login(team_manager)

    response = client.get(board_url(study_load_guardrail.programme))

    assert response.status_code == 200
    assert year_rows(response) == [
        "Year 1 2.7 h/week ✓ met",
        "Year 2 3.4 h/week ✗ breached",
        "Year 3 2.7 h/week ✓ met",
    ]


def test_board_seed_case_overall_met_but_guardrail_breached(client, team_manager, study_load_guardrail):
    client.force_login(team_manager)

    response = client.get(board_url(study_load_guardrail.programme))

    text = page_text(response)
    assert "Study load (hours per week) ≤ 3 h/week (tolerance 0.2 h/week)" in text
    assert "✗ breached Whole programme: 2.93 h/week" in text


def test_board_seed_case_fix_names_hours_and_largest_contributors(client, team_manager, study_load_guardrail):
    client.force_login(team_manager)

    response = client.get(board_url(study_load_guardrail.programme))

    assert fixes(response) == [
        "Year 2: reduce by 0.4 h/week (16 hours in the year). Its largest contributors are "
        "“Leerkring met buurtteams” (48 h), “Experiment in de driehoek” (40 h), “Intervisie” (30 h)."
    ]


def test_board_guardrail_met_everywhere_has_no_fix(client, team_manager, study_load_guardrail):
    study_load_guardrail.target = Decimal("3.5")
    study_load_guardrail.save()
    client.force_login(team_manager)

    response = client.get(board_url(study_load_guardrail.programme))

    assert '<ul class="small fixes' not in response.content.decode()
    assert year_rows(response) == [
        "Year 1 2.7 h/week ✓ met",
        "Year 2 3.4 h/week ✓ met",
        "Year 3 2.7 h/week ✓ met",
    ]


def test_board_year_within_tolerance_is_near(client, team_manager, study_load_guardrail):
    study_load_guardrail.target = Decimal("3.2")
    study_load_guardrail.save()
    client.force_login(team_manager)

    response = client.get(board_url(study_load_guardrail.programme))

    assert year_rows(response)[1] == "Year 2 3.4 h/week ≈ near"


def test_board_target_from_poll_mean_is_not_truncated(client, team_manager, study_load_guardrail):
    # A poll answered 2, 3, 3 adopts "≤ 2.67".
    study_load_guardrail.target = Decimal("2.67")
    study_load_guardrail.save()
    client.force_login(team_manager)

    response = client.get(board_url(study_load_guardrail.programme))

    target = re.search(r"≤ [\d.]+ h/week", page_text(response)).group(0)
    assert target == "≤ 2.67 h/week"


def test_board_year_value_is_not_truncated(client, team_manager, programme):
    # 3.09 h × 40 = 123.6 h in 40 weeks: 3.09 h/week.
    make_activity(programme.years.get(number=1), contact_hours=Decimal("3.09"), prep_hours=Decimal("0"), occurrences=40)
    Guardrail.objects.create(programme=programme, name="Study load", target=Decimal("3"), tolerance=Decimal("0"))
    client.force_login(team_manager)

    response = client.get(board_url(programme))

    assert year_rows(response)[0] == "Year 1 3.09 h/week ✗ breached"


def test_year_designer_shows_breached_chip_for_year_two(client, team_manager, study_load_guardrail):
    client.force_login(team_manager)

    response = client.get(reverse("year_designer", args=[study_load_guardrail.programme.slug, 2]))

    chips = re.search(
        r'<ul class="guardrail-chips" data-testid="guardrail-chips">(.*?)</ul>', response.content.decode(), re.S
    )
    assert page_text_of(chips.group(1)) == "Study load (hours per week) 3.4 h/week ✗ breached"


def test_year_designer_shows_met_chip_for_year_one(client, team_manager, study_load_guardrail):
    client.force_login(team_manager)

    response = client.get(reverse("year_designer", args=[study_load_guardrail.programme.slug, 1]))

    chips = re.search(
        r'<ul class="guardrail-chips" data-testid="guardrail-chips">(.*?)</ul>', response.content.decode(), re.S
    )
    assert page_text_of(chips.group(1)) == "Study load (hours per week) 2.7 h/week ✓ met"


def test_overview_lists_guardrail_with_status(client, director, study_load_guardrail, soft_guardrail):
    client.force_login(director)

    response = client.get(reverse("programme_overview", args=[study_load_guardrail.programme.slug]))

    chips = re.search(r'<ul class="guardrail-chips mb-0">(.*?)</ul>', response.content.decode(), re.S)
    assert page_text_of(chips.group(1)) == "Study load (hours per week) ✗ breached Learning happens in daily work soft"


def test_board_without_guardrails_explains_how_to_get_them(client, team_manager, programme):
    client.force_login(team_manager)

    response = client.get(board_url(programme))

    assert "No guardrails yet." in page_text(response)


# --- the guardrail form ------------------------------------------------------------------------


def guardrail_data(**overrides) -> dict:
    data = {
        "name": "Study load",
        "kind": "hard",
        "metric": "study_load",
        "key": "",
        "comparator": "le",
        "target": "3",
        "target_high": "",
        "tolerance": "0.2",
        "description": "",
        "version": "1",
    }
    data.update(overrides)
    return data


BAD_GUARDRAILS = {
    "qualitative_hard": (
        {"metric": "qualitative", "kind": "hard"},
        "A qualitative guardrail cannot be computed; make it soft.",
    ),
    "share_above_100": (
        {"metric": "face_to_face_share", "comparator": "ge", "target": "120"},
        "A share is a percentage from 0 to 100.",
    ),
    "share_below_0": (
        {"metric": "sync_share", "comparator": "ge", "target": "-5"},
        "A share is a percentage from 0 to 100.",
    ),
    "between_without_upper": (
        {"metric": "face_to_face_share", "comparator": "between", "target": "50", "target_high": ""},
        "“Between” needs an upper target too.",
    ),
    "between_upper_below_target": (
        {"metric": "face_to_face_share", "comparator": "between", "target": "70", "target_high": "50"},
        "The upper target must be at least the target.",
    ),
    "learning_type_without_key": (
        {"metric": "learning_type_share", "comparator": "ge", "target": "20", "key": ""},
        "Choose the learning type this share is about.",
    ),
    "learning_type_with_group_key": (
        {"metric": "learning_type_share", "comparator": "ge", "target": "20", "key": "peers"},
        "Choose the learning type this share is about.",
    ),
    "with_whom_without_key": (
        {"metric": "with_whom_share", "comparator": "ge", "target": "20", "key": ""},
        "Choose the group this share is about.",
    ),
    "negative_tolerance": ({"tolerance": "-0.5"}, "The tolerance cannot be negative; enter 0 or more."),
    "missing_target": ({"target": ""}, "Enter the target this guardrail is checked against."),
    "negative_study_load": ({"target": "-1"}, "A study load cannot be negative."),
}


@pytest.mark.parametrize(("overrides", "message"), [pytest.param(*v, id=k) for k, v in BAD_GUARDRAILS.items()])
def test_guardrail_new_bad_input_is_refused_with_message(client, facilitator, programme, overrides, message):
    client.force_login(facilitator)

    response = client.post(reverse("guardrail_new", args=[programme.slug]), guardrail_data(**overrides))

    assert response.status_code == 200
    assert message in page_text(response)
    assert Guardrail.objects.filter(programme=programme).count() == 0


def test_guardrail_new_saves_and_returns_to_board(client, facilitator, programme):
    client.force_login(facilitator)

    response = client.post(reverse("guardrail_new", args=[programme.slug]), guardrail_data())

    assert response.status_code == 302
    assert response.url == board_url(programme)
    guardrail = Guardrail.objects.get(programme=programme)
    assert (guardrail.name, guardrail.metric, guardrail.comparator, guardrail.target, guardrail.tolerance) == (
        "Study load",
        "study_load",
        "le",
        Decimal("3"),
        Decimal("0.2"),
    )


def test_guardrail_new_dutch_decimal_comma_is_accepted(client, facilitator, programme):
    client.force_login(facilitator)

    response = client.post(
        reverse("guardrail_new", args=[programme.slug]),
        guardrail_data(target="2,5", tolerance="0,25"),
        HTTP_ACCEPT_LANGUAGE="nl",
    )

    assert response.status_code == 302
    guardrail = Guardrail.objects.get(programme=programme)
    assert (guardrail.target, guardrail.tolerance) == (Decimal("2.5"), Decimal("0.25"))


def test_guardrail_new_empty_tolerance_means_zero(client, facilitator, programme):
    client.force_login(facilitator)

    client.post(reverse("guardrail_new", args=[programme.slug]), guardrail_data(tolerance=""))

    assert Guardrail.objects.get(programme=programme).tolerance == Decimal("0")


def test_guardrail_new_learning_type_share_keeps_key(client, facilitator, programme):
    client.force_login(facilitator)

    client.post(
        reverse("guardrail_new", args=[programme.slug]),
        guardrail_data(
            name="Enough practice",
            metric="learning_type_share",
            key="practice",
            comparator="between",
            target="20",
            target_high="40",
            tolerance="5",
        ),
    )

    guardrail = Guardrail.objects.get(programme=programme)
    assert (guardrail.key, guardrail.target, guardrail.target_high) == ("practice", Decimal("20"), Decimal("40"))


def test_guardrail_new_drops_key_and_upper_target_that_do_not_apply(client, facilitator, programme):
    client.force_login(facilitator)

    client.post(reverse("guardrail_new", args=[programme.slug]), guardrail_data(key="practice", target_high="5"))

    guardrail = Guardrail.objects.get(programme=programme)
    assert (guardrail.key, guardrail.target_high) == ("", None)


# --- stale edits -------------------------------------------------------------------------------


def edit_url(guardrail) -> str:
    return reverse("guardrail_edit", args=[guardrail.programme.slug, guardrail.pk])


def test_guardrail_edit_stale_version_shows_conflict_and_keeps_typed_name(client, facilitator, study_load_guardrail):
    colleague = Client()
    colleague.force_login(facilitator)
    colleague.post(edit_url(study_load_guardrail), guardrail_data(name="Study load per week", version="1"))
    client.force_login(facilitator)

    response = client.post(edit_url(study_load_guardrail), guardrail_data(name="Hours we grant ourselves", version="1"))

    assert response.status_code == 200
    assert CONFLICT_NOTICE in page_text(response)
    assert 'value="Hours we grant ourselves"' in response.content.decode()
    study_load_guardrail.refresh_from_db()
    assert (study_load_guardrail.name, study_load_guardrail.version) == ("Study load per week", 2)


def test_guardrail_edit_after_conflict_resubmit_overwrites(client, facilitator, study_load_guardrail):
    colleague = Client()
    colleague.force_login(facilitator)
    colleague.post(edit_url(study_load_guardrail), guardrail_data(name="Study load per week", version="1"))
    client.force_login(facilitator)
    conflict = client.post(edit_url(study_load_guardrail), guardrail_data(name="Hours we grant ourselves", version="1"))
    carried = re.search(r'name="version" value="(\d+)"', conflict.content.decode()).group(1)

    response = client.post(
        edit_url(study_load_guardrail), guardrail_data(name="Hours we grant ourselves", version=carried)
    )

    assert response.status_code == 302
    study_load_guardrail.refresh_from_db()
    assert (study_load_guardrail.name, study_load_guardrail.version) == ("Hours we grant ourselves", 3)


def test_guardrail_edit_current_version_saves(client, facilitator, study_load_guardrail):
    client.force_login(facilitator)

    response = client.post(
        edit_url(study_load_guardrail), guardrail_data(target="3,5", version="1"), HTTP_ACCEPT_LANGUAGE="nl"
    )

    assert response.status_code == 302
    study_load_guardrail.refresh_from_db()
    assert (study_load_guardrail.target, study_load_guardrail.version) == (Decimal("3.5"), 2)


def test_guardrail_delete_removes_it(client, facilitator, study_load_guardrail):
    client.force_login(facilitator)

    response = client.post(
        reverse("guardrail_delete", args=[study_load_guardrail.programme.slug, study_load_guardrail.pk])
    )

    assert response.status_code == 302
    assert Guardrail.objects.filter(pk=study_load_guardrail.pk).exists() is False


# --- assessments of soft guardrails ------------------------------------------------------------


def assess_url(guardrail) -> str:
    return reverse("assessment_new", args=[guardrail.programme.slug, guardrail.pk])


def assessment_data(subgroup, **overrides) -> dict:
    data = {
        "subgroup": str(subgroup.pk),
        "verdict": "partly",
        "recommendation": "Plan the learning circle inside the fortnightly team meeting.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def workplace_group(programme, team_manager):
    group = Subgroup.objects.create(programme=programme, name="Workplace learning")
    group.members.add(team_manager)
    return group


@pytest.fixture
def partners_group(programme, director):
    group = Subgroup.objects.create(programme=programme, name="Partners in the neighbourhood")
    group.members.add(director)
    return group


def test_member_of_subgroup_can_assess(client, team_manager, soft_guardrail, workplace_group):
    client.force_login(team_manager)

    response = client.post(assess_url(soft_guardrail), assessment_data(workplace_group))

    assert response.status_code == 302
    assert (
        response.url
        == f"{reverse('guardrail_board', args=[soft_guardrail.programme.slug])}#guardrail-{soft_guardrail.pk}"
    )
    assessment = SoftAssessment.objects.get(guardrail=soft_guardrail)
    assert (assessment.subgroup, assessment.verdict, assessment.author, assessment.recommendation) == (
        workplace_group,
        "partly",
        team_manager,
        "Plan the learning circle inside the fortnightly team meeting.",
    )


def test_assessment_short_recommendation_is_refused(client, team_manager, soft_guardrail, workplace_group):
    client.force_login(team_manager)

    response = client.post(assess_url(soft_guardrail), assessment_data(workplace_group, recommendation="  More time  "))

    assert response.status_code == 200
    assert "Write a concrete recommendation: what should change, and how?" in page_text(response)
    assert SoftAssessment.objects.count() == 0


def test_team_manager_in_no_subgroup_may_not_assess(client, team_manager, soft_guardrail, partners_group):
    client.force_login(team_manager)

    response = client.post(assess_url(soft_guardrail), assessment_data(partners_group))

    assert response.status_code == 403
    assert SoftAssessment.objects.count() == 0


def test_assessment_for_subgroup_one_is_not_in_is_refused(
    client, team_manager, soft_guardrail, workplace_group, partners_group
):
    client.force_login(team_manager)

    response = client.post(assess_url(soft_guardrail), assessment_data(partners_group))

    assert response.status_code == 200
    assert "Choose a subgroup you belong to." in page_text(response)
    assert SoftAssessment.objects.count() == 0


def test_facilitator_may_record_for_any_subgroup(client, facilitator, soft_guardrail, partners_group):
    client.force_login(facilitator)

    response = client.post(assess_url(soft_guardrail), assessment_data(partners_group, verdict="met"))

    assert response.status_code == 302
    assessment = SoftAssessment.objects.get()
    assert (assessment.subgroup, assessment.verdict, assessment.author) == (partners_group, "met", facilitator)


def test_board_shows_latest_assessment_per_subgroup(
    client, team_manager, director, soft_guardrail, workplace_group, partners_group
):
    SoftAssessment.objects.create(
        guardrail=soft_guardrail,
        subgroup=workplace_group,
        verdict="not_met",
        recommendation="Earlier advice: move intervision to the team meeting.",
        author=team_manager,
    )
    SoftAssessment.objects.create(
        guardrail=soft_guardrail,
        subgroup=workplace_group,
        verdict="partly",
        recommendation="Later advice: anchor the learning circle in case meetings.",
        author=team_manager,
    )
    SoftAssessment.objects.create(
        guardrail=soft_guardrail,
        subgroup=partners_group,
        verdict="met",
        recommendation="Partners advice: keep the neighbourhood network meeting.",
        author=director,
    )
    client.force_login(team_manager)

    response = client.get(board_url(soft_guardrail.programme))

    text = page_text(response)
    assert "Later advice: anchor the learning circle in case meetings." in text
    assert "Partners advice: keep the neighbourhood network meeting." in text
    assert "Earlier advice" not in text


def test_board_offers_assessment_form_only_to_subgroup_members(client, director, soft_guardrail, workplace_group):
    client.force_login(director)

    response = client.get(board_url(soft_guardrail.programme))

    assert "Add an assessment" not in page_text(response)


def test_board_offers_assessment_form_to_member(client, team_manager, soft_guardrail, workplace_group):
    client.force_login(team_manager)

    response = client.get(board_url(soft_guardrail.programme))

    assert "Add an assessment" in page_text(response)


# --- subgroups -------------------------------------------------------------------------------


def test_subgroup_created_with_members_of_this_programme(client, facilitator, team_manager, director, programme):
    client.force_login(facilitator)

    response = client.post(
        reverse("subgroups", args=[programme.slug]),
        {"name": "Workplace learning", "members": [team_manager.pk, director.pk]},
    )

    assert response.status_code == 302
    subgroup = Subgroup.objects.get(programme=programme)
    assert (subgroup.name, set(subgroup.members.all())) == ("Workplace learning", {team_manager, director})


@pytest.mark.parametrize("stranger", ["outsider", "co_thinker"])
def test_subgroup_with_member_from_elsewhere_is_refused(
    client, request, facilitator, team_manager, programme, stranger
):
    member = request.getfixturevalue(stranger)
    client.force_login(facilitator)

    response = client.post(
        reverse("subgroups", args=[programme.slug]),
        {"name": "Workplace learning", "members": [team_manager.pk, member.pk]},
    )

    assert response.status_code == 200
    assert "Choose members of this programme." in page_text(response)
    assert Subgroup.objects.count() == 0


def test_subgroup_post_by_team_manager_is_forbidden(client, team_manager, programme):
    client.force_login(team_manager)

    response = client.post(
        reverse("subgroups", args=[programme.slug]), {"name": "Own group", "members": [team_manager.pk]}
    )

    assert response.status_code == 403
    assert Subgroup.objects.count() == 0


# --- the guardrail_status command --------------------------------------------------------------


def guardrail_status_json(slug: str) -> list[dict]:
    out = StringIO()
    call_command("guardrail_status", slug, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_guardrail_status_json_seed_case(study_load_guardrail):
    rows = guardrail_status_json(study_load_guardrail.programme.slug)

    assert rows == [
        {
            "name": "Study load (hours per week)",
            "kind": "hard",
            "metric": "study_load",
            "key": "",
            "comparator": "le",
            "target": 3.0,
            "target_high": None,
            "tolerance": 0.2,
            "value": 2.93,
            "status": "breached",
            "years": [
                {"number": 1, "value": 2.7, "status": "met"},
                {"number": 2, "value": 3.4, "status": "breached"},
                {"number": 3, "value": 2.7, "status": "met"},
            ],
        }
    ]


def test_guardrail_status_json_soft_guardrail_has_no_status(soft_guardrail):
    rows = guardrail_status_json(soft_guardrail.programme.slug)

    assert [(row["name"], row["value"], row["status"], row["years"]) for row in rows] == [
        ("Learning happens in daily work", None, None, [])
    ]


def test_guardrail_status_unknown_slug_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No programme with slug 'nope'"):
        call_command("guardrail_status", "nope", "--json")
