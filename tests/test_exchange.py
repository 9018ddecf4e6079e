"""Export and import of a whole programme: the round trip, every refused archive, the users
mapping, the commands and the views."""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from PIL import Image

from brochure import workflow
from brochure.models import Version
from dialogues.testing import make_dialogue
from guardrails.models import Guardrail
from programmes import exchange
from programmes.models import Membership, Programme, Role
from tests.conftest import make_activity, make_member
from workshops.models import (
    Capture,
    CardVote,
    DesignSession,
    Handover,
    InventoryCard,
    Participant,
    PollAnswer,
    PollQuestion,
    RelayGroup,
)

MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64


def _jpeg(size=(40, 30), colour=(200, 120, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def _members(archive: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def _edit(archive: bytes, change) -> bytes:
    """The archive with programme.json passed through `change(data)`."""
    members = _members(archive)
    data = json.loads(members["programme.json"])
    change(data)
    members["programme.json"] = json.dumps(data).encode()
    return _zip(members)


def _counts(programme) -> dict[str, int]:
    return {
        part.label: apps.get_model(part.label)._default_manager.filter(**{part.scope: programme}).count()
        for part in exchange.PARTS
    }


def _files(root) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture
def demo(db, media, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", stdout=io.StringIO())
    programme = Programme.objects.get(slug="demo")
    # The demo's vlogs are links; one uploaded vlog makes the round trip carry a video too.
    handover = Handover.objects.filter(group__programme=programme).order_by("pk").first()
    handover.vlog_kind = "mp4"
    handover.vlog_file.save("vlog.mp4", ContentFile(MP4), save=True)
    return programme


@pytest.fixture
def small(programme, facilitator, team_manager, year1, media):
    """A small programme with one row of the kinds that need care: a phone's answer and dot,
    a photo, a vlog, a guardrail from a poll question, a dialogue."""
    activity = make_activity(year1, title="Intervisie", contact_hours=Decimal("1.50"))
    session = DesignSession.objects.create(programme=programme, title="Aftrap", kind="kickoff")
    question = PollQuestion.objects.create(
        session=session, kind="number", prompt="Uren per week?", minimum=0, maximum=8, step=1, state="closed"
    )
    phone = Participant.objects.create(session=session, token="secret-phone-token")
    PollAnswer.objects.create(question=question, participant=phone, value=3)
    Guardrail.objects.create(
        programme=programme, name="Hooguit 3 uur", target=Decimal("3"), origin_question=question, origin={"count": 1}
    )
    session.current_question = question
    session.save()
    card = InventoryCard.objects.create(session=session, lane="anchors", text="Teamoverleg", participant=phone)
    card.activities.add(activity)
    CardVote.objects.create(card=card, voter=f"p{phone.pk}")
    CardVote.objects.create(card=card, voter=f"u{team_manager.pk}")
    Capture.objects.create(
        programme=programme,
        session=session,
        display=ContentFile(_jpeg(), name="display.jpg"),
        thumbnail=ContentFile(_jpeg((8, 6)), name="thumb.jpg"),
        uploaded_by=facilitator,
    )
    group = RelayGroup.objects.create(programme=programme, name="Groep 1", year=year1, order=1)
    group.members.add(team_manager)
    handover = Handover.objects.create(group=group, question="Hoe verankeren we dit?", vlog_kind="mp4")
    handover.vlog_file.save("vlog.mp4", ContentFile(MP4), save=True)
    make_dialogue(programme, invited=[team_manager], created_by=facilitator)
    return programme


# --- the round trip ---------------------------------------------------------------------------


def test_round_trip_of_the_demo_programme_reproduces_it(demo, media):
    """One test, because seeding the demo takes half a minute."""
    first = exchange.export_programme(demo)

    copy = exchange.import_programme(io.BytesIO(first), slug="demo-copy")
    second = exchange.export_programme(copy)

    a, b = _members(first), _members(second)
    assert sorted(a) == sorted(b)
    assert a["programme.json"] == b["programme.json"]  # every row, byte for byte
    assert all(a[name] == b[name] for name in a if name.startswith("media/"))
    manifest_a, manifest_b = json.loads(a["manifest.json"]), json.loads(b["manifest.json"])
    for manifest in (manifest_a, manifest_b):
        manifest.pop("exported_at")
    assert manifest_a == {**manifest_b, "slug": "demo"}
    assert _counts(copy) == _counts(demo)
    assert len([n for n in a if n.startswith("media/workshops.capture/")]) == 12  # display + thumbnail of 6
    assert "media/workshops.handover/1-vlog_file.mp4" in a

    def versions(programme):
        return [
            (v.number, v.snapshot, v.state, v.note, sorted(g.name for g in v.reviewer_groups.all()))
            for v in Version.objects.filter(programme=programme).order_by("major", "minor")
        ]

    assert versions(copy) == versions(demo)
    comments = Version.objects.filter(programme=copy).values_list("reviews__comment", flat=True)
    assert sorted(filter(None, comments)) == sorted(
        filter(None, Version.objects.filter(programme=demo).values_list("reviews__comment", flat=True))
    )
    for version in Version.objects.filter(programme=copy):
        for photo in version.snapshot.get("photos", []):
            assert (media / photo["file"]).exists()
    status = io.StringIO()
    call_command("guardrail_status", "demo", "--json", stdout=status)
    copy_status = io.StringIO()
    call_command("guardrail_status", "demo-copy", "--json", stdout=copy_status)
    assert json.loads(copy_status.getvalue()) == json.loads(status.getvalue())
    assert set(Membership.objects.filter(programme=copy).values_list("user__username", "role")) == set(
        Membership.objects.filter(programme=demo).values_list("user__username", "role")
    )
    sessions = DesignSession.objects.filter(programme=copy)
    assert not sessions.filter(join_code__in=DesignSession.objects.filter(programme=demo).values("join_code"))


def test_import_gives_phones_new_tokens_and_keeps_their_answers_and_dots(small):
    copy = exchange.import_programme(io.BytesIO(exchange.export_programme(small)), slug="copy")

    phone = Participant.objects.get(session__programme=copy)
    assert phone.token != "secret-phone-token"
    assert PollAnswer.objects.get(participant=phone).value == 3
    voters = set(CardVote.objects.filter(card__session__programme=copy).values_list("voter", flat=True))
    tom = get_user_model().objects.get(username="tom")
    assert voters == {f"p{phone.pk}", f"u{tom.pk}"}
    guardrail = Guardrail.objects.get(programme=copy)
    assert guardrail.origin_question.session.programme == copy
    assert DesignSession.objects.get(programme=copy).current_question == guardrail.origin_question
    assert list(InventoryCard.objects.get(session__programme=copy).activities.values_list("title", flat=True)) == [
        "Intervisie"
    ]


def test_export_holds_no_phone_token_and_no_database_ids(small):
    data = _members(exchange.export_programme(small))["programme.json"].decode()

    assert "secret-phone-token" not in data
    rows = json.loads(data)["rows"]
    assert rows["workshops.participant"] == [
        {"id": 1, "joined_at": rows["workshops.participant"][0]["joined_at"], "session": 1}
    ]
    assert sorted(vote["voter"] for vote in rows["workshops.cardvote"]) == ["p:1", "u:tom"]


def test_import_by_a_user_makes_them_facilitator(small, outsider):
    copy = exchange.import_programme(io.BytesIO(exchange.export_programme(small)), slug="copy", by=outsider)

    assert Membership.objects.get(programme=copy, user=outsider).role == Role.FACILITATOR


# --- people from another installation ---------------------------------------------------------


def _foreign(archive: bytes) -> bytes:
    members = _members(archive)
    manifest = json.loads(members["manifest.json"])
    manifest["installation"] = "another-site"
    members["manifest.json"] = json.dumps(manifest).encode()
    return _zip(members)


def test_import_from_another_installation_never_links_existing_accounts(small, team_manager):
    archive = _foreign(exchange.export_programme(small))

    copy = exchange.import_programme(io.BytesIO(archive), slug="copy")

    assert not Membership.objects.filter(programme=copy, user=team_manager).exists()
    twin = Membership.objects.get(programme=copy, role=Role.TEAM_MANAGER).user
    assert (twin.username, twin.is_active, twin.has_usable_password()) == ("tom-import", False, False)
    assert list(RelayGroup.objects.get(programme=copy).members.all()) == [twin]


def test_import_from_another_installation_links_accounts_when_asked(small, team_manager):
    archive = _foreign(exchange.export_programme(small))

    copy = exchange.import_programme(io.BytesIO(archive), slug="copy", link_users=True)

    assert Membership.objects.get(programme=copy, user=team_manager).role == Role.TEAM_MANAGER


def test_import_creates_a_missing_person_as_inactive_account(small, team_manager):
    archive = exchange.export_programme(small)
    Membership.objects.filter(user=team_manager).delete()
    team_manager.delete()

    copy = exchange.import_programme(io.BytesIO(archive), slug="copy")

    tom = Membership.objects.get(programme=copy, role=Role.TEAM_MANAGER).user
    assert (tom.username, tom.is_active, tom.has_usable_password()) == ("tom", False, False)


# --- refused archives: a clear message and nothing left behind --------------------------------


def _bad_archives(archive: bytes) -> dict[str, tuple[bytes, str]]:
    members = _members(archive)
    manifest = json.loads(members["manifest.json"])

    def without(name):
        return _zip({k: v for k, v in members.items() if k != name})

    def dialogue_date(data):
        data["rows"]["dialogues.dialogue"][0]["closes_on"] = "soon"

    def dangling(data):
        data["rows"]["programmes.activity"][0]["anchor"] = 99

    def bad_choice(data):
        data["rows"]["programmes.activity"][0]["modality"] = "telepathy"

    def bad_decimal(data):
        data["rows"]["programmes.activity"][0]["contact_hours"] = "lots"

    def bad_username(data):
        data["users"][0]["username"] = "x" * 200
        data["users"][0]["email"] = "not an address"
        data["rows"]["programmes.membership"] = []

    def photo_without_file(data):
        data["rows"]["workshops.capture"][0]["thumbnail"] = ""

    def unknown_person(data):
        data["rows"]["workshops.capture"][0]["uploaded_by"] = "nobody"

    return {
        "not a zip": (b"%PDF-1.7 not a zip", "not a zip archive"),
        "zip slip": (_zip({**members, "../../evil.txt": b"x"}), "unsafe path"),
        "absolute path": (_zip({**members, "/etc/evil": b"x"}), "unsafe path"),
        "no manifest": (without("manifest.json"), "lacks the file manifest.json"),
        "bad json": (_zip({**members, "programme.json": b"{not json"}), "not valid JSON"),
        "another format": (_zip({**members, "manifest.json": b'{"format": "other"}'}), "not an Estafette"),
        "wrong version": (
            _zip({**members, "manifest.json": json.dumps({**manifest, "format_version": 99}).encode()}),
            "format version 99",
        ),
        "missing photo": (without("media/workshops.capture/1-display.jpg"), "lacks the file media/workshops.capture"),
        "photo not an image": (
            _zip({**members, "media/workshops.capture/1-display.jpg": b"<html>not a photo</html>"}),
            "not an image",
        ),
        "vlog not a video": (
            _zip({**members, "media/workshops.handover/1-vlog_file.mp4": b"MZ\x90\x00 an exe"}),
            "not an MP4 or WebM",
        ),
        "bad date after files were written": (_edit(archive, dialogue_date), "incomplete or inconsistent"),
        "dangling reference": (_edit(archive, dangling), "missing row"),
        "invalid choice": (_edit(archive, bad_choice), "invalid activity"),
        "photo without its file": (_edit(archive, photo_without_file), "without its file (thumbnail)"),
        "unknown person": (_edit(archive, unknown_person), "does not list (nobody)"),
        "bad decimal": (_edit(archive, bad_decimal), "incomplete or inconsistent"),
        "bad account": (_foreign(_edit(archive, bad_username)), "invalid user"),
        "deeply nested json": (_zip({**members, "programme.json": b"[" * 100_000}), "not valid JSON"),
        "not a programme": (_zip({**members, "programme.json": b"[1, 2]"}), "not a programme"),
    }


def test_every_bad_archive_is_refused_with_a_message_and_leaves_nothing(small, media):
    archive = exchange.export_programme(small)
    programmes, users, files = Programme.objects.count(), get_user_model().objects.count(), _files(media)

    for case, (data, message) in _bad_archives(archive).items():
        with pytest.raises(exchange.ExchangeError) as refused:
            exchange.import_programme(io.BytesIO(data), slug="copy")

        assert message in str(refused.value), case
        assert (Programme.objects.count(), get_user_model().objects.count()) == (programmes, users), case
        assert _files(media) == files, case


def test_zip_bomb_is_refused_before_unpacking(small, settings):
    settings.EXCHANGE_MAX_BYTES = 10 * 1024 * 1024
    members = _members(exchange.export_programme(small))
    bomb = _zip({**members, "media/filler.bin": b"\x00" * (11 * 1024 * 1024)})
    assert len(bomb) < 100 * 1024

    with pytest.raises(exchange.ExchangeError, match="more than the allowed size"):
        exchange.import_programme(io.BytesIO(bomb), slug="copy")
    assert not Programme.objects.filter(slug="copy").exists()


def test_archive_with_too_many_entries_is_refused(small, settings):
    settings.EXCHANGE_MAX_ENTRIES = 20
    members = _members(exchange.export_programme(small))
    crowded = _zip({**members, **{f"media/x{n}": b"" for n in range(20)}})

    with pytest.raises(exchange.ExchangeError, match="too many files"):
        exchange.import_programme(io.BytesIO(crowded), slug="copy")


def test_slug_clash_is_refused_and_a_new_slug_works(small):
    archive = exchange.export_programme(small)

    with pytest.raises(exchange.SlugTaken, match="“alpha” already exists"):
        exchange.import_programme(io.BytesIO(archive))
    with pytest.raises(exchange.SlugTaken, match="not a valid slug"):
        exchange.import_programme(io.BytesIO(archive), slug="Not A Slug")

    assert exchange.import_programme(io.BytesIO(archive), slug="alpha-2").title == small.title


def test_every_model_of_the_programme_apps_is_exported_or_deliberately_skipped():
    labels = {
        model._meta.label_lower
        for app in ("programmes", "workshops", "guardrails", "brochure", "dialogues")
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
    }

    assert labels == set(exchange.PART_LABELS) | set(exchange.SKIPPED)


# --- commands -----------------------------------------------------------------------------------


def test_export_and_import_commands_round_trip(small, tmp_path):
    target = tmp_path / "alpha.zip"
    call_command("export_programme", "alpha", "--output", str(target), stdout=io.StringIO())
    out = io.StringIO()

    call_command("import_programme", str(target), "--slug", "alpha-copy", stdout=out)

    assert "Imported programme alpha-copy: /p/alpha-copy/" in out.getvalue()
    assert _counts(Programme.objects.get(slug="alpha-copy")) == _counts(small)


def test_commands_explain_what_is_wrong(small, tmp_path):
    with pytest.raises(CommandError, match="no programme with the slug 'nope'"):
        call_command("export_programme", "nope", "--output", str(tmp_path / "x.zip"))
    call_command("export_programme", "alpha", "--output", str(tmp_path / "a.zip"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="already exists"):
        call_command("import_programme", str(tmp_path / "a.zip"))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_programme", str(tmp_path / "missing.zip"))


# --- views --------------------------------------------------------------------------------------


def test_facilitator_downloads_the_export(client, small, facilitator):
    client.force_login(facilitator)

    response = client.get(reverse("programme_export", args=["alpha"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="estafette-alpha-')
    data = b"".join(response.streaming_content)
    assert json.loads(_members(data)["manifest.json"])["slug"] == "alpha"


def test_settings_page_links_export_and_import(client, small, facilitator):
    client.force_login(facilitator)

    content = client.get(reverse("programme_settings", args=["alpha"])).content.decode()

    assert reverse("programme_export", args=["alpha"]) in content
    assert reverse("programme_import") in content


def test_facilitator_imports_a_programme_and_becomes_its_facilitator(client, small, outsider):
    archive = exchange.export_programme(small)
    client.force_login(outsider)

    response = client.post(
        reverse("programme_import"), {"archive": ContentFile(archive, name="alpha.zip"), "slug": "gamma"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("programme_overview", args=["gamma"])
    assert Membership.objects.get(programme__slug="gamma", user=outsider).role == Role.FACILITATOR


@pytest.mark.parametrize(
    ("upload", "slug", "field", "message"),
    [
        (b"just text", "", "archive", "not a zip archive"),
        (None, "", "slug", "already exists"),
        (None, "bad slug!", "slug", "Enter a valid “slug”"),
    ],
)
def test_import_form_explains_a_bad_upload(client, small, facilitator, upload, slug, field, message):
    data = upload if upload is not None else exchange.export_programme(small)
    client.force_login(facilitator)

    response = client.post(reverse("programme_import"), {"archive": ContentFile(data, name="x.zip"), "slug": slug})

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert Programme.objects.count() == 1


def test_import_form_refuses_a_file_above_the_upload_limit(client, small, facilitator, settings):
    settings.EXCHANGE_MAX_UPLOAD_BYTES = 100
    client.force_login(facilitator)

    response = client.post(reverse("programme_import"), {"archive": ContentFile(b"x" * 101, name="x.zip")})

    assert "larger than 100" in response.context["form"].errors["archive"][0]


def test_import_is_for_facilitators_and_staff_only(client, small, team_manager, django_user_model):
    client.force_login(team_manager)
    assert client.get(reverse("programme_import")).status_code == 403

    staff = django_user_model.objects.create_user(username="sam", password="correct horse 42", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("programme_import")).status_code == 200


def test_round_trip_of_a_programme_with_little_in_it(programme, facilitator, media):
    """A programme with nothing in it yet still goes round."""
    make_member(get_user_model(), programme, Role.DIRECTOR, "dora")
    workflow.publish(programme)

    copy = exchange.import_programme(io.BytesIO(exchange.export_programme(programme)), slug="empty-copy")

    assert _counts(copy) == _counts(programme)


def test_export_with_a_lost_photo_file_says_which(client, small, facilitator, media, tmp_path):
    capture = Capture.objects.get(programme=small)
    (media / capture.display.name).unlink()
    client.force_login(facilitator)

    response = client.get(reverse("programme_export", args=["alpha"]), follow=True)

    assert response.redirect_chain == [(reverse("programme_settings", args=["alpha"]), 302)]
    assert f"The file {capture.display.name} of this programme is missing" in response.content.decode()
    with pytest.raises(CommandError, match="is missing; it cannot be exported"):
        call_command("export_programme", "alpha", "--output", str(tmp_path / "a.zip"))


def test_import_form_speaks_dutch(client, small, facilitator):
    client.force_login(facilitator)

    content = client.get(reverse("programme_import"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()

    assert "Een programma importeren" in content
    assert "Jij wordt er procesbegeleider van." in content
