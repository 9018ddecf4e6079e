"""Demo brown-paper photos: six generated pictures of a wall with sticky notes and marker
scribbles, stored as captures of the kickoff and the relay sessions, one of them already
turned into an inventory card and one linked to an activity ("from wall to card").

Development only. The pictures are drawn with Pillow (no files are shipped) and go through
the real photo pipeline, so they are stored exactly as an upload would be.
"""

from __future__ import annotations

import io
import itertools
import random
from dataclasses import dataclass

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

from programmes.models import Activity, Membership, Programme, Role
from workshops.forms.captures import store_capture
from workshops.models import Capture, DesignSession, InventoryCard, Lane, SessionKind
from workshops.photos import process_photo

WIDTH, HEIGHT = 1600, 1200
PAPER = (176, 132, 88)
INK = (34, 36, 52)
MARKER_RED = (190, 40, 40)
NOTE_COLOURS = [(255, 236, 110), (255, 172, 200), (168, 230, 160), (150, 205, 255), (255, 190, 110)]


@dataclass(frozen=True)
class DemoPhoto:
    caption: str
    session_kind: str  # SessionKind value
    relay_index: int  # for relay photos: the 1st, 2nd, 3rd relay session of the programme
    heading: str
    notes: tuple[str, ...]
    seed: int


PHOTOS: tuple[DemoPhoto, ...] = (
    DemoPhoto(
        "Aftrap: inventaris van werkplekankers, zorgen en waar we naar uitkijken",
        SessionKind.KICKOFF,
        0,
        "INVENTARIS",
        ("casuïstiek-\noverleg", "teamoverleg", "tijd!", "werkdruk", "samen met\npartners", "huisbezoek", "zin in!"),
        11,
    ),
    DemoPhoto(
        "Aftrap: de ambitie als tweet, drie versies naast elkaar",
        SessionKind.KICKOFF,
        0,
        "AMBITIE #tweet",
        ("dichtbij\ngezinnen", "van leider\nnaar manager", "lerend in\nhet werk", "de wijk\nmerkt het"),
        12,
    ),
    DemoPhoto(
        "Estafette 1: jaar 1 geknipt en geplakt – intervisie, leergroep en meeloopdag",
        SessionKind.RELAY,
        1,
        "JAAR 1",
        ("intervisie\ntrio's", "leergroep", "meeloop-\ndag", "leesclub", "leerplan", "vlog"),
        21,
    ),
    DemoPhoto(
        "Estafette 2: experimenten in de driehoek opdrachtgever, trekker en ondersteuner",
        SessionKind.RELAY,
        2,
        "JAAR 2",
        ("vroeg\nontmoeten", "wijkschouw", "opdracht-\ngever", "trekker", "ondersteuner", "ruimte tussen\nde regels"),
        22,
    ),
    DemoPhoto(
        "Estafette 2: de stokvraag voor groep 3, met krabbels over de studielast",
        SessionKind.RELAY,
        2,
        "VRAAG AAN GROEP 3",
        ("3 uur p/w?", "te vol?", "webinars\nschrappen", "koppel aan\noverleg"),
        23,
    ),
    DemoPhoto(
        "Estafette 3: borgen en overdragen, de teams nemen het over",
        SessionKind.RELAY,
        3,
        "JAAR 3",
        ("teamleer-\nplan", "kennisbank", "PQR", "overdracht", "leergroepen\nzelf"),
        31,
    ),
)
CARD_FROM_PHOTO = (0, Lane.ANCHORS, "Leren in het casuïstiekoverleg, niet ernaast")
ACTIVITY_FROM_PHOTO = (3, "Experiment 'Vroeg ontmoeten' met wijkpartners")


def seed(programme: Programme) -> None:
    """Create or complete the demo photos of `programme`. Idempotent: a photo is found again
    by its caption; its session link is filled in once the session exists, and its files are
    drawn again only when they went missing from storage. Side effects: rows and files."""
    kickoff = DesignSession.objects.filter(programme=programme, kind=SessionKind.KICKOFF).order_by("pk").first()
    relays = list(DesignSession.objects.filter(programme=programme, kind=SessionKind.RELAY).order_by("starts_at", "pk"))
    facilitator = (
        Membership.objects.filter(programme=programme, role=Role.FACILITATOR).select_related("user").order_by("pk")
    ).first()
    uploaded_by = facilitator.user if facilitator else None

    captures = []
    for photo in PHOTOS:
        if photo.session_kind == SessionKind.KICKOFF:
            session = kickoff
        else:
            session = relays[photo.relay_index - 1] if len(relays) >= photo.relay_index else None
        captures.append(_capture(programme, photo, session, uploaded_by))

    index, lane, text = CARD_FROM_PHOTO
    if kickoff is not None:
        card, _created = InventoryCard.objects.get_or_create(
            session=kickoff, text=text, defaults={"lane": lane, "author": uploaded_by}
        )
        if card.source_capture_id is None:
            card.source_capture = captures[index]
            card.save(update_fields=["source_capture"])
    index, title = ACTIVITY_FROM_PHOTO
    Activity.objects.filter(year__programme=programme, title=title, source_capture__isnull=True).update(
        source_capture=captures[index]
    )


def _capture(programme: Programme, photo: DemoPhoto, session: DesignSession | None, uploaded_by) -> Capture:
    capture = Capture.objects.filter(programme=programme, caption=photo.caption).order_by("pk").first()
    if capture is None:
        processed = process_photo(draw_wall(photo))
        return store_capture(programme, processed, session=session, caption=photo.caption, uploaded_by=uploaded_by)
    if session is not None and capture.session_id is None:
        capture.session = session
        capture.save(update_fields=["session"])
    storage = capture.display.storage
    if not (storage.exists(capture.display.name) and storage.exists(capture.thumbnail.name)):
        processed = process_photo(draw_wall(photo))
        capture.display.save("display.jpg", ContentFile(processed.display), save=False)
        capture.thumbnail.save("thumb.jpg", ContentFile(processed.thumbnail), save=False)
        capture.width, capture.height = processed.width, processed.height
        capture.save(update_fields=["display", "thumbnail", "width", "height"])
    return capture


def draw_wall(photo: DemoPhoto) -> bytes:
    """A JPEG of brown paper with a marker heading, sticky notes and arrows between them."""
    rng = random.Random(photo.seed)  # noqa: S311 (repeatable pictures, not secrets)
    paper = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    grain = Image.effect_noise((WIDTH, HEIGHT), 24).convert("RGB")
    img = Image.blend(paper, grain, 0.12)
    draw = ImageDraw.Draw(img)
    for x in (WIDTH // 3, 2 * WIDTH // 3):  # folds in the paper
        draw.line((x, 0, x + rng.randint(-20, 20), HEIGHT), fill=(160, 118, 78), width=3)

    heading = ImageFont.load_default(size=72)
    draw.text((70, 50), photo.heading, font=heading, fill=INK)
    draw.line((70, 140, 70 + 40 * len(photo.heading), 150), fill=MARKER_RED, width=6)

    note_font = ImageFont.load_default(size=30)
    centres = []
    columns = 4
    for number, text in enumerate(photo.notes):
        column, row = number % columns, number // columns
        x = 90 + column * 370 + rng.randint(-30, 30)
        y = 240 + row * 420 + rng.randint(-30, 40)
        size = rng.randint(230, 270)
        colour = NOTE_COLOURS[(number + photo.seed) % len(NOTE_COLOURS)]
        draw.rectangle((x + 8, y + 10, x + size + 8, y + size + 10), fill=(120, 88, 58))  # shadow
        draw.rectangle((x, y, x + size, y + size), fill=colour)
        draw.multiline_text((x + 20, y + 30), text, font=note_font, fill=INK, spacing=8)
        centres.append((x + size // 2, y + size // 2))

    for start, end in itertools.pairwise(centres):
        if rng.random() < 0.6:
            draw.line((start[0] + 140, start[1], end[0] - 140, end[1]), fill=INK, width=5)
    scribble = [(rng.randint(900, 1500), rng.randint(900, 1150)) for _ in range(6)]
    draw.line(scribble, fill=MARKER_RED, width=4, joint="curve")

    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()
