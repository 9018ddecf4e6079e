"""Benchmark: one 12-megapixel phone photo through the brown-paper photo pipeline.

Generates a 4000×3000 JPEG in memory (gradients plus seeded noise, so it weighs about
4 MB like a real phone photo, with EXIF orientation 6 and a GPS position), then times

* `process_ms`: `workshops.photos.process_photo` on those bytes (checks, reduced-scale
  JPEG decode, orientation, resize, two JPEG encodes), and
* `decode_ms`: a bare full decode of the same bytes, `Image.open(...).load()`,

each as the median of `--runs` runs after one warm-up run, the two alternating within each
run so that other load on the machine weighs on both. `ratio` is process/decode; the target
is ≤ 2. Decoding at half scale (draft mode) saves the inverse DCT and colour conversion of
three quarters of the pixels but not the entropy decoding of the whole file, so it costs
about two thirds of a full decode; orientation, the thumbnail and the two progressive JPEG
encodes bring the pipeline to about 1.3–1.7 times a full decode (measured on 2 busy cores).

`--path upload` (the default) times the real upload path instead: the same bytes, encoded
once as a multipart body, are POSTed with Django's test client to the `capture_upload` view
as a logged-in facilitator, so `process_ms` is the whole request (middleware, session and
membership lookups, multipart parsing into a temporary file, form validation, the pipeline,
two files written to a temporary MEDIA_ROOT and one row inserted, the redirect). It runs
in-process against a throw-away SQLite database in a temporary folder (migrated with
`call_command("migrate")`), whatever DATABASE_URL or SQLITE_PATH say; the folder is
removed afterwards. With `--database-url postgres://…` (or `env`: the DATABASE_URL that
`scripts/with_postgres.sh` exports) it runs against a throw-away PostgreSQL database
instead, made and dropped by Django's test-database machinery (`test_<name>`).
`--path pipeline` calls `process_photo` directly.

Usage: .venv/bin/python bench/photo_upload.py [--json] [--runs 5] [--path upload|pipeline]
       scripts/with_postgres.sh .venv/bin/python bench/photo_upload.py --json --database-url env
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image

WIDTH, HEIGHT = 4000, 3000
TARGET_RATIO = 2.0


def make_photo(width: int = WIDTH, height: int = HEIGHT, seed: int = 12) -> bytes:
    """A phone-like JPEG: smooth gradients with 15 % noise, quality 90, EXIF orientation and GPS."""
    gradient = Image.linear_gradient("L").resize((width, height))
    radial = Image.radial_gradient("L").resize((width, height))
    base = Image.merge("RGB", (gradient, gradient.transpose(Image.Transpose.ROTATE_180), radial))
    noise = Image.frombytes("RGB", (width, height), random.Random(seed).randbytes(width * height * 3))  # noqa: S311 (repeatable, not secret)
    exif = Image.Exif()
    exif[0x0112] = 6  # portrait shot, stored sideways as phones do
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (52.0, 5.0, 24.5)
    buffer = io.BytesIO()
    Image.blend(base, noise, 0.15).save(buffer, "JPEG", quality=90, exif=exif)
    return buffer.getvalue()


def median_ms(actions: dict[str, Callable[[], object]], runs: int) -> dict[str, float]:
    """Median milliseconds of each action. The actions alternate within every run, so a
    busy machine slows them alike and their ratio stays fair."""
    for action in actions.values():
        action()  # warm-up: first-call imports and allocations are not what we measure
    timings: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(runs):
        for name, action in actions.items():
            started = time.perf_counter()
            action()
            timings[name].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(values) for name, values in timings.items()}


def full_decode(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as img:
        img.load()


@contextmanager
def upload_action(data: bytes, database_url: str | None = None) -> Iterator[Callable[[], object]]:
    """An action that POSTs `data` as one photo to the upload view of a throw-away project
    (temporary SQLite database, or a new PostgreSQL database on `database_url`, and a
    temporary MEDIA_ROOT), as a logged-in facilitator."""
    folder = Path(tempfile.mkdtemp(prefix="estafette-photo-bench-"))
    for name in ("DATABASE_URL", "CACHE_BACKEND"):
        os.environ.pop(name, None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "ESTAFETTE_TESTING": "1",  # developer defaults without DEBUG (a secret key, fast hashing)
            "SQLITE_PATH": str(folder / "bench.sqlite3"),
            "MEDIA_ROOT": str(folder / "media"),
        }
    )
    try:
        import warnings

        import django

        # WhiteNoise warns that collectstatic has not run; no static file is served here.
        warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
        django.setup()
        from django.contrib.auth import get_user_model
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.core.management import call_command
        from django.db import connection, connections
        from django.test import Client
        from django.test.client import BOUNDARY, encode_multipart
        from django.urls import reverse

        from programmes.models import Membership, Organisation, Programme, Role

        test_database = None
        if database_url:
            # A fresh `test_<name>` database, migrated; dropped again below.
            test_database = connection.settings_dict["NAME"]
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        else:
            call_command("migrate", verbosity=0)
        organisation = Organisation.objects.create(name="Bench")
        programme = Programme.objects.create(organisation=organisation, slug="bench", title="Bench")
        user = get_user_model().objects.create_user("bench-facilitator")
        Membership.objects.create(user=user, programme=programme, role=Role.FACILITATOR)
        client = Client()
        client.force_login(user)
        url = reverse("capture_upload", args=[programme.slug])
        # Encoded once: building the body is the client's work, not the server's.
        body = encode_multipart(BOUNDARY, {"photos": SimpleUploadedFile("IMG_0001.jpg", data, "image/jpeg")})
        content_type = f"multipart/form-data; boundary={BOUNDARY}"

        def post() -> None:
            response = client.post(url, body, content_type=content_type)
            if response.status_code != 302:
                raise RuntimeError(f"upload answered {response.status_code}, expected a redirect")

        try:
            yield post
        finally:
            connections.close_all()
            if test_database is not None:
                connection.creation.destroy_test_db(test_database, verbosity=0)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time a 12-megapixel JPEG through the photo upload.")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a summary")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measurement (median); default 5")
    parser.add_argument(
        "--path",
        choices=["upload", "pipeline"],
        default="upload",
        help="what to time: 'upload' (default) posts the photo through the real upload view in-process; "
        "'pipeline' calls process_photo directly",
    )
    parser.add_argument(
        "--database-url",
        help="PostgreSQL server to benchmark against (a throw-away database is made there); "
        "'env' takes DATABASE_URL from the environment. Default: a temporary SQLite file",
    )
    args = parser.parse_args(argv)
    database_url = args.database_url
    if database_url == "env":
        database_url = os.environ.get("DATABASE_URL", "")
        if not database_url:
            parser.error("--database-url env: DATABASE_URL is not set")

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from workshops.photos import process_photo

    data = make_photo()
    if args.path == "upload":
        with upload_action(data, database_url) as post:
            medians = median_ms({"process": post, "decode": lambda: full_decode(data)}, args.runs)
    else:
        medians = median_ms({"process": lambda: process_photo(data), "decode": lambda: full_decode(data)}, args.runs)
    process_ms, decode_ms = medians["process"], medians["decode"]
    result = {
        "megapixels": round(WIDTH * HEIGHT / 1_000_000, 1),
        "bytes": len(data),
        "process_ms": round(process_ms, 1),
        "decode_ms": round(decode_ms, 1),
        "ratio": round(process_ms / decode_ms, 2),
        "runs": args.runs,
        "path": args.path,
        "database": "postgresql" if database_url else "sqlite",
    }
    if args.json:
        print(json.dumps(result))
    else:
        verdict = "within" if result["ratio"] <= TARGET_RATIO else "OVER"
        size_mb = len(data) / 1_000_000
        print(
            f"{result['megapixels']} MP JPEG, {size_mb:.1f} MB, median of {args.runs} runs ({args.path}):\n"
            f"  {'upload request' if args.path == 'upload' else 'process_photo':<14} {result['process_ms']:8.1f} ms\n"
            f"  full decode    {result['decode_ms']:8.1f} ms\n"
            f"  ratio          {result['ratio']:8.2f}  ({verdict} the target of {TARGET_RATIO:g})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
