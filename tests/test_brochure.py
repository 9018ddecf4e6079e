"""Brochure versions: snapshots, numbering, changelog, staged review, notices, safe PDF rendering."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from brochure import domain, pdf, tasks, workflow
from brochure.models import Notice, Rendering, RenderStatus, Review, SnapshotIsImmutable, State, Version
from guardrails.models import Guardrail
from programmes.models import Role
from tests.conftest import make_activity, make_member
from workshops.models import RelayGroup


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def design(programme, year1):
    programme.ambition = "Samen leren in de wijk, elke week een beetje."
    programme.save()
    year1.title = "Fundament"
    year1.signature = "Leren van elkaar"
    year1.save()
    Guardrail.objects.create(programme=programme, name="Studielast", metric="study_load", comparator="le", target=3)
    return make_activity(year1, title="Intervisie")  # (2 + 1) h × 10 = 30 h → 0.75 h/week


@pytest.fixture
def group(programme, year1, team_manager):
    group = RelayGroup.objects.create(programme=programme, name="Groep 1", year=year1, order=1)
    group.members.add(team_manager)
    return group


# --- numbering and snapshots ------------------------------------------------------------


def test_next_number_minor_then_major():
    assert domain.next_number(None, major=False) == (1, 0)
    assert domain.next_number((1, 0), major=False) == (1, 1)
    assert domain.next_number((1, 1), major=True) == (2, 0)


def test_publish_numbers_1_0_then_1_1_then_2_0(design, year1):
    first = workflow.publish(design.year.programme)
    make_activity(year1, title="Leesclub")
    second = workflow.publish(design.year.programme)
    make_activity(year1, title="Webinar")
    third = workflow.publish(design.year.programme, major=True)

    assert [first.number, second.number, third.number] == ["1.0", "1.1", "2.0"]
    assert first.state == State.DRAFT


def test_publish_without_change_makes_nothing(design, programme):
    workflow.publish(programme)

    with pytest.raises(domain.NothingChanged):
        workflow.publish(programme)
    assert Version.objects.filter(programme=programme).count() == 1


def test_snapshot_does_not_change_when_design_changes(client, design, programme, facilitator):
    version = workflow.publish(programme)
    client.force_login(facilitator)
    before = client.get(version.get_absolute_url()).content.decode()

    design.title = "Andere titel"
    design.occurrences = 20
    design.save()
    programme.ambition = "Iets heel anders"
    programme.save()

    version.refresh_from_db()
    after = client.get(version.get_absolute_url()).content.decode()
    assert version.snapshot["years"][0]["activities"][0]["title"] == "Intervisie"
    assert version.snapshot["programme"]["ambition"] == "Samen leren in de wijk, elke week een beetje."
    assert "Andere titel" not in after
    assert _without_csrf(before) == _without_csrf(after)


def _without_csrf(html: str) -> str:
    import re

    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"', "", html)


def test_saving_a_changed_snapshot_is_refused(design, programme):
    version = workflow.publish(programme)
    version.snapshot = {**version.snapshot, "programme": {}}

    with pytest.raises(SnapshotIsImmutable):
        version.save()


def test_snapshot_holds_study_load_and_guardrail_status(design, programme):
    snapshot = workflow.publish(programme).snapshot

    assert snapshot["years"][0]["load"]["hours_per_week"] == 0.75
    assert snapshot["years"][0]["activities"][0]["total_hours"] == "30"
    assert [(g["name"], g["status"], g["value"]) for g in snapshot["guardrails"]] == [
        ("Studielast", "met", 0.25)
    ]  # overall: 30 h over 3 × 40 weeks


# --- changelog --------------------------------------------------------------------------


def test_changelog_lists_changed_fields_load_and_status(design, programme, year1):
    old = workflow.publish(programme)
    design.occurrences = 50  # 150 h → 3.75 h/week: breaches ≤ 3
    design.modality = "online_sync"
    design.save()
    new_activity = make_activity(year1, title="Leesclub", occurrences=1)  # + 3 h
    new = workflow.publish(programme)

    changes = domain.changelog(old.snapshot, new.snapshot)

    assert [(c.title, c.kind) for c in changes.activities] == [("Intervisie", "changed"), ("Leesclub", "added")]
    assert changes.activities[0].fields == (
        domain.FieldChange("modality", "face_to_face", "online_sync"),
        domain.FieldChange("occurrences", 10, 50),
    )
    assert changes.loads[0] == domain.LoadChange(1, 0.75, 3.83)
    assert changes.loads[0].delta == 3.08
    assert changes.statuses == (domain.StatusChange("Studielast", "met", "breached"),)
    assert changes.changed_years == frozenset({1})
    assert new_activity.pk in {a["id"] for a in new.snapshot["years"][0]["activities"]}


def test_changelog_lists_removed_activity(design, programme):
    old = workflow.publish(programme)
    design.delete()
    new = workflow.publish(programme)

    changes = domain.changelog(old.snapshot, new.snapshot)

    assert [(c.title, c.kind) for c in changes.activities] == [("Intervisie", "removed")]
    assert changes.loads[0] == domain.LoadChange(1, 0.75, 0.0)


def test_version_page_shows_changelog(client, design, programme, facilitator):
    workflow.publish(programme)
    design.occurrences = 12
    design.save()
    version = workflow.publish(programme)
    client.force_login(facilitator)

    html = client.get(version.get_absolute_url()).content.decode()

    assert "What changed from 1.0 to 1.1" in html
    assert "occurrences: 10 → 12" in html


# --- staged review and visibility -------------------------------------------------------


@pytest.fixture
def personas(facilitator, team_manager, director, co_thinker, outsider, django_user_model, programme):
    return {
        "facilitator": facilitator,
        "reviewer": team_manager,
        "other_tm": make_member(django_user_model, programme, Role.TEAM_MANAGER, "otto"),
        "director": director,
        "co_thinker": co_thinker,
        "outsider": outsider,
    }


VISIBILITY = {
    State.DRAFT: {
        "facilitator": 200,
        "reviewer": 200,
        "other_tm": 404,
        "director": 404,
        "co_thinker": 404,
        "outsider": 404,
    },
    State.IN_REVIEW: {
        "facilitator": 200,
        "reviewer": 200,
        "other_tm": 404,
        "director": 404,
        "co_thinker": 404,
        "outsider": 404,
    },
    State.RELEASED: {
        "facilitator": 200,
        "reviewer": 200,
        "other_tm": 200,
        "director": 200,
        "co_thinker": 404,
        "outsider": 404,
    },
}


@pytest.mark.parametrize("state", list(VISIBILITY))
def test_who_sees_a_version_in_each_state(client, design, programme, group, personas, state):
    version = workflow.publish(programme)
    version.reviewer_groups.set([group])
    Version.objects.filter(pk=version.pk).update(state=state)

    seen = {}
    for name, user in personas.items():
        client.force_login(user)
        seen[name] = client.get(version.get_absolute_url()).status_code

    assert seen == VISIBILITY[state]


def test_list_shows_only_released_to_director(client, design, programme, year1, director):
    released = workflow.publish(programme)
    workflow.release(released)
    make_activity(year1, title="Nieuw")
    workflow.publish(programme)
    client.force_login(director)

    response = client.get(reverse("brochure", args=[programme.slug]))

    assert [v.number for v in response.context["versions"]] == ["1.0"]


def test_publish_defaults_reviewers_to_groups_whose_year_changed(design, programme, year1, group):
    other = RelayGroup.objects.create(programme=programme, name="Groep 2", year=programme.years.get(number=2))
    workflow.publish(programme)
    make_activity(year1, title="Leesclub")

    version = workflow.publish(programme)

    assert list(version.reviewer_groups.all()) == [group]
    assert other not in version.reviewer_groups.all()


def test_reviewer_confirms_and_disputes(client, design, programme, group, team_manager):
    version = workflow.request_review(workflow.publish(programme), [group.pk])
    client.force_login(team_manager)
    url = reverse("brochure_review", args=[programme.slug, version.pk])

    client.post(url, {"section": "year-1", "verdict": "confirm"})
    client.post(url, {"section": "guardrails", "verdict": "dispute", "comment": "De norm was 2 uur."})

    assert sorted(Review.objects.values_list("section", "verdict", "comment")) == [
        ("guardrails", "dispute", "De norm was 2 uur."),
        ("year-1", "confirm", ""),
    ]


def test_dispute_without_comment_is_refused_with_a_message(client, design, programme, group, team_manager):
    version = workflow.request_review(workflow.publish(programme), [group.pk])
    client.force_login(team_manager)

    response = client.post(
        reverse("brochure_review", args=[programme.slug, version.pk]), {"section": "year-1", "verdict": "dispute"}
    )

    assert response.status_code == 200
    assert "Say what is not right" in response.content.decode()
    assert Review.objects.count() == 0


def test_review_by_someone_not_assigned_is_forbidden(client, design, programme, group, django_user_model):
    version = workflow.request_review(workflow.publish(programme), [group.pk])
    workflow.release(version)
    other = make_member(django_user_model, programme, Role.TEAM_MANAGER, "otto")
    client.force_login(other)

    response = client.post(
        reverse("brochure_review", args=[programme.slug, version.pk]), {"section": "year-1", "verdict": "confirm"}
    )

    assert response.status_code == 403
    assert Review.objects.count() == 0


def test_facilitator_resolves_dispute_with_new_minor_version(
    client, design, programme, group, team_manager, facilitator
):
    version = workflow.request_review(workflow.publish(programme), [group.pk])
    dispute = workflow.record_review(version, team_manager, "year-1", "dispute", "Tien keer is te veel.")
    design.occurrences = 8
    design.save()
    client.force_login(facilitator)

    response = client.post(
        reverse("brochure_resolve", args=[programme.slug, version.pk]),
        {"review": dispute.pk, "reply": "Aangepast naar acht keer.", "new_version": "1"},
    )

    dispute.refresh_from_db()
    assert dispute.resolved_in.number == "1.1"
    assert dispute.reply == "Aangepast naar acht keer."
    assert response["Location"] == dispute.resolved_in.get_absolute_url()
    assert list(workflow.open_disputes(version)) == []


def test_resolving_with_new_version_but_no_change_keeps_dispute_open(
    client, design, programme, group, team_manager, facilitator
):
    version = workflow.request_review(workflow.publish(programme), [group.pk])
    dispute = workflow.record_review(version, team_manager, "year-1", "dispute", "Klopt niet.")
    client.force_login(facilitator)

    client.post(
        reverse("brochure_resolve", args=[programme.slug, version.pk]), {"review": dispute.pk, "new_version": "1"}
    )

    assert list(workflow.open_disputes(version)) == [dispute]


def test_pdf_of_another_programmes_version_is_404(client, design, programme, outsider, other_programme):
    version = workflow.publish(programme)
    workflow.release(version)
    client.force_login(outsider)

    response = client.get(reverse("brochure_pdf_download", args=[other_programme.slug, version.pk]))

    assert response.status_code == 404


# --- notices and e-mail -----------------------------------------------------------------


def test_review_request_and_release_notify_once(
    design, programme, group, team_manager, director, facilitator, django_capture_on_commit_callbacks
):
    team_manager.email = "tom@example.org"
    team_manager.save()
    director.email = "diana@example.org"
    director.save()
    version = workflow.publish(programme)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_review(version, [group.pk])
        workflow.request_review(version, [group.pk])  # a second click
    review_mails = [m.to for m in mail.outbox]
    with django_capture_on_commit_callbacks(execute=True):
        workflow.release(version)
        workflow.release(version)

    assert review_mails == [["tom@example.org"]]
    assert sorted(m.to[0] for m in mail.outbox[1:]) == ["diana@example.org", "tom@example.org"]
    assert sorted(Notice.objects.values_list("user__username", "kind")) == [
        ("diana", "released"),
        ("fiona", "released"),
        ("tom", "released"),
        ("tom", "review_requested"),
    ]


# --- safe rendering ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.org/tracker.png",
        "https://example.org/x.css",
        "ftp://example.org/x",
        "file://evilhost/share/x.png",
        "data:text/plain;base64," + "A" * (pdf.DATA_URL_LIMIT + 10),
    ],
)
def test_fetcher_refuses(url):
    with pytest.raises(pdf.FetchRefused):
        pdf.safe_fetch(url)


def test_fetcher_refuses_path_escaping_media(settings):
    settings.MEDIA_ROOT.mkdir(parents=True)
    with pytest.raises(pdf.FetchRefused):
        pdf.safe_fetch(settings.MEDIA_ROOT.as_uri() + "/../../../etc/passwd")


def test_fetcher_serves_media_and_small_data(settings):
    settings.MEDIA_ROOT.mkdir(parents=True)
    (settings.MEDIA_ROOT / "a.txt").write_bytes(b"ok")

    assert pdf.safe_fetch((settings.MEDIA_ROOT / "a.txt").as_uri()) == (b"ok", "text/plain")
    assert pdf.safe_fetch("data:text/plain;base64,b2s=") == (b"ok", "text/plain")


def test_user_text_with_addresses_is_rendered_without_fetching(design, programme, monkeypatch):
    programme.ambition = '<img src="file:///etc/passwd"> <img src="http://example.org/x.png">'
    programme.save()
    version = workflow.publish(programme)
    # A snapshot edited behind the app's back still fetches nothing outside media/static.
    version.snapshot["programme"]["framing"] = "x"
    asked = []
    original = pdf.safe_fetch

    def spy(url):
        asked.append(url)
        return original(url)

    monkeypatch.setattr(pdf, "safe_fetch", spy)
    html = pdf.document_html(version)
    data, pages = pdf.html_to_pdf(html + '<img src="file:///etc/passwd"><img src="http://example.org/x.png">')

    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html
    assert pages >= 3
    assert "root:" not in _pdf_text(data)
    assert all(url in ("file:///etc/passwd", "http://example.org/x.png") for url in asked)


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# --- the PDF ----------------------------------------------------------------------------


def test_pdf_contains_ambition_years_and_study_load(design, programme):
    version = workflow.publish(programme)

    data, _pages = pdf.html_to_pdf(pdf.document_html(version, language="en"))

    text = _pdf_text(data)
    assert "Samen leren in de wijk" in text
    assert "Fundament" in text
    assert "Leren van elkaar" in text
    assert "0.75 h" in text  # study load per week of year 1
    assert "30 h" in text  # hours in the year


def test_poster_is_one_page(design, programme):
    version = workflow.publish(programme)

    _data, pages = pdf.html_to_pdf(pdf.document_html(version, kind="poster"))

    assert pages == 1


def test_pdf_is_rendered_once_and_downloadable(client, design, programme, facilitator):
    version = workflow.publish(programme)
    client.force_login(facilitator)
    url = reverse("brochure_pdf", args=[programme.slug, version.pk])

    client.post(url, {"kind": "brochure"}, HTTP_HX_REQUEST="true")
    client.post(url, {"kind": "brochure"}, HTTP_HX_REQUEST="true")
    response = client.get(reverse("brochure_pdf_download", args=[programme.slug, version.pk]))

    assert Rendering.objects.filter(version=version).count() == 1
    assert Rendering.objects.get().status == RenderStatus.DONE
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_failed_render_is_shown_with_retry_and_leaves_no_file(
    client, design, programme, facilitator, monkeypatch, settings
):
    version = workflow.publish(programme)

    def broken(html):
        raise RuntimeError("pango exploded")

    monkeypatch.setattr(pdf, "html_to_pdf", broken)
    client.force_login(facilitator)

    response = client.post(
        reverse("brochure_pdf", args=[programme.slug, version.pk]), {"kind": "brochure"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert "Rendering failed." in response.content.decode()
    assert "Try again" in response.content.decode()
    assert Rendering.objects.get().status == RenderStatus.FAILED
    assert not list(settings.MEDIA_ROOT.glob("brochure/*/*.pdf"))


def test_render_key_changes_with_snapshot(design, programme, year1):
    first = workflow.publish(programme)
    make_activity(year1, title="Leesclub", contact_hours=Decimal("1"))
    second = workflow.publish(programme)

    assert pdf.render_key(first.snapshot, "brochure", "nl") != pdf.render_key(second.snapshot, "brochure", "nl")
    assert pdf.render_key(first.snapshot, "brochure", "nl") == pdf.render_key(first.snapshot, "brochure", "nl")


def test_large_render_goes_to_the_worker(design, programme, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}}
    settings.BROCHURE_TASK_THRESHOLD = -1
    from django_tasks import task_backends

    task_backends._settings = None  # the handler caches its settings
    task_backends.__dict__.pop("settings", None)
    try:
        version = workflow.publish(programme)
        rendering = tasks.request_rendering(version)
    finally:
        task_backends.__dict__.pop("settings", None)

    assert rendering.status == RenderStatus.QUEUED
    assert rendering.task_id


# --- commands and demo ------------------------------------------------------------------


def test_publish_command_prints_number(design, programme, capsys):
    from django.core.management import call_command

    call_command("publish_brochure", programme.slug)
    design.occurrences = 3
    design.save()
    call_command("publish_brochure", programme.slug, "--major")

    assert capsys.readouterr().out.split() == ["1.0", "2.0"]


def test_render_command_writes_pdf(design, programme, tmp_path):
    from django.core.management import call_command

    workflow.publish(programme)
    target = tmp_path / "out.pdf"

    call_command("render_brochure", programme.slug, "--version", "1.0", "--output", str(target))

    assert target.read_bytes().startswith(b"%PDF")


def test_demo_seed_is_idempotent(design, programme, group, year1, team_manager, facilitator):
    from brochure import demo

    make_activity(programme.years.get(number=2), title="Tweede")
    make_activity(programme.years.get(number=3), title="Derde", modality="online_async")
    RelayGroup.objects.create(programme=programme, name="Groep 3", year=programme.years.get(number=3)).members.add(
        team_manager
    )
    demo.seed(programme)
    demo.seed(programme)

    versions = {v.number: v for v in Version.objects.filter(programme=programme)}
    assert sorted(versions) == ["1.0", "1.1", "2.0", "3.0"]
    assert versions["3.0"].state == State.IN_REVIEW
    assert Review.objects.filter(version=versions["3.0"], verdict="dispute").count() == 1
    assert domain.changelog(versions["1.0"].snapshot, versions["1.1"].snapshot).activities[0].fields[0].field == (
        "occurrences"
    )
    # The design is put back exactly: 3.0 is the design as it is now.
    with pytest.raises(domain.NothingChanged):
        workflow.publish(programme)
