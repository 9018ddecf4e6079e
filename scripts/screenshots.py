"""Screenshots of the main pages as each role, in Dutch and English, desktop and phone.

Needs the dev server with demo data (`make run`, or DEBUG=1 manage.py runserver after
seed_demo). Writes PNG files to screenshots/ (not committed). Usage:
    .venv/bin/python scripts/screenshots.py [--base http://127.0.0.1:8000] [--out screenshots]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
ROLES = {"facilitator": "anouk", "team_manager": "tm01", "director": "directeur"}
PAGES = {"dashboard": "/", "overview": "/p/demo/", "designer": "/p/demo/years/2/"}
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default="screenshots")
    parser.add_argument("--password", default="estafette-demo")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for role, username in ROLES.items():
            for language in ("nl", "en"):
                for device, viewport in VIEWPORTS.items():
                    context = browser.new_context(viewport=viewport)
                    context.add_cookies([{"name": "django_language", "value": language, "url": args.base}])
                    page = context.new_page()
                    page.goto(f"{args.base}/accounts/login/")
                    page.fill("#id_username", username)
                    page.fill("#id_password", args.password)
                    page.click("main button[type=submit]")
                    page.wait_for_url(f"{args.base}/")
                    for name, path in PAGES.items():
                        page.goto(args.base + path)
                        target = out / f"{name}-{role}-{language}-{device}.png"
                        page.screenshot(path=str(target), full_page=True)
                        print(target)
                    context.close()
        browser.close()


if __name__ == "__main__":
    main()
