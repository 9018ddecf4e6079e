"""The year designer through its views: adding, editing, ordering and deleting activities,
stale saves, the ambition tweet, programme settings, workplace anchors, and who may do what.

Numbers follow the seed case: intervision 2 h contact + 1 h preparation, ten times (30 h);
a case clinic 1.5 + 0.5 + 0.5 h, eight times (20 h); 40 learning weeks per year.
"""

from __future__ import annotations

import html
from decimal import Decimal

import pytest
from django.urls import reverse

from programmes.models import Activity, Programme, WorkplaceAnchor, Year
from tests.conftest import make_activity

CONFLICT_NOTICE = "Someone else saved this activity while you were editing."
YEAR_CONFLICT_NOTICE = "Someone else saved this year while you were editing."

# Bad input for the activity form: (field overrides without prefix, the message the user must see).
BAD_ACTIVITY_INPUT = {
    "negative_hours": (
        {"contact_hours": "-1", "prep_hours": "1", "extra_hours": "0.5"},
        "Hours cannot be negative; enter 0 or more.",
    ),
    "hours_over_40_per_occurrence": (
        {"contact_hours": "20", "prep_hours": "15", "extra_hours": "10"},
        "Together the hours come to 45 hours per occurrence; one occurrence can take at most 40 hours. "
        "Split it into more occurrences.",
    ),
    "zero_occurrences": (
        {"occurrences": "0"},
        "An activity happens at least once; delete it if it does not happen.",
    ),
    "unknown_learning_type": ({"learning_type": "lecture"}, "Choose one of the six learning types."),
    "unknown_modality": (
        {"modality": "hybrid"},
        "Choose face-to-face, online synchronous or online asynchronous.",
    ),
    "unknown_with_whom": ({"with_whom": ["peers", "manager"]}, "Choose from the listed groups."),
    "no_with_whom": ({"with_whom": []}, "This field is required."),
    "all_hours_zero": (
        {"contact_hours": "0", "prep_hours": "0", "extra_hours": "0"},
        "Enter the hours this activity takes (at least one of the three).",
    ),
    "missing_title": ({"title": ""}, "This field is required."),
}


def bad_input_params():
    params = []
    for case, (overrides, message) in BAD_ACTIVITY_INPUT.items():
        params.append(pytest.param(overrides, message, id=case))
    return params


def bad_input_params_unmarked():
    """The same cases for assertions the early validation does not affect (status, storage)."""
    return [pytest.param(overrides, message, id=case) for case, (overrides, message) in BAD_ACTIVITY_INPUT.items()]


TYPED_TITLE = "Casus met de wijkagent"


def activity_fields(**overrides) -> dict:
    """A valid case clinic: 1.5 + 0.5 + 0.5 h, eight times (20 h)."""
    fields = {
        "title": TYPED_TITLE,
        "description": "Een casus uit de wijk, samen met een partner.",
        "learning_type": "practice",
        "modality": "face_to_face",
        "with_whom": ["peers", "partners"],
        "contact_hours": "1.5",
        "prep_hours": "0.5",
        "extra_hours": "0.5",
        "occurrences": "8",
        "version": "1",
    }
    fields.update(overrides)
    return fields


def new_activity_data(**overrides) -> dict:
    return {f"new-{name}": value for name, value in activity_fields(**overrides).items()}


def edit_data(activity: Activity, **overrides) -> dict:
    """The edit form as the activity's current values would post it."""
    fields = {
        "title": activity.title,
        "description": activity.description,
        "learning_type": activity.learning_type,
        "modality": activity.modality,
        "with_whom": list(activity.with_whom),
        "contact_hours": str(activity.contact_hours),
        "prep_hours": str(activity.prep_hours),
        "extra_hours": str(activity.extra_hours),
        "occurrences": str(activity.occurrences),
        "version": str(activity.version),
    }
    fields.update(overrides)
    return fields


def text(response) -> str:
    return html.unescape(response.content.decode())


def designer_url(programme: Programme, number: int = 1) -> str:
    return reverse("year_designer", args=[programme.slug, number])


def new_url(programme: Programme, number: int = 1) -> str:
    return reverse("activity_new", args=[programme.slug, number])


def edit_url(programme: Programme, activity: Activity) -> str:
    return reverse("activity_edit", args=[programme.slug, activity.pk])


def stored(activity: Activity) -> Activity:
    return Activity.objects.get(pk=activity.pk)


# --- adding -------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["facilitator", "team_manager"])
def test_activity_new_stores_activity_and_redirects_to_designer(request, client, programme, year1, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(new_url(programme), new_activity_data())

    assert response.status_code == 302
    assert response.url == designer_url(programme)
    activity = Activity.objects.get()
    assert activity.year == year1
    assert activity.title == TYPED_TITLE
    assert activity.learning_type == "practice"
    assert activity.with_whom == ["peers", "partners"]
    assert activity.total_hours == Decimal("20")
    assert activity.version == 1


def test_activity_new_goes_to_the_end_of_the_year(client, facilitator, programme, year1):
    make_activity(year1, title="Intervisie", order=1)
    make_activity(year1, title="Training", order=5)
    client.force_login(facilitator)

    client.post(new_url(programme), new_activity_data())

    assert list(year1.activities.values_list("title", "order")) == [
        ("Intervisie", 1),
        ("Training", 5),
        (TYPED_TITLE, 6),
    ]


def test_activity_new_in_another_year_stays_there(client, facilitator, programme):
    client.force_login(facilitator)

    response = client.post(new_url(programme, 2), new_activity_data())

    assert response.url == designer_url(programme, 2)
    assert Activity.objects.get().year.number == 2


def test_activity_new_htmx_returns_designer_fragment_with_new_load(client, facilitator, programme, year1):
    make_activity(year1, title="Intervisie")  # 2 + 1 + 0 h × 10 = 30 h
    client.force_login(facilitator)

    response = client.post(new_url(programme), new_activity_data(), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#designer"
    assert response["HX-Reswap"] == "outerHTML"
    content = text(response)
    assert content.lstrip().startswith('<div id="designer"')
    assert "<html" not in content
    # (30 + 20) h over 40 weeks = 1.25 h/week, shown with one decimal.
    assert '<span data-testid="year-hours-per-week">1.3</span>' in content
    assert "50.0 hours over 40 learning weeks" in content
    assert TYPED_TITLE in content
    assert Activity.objects.count() == 2


def test_activity_new_get_shows_form_page(client, team_manager, programme, year1):
    client.force_login(team_manager)

    response = client.get(new_url(programme))

    assert response.status_code == 200
    assert 'name="new-title"' in text(response)


@pytest.mark.parametrize(("overrides", "message"), bad_input_params_unmarked())
def test_activity_new_bad_input_keeps_form_and_stores_nothing(
    client, facilitator, programme, year1, overrides, message
):
    client.force_login(facilitator)

    response = client.post(new_url(programme), new_activity_data(**overrides))

    assert response.status_code == 200
    assert Activity.objects.count() == 0
    content = text(response)
    kept = "Een casus uit de wijk, samen met een partner." if overrides.get("title") == "" else TYPED_TITLE
    assert kept in content


@pytest.mark.parametrize(("overrides", "message"), bad_input_params())
def test_activity_new_bad_input_says_what_to_do(client, facilitator, programme, year1, overrides, message):
    client.force_login(facilitator)

    response = client.post(new_url(programme), new_activity_data(**overrides))

    assert message in text(response)


def test_activity_new_single_field_over_40_hours_refused(client, facilitator, programme, year1):
    client.force_login(facilitator)

    response = client.post(new_url(programme), new_activity_data(contact_hours="41", prep_hours="0", extra_hours="0"))

    assert response.status_code == 200
    assert "one occurrence can take at most 40 hours" in text(response)
    assert Activity.objects.count() == 0


def test_activity_new_exactly_40_hours_per_occurrence_saved(client, facilitator, programme, year1):
    client.force_login(facilitator)

    response = client.post(
        new_url(programme), new_activity_data(contact_hours="30", prep_hours="8", extra_hours="2", occurrences="1")
    )

    assert response.status_code == 302
    assert Activity.objects.get().total_hours == Decimal("40")


def test_activity_new_htmx_bad_input_returns_form_fragment(client, facilitator, programme, year1):
    client.force_login(facilitator)

    response = client.post(new_url(programme), new_activity_data(modality="hybrid"), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    content = text(response)
    assert content.lstrip().startswith('<form id="new-activity-form"')
    assert "Choose face-to-face, online synchronous or online asynchronous." in content
    assert TYPED_TITLE in content
    assert Activity.objects.count() == 0


def test_activity_new_anchor_of_other_programme_refused(client, facilitator, programme, other_programme, year1):
    foreign = WorkplaceAnchor.objects.create(programme=other_programme, name="Buurthuis elders")
    client.force_login(facilitator)

    response = client.post(new_url(programme), new_activity_data(anchor=str(foreign.pk)))

    assert response.status_code == 200
    assert "Choose one of this programme's workplace anchors." in text(response)
    assert Activity.objects.count() == 0


def test_activity_new_anchor_of_own_programme_saved(client, facilitator, programme, year1):
    anchor = WorkplaceAnchor.objects.create(programme=programme, name="Teamoverleg")
    client.force_login(facilitator)

    client.post(new_url(programme), new_activity_data(anchor=str(anchor.pk)))

    assert Activity.objects.get().anchor == anchor


# --- Dutch decimals -----------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["accept_language", "cookie"])
def test_activity_new_dutch_decimal_comma_accepted(client, settings, facilitator, programme, year1, how):
    client.force_login(facilitator)
    headers = {}
    if how == "cookie":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    else:
        headers["HTTP_ACCEPT_LANGUAGE"] = "nl"

    response = client.post(new_url(programme), new_activity_data(contact_hours="1,5"), **headers)

    assert response.status_code == 302
    assert Activity.objects.get().contact_hours == Decimal("1.5")


def test_activity_new_dutch_decimal_point_accepted(client, facilitator, programme, year1):
    client.force_login(facilitator)

    response = client.post(new_url(programme), new_activity_data(contact_hours="1.5"), HTTP_ACCEPT_LANGUAGE="nl")

    assert response.status_code == 302
    assert Activity.objects.get().contact_hours == Decimal("1.5")


def test_activity_edit_dutch_form_shows_decimal_comma(client, facilitator, programme, year1):
    activity = make_activity(year1, contact_hours=Decimal("1.5"))
    client.force_login(facilitator)

    response = client.get(edit_url(programme, activity), HTTP_ACCEPT_LANGUAGE="nl")

    assert 'name="contact_hours" value="1,50"' in text(response)


def test_activity_edit_dutch_form_saved_unchanged_round_trips(client, facilitator, programme, year1):
    # A Dutch user opens the editor (hours shown as "1,50") and saves a new title only.
    activity = make_activity(year1, contact_hours=Decimal("1.5"))
    client.force_login(facilitator)
    client.get(edit_url(programme, activity), HTTP_ACCEPT_LANGUAGE="nl")
    data = edit_data(activity, title="Intervisie in duo", contact_hours="1,50", prep_hours="1,00", extra_hours="0,00")

    response = client.post(edit_url(programme, activity), data, HTTP_ACCEPT_LANGUAGE="nl")

    assert response.status_code == 302
    assert stored(activity).title == "Intervisie in duo"


def test_activity_new_english_decimal_comma_refused(client, facilitator, programme, year1):
    client.force_login(facilitator)

    response = client.post(new_url(programme), new_activity_data(contact_hours="1,5"))

    assert response.status_code == 200
    assert Activity.objects.count() == 0


# --- editing ------------------------------------------------------------------------------------


def test_activity_edit_get_carries_current_version(client, facilitator, programme, year1):
    activity = make_activity(year1)
    client.force_login(facilitator)

    response = client.get(edit_url(programme, activity))

    assert response.status_code == 200
    assert response.context["form"]["version"].value() == 1
    assert 'name="version" value="1"' in text(response)


def test_activity_edit_saves_and_bumps_version(client, team_manager, programme, year1):
    activity = make_activity(year1)
    client.force_login(team_manager)

    response = client.post(edit_url(programme, activity), edit_data(activity, title="Intervisie", occurrences="12"))

    assert response.status_code == 302
    assert response.url == designer_url(programme)
    saved = stored(activity)
    assert saved.occurrences == 12
    assert saved.total_hours == Decimal("36")
    assert saved.version == 2


def test_activity_edit_htmx_returns_designer_fragment(client, facilitator, programme, year1):
    activity = make_activity(year1)  # 30 h
    client.force_login(facilitator)

    response = client.post(edit_url(programme, activity), edit_data(activity, occurrences="20"), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#designer"
    # 3 h × 20 = 60 h over 40 weeks.
    assert '<span data-testid="year-hours-per-week">1.5</span>' in text(response)


@pytest.mark.parametrize(("overrides", "message"), bad_input_params_unmarked())
def test_activity_edit_bad_input_keeps_form_and_changes_nothing(
    client, facilitator, programme, year1, overrides, message
):
    activity = make_activity(year1)
    client.force_login(facilitator)
    data = edit_data(activity, **{"title": TYPED_TITLE, **overrides})

    response = client.post(edit_url(programme, activity), data)

    assert response.status_code == 200
    if overrides.get("title") != "":
        assert f'name="title" value="{TYPED_TITLE}"' in text(response)
    saved = stored(activity)
    assert (saved.title, saved.total_hours, saved.version) == ("Intervisie", Decimal("30"), 1)


@pytest.mark.parametrize(("overrides", "message"), bad_input_params())
def test_activity_edit_bad_input_says_what_to_do(client, facilitator, programme, year1, overrides, message):
    activity = make_activity(year1)
    client.force_login(facilitator)

    response = client.post(edit_url(programme, activity), edit_data(activity, **overrides))

    assert message in text(response)


def test_activity_edit_anchor_of_other_programme_refused(client, facilitator, programme, other_programme, year1):
    activity = make_activity(year1)
    foreign = WorkplaceAnchor.objects.create(programme=other_programme, name="Buurthuis elders")
    client.force_login(facilitator)

    response = client.post(edit_url(programme, activity), edit_data(activity, anchor=str(foreign.pk)))

    assert response.status_code == 200
    assert "Choose one of this programme's workplace anchors." in text(response)
    assert stored(activity).anchor is None


# --- stale saves --------------------------------------------------------------------------------


def test_activity_edit_stale_save_shows_conflict_and_keeps_both(client, facilitator, team_manager, programme, year1):
    activity = make_activity(year1)
    client.force_login(facilitator)
    first_form = client.get(edit_url(programme, activity)).context["form"]
    stale_version = first_form["version"].value()
    client.force_login(team_manager)
    client.post(edit_url(programme, activity), edit_data(activity, title="Intervisie met de wijkagent"))
    client.force_login(facilitator)

    response = client.post(
        edit_url(programme, activity), edit_data(activity, title="Intervisie in duo", version=str(stale_version))
    )

    assert response.status_code == 200
    content = text(response)
    assert CONFLICT_NOTICE in content
    assert '<dd class="col-sm-8">Intervisie met de wijkagent</dd>' in content
    assert 'name="title" value="Intervisie in duo"' in content
    assert 'name="version" value="2"' in content
    saved = stored(activity)
    assert (saved.title, saved.version) == ("Intervisie met de wijkagent", 2)


def test_activity_edit_resubmit_after_conflict_overwrites(client, facilitator, programme, year1):
    activity = make_activity(year1)
    client.force_login(facilitator)
    client.post(edit_url(programme, activity), edit_data(activity, title="Intervisie met de wijkagent"))
    conflict = client.post(edit_url(programme, activity), edit_data(activity, title="Intervisie in duo", version="1"))
    current_version = conflict.context["form"]["version"].value()

    response = client.post(
        edit_url(programme, activity), edit_data(activity, title="Intervisie in duo", version=current_version)
    )

    assert current_version == "2"
    assert response.status_code == 302
    saved = stored(activity)
    assert (saved.title, saved.version) == ("Intervisie in duo", 3)


def test_activity_edit_stale_save_htmx_returns_editor_with_conflict(client, facilitator, programme, year1):
    activity = make_activity(year1)
    client.force_login(facilitator)
    client.post(edit_url(programme, activity), edit_data(activity, title="Intervisie met de wijkagent"))

    response = client.post(
        edit_url(programme, activity),
        edit_data(activity, title="Intervisie in duo", version="1"),
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    content = text(response)
    assert content.lstrip().startswith(f'<li id="activity-{activity.pk}"')
    assert CONFLICT_NOTICE in content
    assert "Save my version" in content
    assert stored(activity).title == "Intervisie met de wijkagent"


def year_data(**overrides) -> dict:
    data = {
        "title": "Jaar van de wijk",
        "signature": "Leren in de wijk",
        "description": "Samen met partners.",
        "version": "1",
    }
    data.update(overrides)
    return data


def test_year_edit_saves_and_bumps_version(client, facilitator, programme, year1):
    client.force_login(facilitator)

    response = client.post(reverse("year_edit", args=[programme.slug, 1]), year_data())

    assert response.status_code == 302
    assert response.url == designer_url(programme)
    year = Year.objects.get(pk=year1.pk)
    assert (year.title, year.signature, year.description, year.version) == (
        "Jaar van de wijk",
        "Leren in de wijk",
        "Samen met partners.",
        2,
    )


def test_year_edit_stale_save_shows_conflict_and_keeps_both(client, facilitator, team_manager, programme, year1):
    url = reverse("year_edit", args=[programme.slug, 1])
    client.force_login(facilitator)
    stale_version = client.get(url).context["form"]["version"].value()
    client.force_login(team_manager)
    client.post(url, year_data(title="Jaar van het team", signature="Samen sterk"))
    client.force_login(facilitator)

    response = client.post(url, year_data(title="Jaar van de wijk", version=str(stale_version)))

    assert response.status_code == 200
    content = text(response)
    assert YEAR_CONFLICT_NOTICE in content
    assert '<dd class="col-sm-9">Jaar van het team</dd>' in content
    assert '<dd class="col-sm-9">Samen sterk</dd>' in content
    assert 'name="title" value="Jaar van de wijk"' in content
    year = Year.objects.get(pk=year1.pk)
    assert (year.title, year.signature, year.version) == ("Jaar van het team", "Samen sterk", 2)


def test_year_edit_resubmit_after_conflict_overwrites(client, facilitator, programme, year1):
    url = reverse("year_edit", args=[programme.slug, 1])
    client.force_login(facilitator)
    client.post(url, year_data(title="Jaar van het team"))
    conflict = client.post(url, year_data(title="Jaar van de wijk", version="1"))

    response = client.post(
        url, year_data(title="Jaar van de wijk", version=conflict.context["form"]["version"].value())
    )

    assert response.status_code == 302
    year = Year.objects.get(pk=year1.pk)
    assert (year.title, year.version) == ("Jaar van de wijk", 3)


# --- ids of another programme, years out of range ---------------------------------------------


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("activity_row", "get"),
        ("activity_edit", "get"),
        ("activity_edit", "post"),
        ("activity_delete", "get"),
        ("activity_delete", "post"),
        ("activity_move", "post"),
    ],
)
def test_activity_of_other_programme_is_404(client, facilitator, programme, other_programme, name, method):
    foreign = make_activity(other_programme.years.get(number=1), title="Elders")
    client.force_login(facilitator)
    url = reverse(name, args=[programme.slug, foreign.pk])
    data = {**edit_data(foreign, title="Gekaapt"), "direction": "down"} if method == "post" else {}

    response = getattr(client, method)(url, data)

    assert response.status_code == 404
    assert (stored(foreign).title, stored(foreign).version) == ("Elders", 1)


def test_anchor_of_other_programme_delete_is_404(client, facilitator, programme, other_programme):
    foreign = WorkplaceAnchor.objects.create(programme=other_programme, name="Buurthuis elders")
    client.force_login(facilitator)

    response = client.post(reverse("anchor_delete", args=[programme.slug, foreign.pk]))

    assert response.status_code == 404
    assert WorkplaceAnchor.objects.filter(pk=foreign.pk).exists()


@pytest.mark.parametrize("name", ["year_designer", "year_edit", "activity_new"])
@pytest.mark.parametrize("number", [0, 4, 99])
def test_year_beyond_number_of_years_is_404(client, facilitator, programme, name, number):
    client.force_login(facilitator)

    response = client.get(reverse(name, args=[programme.slug, number]))

    assert response.status_code == 404


def test_year_row_left_after_reducing_years_is_404(client, facilitator, programme):
    programme.number_of_years = 2
    programme.save()
    client.force_login(facilitator)

    response = client.get(designer_url(programme, 3))

    assert programme.years.filter(number=3).exists()
    assert response.status_code == 404


# --- ordering and deleting ----------------------------------------------------------------------


@pytest.fixture
def three_activities(year1):
    return [make_activity(year1, title=title) for title in ("Intervisie", "Training", "Casus")]


def orders(activities) -> list[tuple[str, int]]:
    return [(a.title, Activity.objects.get(pk=a.pk).order) for a in activities]


def move(client, programme, activity, direction, **headers):
    return client.post(
        reverse("activity_move", args=[programme.slug, activity.pk]), {"direction": direction}, **headers
    )


def test_activity_move_up_swaps_with_previous(client, facilitator, programme, three_activities):
    client.force_login(facilitator)

    response = move(client, programme, three_activities[2], "up")

    assert response.status_code == 302
    assert response.url == designer_url(programme)
    assert orders(three_activities) == [("Intervisie", 1), ("Training", 3), ("Casus", 2)]


def test_activity_move_down_swaps_with_next(client, team_manager, programme, three_activities):
    client.force_login(team_manager)

    move(client, programme, three_activities[0], "down")

    assert orders(three_activities) == [("Intervisie", 2), ("Training", 1), ("Casus", 3)]


def test_activity_move_first_up_changes_nothing(client, facilitator, programme, three_activities):
    client.force_login(facilitator)

    response = move(client, programme, three_activities[0], "up")

    assert response.status_code == 302
    assert orders(three_activities) == [("Intervisie", 1), ("Training", 2), ("Casus", 3)]


def test_activity_move_last_down_changes_nothing(client, facilitator, programme, three_activities):
    client.force_login(facilitator)

    move(client, programme, three_activities[2], "down")

    assert orders(three_activities) == [("Intervisie", 1), ("Training", 2), ("Casus", 3)]


def test_activity_move_unknown_direction_changes_nothing(client, facilitator, programme, three_activities):
    client.force_login(facilitator)

    response = move(client, programme, three_activities[1], "sideways")

    assert response.status_code == 302
    assert orders(three_activities) == [("Intervisie", 1), ("Training", 2), ("Casus", 3)]


def test_activity_move_htmx_returns_designer_in_new_order(client, facilitator, programme, three_activities):
    client.force_login(facilitator)

    response = move(client, programme, three_activities[2], "up", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#designer"
    content = text(response)
    assert content.index("Intervisie") < content.index("Casus") < content.index("Training")


def test_activity_delete_get_shows_confirm_page(client, facilitator, programme, year1):
    activity = make_activity(year1)
    client.force_login(facilitator)

    response = client.get(reverse("activity_delete", args=[programme.slug, activity.pk]))

    assert response.status_code == 200
    assert "Delete “Intervisie”?" in text(response)
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_activity_delete_post_removes_it(client, facilitator, programme, year1):
    activity = make_activity(year1)
    client.force_login(facilitator)

    response = client.post(reverse("activity_delete", args=[programme.slug, activity.pk]))

    assert response.status_code == 302
    assert response.url == designer_url(programme)
    assert Activity.objects.count() == 0


def test_activity_delete_htmx_returns_designer_with_load_recomputed(client, team_manager, programme, year1):
    make_activity(year1, title="Intervisie")  # 30 h
    clinic = make_activity(
        year1,
        title="Casus",
        contact_hours=Decimal("1.5"),
        prep_hours=Decimal("0.5"),
        extra_hours=Decimal("0.5"),
        occurrences=8,
    )  # 20 h
    client.force_login(team_manager)

    response = client.post(reverse("activity_delete", args=[programme.slug, clinic.pk]), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    # 30 h over 40 weeks.
    assert '<span data-testid="year-hours-per-week">0.8</span>' in text(response)
    assert "30.0 hours over 40 learning weeks" in text(response)
    assert list(Activity.objects.values_list("title", flat=True)) == ["Intervisie"]


# --- the ambition tweet -------------------------------------------------------------------------


def test_ambition_edit_281_characters_refused_and_text_kept(client, facilitator, programme):
    client.force_login(facilitator)
    tweet = "Wij leren in de wijk, " + "x" * 259

    response = client.post(reverse("ambition_edit", args=[programme.slug]), {"ambition": tweet})

    assert len(tweet) == 281
    assert response.status_code == 200
    content = text(response)
    assert "A tweet has at most 280 characters; this one has 281. Shorten it and save again." in content
    assert f"{tweet}</textarea>" in content
    assert Programme.objects.get(pk=programme.pk).ambition == ""


def test_ambition_edit_280_characters_saved(client, facilitator, programme):
    client.force_login(facilitator)
    tweet = "Wij leren in de wijk, " + "x" * 258

    response = client.post(reverse("ambition_edit", args=[programme.slug]), {"ambition": tweet})

    assert len(tweet) == 280
    assert response.status_code == 302
    assert Programme.objects.get(pk=programme.pk).ambition == tweet


def test_ambition_edit_htmx_too_long_returns_form_with_message(client, facilitator, programme):
    client.force_login(facilitator)
    tweet = "y" * 300

    response = client.post(reverse("ambition_edit", args=[programme.slug]), {"ambition": tweet}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    content = text(response)
    assert content.lstrip().startswith('<form id="ambition-form"')
    assert "this one has 300" in content
    assert f"{tweet}</textarea>" in content
    assert Programme.objects.get(pk=programme.pk).ambition == ""


def test_ambition_textarea_has_no_maxlength(client, facilitator, programme):
    # A browser would silently cut a pasted text at maxlength; the server refuses instead.
    client.force_login(facilitator)

    response = client.get(programme.get_absolute_url())

    content = text(response)
    assert 'data-counter="280"' in content
    assert "maxlength" not in content


# --- roles --------------------------------------------------------------------------------------


@pytest.fixture
def intervision(year1):
    return make_activity(year1)


def director_writes(programme, activity):
    return [
        (reverse("activity_new", args=[programme.slug, 1]), new_activity_data()),
        (reverse("activity_edit", args=[programme.slug, activity.pk]), edit_data(activity, title="Gewijzigd")),
        (reverse("activity_delete", args=[programme.slug, activity.pk]), {}),
        (reverse("activity_move", args=[programme.slug, activity.pk]), {"direction": "down"}),
        (reverse("year_edit", args=[programme.slug, 1]), year_data()),
    ]


@pytest.mark.parametrize("index", range(5), ids=["activity_new", "activity_edit", "activity_delete", "move", "year"])
def test_director_design_write_is_403(client, director, programme, year1, intervision, index):
    make_activity(year1, title="Training")
    client.force_login(director)
    url, data = director_writes(programme, intervision)[index]

    response = client.post(url, data)

    assert response.status_code == 403
    assert list(Activity.objects.values_list("title", "order", "version")) == [
        ("Intervisie", 1, 1),
        ("Training", 2, 1),
    ]
    assert Year.objects.get(pk=year1.pk).version == 1


def test_director_sees_designer_without_editing(client, director, programme, intervision):
    client.force_login(director)

    response = client.get(designer_url(programme))

    assert response.status_code == 200
    content = text(response)
    assert "Intervisie" in content
    assert "new-activity-form" not in content
    assert reverse("activity_edit", args=[programme.slug, intervision.pk]) not in content


def programme_pages(programme, activity, anchor):
    slug = programme.slug
    return [
        ("get", reverse("programme_overview", args=[slug])),
        ("post", reverse("ambition_edit", args=[slug])),
        ("get", reverse("framing_edit", args=[slug])),
        ("get", reverse("programme_settings", args=[slug])),
        ("get", reverse("anchors", args=[slug])),
        ("post", reverse("anchors", args=[slug])),
        ("post", reverse("anchor_delete", args=[slug, anchor.pk])),
        ("get", reverse("year_designer", args=[slug, 1])),
        ("get", reverse("year_edit", args=[slug, 1])),
        ("get", reverse("activity_new", args=[slug, 1])),
        ("post", reverse("activity_new", args=[slug, 1])),
        ("get", reverse("activity_row", args=[slug, activity.pk])),
        ("get", reverse("activity_edit", args=[slug, activity.pk])),
        ("post", reverse("activity_edit", args=[slug, activity.pk])),
        ("get", reverse("activity_delete", args=[slug, activity.pk])),
        ("post", reverse("activity_delete", args=[slug, activity.pk])),
        ("post", reverse("activity_move", args=[slug, activity.pk])),
    ]


PAGE_IDS = [
    "overview",
    "ambition",
    "framing",
    "settings",
    "anchors",
    "anchors_post",
    "anchor_delete",
    "designer",
    "year_edit",
    "activity_new",
    "activity_new_post",
    "activity_row",
    "activity_edit",
    "activity_edit_post",
    "activity_delete",
    "activity_delete_post",
    "activity_move",
]


@pytest.fixture
def anchor(programme):
    return WorkplaceAnchor.objects.create(programme=programme, name="Teamoverleg")


@pytest.mark.parametrize("persona", ["co_thinker", "outsider"])
@pytest.mark.parametrize("index", range(len(PAGE_IDS)), ids=PAGE_IDS)
def test_non_viewer_gets_404_on_every_programme_page(request, client, programme, intervision, anchor, persona, index):
    client.force_login(request.getfixturevalue(persona))
    method, url = programme_pages(programme, intervision, anchor)[index]

    response = getattr(client, method)(url)

    assert response.status_code == 404
    assert (stored(intervision).title, stored(intervision).version) == ("Intervisie", 1)
    assert WorkplaceAnchor.objects.filter(pk=anchor.pk).exists()


@pytest.mark.parametrize("index", range(len(PAGE_IDS)), ids=PAGE_IDS)
def test_anonymous_is_sent_to_login_on_every_programme_page(client, programme, intervision, anchor, index):
    method, url = programme_pages(programme, intervision, anchor)[index]

    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"
    assert Activity.objects.filter(pk=intervision.pk).exists()


# --- programme settings -------------------------------------------------------------------------


def settings_data(programme: Programme, **overrides) -> dict:
    data = {
        "title": programme.title,
        "number_of_years": str(programme.number_of_years),
        "learning_weeks_per_year": str(programme.learning_weeks_per_year),
        "stage": programme.stage,
    }
    data.update(overrides)
    return data


def test_settings_reducing_years_below_year_with_activities_refused(client, facilitator, programme):
    make_activity(programme.years.get(number=2), title="Training")
    make_activity(programme.years.get(number=3), title="Eindpresentatie")
    client.force_login(facilitator)

    response = client.post(
        reverse("programme_settings", args=[programme.slug]), settings_data(programme, number_of_years="1")
    )

    assert response.status_code == 200
    assert "Year 3 still has activities. Delete them first, or keep this number of years." in text(response)
    programme.refresh_from_db()
    assert programme.number_of_years == 3
    assert list(programme.years.values_list("number", flat=True)) == [1, 2, 3]
    assert Activity.objects.count() == 2


def test_settings_reducing_years_without_activities_saved(client, facilitator, programme):
    make_activity(programme.years.get(number=2), title="Training")
    client.force_login(facilitator)

    response = client.post(
        reverse("programme_settings", args=[programme.slug]), settings_data(programme, number_of_years="2")
    )

    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.number_of_years == 2


def test_settings_increasing_years_creates_year_rows(client, facilitator, programme):
    client.force_login(facilitator)

    response = client.post(
        reverse("programme_settings", args=[programme.slug]), settings_data(programme, number_of_years="5")
    )

    assert response.status_code == 302
    assert list(programme.years.values_list("number", "title")) == [
        (1, "Year 1"),
        (2, "Year 2"),
        (3, "Year 3"),
        (4, "Year 4"),
        (5, "Year 5"),
    ]
    assert client.get(designer_url(programme, 5)).status_code == 200


def test_settings_learning_weeks_change_the_load(client, facilitator, programme, intervision):
    client.force_login(facilitator)

    client.post(
        reverse("programme_settings", args=[programme.slug]), settings_data(programme, learning_weeks_per_year="30")
    )
    response = client.get(designer_url(programme))

    # 30 h over 30 weeks.
    assert '<span data-testid="year-hours-per-week">1.0</span>' in text(response)


@pytest.mark.parametrize("persona", ["team_manager", "director"])
def test_settings_without_manage_is_403(request, client, programme, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(
        reverse("programme_settings", args=[programme.slug]), settings_data(programme, number_of_years="5")
    )

    assert response.status_code == 403
    assert Programme.objects.get(pk=programme.pk).number_of_years == 3


# --- workplace anchors --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["facilitator", "team_manager"])
def test_anchors_add(request, client, programme, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(
        reverse("anchors", args=[programme.slug]), {"name": "Teamoverleg", "description": "Elke dinsdag."}
    )

    assert response.status_code == 302
    assert response.url == reverse("anchors", args=[programme.slug])
    assert list(WorkplaceAnchor.objects.values_list("programme__slug", "name", "description")) == [
        ("alpha", "Teamoverleg", "Elke dinsdag.")
    ]


def test_anchors_add_without_name_refused(client, facilitator, programme):
    client.force_login(facilitator)

    response = client.post(reverse("anchors", args=[programme.slug]), {"name": "", "description": "Elke dinsdag."})

    assert response.status_code == 200
    content = text(response)
    assert "This field is required." in content
    assert "Elke dinsdag." in content
    assert WorkplaceAnchor.objects.count() == 0


def test_anchors_list_counts_activities_using_them(client, facilitator, programme, year1, anchor):
    make_activity(year1, anchor=anchor)
    client.force_login(facilitator)

    response = client.get(reverse("anchors", args=[programme.slug]))

    assert "Used by 1 activity" in text(response)


def test_anchor_delete_removes_it_and_keeps_activities(client, facilitator, programme, year1, anchor):
    activity = make_activity(year1, anchor=anchor)
    client.force_login(facilitator)

    response = client.post(reverse("anchor_delete", args=[programme.slug, anchor.pk]))

    assert response.status_code == 302
    assert WorkplaceAnchor.objects.count() == 0
    assert stored(activity).anchor is None


def test_anchors_director_sees_list_without_form(client, director, programme, anchor):
    client.force_login(director)

    response = client.get(reverse("anchors", args=[programme.slug]))

    assert response.status_code == 200
    content = text(response)
    assert "Teamoverleg" in content
    assert "Add a workplace anchor" not in content
    assert reverse("anchor_delete", args=[programme.slug, anchor.pk]) not in content


def test_anchors_director_post_is_403(client, director, programme, anchor):
    client.force_login(director)

    add = client.post(reverse("anchors", args=[programme.slug]), {"name": "Koffieautomaat"})
    delete = client.post(reverse("anchor_delete", args=[programme.slug, anchor.pk]))

    assert (add.status_code, delete.status_code) == (403, 403)
    assert list(WorkplaceAnchor.objects.values_list("name", flat=True)) == ["Teamoverleg"]
