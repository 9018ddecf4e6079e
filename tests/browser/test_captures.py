"""Brown-paper photos in a real browser at phone width: several photos in one upload, a bad
one named with its message, and one photo turned into an inventory card."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from programmes.models import Role
from tests.browser.conftest import PHONE
from tests.conftest import make_member, make_programme
from workshops.forms.captures import MAX_FILES_PER_UPLOAD
from workshops.models import Capture, DesignSession, InventoryCard, SessionKind


def wall_photo(path, colour) -> None:
    img = Image.new("RGB", (1600, 1200), (176, 132, 88))
    ImageDraw.Draw(img).rectangle((200, 200, 500, 500), fill=colour)
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=85)
    path.write_bytes(buffer.getvalue())


def _gallery(open_as, live_server, django_user_model, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    programme = make_programme("demo", title="Samen leren in de wijk")
    facilitator = make_member(django_user_model, programme, Role.FACILITATOR, "anouk")
    DesignSession.objects.create(programme=programme, title="Aftrap", kind=SessionKind.KICKOFF)
    page = open_as(facilitator, language="en", viewport=PHONE)
    page.goto(f"{live_server.url}/p/demo/captures/")
    return page


def test_phone_uploads_three_photos_keeps_two_names_the_bad_one_then_makes_a_card(
    open_as, live_server, django_user_model, settings, tmp_path
):
    page = _gallery(open_as, live_server, django_user_model, settings, tmp_path)
    wall_photo(tmp_path / "IMG_0041.jpg", (255, 236, 110))
    wall_photo(tmp_path / "IMG_0042.jpg", (255, 172, 200))
    (tmp_path / "notes.jpg").write_text("Notes from the wall: more practice!\n")

    form = page.locator("#capture-upload")
    form.get_by_label("Photos").set_input_files(
        [tmp_path / "IMG_0041.jpg", tmp_path / "notes.jpg", tmp_path / "IMG_0042.jpg"]
    )
    form.get_by_label("Session").select_option(label="Aftrap")
    form.get_by_label("Caption").fill("Muur na de aftrap")
    form.get_by_role("button", name="Upload").click()

    page.get_by_text("2 photos are added.").wait_for()
    page.get_by_text(
        "notes.jpg is not added: This file is not a photo we can read. Upload a JPEG, PNG or WebP image."
    ).wait_for()
    thumbs = page.locator("img.capture-thumb")
    assert thumbs.count() == 2
    thumbs.first.scroll_into_view_if_needed()
    page.wait_for_function("[...document.querySelectorAll('img.capture-thumb')].every(i => i.complete)")
    assert page.evaluate("[...document.querySelectorAll('img.capture-thumb')].map(i => i.naturalWidth)") == [400, 400]
    assert thumbs.first.get_attribute("alt") == "Muur na de aftrap"
    assert Capture.objects.filter(caption="Muur na de aftrap", session__title="Aftrap").count() == 2

    page.get_by_role("link", name="Muur na de aftrap").first.click()
    card_form = page.locator("#card-form")
    card_form.get_by_label("Lane").select_option(label="Concerns")
    card_form.get_by_label("Text on the card").fill("Te weinig tijd naast het werk")
    card_form.get_by_role("button", name="Add card").click()

    page.get_by_text("The card “Te weinig tijd naast het werk” is added to the inventory of “Aftrap”.").wait_for()
    assert page.locator(".made-from").get_by_text("Te weinig tijd naast het werk").is_visible()
    card = InventoryCard.objects.get(text="Te weinig tijd naast het werk")
    assert (card.lane, card.session.title, card.source_capture.caption) == ("concerns", "Aftrap", "Muur na de aftrap")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing sticks out sideways
    assert page.js_errors == []


def test_phone_too_many_photos_stopped_before_they_travel(open_as, live_server, django_user_model, settings, tmp_path):
    page = _gallery(open_as, live_server, django_user_model, settings, tmp_path)
    wall_photo(tmp_path / "IMG.jpg", (150, 205, 255))
    files = []
    for number in range(MAX_FILES_PER_UPLOAD + 1):
        path = tmp_path / f"IMG_{number:04d}.jpg"
        path.write_bytes((tmp_path / "IMG.jpg").read_bytes())
        files.append(path)

    photos = page.locator("#capture-upload").get_by_label("Photos")
    photos.set_input_files(files)
    page.locator("#capture-upload").get_by_role("button", name="Upload").click()

    assert photos.evaluate("input => input.validationMessage") == (
        "Choose at most 20 photos at a time; upload the rest afterwards."
    )
    assert Capture.objects.count() == 0
    assert page.js_errors == []
