"""The relay: groups design their own year, hand over a vlog and a baton question, and the
next group answers it. Persona `team_manager` (tom) is in group 1; `tess` is in group 2."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programmes.models import Activity, Programme, Role, Year
from programmes.permissions import can_edit_year, membership_for
from tests.conftest import make_activity, make_member
from workshops.demo.relay import seed
from workshops.models import DesignSession, Handover, RelayGroup, SessionKind

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00isom" + b"\x00\x00\x00\x08free" + bytes(40)
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + bytes(40)
QUESTION = "Hoe zorgen jullie dat het leren niet naast het werk komt te staan?"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def tess(django_user_model, programme):
    return make_member(django_user_model, programme, Role.TEAM_MANAGER, "tess")


@pytest.fixture
def groups(programme, team_manager, tess):
    """Groep 1 (tom) → year 1, Groep 2 (tess) → year 2, Groep 3 (nobody yet) → year 3."""
    years = {year.number: year for year in programme.years.all()}
    made = []
    for order in (1, 2, 3):
        group = RelayGroup.objects.create(programme=programme, name=f"Groep {order}", year=years[order], order=order)
        made.append(group)
    made[0].members.add(team_manager)
    made[1].members.add(tess)
    return made


@pytest.fixture
def asked(groups, team_manager):
    """Groep 1 has handed over its baton question."""
    return Handover.objects.create(group=groups[0], question=QUESTION, question_by=team_manager)


def upload(content: bytes = MP4, name: str = "vlog.mp4", content_type: str = "video/mp4") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def handover_url(programme, group, name: str = "handover_edit") -> str:
    return reverse(name, args=[programme.slug, group.pk])


def post_handover(client, programme, group, **data):
    fields = {"vlog_link": "", "question": "", "seen": "", **data}
    return client.post(handover_url(programme, group), fields)


def seen_of(handover: Handover) -> str:
    from workshops.forms.relay import HandoverForm

    return HandoverForm.fingerprint(handover)


# --- the year-edit narrowing --------------------------------------------------------------


def test_can_edit_year_without_relay_groups_team_manager_edits_every_year(programme, team_manager):
    membership = membership_for(team_manager, programme)

    assert [can_edit_year(team_manager, membership, year) for year in programme.years.all()] == [True, True, True]


def test_can_edit_year_with_relay_groups_team_manager_edits_own_year_only(programme, team_manager, groups):
    membership = membership_for(team_manager, programme)

    assert [can_edit_year(team_manager, membership, year) for year in programme.years.all()] == [True, False, False]


def test_can_edit_year_facilitator_always_director_never(programme, facilitator, director, groups):
    years = list(programme.years.all())

    assert all(can_edit_year(facilitator, membership_for(facilitator, programme), year) for year in years)
    assert not any(can_edit_year(director, membership_for(director, programme), year) for year in years)


def test_can_edit_year_asks_the_database_once_per_membership(programme, team_manager, groups):
    membership = membership_for(team_manager, programme)
    years = list(programme.years.all())

    with CaptureQueriesContext(connection) as queries:
        for year in years:
            can_edit_year(team_manager, membership, year)

    assert len(queries) == 1


def test_can_edit_year_refuses_someone_elses_membership(programme, team_manager, tess, groups):
    assert not can_edit_year(tess, membership_for(team_manager, programme), groups[0].year)


def test_team_manager_outside_every_group_reads_only(client, django_user_model, programme, groups, year1):
    loner = make_member(django_user_model, programme, Role.TEAM_MANAGER, "lone")
    client.force_login(loner)

    assert client.get(reverse("activity_new", args=[programme.slug, 1])).status_code == 403


def test_team_manager_adds_activity_to_own_group_year(client, programme, team_manager, groups, year1):
    client.force_login(team_manager)
    data = {
        "new-version": "1",
        "new-title": "Leergroep casuïstiek",
        "new-learning_type": "discussion",
        "new-modality": "face_to_face",
        "new-with_whom": ["peers"],
        "new-contact_hours": "2",
        "new-prep_hours": "1",
        "new-extra_hours": "0",
        "new-occurrences": "5",
    }

    response = client.post(reverse("activity_new", args=[programme.slug, 1]), data)

    assert response.status_code == 302
    assert Activity.objects.filter(year=year1, title="Leergroep casuïstiek").count() == 1


@pytest.mark.parametrize(
    ("name", "method", "data"),
    [
        ("year_edit", "get", None),
        ("year_edit", "post", {"title": "Overgenomen", "signature": "", "description": "", "version": "1"}),
        ("activity_new", "get", None),
        ("activity_new", "post", {"new-title": "Erbij", "new-version": "1"}),
        ("activity_edit", "get", None),
        ("activity_edit", "post", {"title": "Overschreven", "version": "1"}),
        ("activity_delete", "post", {}),
        ("activity_move", "post", {"direction": "down"}),
    ],
)
def test_team_manager_editing_another_groups_year_gets_403(client, programme, tess, groups, year1, name, method, data):
    activity = make_activity(year1, title="Intervisie")
    make_activity(year1, title="Meeloopdag")
    client.force_login(tess)
    kwargs = {"number": 1} if name in {"year_edit", "activity_new"} else {"pk": activity.pk}
    url = reverse(name, kwargs={"slug": programme.slug, **kwargs})

    response = getattr(client, method)(url, data) if data is not None else client.get(url)

    assert response.status_code == 403
    assert list(year1.activities.values_list("title", flat=True)) == ["Intervisie", "Meeloopdag"]
    assert Year.objects.get(pk=year1.pk).version == 1


def test_designer_shows_another_groups_year_read_only_with_its_group(client, programme, tess, groups, year1):
    make_activity(year1, title="Intervisie")
    client.force_login(tess)

    response = client.get(reverse("year_designer", args=[programme.slug, 1]))

    assert response.status_code == 200
    assert response.context["can_edit"] is False
    assert response.context["designed_by"] == "Groep 1"
    assert "Intervisie" in response.content.decode()
    assert reverse("activity_new", args=[programme.slug, 1]) not in response.content.decode()


def test_designer_own_group_year_is_editable_without_note(client, programme, tess, groups):
    client.force_login(tess)

    response = client.get(reverse("year_designer", args=[programme.slug, 2]))

    assert response.context["can_edit"] is True
    assert response.context["designed_by"] == ""


@pytest.mark.parametrize(("number", "expected"), [(1, 12), (2, 11)])
def test_designer_query_count_for_team_manager_with_relay_groups(
    client, programme, team_manager, groups, number, expected
):
    make_activity(programme.years.get(number=1))
    client.force_login(team_manager)

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("year_designer", args=[programme.slug, number]))

    # session, user, programme+organisation, membership, year, activities(+year,+anchor), guardrails,
    # relay groups (team managers only, once), [anchors for the add form: own year only], years for the tabs,
    # dialogue outcomes (changed after …), the header's needs-my-response count
    assert len(queries) == expected


# --- relay groups (facilitators) ----------------------------------------------------------


def group_data(programme, *members, **overrides) -> dict:
    return {
        "name": "Groep Noord",
        "order": "1",
        "year": str(programme.years.get(number=1).pk),
        "members": [str(member.pk) for member in members],
        **overrides,
    }


def test_relay_groups_facilitator_adds_group(client, programme, facilitator, team_manager, tess):
    client.force_login(facilitator)

    response = client.post(reverse("relay_groups", args=[programme.slug]), group_data(programme, team_manager, tess))

    assert response.status_code == 302
    group = RelayGroup.objects.get(programme=programme)
    assert (group.name, group.order, group.year.number) == ("Groep Noord", 1, 1)
    assert set(group.members.values_list("username", flat=True)) == {"tom", "tess"}


def test_relay_groups_get_suggests_next_order(client, programme, facilitator, groups):
    client.force_login(facilitator)

    response = client.get(reverse("relay_groups", args=[programme.slug]))

    assert response.context["form"]["order"].value() == 4
    assert [group.name for group in response.context["groups"]] == ["Groep 1", "Groep 2", "Groep 3"]


@pytest.mark.parametrize("role", ["team_manager", "director"])
def test_relay_groups_other_roles_403(client, request, programme, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get(reverse("relay_groups", args=[programme.slug])).status_code == 403


def test_relay_groups_outsider_and_co_thinker_404(client, programme, outsider, co_thinker):
    for user in (outsider, co_thinker):
        client.force_login(user)
        assert client.get(reverse("relay_groups", args=[programme.slug])).status_code == 404


def test_relay_groups_member_must_be_team_manager_or_facilitator(client, programme, facilitator, director, outsider):
    client.force_login(facilitator)

    for stranger in (director, outsider):
        response = client.post(reverse("relay_groups", args=[programme.slug]), group_data(programme, stranger))

        assert response.status_code == 200
        assert "Choose team managers or facilitators of this programme." in response.content.decode()
    assert not RelayGroup.objects.exists()


def test_relay_groups_year_of_another_programme_refused(client, programme, other_programme, facilitator, tess):
    client.force_login(facilitator)
    foreign = other_programme.years.get(number=1)

    response = client.post(
        reverse("relay_groups", args=[programme.slug]), group_data(programme, tess, year=str(foreign.pk))
    )

    assert "Choose one of this programme&#x27;s years." in response.content.decode()
    assert not RelayGroup.objects.exists()


def test_relay_groups_taken_order_refused_and_typed_name_kept(client, programme, facilitator, tess, groups):
    client.force_login(facilitator)

    response = client.post(
        reverse("relay_groups", args=[programme.slug]), group_data(programme, tess, name="Groep Zuid", order="2")
    )

    content = response.content.decode()
    assert "“Groep 2” already runs as group 2. Choose another place in the relay." in content
    assert 'value="Groep Zuid"' in content
    assert RelayGroup.objects.count() == 3


def test_relay_groups_without_members_refused(client, programme, facilitator):
    client.force_login(facilitator)

    response = client.post(reverse("relay_groups", args=[programme.slug]), group_data(programme))

    assert "Choose the members of this group, typically four team managers." in response.content.decode()


def test_relay_group_edit_keeps_own_order(client, programme, facilitator, team_manager, groups):
    client.force_login(facilitator)
    group = groups[0]

    response = client.post(
        reverse("relay_group_edit", args=[programme.slug, group.pk]),
        group_data(programme, team_manager, name="Groep 1 (Fundament)", order="1"),
    )

    assert response.status_code == 302
    group.refresh_from_db()
    assert group.name == "Groep 1 (Fundament)"


def test_relay_group_of_another_programme_is_404(client, programme, other_programme, facilitator):
    foreign = RelayGroup.objects.create(
        programme=other_programme, name="Elders", year=other_programme.years.get(number=1)
    )
    client.force_login(facilitator)

    for name in ("relay_group_edit", "relay_group_delete", "handover_edit", "vlog"):
        assert client.get(reverse(name, args=[programme.slug, foreign.pk])).status_code == 404


def test_relay_group_delete_removes_group_handover_and_video(
    client, programme, facilitator, groups, media, django_capture_on_commit_callbacks
):
    handover = Handover.objects.create(group=groups[0], vlog_kind="mp4", question=QUESTION)
    handover.vlog_file.save("vlog.mp4", ContentFile(MP4))
    path = media / handover.vlog_file.name
    client.force_login(facilitator)
    url = reverse("relay_group_delete", args=[programme.slug, groups[0].pk])
    assert "Its hand-over is deleted too" in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    assert response.status_code == 302
    assert not RelayGroup.objects.filter(pk=groups[0].pk).exists()
    assert not Handover.objects.exists()
    assert not path.exists()


# --- the hand-over (vlog and baton question) ----------------------------------------------


def test_handover_member_saves_link_and_question(client, programme, team_manager, groups):
    client.force_login(team_manager)

    response = post_handover(
        client, programme, groups[0], vlog_link="https://video.example.org/estafette/groep-1", question=QUESTION
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("relay_board", args=[programme.slug]) + f"#group-{groups[0].pk}"
    handover = Handover.objects.get(group=groups[0])
    assert (handover.vlog_link, handover.question, handover.question_by) == (
        "https://video.example.org/estafette/groep-1",
        QUESTION,
        team_manager,
    )


def test_handover_upload_stores_video_with_its_kind(client, programme, team_manager, groups, media):
    client.force_login(team_manager)

    response = client.post(
        handover_url(programme, groups[0]),
        {"vlog_upload": upload(WEBM, "groep1.webm", "video/webm"), "vlog_link": "", "question": QUESTION},
    )

    assert response.status_code == 302
    handover = Handover.objects.get(group=groups[0])
    assert handover.vlog_kind == "webm"
    assert handover.vlog_file.name.endswith(".webm")
    assert (media / handover.vlog_file.name).read_bytes() == WEBM


def test_handover_replacing_video_deletes_old_file(
    client, programme, team_manager, groups, media, django_capture_on_commit_callbacks
):
    client.force_login(team_manager)
    client.post(handover_url(programme, groups[0]), {"vlog_upload": upload(), "question": QUESTION})
    handover = Handover.objects.get(group=groups[0])
    old = media / handover.vlog_file.name

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            handover_url(programme, groups[0]),
            {"vlog_upload": upload(WEBM, "nieuw.webm"), "question": QUESTION, "seen": seen_of(handover)},
        )

    handover.refresh_from_db()
    assert not old.exists()
    assert handover.vlog_kind == "webm"
    assert (media / handover.vlog_file.name).exists()


def test_handover_remove_video_then_use_link(
    client, programme, team_manager, groups, media, django_capture_on_commit_callbacks
):
    client.force_login(team_manager)
    client.post(handover_url(programme, groups[0]), {"vlog_upload": upload(), "question": QUESTION})
    handover = Handover.objects.get(group=groups[0])
    old = media / handover.vlog_file.name

    with django_capture_on_commit_callbacks(execute=True):
        response = post_handover(
            client,
            programme,
            groups[0],
            remove_video="on",
            vlog_link="https://video.example.org/groep-1",
            question=QUESTION,
            seen=seen_of(handover),
        )

    assert response.status_code == 302
    handover.refresh_from_db()
    assert (handover.vlog_file.name, handover.vlog_kind, handover.vlog_link) == (
        "",
        "",
        "https://video.example.org/groep-1",
    )
    assert not old.exists()


def test_handover_link_next_to_kept_video_refused(client, programme, team_manager, groups):
    client.force_login(team_manager)
    client.post(handover_url(programme, groups[0]), {"vlog_upload": upload(), "question": QUESTION})
    handover = Handover.objects.get(group=groups[0])

    response = post_handover(
        client, programme, groups[0], vlog_link="https://video.example.org/x", question=QUESTION, seen=seen_of(handover)
    )

    assert "already has an uploaded video" in response.content.decode()
    assert Handover.objects.get(group=groups[0]).vlog_link == ""


def test_handover_text_file_renamed_mp4_refused_and_question_kept(client, programme, team_manager, groups, media):
    client.force_login(team_manager)

    response = client.post(
        handover_url(programme, groups[0]),
        {"vlog_upload": upload(b"Dit is geen video, maar tekst.\n" * 10, "vlog.mp4"), "question": QUESTION},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "This file is not an MP4 or WebM video." in content
    assert QUESTION in content
    assert "choose the video again" in content
    assert not Handover.objects.exists()
    assert list(media.rglob("*.mp4")) == []


def test_handover_webm_over_the_limit_refused(client, settings, programme, team_manager, groups):
    settings.VIDEO_MAX_UPLOAD_BYTES = 1024
    client.force_login(team_manager)

    response = client.post(
        handover_url(programme, groups[0]),
        {"vlog_upload": upload(WEBM + bytes(2000), "lang.webm", "video/webm"), "question": QUESTION},
    )

    assert "The video is larger than 1.0\xa0KB." in response.content.decode()
    assert not Handover.objects.exists()


def test_handover_form_shows_the_limit_and_accepts_only_video(client, settings, programme, team_manager, groups):
    settings.VIDEO_MAX_UPLOAD_BYTES = 50 * 1024 * 1024
    client.force_login(team_manager)

    content = client.get(handover_url(programme, groups[0])).content.decode()

    assert 'accept="video/mp4,video/webm"' in content
    assert "MP4 (H.264) or WebM, at most 50.0\xa0MB." in content
    assert 'data-max-bytes="52428800"' in content
    assert 'enctype="multipart/form-data"' in content


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "ftp://video.example.org/vlog.mp4", "data:text/html,hallo", "video maandag"]
)
def test_handover_non_http_link_refused(client, programme, team_manager, groups, link):
    client.force_login(team_manager)

    response = post_handover(client, programme, groups[0], vlog_link=link, question=QUESTION)

    content = response.content.decode()
    assert response.status_code == 200
    assert "Paste a web link to the vlog, starting with https:// (or http://)." in content
    assert QUESTION in content
    assert not Handover.objects.exists()


def test_handover_link_without_scheme_gets_https(client, programme, team_manager, groups):
    client.force_login(team_manager)

    post_handover(client, programme, groups[0], vlog_link="video.example.org/groep-1")

    assert Handover.objects.get().vlog_link == "https://video.example.org/groep-1"


def test_handover_empty_refused(client, programme, team_manager, groups):
    client.force_login(team_manager)

    response = post_handover(client, programme, groups[0], question="   ")

    assert "This hand-over is empty." in response.content.decode()
    assert not Handover.objects.exists()


def test_handover_upload_and_link_together_refused(client, programme, team_manager, groups):
    client.force_login(team_manager)

    response = client.post(
        handover_url(programme, groups[0]),
        {"vlog_upload": upload(), "vlog_link": "https://video.example.org/x", "question": QUESTION},
    )

    assert "Give either a video file or a link, not both." in response.content.decode()
    assert not Handover.objects.exists()


def test_handover_too_long_question_refused_and_kept(client, programme, team_manager, groups):
    client.force_login(team_manager)
    question = "Waarom? " * 200

    response = post_handover(client, programme, groups[0], question=question)

    assert "Keep the baton question under 1000 characters; it has 1599." in response.content.decode()
    assert not Handover.objects.exists()


def test_handover_save_keeps_answer_given_meanwhile(client, programme, team_manager, tess, asked, groups):
    client.force_login(team_manager)
    seen = seen_of(asked)
    Handover.objects.filter(pk=asked.pk).update(answer="Via het wijknetwerkoverleg.", answer_by=tess)

    post_handover(client, programme, groups[0], question=QUESTION + " En hoe meten jullie dat?", seen=seen)

    asked.refresh_from_db()
    assert asked.question.endswith("En hoe meten jullie dat?")
    assert (asked.answer, asked.answer_by) == ("Via het wijknetwerkoverleg.", tess)


def test_handover_stale_save_shows_conflict_and_keeps_both(client, programme, team_manager, asked, groups):
    client.force_login(team_manager)
    seen = seen_of(asked)
    Handover.objects.filter(pk=asked.pk).update(question="Een vraag van een groepsgenoot.")

    response = post_handover(client, programme, groups[0], question="Mijn eigen vraag.", seen=seen)

    content = response.content.decode()
    assert "Someone else saved this hand-over while you were editing." in content
    assert "Een vraag van een groepsgenoot." in content
    assert "Mijn eigen vraag." in content
    assert Handover.objects.get(pk=asked.pk).question == "Een vraag van een groepsgenoot."

    resubmit = post_handover(
        client, programme, groups[0], question="Mijn eigen vraag.", seen=response.context["form"]["seen"].value()
    )

    assert resubmit.status_code == 302
    assert Handover.objects.get(pk=asked.pk).question == "Mijn eigen vraag."


@pytest.mark.parametrize(("role", "status"), [("director", 403), ("co_thinker", 404), ("outsider", 404)])
def test_handover_edit_by_non_members(client, request, programme, groups, role, status):
    client.force_login(request.getfixturevalue(role))

    response = post_handover(client, programme, groups[0], question="Ingebroken?")

    assert response.status_code == status
    assert not Handover.objects.exists()


def test_handover_edit_by_another_group_refused_with_reason(client, programme, tess, groups):
    client.force_login(tess)

    response = post_handover(client, programme, groups[0], question="Ingebroken?")

    assert response.status_code == 403
    assert "Only the members of “Groep 1” and the facilitators record its hand-over." in response.content.decode()
    assert not Handover.objects.exists()


def test_handover_facilitator_records_for_a_group(client, programme, facilitator, groups):
    client.force_login(facilitator)

    response = post_handover(client, programme, groups[2], question="Wat moet er blijven?")

    assert response.status_code == 302
    assert Handover.objects.get(group=groups[2]).question_by == facilitator


# --- the answer of the next group ---------------------------------------------------------


def answer_url(programme, group) -> str:
    return handover_url(programme, group, "handover_answer")


def test_answer_by_next_group_is_stored(client, programme, tess, asked, groups):
    client.force_login(tess)

    response = client.post(answer_url(programme, groups[0]), {"answer": "Via het wijknetwerkoverleg."})

    assert response.status_code == 302
    asked.refresh_from_db()
    assert (asked.answer, asked.answer_by) == ("Via het wijknetwerkoverleg.", tess)
    assert asked.answered_at is not None


def test_answer_htmx_returns_the_answer_fragment(client, programme, tess, asked, groups):
    client.force_login(tess)

    response = client.post(answer_url(programme, groups[0]), {"answer": "Via het overleg."}, HTTP_HX_REQUEST="true")

    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith(f'<div id="answer-{groups[0].pk}"')
    assert "Via het overleg." in content
    assert "The answer is handed in." in content
    assert "<html" not in content


@pytest.mark.parametrize("who", ["team_manager", "third"])
def test_answer_from_the_wrong_group_refused_clearly(client, request, django_user_model, programme, asked, groups, who):
    if who == "third":
        user = make_member(django_user_model, programme, Role.TEAM_MANAGER, "derk")
        groups[2].members.add(user)
    else:
        user = request.getfixturevalue(who)  # a member of group 1 itself
    client.force_login(user)

    response = client.post(answer_url(programme, groups[0]), {"answer": "Wij antwoorden wel even."})

    assert response.status_code == 403
    assert "Only “Groep 2”, the next group in the relay, answers the baton question of “Groep 1”." in (
        response.content.decode()
    )
    assert Handover.objects.get(pk=asked.pk).answer == ""


def test_answer_by_director_refused(client, programme, director, asked, groups):
    client.force_login(director)

    assert client.post(answer_url(programme, groups[0]), {"answer": "Namens de bestuurder."}).status_code == 403
    assert Handover.objects.get(pk=asked.pk).answer == ""


def test_answer_last_group_only_by_facilitators(client, django_user_model, programme, facilitator, groups):
    Handover.objects.create(group=groups[2], question="Wat moet er blijven?")
    member = make_member(django_user_model, programme, Role.TEAM_MANAGER, "derk")
    groups[2].members.add(member)
    client.force_login(member)

    refused = client.post(answer_url(programme, groups[2]), {"answer": "Alles."})

    assert refused.status_code == 403
    assert "is the last group of the relay" in refused.content.decode()
    client.force_login(facilitator)
    assert client.post(answer_url(programme, groups[2]), {"answer": "De trio's blijven."}).status_code == 302
    assert Handover.objects.get(group=groups[2]).answer_by == facilitator


def test_answer_empty_refused_and_board_shown(client, programme, tess, asked, groups):
    client.force_login(tess)

    response = client.post(answer_url(programme, groups[0]), {"answer": "  "})

    assert response.status_code == 200
    assert "Write the answer before you hand it in." in response.content.decode()
    assert QUESTION in response.content.decode()
    assert Handover.objects.get(pk=asked.pk).answer == ""


def test_answer_empty_htmx_returns_fragment_with_message(client, programme, tess, asked, groups):
    client.force_login(tess)

    response = client.post(answer_url(programme, groups[0]), {"answer": ""}, HTTP_HX_REQUEST="true")

    assert "Write the answer before you hand it in." in response.content.decode()
    assert "<html" not in response.content.decode()


def test_answer_without_question_says_so(client, programme, tess, groups):
    client.force_login(tess)

    response = client.post(answer_url(programme, groups[0]), {"answer": "Te vroeg."}, follow=True)

    assert "“Groep 1” has not handed over a baton question yet" in response.content.decode()
    assert not Handover.objects.exists()


def test_answer_stale_shows_theirs_and_keeps_mine(client, programme, tess, facilitator, asked, groups):
    client.force_login(tess)
    seen = client.get(reverse("relay_board", args=[programme.slug])).context["chain"][0].answer_form["seen"].value()
    Handover.objects.filter(pk=asked.pk).update(answer="Antwoord van de begeleider.", answer_by=facilitator)

    response = client.post(answer_url(programme, groups[0]), {"answer": "Ons antwoord.", "seen": seen})

    content = response.content.decode()
    assert "Someone else answered while you were writing: “Antwoord van de begeleider.”" in content
    assert "Ons antwoord." in content
    assert Handover.objects.get(pk=asked.pk).answer == "Antwoord van de begeleider."


# --- serving the vlog ---------------------------------------------------------------------


@pytest.fixture
def stored(groups):
    handover = Handover.objects.create(group=groups[0], vlog_kind="mp4", question=QUESTION)
    handover.vlog_file.save("vlog.mp4", ContentFile(MP4))
    return handover


@pytest.mark.parametrize(("role", "status"), [("director", 200), ("tess", 200), ("co_thinker", 404), ("outsider", 404)])
def test_vlog_served_to_viewers_only(client, request, programme, stored, groups, role, status):
    client.force_login(request.getfixturevalue(role))

    response = client.get(handover_url(programme, groups[0], "vlog"))

    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "video/mp4"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"] == 'inline; filename="vlog-groep-1.mp4"'
        assert b"".join(response.streaming_content) == MP4
    response.close()


def test_vlog_range_request_gets_206(client, programme, director, stored, groups):
    client.force_login(director)

    response = client.get(handover_url(programme, groups[0], "vlog"), HTTP_RANGE="bytes=4-7")

    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 4-7/{len(MP4)}"
    assert b"".join(response.streaming_content) == b"ftyp"
    response.close()


def test_vlog_anonymous_goes_to_login(client, programme, stored, groups):
    response = client.get(handover_url(programme, groups[0], "vlog"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_vlog_404_without_file(client, programme, director, groups):
    Handover.objects.create(group=groups[1], vlog_link="https://video.example.org/groep-2")
    client.force_login(director)

    assert client.get(handover_url(programme, groups[0], "vlog")).status_code == 404
    assert client.get(handover_url(programme, groups[1], "vlog")).status_code == 404


def test_vlog_404_when_file_is_gone_from_storage(client, programme, director, stored, groups, media):
    (media / stored.vlog_file.name).unlink()
    client.force_login(director)

    assert client.get(handover_url(programme, groups[0], "vlog")).status_code == 404


def test_vlog_not_under_a_public_media_url(client, director, stored):
    client.force_login(director)

    assert client.get(f"/media/{stored.vlog_file.name}").status_code == 404


# --- the board ----------------------------------------------------------------------------


def test_board_shows_the_chain(client, programme, director, tess, asked, groups):
    asked.vlog_kind = "mp4"
    asked.vlog_file.save("vlog.mp4", ContentFile(MP4), save=False)
    asked.answer, asked.answer_by = "Via het wijknetwerkoverleg.", tess
    asked.save()
    Handover.objects.create(
        group=groups[1], vlog_link="https://video.example.org/groep-2", question="Wat laten jullie weg?"
    )
    client.force_login(director)

    response = client.get(reverse("relay_board", args=[programme.slug]))

    content = response.content.decode()
    assert response.status_code == 200
    assert [link.group.name for link in response.context["chain"]] == ["Groep 1", "Groep 2", "Groep 3"]
    assert reverse("year_designer", args=[programme.slug, 1]) in content
    assert '<video class="relay-video" controls preload="metadata"' in content
    assert f'<source src="{reverse("vlog", args=[programme.slug, groups[0].pk])}?v=' in content
    assert 'type="video/mp4"' in content
    assert 'href="https://video.example.org/groep-2"' in content
    assert "Via het wijknetwerkoverleg." in content
    assert "Waiting for Groep 3." in content
    assert "Hand in the answer" not in content  # the director reads only


def test_board_offers_the_answer_form_to_the_next_group_only(client, programme, team_manager, tess, asked):
    client.force_login(tess)
    chain = client.get(reverse("relay_board", args=[programme.slug])).context["chain"]
    assert [link.can_answer for link in chain] == [True, False, False]

    client.force_login(team_manager)
    chain = client.get(reverse("relay_board", args=[programme.slug])).context["chain"]
    assert [(link.mine, link.can_record, link.can_answer) for link in chain] == [
        (True, True, False),
        (False, False, False),
        (False, False, False),
    ]


def test_board_empty_state(client, programme, facilitator):
    client.force_login(facilitator)

    response = client.get(reverse("relay_board", args=[programme.slug]))

    assert "No relay groups yet" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [("co_thinker", 404), ("outsider", 404), ("director", 200), ("team_manager", 200), ("facilitator", 200)],
)
def test_board_per_role(client, request, programme, groups, role, status):
    client.force_login(request.getfixturevalue(role))

    assert client.get(reverse("relay_board", args=[programme.slug])).status_code == status


def _fill_relay(programme: Programme, django_user_model, count: int) -> None:
    for order in range(1, count + 1):
        year = programme.years.get(number=(order - 1) % programme.number_of_years + 1)
        group = RelayGroup.objects.create(programme=programme, name=f"Groep {order}", year=year, order=order)
        for seat in range(4):
            member = make_member(django_user_model, programme, Role.TEAM_MANAGER, f"tm{order}-{seat}")
            group.members.add(member)
        Handover.objects.create(
            group=group,
            vlog_link=f"https://video.example.org/{order}",
            question=f"Vraag {order}",
            question_by=member,
            answer=f"Antwoord {order}",
            answer_by=member,
        )


@pytest.mark.parametrize("count", [1, 6])
def test_board_query_count_does_not_grow(client, django_user_model, programme, facilitator, count):
    _fill_relay(programme, django_user_model, count)
    client.force_login(facilitator)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("relay_board", args=[programme.slug]))

    assert response.status_code == 200
    # session, user, programme+organisation, membership, groups(+year,+handover,+question_by,+answer_by),
    # members, the header's needs-my-response count
    assert len(queries) == 7


# --- demo data ----------------------------------------------------------------------------


def test_demo_seed_is_idempotent_and_links_relay_sessions(db):
    call_command("seed_demo", stdout=io.StringIO())
    programme = Programme.objects.get(slug="demo")
    for number in (1, 2, 3):
        DesignSession.objects.get_or_create(
            programme=programme,
            title=f"Estafette {number} (test)",
            kind=SessionKind.RELAY,
            defaults={"starts_at": datetime(2025, number, 1, 13, 30, tzinfo=UTC)},
        )

    seed(programme)
    seed(programme)

    groups = list(RelayGroup.objects.filter(programme=programme))
    assert [(group.name, group.year.number, group.members.count()) for group in groups] == [
        ("Groep 1", 1, 4),
        ("Groep 2", 2, 4),
        ("Groep 3", 3, 4),
    ]
    assert Handover.objects.filter(group__programme=programme).count() == 3
    assert all(handover.answer for handover in Handover.objects.filter(group__programme=programme))
    relay_sessions = DesignSession.objects.filter(programme=programme, kind=SessionKind.RELAY).order_by("starts_at")
    assert [session.relay_group.name for session in relay_sessions][:3] == ["Groep 1", "Groep 2", "Groep 3"]


# --- role × URL, as the rows of tests/test_permissions.py (team_manager in no relay group) ---

ROLES = ["anonymous", "outsider", "co_thinker", "director", "team_manager", "facilitator"]
RELAY_MATRIX = {
    "relay_board": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "relay_groups": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "relay_group_edit": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "relay_group_delete": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "handover_edit": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "handover_answer": ("post", {"answer": "Via het wijknetwerkoverleg."}, False, [302, 404, 404, 403, 403, 302]),
    "vlog": ("get", None, False, [302, 404, 404, 200, 200, 200]),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(RELAY_MATRIX))
def test_relay_role_gets_expected_status(client, request, programme, name, role):
    years = {year.number: year for year in programme.years.all()}
    group = RelayGroup.objects.create(programme=programme, name="Groep 1", year=years[1], order=1)
    RelayGroup.objects.create(programme=programme, name="Groep 2", year=years[2], order=2)
    handover = Handover.objects.create(group=group, question=QUESTION, vlog_kind="mp4")
    handover.vlog_file.save("vlog.mp4", ContentFile(MP4))
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    method, data, _htmx, statuses = RELAY_MATRIX[name]
    kwargs = {"slug": programme.slug}
    if name in {"relay_group_edit", "relay_group_delete"}:
        kwargs["pk"] = group.pk
    elif name in {"handover_edit", "handover_answer", "vlog"}:
        kwargs["group_pk"] = group.pk

    response = getattr(client, method)(reverse(name, kwargs=kwargs), data or {})

    assert response.status_code == statuses[ROLES.index(role)]
    if response.status_code == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    response.close()
