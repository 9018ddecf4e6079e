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

`--path pipeline` (the only path today) calls `process_photo` directly. The issue asks for
"the real upload path": once the upload view exists, add `--path upload`, which posts the
same bytes through Django's test client to that view (multipart parsing, form validation,
storage), and time that instead.

Usage: .venv/bin/python bench/photo_upload.py [--json] [--runs 5] [--path pipeline]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time a 12-megapixel JPEG through the photo pipeline.")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a summary")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measurement (median); default 5")
    parser.add_argument(
        "--path",
        choices=["pipeline"],
        default="pipeline",
        help="what to time: 'pipeline' calls process_photo directly (the upload view does not exist yet)",
    )
    args = parser.parse_args(argv)

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from workshops.photos import process_photo

    data = make_photo()
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
    }
    if args.json:
        print(json.dumps(result))
    else:
        verdict = "within" if result["ratio"] <= TARGET_RATIO else "OVER"
        size_mb = len(data) / 1_000_000
        print(
            f"{result['megapixels']} MP JPEG, {size_mb:.1f} MB, median of {args.runs} runs ({args.path}):\n"
            f"  process_photo  {result['process_ms']:8.1f} ms\n"
            f"  full decode    {result['decode_ms']:8.1f} ms\n"
            f"  ratio          {result['ratio']:8.2f}  ({verdict} the target of {TARGET_RATIO:g})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
