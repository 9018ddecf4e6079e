"""Brown-paper captures through their views: the multi-photo upload with per-file results,
bad files of every kind, the gallery and its session filter, caption, brochure toggle and
delete, "from wall to card" (a card or an activity that keeps a link to its photo), the
permission-checked image responses, and the demo data.

Every image is built in memory with Pillow; MEDIA_ROOT is a temporary folder per test.
"""

from __future__ import annotations

import html
import io
import re
import struct
import zlib
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image, ImageDraw

from programmes.models import Activity, Programme, Role
from tests.conftest import make_activity, make_member
from workshops.demo import captures as demo_captures
from workshops.forms.captures import MAX_FILES_PER_UPLOAD
from workshops.models import Capture, DesignSession, InventoryCard, RelayGroup, SessionKind
from workshops.photos import process_photo

ROLES = ["anonymous", "outsider", "co_thinker", "director", "team_manager", "facilitator"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def jpeg(size=(640, 480), colour=(181, 137, 96), **params) -> bytes:
    img = Image.new("RGB", size, colour)
    ImageDraw.Draw(img).rectangle((40, 40, 200, 160), fill=(255, 230, 90))  # a sticky note
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=85, **params)
    return buffer.getvalue()


def photo_file(name="IMG_0001.jpg", data=None, content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg() if data is None else data, content_type=content_type)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims width×height with no pixel data: a pixel bomb in 60 bytes."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def make_capture(programme, caption="Muur na de aftrap", session=None, **fields) -> Capture:
    photo = process_photo(jpeg())
    capture = Capture(programme=programme, caption=caption, session=session, width=photo.width, height=photo.height)
    capture.display.save("display.jpg", ContentFile(photo.display), save=False)
    capture.thumbnail.save("thumb.jpg", ContentFile(photo.thumbnail), save=False)
    for name, value in fields.items():
        setattr(capture, name, value)
    capture.save()
    return capture


def page_text(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(text).split())


def upload(client, programme, files, **data):
    return client.post(reverse("capture_upload", args=[programme.slug]), {"photos": files, **data})


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


@pytest.fixture
def kickoff(programme):
    return DesignSession.objects.create(programme=programme, title="Aftrap", kind=SessionKind.KICKOFF)


@pytest.fixture
def capture(programme, kickoff):
    return make_capture(programme, session=kickoff)


# --- who may do what ----------------------------------------------------------------------

# name: (method, data, htmx, statuses in ROLES order): the rows tests/test_permissions.py needs.
MATRIX = {
    "captures": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "capture_upload": ("post", {}, False, [302, 404, 404, 403, 403, 200]),
    "capture_detail": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "capture_image": ("get", None, False, [302, 404, 404, 200, 200, 200]),
    "capture_edit": ("post", {"capture-caption": "Muur"}, False, [302, 404, 404, 403, 403, 302]),
    "capture_brochure": ("post", {"in_brochure": "0"}, False, [302, 404, 404, 403, 403, 302]),
    "capture_delete": ("get", None, False, [302, 404, 404, 403, 403, 200]),
    "capture_to_card": ("post", {}, False, [302, 404, 404, 403, 200, 200]),
    "capture_to_activity": ("post", {}, False, [302, 404, 404, 403, 200, 200]),
}


def _kwargs(name: str, programme, capture) -> dict:
    if name in {"captures", "capture_upload"}:
        return {"slug": programme.slug}
    if name == "capture_image":
        return {"slug": programme.slug, "pk": capture.pk, "size": "thumb"}
    return {"slug": programme.slug, "pk": capture.pk}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_role_gets_expected_status(client, request, programme, capture, name, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    method, data, htmx, statuses = MATRIX[name]
    url = reverse(name, kwargs=_kwargs(name, programme, capture))
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}

    response = getattr(client, method)(url, data, **headers) if data is not None else client.get(url, **headers)

    assert response.status_code == statuses[ROLES.index(role)]
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["capture_detail", "capture_image", "capture_edit", "capture_to_card"])
def test_another_programmes_capture_id_is_404(client, facilitator, programme, other_programme, name):
    theirs = make_capture(other_programme, caption="Geheime muur")
    client.force_login(facilitator)
    kwargs = {"slug": programme.slug, "pk": theirs.pk}
    if name == "capture_image":
        kwargs["size"] = "display"
    url = reverse(name, kwargs=kwargs)

    response = client.get(url) if name in {"capture_detail", "capture_image"} else client.post(url, {})

    assert response.status_code == 404
    assert "Geheime muur" not in response.content.decode()


def test_outsider_does_not_see_the_gallery(client, outsider, programme, capture):
    client.force_login(outsider)

    response = client.get(reverse("captures", args=[programme.slug]))

    assert response.status_code == 404
    assert capture.caption not in response.content.decode()


# --- upload ---------------------------------------------------------------------------------


def test_upload_three_photos_one_bad_keeps_the_good_ones_and_names_the_bad_one(client, facilitator, programme, kickoff):
    client.force_login(facilitator)
    files = [
        photo_file("IMG_0040.jpg"),
        photo_file("IMG_0041.jpg"),
        photo_file("notes.jpg", b"Notes from the wall: more practice!\n"),
    ]

    response = upload(client, programme, files, session=kickoff.pk, caption="Wand na de aftrap")

    assert response.status_code == 302
    # Filtered to the session, with the caption ready for the refused file's second try.
    assert response["Location"] == (
        f"{reverse('captures', args=[programme.slug])}?session={kickoff.pk}&caption=Wand+na+de+aftrap"
    )
    stored = list(Capture.objects.filter(programme=programme))
    assert len(stored) == 2
    assert {(c.caption, c.session_id, c.uploaded_by_id) for c in stored} == {
        ("Wand na de aftrap", kickoff.pk, facilitator.pk)
    }
    page = client.get(response["Location"])
    assert shown_messages(page) == [
        "2 photos are added.",
        "notes.jpg is not added: This file is not a photo we can read. Upload a JPEG, PNG or WebP image.",
    ]
    assert page_text(page).count("Wand na de aftrap") >= 2
    assert 'name="caption" value="Wand na de aftrap"' in page.content.decode()
    assert f'<option value="{kickoff.pk}" selected>' in page.content.decode()


def test_upload_all_good_redirects_without_carrying_the_caption(client, facilitator, programme):
    client.force_login(facilitator)

    response = upload(client, programme, [photo_file()], caption="Wand")

    assert response["Location"] == reverse("captures", args=[programme.slug])


def test_upload_strips_gps_and_stores_no_original(client, facilitator, programme):
    exif = Image.Exif()
    exif[0x0112] = 6
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (52.0, 5.0, 24.5)
    client.force_login(facilitator)

    upload(client, programme, [photo_file("IMG_0042.jpg", jpeg((800, 600), exif=exif))])

    capture = Capture.objects.get()
    assert (capture.width, capture.height) == (600, 800)  # upright
    for fieldfile in (capture.display, capture.thumbnail):
        data = fieldfile.read()
        assert b"Exif" not in data
        assert b"GPS" not in data
        assert "IMG_0042" not in fieldfile.name  # stored under our own name


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("renamed.jpg", b"just text, not a photo", "This file is not a photo we can read."),
        ("cut.jpg", jpeg((800, 600))[:3000], "This photo did not arrive completely. Upload it again."),
        ("bomb.png", png_header_only(20000, 20000), "This image has too many pixels (> 179 megapixels, at most 50)."),
        ("anim.gif", None, "Photos in GIF format are not accepted."),
        ("IMG_0042.heic", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64), "HEIC photos"),
        ("empty.jpg", b"", "This file is not a photo we can read."),
    ],
)
def test_upload_bad_file_alone_explains_and_saves_nothing(client, facilitator, programme, name, data, message):
    if data is None:
        buffer = io.BytesIO()
        Image.new("RGB", (50, 50), (255, 0, 0)).save(buffer, "GIF")
        data = buffer.getvalue()
    client.force_login(facilitator)

    response = upload(client, programme, [photo_file(name, data)], caption="Mijn bijschrift")

    assert response.status_code == 200
    text = page_text(response)
    assert f"{name} is not added: {message}" in text
    assert 'value="Mijn bijschrift"' in response.content.decode()  # the caption typed is kept
    assert Capture.objects.count() == 0


def test_upload_over_byte_limit_refused_with_limit_named(client, facilitator, programme, settings):
    settings.PHOTO_MAX_UPLOAD_BYTES = 2 * 1024 * 1024
    big = jpeg() + b"\0" * (3 * 1024 * 1024)  # 3 MB+: stored in a temporary file by Django
    client.force_login(facilitator)

    response = upload(client, programme, [photo_file("IMG_9999.jpg", big), photo_file("IMG_0001.jpg")])

    assert response.status_code == 302
    assert Capture.objects.count() == 1
    assert shown_messages(client.get(response["Location"]))[1] == (
        "IMG_9999.jpg is not added: This photo is larger than 2 MB. "
        "Send a smaller copy, or take the photo again at a lower resolution."
    )


def test_upload_without_files_asks_for_photos(client, facilitator, programme):
    client.force_login(facilitator)

    response = upload(client, programme, [], caption="Wand")

    assert response.status_code == 200
    assert "Choose one or more photos of the brown paper to upload." in page_text(response)
    assert Capture.objects.count() == 0


def test_upload_more_than_the_limit_refuses_all_with_a_message(client, facilitator, programme):
    client.force_login(facilitator)
    files = [photo_file(f"IMG_{n:04d}.jpg") for n in range(MAX_FILES_PER_UPLOAD + 1)]

    response = upload(client, programme, files)

    assert response.status_code == 200
    assert "You chose 21 photos; upload at most 20 at a time, then the rest." in page_text(response)
    assert Capture.objects.count() == 0


def test_upload_beyond_djangos_own_file_count_is_a_bad_request_not_a_500(client, facilitator, programme, settings):
    # Django refuses a body with more than DATA_UPLOAD_MAX_NUMBER_FILES files before any view runs.
    client.force_login(facilitator)
    files = [photo_file(f"IMG_{n:04d}.jpg", b"x") for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)]

    response = upload(client, programme, files)

    assert response.status_code == 400
    assert Capture.objects.count() == 0


def test_upload_exactly_the_limit_is_fine(client, facilitator, programme):
    client.force_login(facilitator)

    upload(client, programme, [photo_file(f"IMG_{n:04d}.jpg") for n in range(MAX_FILES_PER_UPLOAD)])

    assert Capture.objects.count() == MAX_FILES_PER_UPLOAD


def test_upload_to_another_programmes_session_refused(client, facilitator, programme, other_programme):
    theirs = DesignSession.objects.create(programme=other_programme, title="Hun aftrap")
    client.force_login(facilitator)

    response = upload(client, programme, [photo_file()], session=theirs.pk)

    assert response.status_code == 200
    assert "Choose one of this programme's sessions, or none." in page_text(response)
    assert Capture.objects.count() == 0


def test_upload_caption_too_long_explained(client, facilitator, programme):
    client.force_login(facilitator)

    response = upload(client, programme, [photo_file()], caption="x" * 301)

    assert "Keep the caption under 300 characters; this one has 301." in page_text(response)
    assert Capture.objects.count() == 0


def test_upload_form_offers_jpeg_png_webp_several_at_once(client, facilitator, programme):
    client.force_login(facilitator)

    content = client.get(reverse("captures", args=[programme.slug])).content.decode()

    tag = re.search(r"<input[^>]*name=\"photos\"[^>]*>", content).group(0)
    assert 'type="file"' in tag
    assert " multiple" in tag
    assert 'accept="image/jpeg,image/png,image/webp"' in tag
    assert "capture=" not in tag  # the phone offers both its camera and its library
    assert 'enctype="multipart/form-data"' in content


def test_upload_form_not_shown_to_team_manager(client, team_manager, programme):
    client.force_login(team_manager)

    content = client.get(reverse("captures", args=[programme.slug])).content.decode()

    assert 'name="photos"' not in content


# --- gallery --------------------------------------------------------------------------------


def test_gallery_shows_caption_session_and_what_came_from_each_photo(client, team_manager, programme, year1, capture):
    InventoryCard.objects.create(session=capture.session, lane="concerns", text="Tijd", source_capture=capture)
    make_activity(year1, title="Leergroep", source_capture=capture)
    make_activity(year1, title="Intervisie", source_capture=capture)
    client.force_login(team_manager)

    response = client.get(reverse("captures", args=[programme.slug]))

    text = page_text(response)
    assert "Muur na de aftrap" in text
    assert "Aftrap" in text
    assert "From this photo: 1 card, 2 activities" in text
    assert f'alt="{capture.caption}"' in response.content.decode()


def test_gallery_shows_newest_first(client, director, programme):
    for caption in ("Eerste muur", "Tweede muur", "Derde muur"):
        make_capture(programme, caption=caption)
    client.force_login(director)

    text = page_text(client.get(reverse("captures", args=[programme.slug])))

    assert text.index("Derde muur") < text.index("Tweede muur") < text.index("Eerste muur")


def test_gallery_filters_by_session(client, director, programme, kickoff):
    relay = DesignSession.objects.create(programme=programme, title="Estafette 1", kind=SessionKind.RELAY)
    make_capture(programme, caption="Wand aftrap", session=kickoff)
    make_capture(programme, caption="Wand estafette", session=relay)
    client.force_login(director)

    filtered = page_text(client.get(reverse("captures", args=[programme.slug]), {"session": relay.pk}))
    everything = page_text(client.get(reverse("captures", args=[programme.slug]), {"session": "not-a-number"}))

    assert "Wand estafette" in filtered
    assert "Wand aftrap" not in filtered
    assert "Wand estafette" in everything
    assert "Wand aftrap" in everything


def test_gallery_filter_with_htmx_answers_with_the_gallery_only(client, director, programme, kickoff, capture):
    client.force_login(director)

    response = client.get(reverse("captures", args=[programme.slug]), {"session": kickoff.pk}, HTTP_HX_REQUEST="true")

    content = response.content.decode()
    assert content.lstrip().startswith('<div id="gallery">')
    assert "<html" not in content


def test_gallery_history_restore_gets_the_whole_page(client, director, programme, kickoff, capture):
    client.force_login(director)

    response = client.get(
        reverse("captures", args=[programme.slug]),
        {"session": kickoff.pk},
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )

    assert "<html" in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_gallery_photo_without_caption_gets_an_alt_text(client, director, programme, kickoff):
    make_capture(programme, caption="", session=kickoff)
    client.force_login(director)

    content = client.get(reverse("captures", args=[programme.slug])).content.decode()

    assert 'alt="Brown-paper photo from “Aftrap”"' in content


@pytest.mark.parametrize("count", [1, 20])
def test_gallery_query_count_does_not_grow(client, facilitator, programme, year1, kickoff, count):
    for number in range(count):
        capture = make_capture(programme, caption=f"Muur {number}", session=kickoff)
        InventoryCard.objects.create(session=kickoff, lane="anchors", text=f"Kaart {number}", source_capture=capture)
        make_activity(year1, title=f"Activiteit {number}", source_capture=capture)
    client.force_login(facilitator)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("captures", args=[programme.slug]))

    assert response.status_code == 200
    # session, user, programme+organisation, membership, sessions with photo counts (filter),
    # captures(+session, card and activity counts), sessions (upload form's choices),
    # the header's needs-my-response count
    assert len(queries) == 8


# --- images ---------------------------------------------------------------------------------


@pytest.mark.parametrize("size", ["display", "thumb"])
def test_image_served_as_jpeg_inline_private_nosniff(client, director, programme, capture, size):
    client.force_login(director)

    response = client.get(reverse("capture_image", args=[programme.slug, capture.pk, size]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'inline; filename="brown-paper-{capture.pk}-{size}.jpg"'
    assert "private" in response["Cache-Control"]
    stored = capture.display if size == "display" else capture.thumbnail
    assert b"".join(response.streaming_content) == stored.open("rb").read()


def test_image_unknown_size_is_404(client, director, programme, capture):
    client.force_login(director)

    response = client.get(reverse("capture_image", args=[programme.slug, capture.pk, "original"]))

    assert response.status_code == 404


def test_image_missing_from_storage_is_404_not_500(client, director, programme, capture):
    capture.thumbnail.storage.delete(capture.thumbnail.name)
    client.force_login(director)

    response = client.get(reverse("capture_image", args=[programme.slug, capture.pk, "thumb"]))

    assert response.status_code == 404


def test_media_is_not_served_as_public_files(client, director, capture):
    client.force_login(director)

    response = client.get(f"/media/{capture.display.name}")

    assert response.status_code == 404


# --- one photo: caption, brochure, delete ---------------------------------------------------


def test_detail_shows_photo_with_caption_as_alt_text(client, director, programme, capture):
    client.force_login(director)

    response = client.get(reverse("capture_detail", args=[programme.slug, capture.pk]))

    content = response.content.decode()
    assert reverse("capture_image", args=[programme.slug, capture.pk, "display"]) in content
    assert 'alt="Muur na de aftrap"' in content
    assert "Turn into a card" not in content  # a director only reads
    assert "capture-caption" not in content


def test_facilitator_edits_caption_and_session(client, facilitator, programme, capture):
    relay = DesignSession.objects.create(programme=programme, title="Estafette 2", kind=SessionKind.RELAY)
    client.force_login(facilitator)

    response = client.post(
        reverse("capture_edit", args=[programme.slug, capture.pk]),
        {"capture-caption": "Jaar 2 op de muur", "capture-session": relay.pk},
    )

    assert response.status_code == 302
    capture.refresh_from_db()
    assert (capture.caption, capture.session_id) == ("Jaar 2 op de muur", relay.pk)


def test_caption_too_long_keeps_typed_text_and_stored_caption(client, facilitator, programme, capture):
    client.force_login(facilitator)

    response = client.post(reverse("capture_edit", args=[programme.slug, capture.pk]), {"capture-caption": "Lang" * 80})

    assert response.status_code == 200
    assert "Keep the caption under 300 characters; this one has 320." in page_text(response)
    assert "LangLang" in response.content.decode()
    capture.refresh_from_db()
    assert capture.caption == "Muur na de aftrap"


def test_edit_with_another_programmes_session_refused(client, facilitator, programme, other_programme, capture):
    theirs = DesignSession.objects.create(programme=other_programme, title="Hun sessie")
    client.force_login(facilitator)

    response = client.post(
        reverse("capture_edit", args=[programme.slug, capture.pk]),
        {"capture-caption": "Muur", "capture-session": theirs.pk},
    )

    assert "Choose one of this programme's sessions, or none." in page_text(response)
    capture.refresh_from_db()
    assert capture.session.programme == programme


@pytest.mark.parametrize(("value", "expected"), [("0", False), ("1", True)])
def test_brochure_toggle_sets_the_value(client, facilitator, programme, capture, value, expected):
    client.force_login(facilitator)

    response = client.post(reverse("capture_brochure", args=[programme.slug, capture.pk]), {"in_brochure": value})

    assert response.status_code == 302
    capture.refresh_from_db()
    assert capture.in_brochure is expected


def test_brochure_toggle_with_htmx_answers_with_the_toggle(client, facilitator, programme, capture):
    client.force_login(facilitator)

    response = client.post(
        reverse("capture_brochure", args=[programme.slug, capture.pk]), {"in_brochure": "0"}, HTTP_HX_REQUEST="true"
    )

    content = response.content.decode()
    assert content.lstrip().startswith('<form id="brochure-toggle"')
    assert "Left out of the brochure" in content
    assert "Show in the brochure" in content


def test_brochure_toggle_forged_value_changes_nothing(client, facilitator, programme, capture):
    client.force_login(facilitator)

    response = client.post(reverse("capture_brochure", args=[programme.slug, capture.pk]), {"in_brochure": "maybe"})

    assert response.status_code == 302
    assert shown_messages(client.get(response["Location"])) == ["Choose whether the photo shows in the brochure."]
    capture.refresh_from_db()
    assert capture.in_brochure is True


def test_delete_removes_photo_and_files_but_keeps_cards_and_activities(
    client, facilitator, programme, year1, capture, django_capture_on_commit_callbacks
):
    card = InventoryCard.objects.create(session=capture.session, lane="concerns", text="Tijd", source_capture=capture)
    activity = make_activity(year1, source_capture=capture)
    names = [capture.display.name, capture.thumbnail.name]
    storage = capture.display.storage
    client.force_login(facilitator)
    confirm = client.get(reverse("capture_delete", args=[programme.slug, capture.pk]))
    assert "The 1 card and 1 activity made from it stay" in page_text(confirm)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("capture_delete", args=[programme.slug, capture.pk]))

    assert response.status_code == 302
    assert not Capture.objects.filter(pk=capture.pk).exists()
    assert [storage.exists(name) for name in names] == [False, False]
    card.refresh_from_db()
    activity.refresh_from_db()
    assert (card.source_capture_id, activity.source_capture_id) == (None, None)


# --- from wall to card ----------------------------------------------------------------------


def test_team_manager_turns_photo_into_a_card(client, team_manager, programme, kickoff, capture):
    client.force_login(team_manager)

    response = client.post(
        reverse("capture_to_card", args=[programme.slug, capture.pk]),
        {"card-session": kickoff.pk, "card-lane": "anchors", "card-text": "Leren in het  casuïstiekoverleg"},
    )

    assert response.status_code == 302
    card = InventoryCard.objects.get()
    assert (card.session, card.lane, card.text, card.source_capture, card.author) == (
        kickoff,
        "anchors",
        "Leren in het casuïstiekoverleg",
        capture,
        team_manager,
    )
    detail = client.get(response["Location"])
    assert "Leren in het casuïstiekoverleg" in page_text(detail)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"card-lane": "anchors", "card-text": ""}, "Write something on the card first."),
        ({"card-lane": "wishes", "card-text": "Tijd"}, "Choose one of the four lanes."),
        ({"card-lane": "anchors", "card-text": "x" * 201}, "A card holds at most 200 characters; this one has 201."),
    ],
)
def test_card_bad_input_explained_and_kept(client, team_manager, programme, kickoff, capture, data, message):
    client.force_login(team_manager)

    response = client.post(
        reverse("capture_to_card", args=[programme.slug, capture.pk]), {"card-session": kickoff.pk, **data}
    )

    assert response.status_code == 200
    assert message in page_text(response)
    assert InventoryCard.objects.count() == 0


def test_card_only_into_a_kickoff_session_of_this_programme(client, facilitator, programme, other_programme, capture):
    relay = DesignSession.objects.create(programme=programme, title="Estafette 1", kind=SessionKind.RELAY)
    theirs = DesignSession.objects.create(programme=other_programme, title="Hun aftrap", kind=SessionKind.KICKOFF)
    client.force_login(facilitator)

    for session in (relay, theirs):
        response = client.post(
            reverse("capture_to_card", args=[programme.slug, capture.pk]),
            {"card-session": session.pk, "card-lane": "concerns", "card-text": "Tijd"},
        )
        assert "Choose one of this programme's kickoff sessions." in page_text(response)
    assert InventoryCard.objects.count() == 0


def test_card_form_says_so_when_there_is_no_kickoff(client, team_manager, programme):
    capture = make_capture(programme)
    client.force_login(team_manager)

    response = client.get(reverse("capture_detail", args=[programme.slug, capture.pk]))

    assert "this programme has none yet. Ask a facilitator to plan one." in page_text(response)
    assert 'name="card-text"' not in response.content.decode()


def test_card_form_preselects_the_photos_kickoff(client, team_manager, programme, kickoff):
    DesignSession.objects.create(programme=programme, title="Eerdere aftrap", kind=SessionKind.KICKOFF)
    capture = make_capture(programme, session=kickoff)
    client.force_login(team_manager)

    content = client.get(reverse("capture_detail", args=[programme.slug, capture.pk])).content.decode()

    assert f'<option value="{kickoff.pk}" selected>Aftrap</option>' in content


ACTIVITY = {
    "activity-version": "1",
    "activity-title": "Leergroep vroeg ontmoeten",
    "activity-learning_type": "collaboration",
    "activity-modality": "face_to_face",
    "activity-with_whom": ["peers", "partners"],
    "activity-contact_hours": "2",
    "activity-prep_hours": "1",
    "activity-extra_hours": "0",
    "activity-occurrences": "6",
}


def test_team_manager_turns_photo_into_an_activity_at_the_end_of_the_year(client, team_manager, programme, capture):
    year2 = programme.years.get(number=2)
    make_activity(year2, title="Eerste", order=1)
    make_activity(year2, title="Tweede", order=2)
    client.force_login(team_manager)

    response = client.post(
        reverse("capture_to_activity", args=[programme.slug, capture.pk]), {**ACTIVITY, "activity-year": year2.pk}
    )

    assert response.status_code == 302
    activity = Activity.objects.get(title="Leergroep vroeg ontmoeten")
    assert (activity.year, activity.order, activity.source_capture) == (year2, 3, capture)
    assert (activity.contact_hours, activity.occurrences, activity.with_whom) == (
        Decimal("2"),
        6,
        ["peers", "partners"],
    )
    detail = client.get(response["Location"])
    assert f'href="{reverse("year_designer", args=[programme.slug, 2])}#activity-{activity.pk}"' in (
        detail.content.decode()
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"activity-contact_hours": "30", "activity-prep_hours": "15"}, "one occurrence can take at most 40 hours"),
        ({"activity-with_whom": []}, "This field is required."),
        ({"activity-contact_hours": "twee"}, "Enter a number of hours, e.g. 1.5."),
        ({"activity-year": "999999"}, "Choose one of the years you may add activities to."),
    ],
)
def test_activity_bad_input_explained_nothing_added(client, facilitator, programme, year1, capture, change, message):
    client.force_login(facilitator)
    data = {**ACTIVITY, "activity-year": year1.pk, **change}

    response = client.post(reverse("capture_to_activity", args=[programme.slug, capture.pk]), data)

    assert response.status_code == 200
    assert message in page_text(response)
    assert 'value="Leergroep vroeg ontmoeten"' in response.content.decode()
    assert not Activity.objects.filter(title="Leergroep vroeg ontmoeten").exists()


def test_activity_not_into_another_programmes_year(client, facilitator, programme, other_programme, capture):
    client.force_login(facilitator)
    data = {**ACTIVITY, "activity-year": other_programme.years.get(number=1).pk}

    response = client.post(reverse("capture_to_activity", args=[programme.slug, capture.pk]), data)

    assert "Choose one of the years you may add activities to." in page_text(response)
    assert not Activity.objects.filter(title="Leergroep vroeg ontmoeten").exists()


def test_activity_form_preselects_the_relay_groups_year(client, team_manager, programme):
    year2 = programme.years.get(number=2)
    group = RelayGroup.objects.create(programme=programme, name="Groep 2", year=year2, order=2)
    group.members.add(team_manager)
    session = DesignSession.objects.create(
        programme=programme, title="Estafette 2", kind=SessionKind.RELAY, relay_group=group
    )
    capture = make_capture(programme, session=session)
    client.force_login(team_manager)

    content = client.get(reverse("capture_detail", args=[programme.slug, capture.pk])).content.decode()

    assert re.search(rf'<option value="{year2.pk}" selected>', content)


# --- demo data ------------------------------------------------------------------------------


def test_demo_seed_twice_gives_the_same_captures(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", stdout=io.StringIO())
    programme = Programme.objects.get(slug="demo")

    demo_captures.seed(programme)
    first = list(Capture.objects.order_by("pk").values_list("pk", "caption", "session_id", "display"))
    demo_captures.seed(programme)

    assert list(Capture.objects.order_by("pk").values_list("pk", "caption", "session_id", "display")) == first
    assert len(first) == 6
    assert all(caption for _pk, caption, _session, _display in first)
    assert InventoryCard.objects.filter(source_capture__programme=programme).count() == 1
    assert Activity.objects.filter(source_capture__programme=programme).count() == 1
    kickoff = DesignSession.objects.get(programme=programme, kind=SessionKind.KICKOFF)
    assert Capture.objects.filter(session=kickoff).exists()


def test_demo_seed_without_sessions_or_facilitator_still_adds_photos(programme):
    demo_captures.seed(programme)

    assert Capture.objects.filter(programme=programme, session__isnull=True).count() == 6
    assert InventoryCard.objects.count() == 0


def test_demo_photos_open_for_members(client, django_user_model, programme):
    member = make_member(django_user_model, programme, Role.DIRECTOR, "dina")
    demo_captures.seed(programme)
    client.force_login(member)

    response = client.get(reverse("captures", args=[programme.slug]))

    assert response.status_code == 200
    assert len(re.findall(r'class="capture-thumb"', response.content.decode())) == 6


def test_team_manager_adds_activities_only_to_their_relay_groups_year(client, team_manager, programme, capture):
    year1, year2 = programme.years.get(number=1), programme.years.get(number=2)
    RelayGroup.objects.create(programme=programme, name="Groep 1", year=year1, order=1).members.add(team_manager)
    RelayGroup.objects.create(programme=programme, name="Groep 2", year=year2, order=2)
    client.force_login(team_manager)
    url = reverse("capture_to_activity", args=[programme.slug, capture.pk])

    offered = client.get(reverse("capture_detail", args=[programme.slug, capture.pk])).content.decode()
    refused = client.post(url, {**ACTIVITY, "activity-year": year2.pk})
    added = client.post(url, {**ACTIVITY, "activity-year": year1.pk})

    assert re.search(rf'<option value="{year1.pk}"', offered)
    assert not re.search(rf'<option value="{year2.pk}"', offered)
    assert "Choose one of the years you may add activities to." in page_text(refused)
    assert added.status_code == 302
    assert list(Activity.objects.filter(source_capture=capture).values_list("year__number", flat=True)) == [1]


def test_team_manager_outside_every_relay_group_is_told_why_there_is_no_activity_form(
    client, team_manager, programme, capture
):
    RelayGroup.objects.create(programme=programme, name="Groep 1", year=programme.years.get(number=1), order=1)
    client.force_login(team_manager)

    response = client.get(reverse("capture_detail", args=[programme.slug, capture.pk]))

    assert "You add activities to the year of your own relay group, and you are not in one." in page_text(response)
    assert 'name="activity-title"' not in response.content.decode()
    assert 'name="card-text"' in response.content.decode()  # the inventory is everyone's
