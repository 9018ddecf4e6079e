"""Benchmark: the demo programme's latest brochure version as a PDF, with 12 big photos.

In a throw-away SQLite database and MEDIA_ROOT (a temporary folder, removed afterwards):
migrate, `seed_demo`, the demo brochure versions, then 12 generated 12-megapixel phone
photos (4000×3000 JPEG, gradients plus seeded noise) run through
`workshops.photos.process_photo` as the upload does and stored as Captures, then a new
major version is published. Timed:

* `seconds`: building the HTML from the snapshot plus WeasyPrint's render and write_pdf
  (WeasyPrint's import is done once before, as a worker would have it);
* `peak_mb`: the growth of the peak resident memory (VmHWM from /proc/self/status) across
  that render, in a fresh process that has only set up Django and imported WeasyPrint:
  what the render adds on top of a running worker;
* `chromium_seconds`: Debian's /usr/bin/chromium --headless --print-to-pdf of the same HTML
  written to a file, in the same run; `ratio` = seconds ÷ chromium_seconds.

Usage: .venv/bin/python bench/brochure_pdf.py [--json]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
]


def _photo(seed: int) -> bytes:
    from PIL import Image, ImageDraw

    rng = random.Random(seed)  # noqa: S311 - test pictures, not secrets
    width, height = 4000, 3000
    base = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    tint = Image.new("RGB", (width, height), (170 + rng.randint(0, 40), 130, 80))
    img = Image.blend(base, tint, 0.7)
    draw = ImageDraw.Draw(img)
    for _ in range(25):  # sticky notes on brown paper
        x, y = rng.randint(0, width - 500), rng.randint(0, height - 500)
        draw.rectangle((x, y, x + 450, y + 450), fill=rng.choice([(250, 230, 90), (240, 150, 190), (140, 200, 240)]))
    noise = Image.effect_noise((width, height), 40).convert("RGB")
    img = Image.blend(img, noise, 0.15)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="Print one JSON object.")
    parser.add_argument("--render-only", nargs=2, metavar=("VERSION_PK", "WORKDIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.render_only:
        sys.path.insert(0, str(ROOT))
        _render_only(int(args.render_only[0]), Path(args.render_only[1]))
        return

    workdir = Path(tempfile.mkdtemp(prefix="brochure-bench-"))
    os.environ.update(
        {
            "ESTAFETTE_TESTING": "1",
            "SQLITE_PATH": str(workdir / "db.sqlite3"),
            "MEDIA_ROOT": str(workdir / "media"),
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
    )
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    try:
        result = _run(workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")


def _run(workdir: Path) -> dict:
    import django

    django.setup()
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    from brochure import demo, workflow
    from programmes.models import Programme
    from workshops.models import Capture
    from workshops.photos import process_photo

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)
    programme = Programme.objects.get(slug="demo")
    demo.seed(programme)
    for number in range(12):
        processed = process_photo(_photo(number))
        Capture.objects.create(
            programme=programme,
            display=ContentFile(processed.display, name=f"bench-{number}.jpg"),
            thumbnail=ContentFile(processed.thumbnail, name=f"bench-{number}-t.jpg"),
            width=processed.display_size[0],
            height=processed.display_size[1],
            caption=f"Bruin papier {number + 1}",
        )
    version = workflow.publish(programme, major=True)
    # The render runs in a fresh process, so generating the photos above does not hide its peak.
    child = subprocess.run(
        [sys.executable, __file__, "--render-only", str(version.pk), str(workdir)],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ,
        timeout=300,
    )
    measured = json.loads(child.stdout)
    html_file = workdir / "brochure.html"
    chromium_pdf = workdir / "chromium.pdf"
    start = time.perf_counter()
    subprocess.run(
        [CHROMIUM, *CHROMIUM_ARGS, f"--print-to-pdf={chromium_pdf}", html_file.as_uri()],
        check=True,
        capture_output=True,
        timeout=120,
    )
    chromium_seconds = time.perf_counter() - start
    return {
        "version": version.number,
        "photos": len(version.snapshot["photos"]),
        "pages": measured["pages"],
        "seconds": measured["seconds"],
        "peak_mb": measured["peak_mb"],
        "peak_mb_method": "peak RSS (VmHWM) delta across the render, in a fresh process",
        "pdf_mb": measured["pdf_mb"],
        "chromium_seconds": round(chromium_seconds, 3),
        "ratio": round(measured["seconds"] / chromium_seconds, 2),
    }


def _peak_kib() -> int:
    """Peak resident memory of this process: VmHWM (Linux resets it at exec, unlike ru_maxrss,
    which a child inherits from its parent); ru_maxrss elsewhere."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _render_only(version_pk: int, workdir: Path) -> None:
    import django

    django.setup()
    import weasyprint  # noqa: F401 - imported once up front, as in a running worker

    from brochure import pdf
    from brochure.models import Version
    from brochure.workflow import previous_version

    version = Version.objects.select_related("programme").get(pk=version_pk)
    previous = previous_version(version)
    before_kib = _peak_kib()
    start = time.perf_counter()
    html = pdf.document_html(version, previous=previous)
    data, pages = pdf.html_to_pdf(html)
    seconds = time.perf_counter() - start
    peak_kib = _peak_kib() - before_kib
    (workdir / "brochure.html").write_text(html, encoding="utf-8")
    print(
        json.dumps(
            {
                "pages": pages,
                "seconds": round(seconds, 3),
                "peak_mb": round(peak_kib / 1024, 1),
                "pdf_mb": round(len(data) / 1024 / 1024, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
