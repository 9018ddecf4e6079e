"""Screenshots for the user guide (docs/guide.md, docs/handleiding.md), in both languages.

Needs the dev server with demo data, and the same database settings in this shell, because
the script looks up the demo's sessions, versions and dialogues to build their addresses:

    export DEBUG=1 SQLITE_PATH=/tmp/guide.sqlite3
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_demo
    .venv/bin/python manage.py runserver 127.0.0.1:8000 &
    .venv/bin/python scripts/guide_screenshots.py [--base http://127.0.0.1:8000]

Writes docs/guide/img/<language>-<page>.png (a visible viewport, not the full page, so
each picture shows what a user sees first). Rerun after a visible change and commit.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}


def pages(slug: str) -> list[tuple[str, str | None, str, dict]]:
    """(picture name, username or None for a phone, path, viewport) for every picture."""
    from brochure.models import Version
    from dialogues.models import Dialogue
    from programmes.models import Programme
    from workshops.models import DesignSession, SessionKind

    programme = Programme.objects.get(slug=slug)
    sessions = DesignSession.objects.filter(programme=programme)
    kickoff = sessions.filter(kind=SessionKind.KICKOFF).first()
    final = sessions.filter(kind=SessionKind.FINAL).first()
    version = Version.objects.filter(programme=programme).order_by("-major", "-minor").first()
    dialogue = Dialogue.objects.filter(programme=programme, closed_at__isnull=True).first()
    base = f"/p/{slug}"
    wanted = [
        ("dashboard", "anouk", "/", DESKTOP),
        ("overview", "anouk", f"{base}/", DESKTOP),
        ("designer", "anouk", f"{base}/years/2/", DESKTOP),
        ("poll", "anouk", f"{base}/sessions/{kickoff.pk}/poll/", DESKTOP),
        ("projector", "anouk", f"{base}/sessions/{kickoff.pk}/projector/", DESKTOP),
        ("phone", None, f"/join/{kickoff.join_code}/", PHONE),
        ("board", "directeur", f"{base}/guardrails/", DESKTOP),
        ("relay", "tm01", f"{base}/relay/", DESKTOP),
        ("brochure", "anouk", f"{base}/brochure/{version.pk}/", DESKTOP),
        ("dialogue", "meedenker", f"{base}/dialogues/{dialogue.pk}/", PHONE),
        ("final", "anouk", f"{base}/sessions/{final.pk}/final/", DESKTOP),
        ("settings", "anouk", f"{base}/settings/", DESKTOP),
    ]
    return wanted


def shrink(path: Path) -> None:
    """A UI screenshot keeps its look in 256 colours at a third of the bytes."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--slug", default="demo")
    parser.add_argument("--out", default=str(ROOT / "docs" / "guide" / "img"))
    parser.add_argument("--password", default="estafette-demo")
    parser.add_argument("--only", nargs="*", help="picture names to take (default: all)")
    args = parser.parse_args()
    django.setup()
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    wanted = [p for p in pages(args.slug) if not args.only or p[0] in args.only]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for language in ("nl", "en"):
            for name, username, path, viewport in wanted:
                context = browser.new_context(viewport=viewport, locale=language)
                context.add_cookies([{"name": "django_language", "value": language, "url": args.base}])
                page = context.new_page()
                if username:
                    page.goto(f"{args.base}/accounts/login/")
                    page.fill("#id_username", username)
                    page.fill("#id_password", args.password)
                    page.click("main button[type=submit]")
                    page.wait_for_load_state()
                page.goto(args.base + path)
                page.wait_for_load_state("networkidle")
                target = out / f"{language}-{name}.png"
                page.screenshot(path=str(target))
                shrink(target)
                print(target)
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
