"""Photos of the brown paper: check an upload, keep a display version and a thumbnail.

Facilitators photograph the wall with their phones and upload several photos at once.
`process_photo` turns one upload into two clean JPEGs and refuses anything else with a
`PhotoError` whose `code` a form can map and whose `message` tells the facilitator what to
do. It is pure: bytes in, bytes out, no files written, no database, no global Pillow
settings changed.

The order of the checks is the defence: the byte size before anything is parsed, the
format by content (never by file name) and the pixel count from the header, both before a
single pixel is decoded. JPEGs are then decoded at reduced scale (libjpeg's DCT scaling),
so a 12-megapixel phone photo costs less than a full decode.

Nothing of the original's metadata survives: no EXIF (GPS position, camera, time), no XMP,
no comments, no ICC profile (colours are converted to sRGB first). The EXIF orientation
is applied to the pixels, so the outputs are upright without it.

Limits: the first frame only of animated PNG/WebP; HEIC/HEIF is refused because Pillow
cannot open it without a plugin (iOS Safari usually hands over JPEG when the input's `accept`
lists only the allowed types); peak memory for a non-JPEG is about 4 bytes per pixel of
the original (≤ 200 MB at the default pixel limit); Pillow refuses images above twice its
own `Image.MAX_IMAGE_PIXELS` (~179 MP) whatever `max_pixels` says.
"""

from __future__ import annotations

import io
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile, ImageOps

# HEIF is left out: Pillow 13 cannot open it natively and we do not install pillow-heif.
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_UPLOAD_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 50_000_000
DISPLAY_LONG_EDGE = 2000  # enough to print the photo on an A4 page
THUMB_LONG_EDGE = 400
JPEG_QUALITY = 85

# Pillow calls a JPEG with a multi-picture index (many Samsung and iPhone photos) "MPO";
# its first picture is an ordinary JPEG.
_FORMAT_ALIASES = {"MPO": "JPEG"}

_MESSAGES = {
    "too_large": _(
        "This photo is larger than %(max_mb)s MB. Send a smaller copy, or take the photo again at a lower resolution."
    ),
    "not_an_image": _("This file is not a photo we can read. Upload a JPEG, PNG or WebP image."),
    "format": _(
        "Photos in %(format)s format are not accepted. Save the photo as JPEG, PNG or WebP and upload it again."
    ),
    "pixels": _(
        "This image has too many pixels (%(megapixels)s megapixels, at most %(max_megapixels)s). "
        "Make it smaller and upload it again."
    ),
    "truncated": _("This photo did not arrive completely. Upload it again."),
}
PHOTO_ERROR_CODES = tuple(_MESSAGES)


class PhotoError(ValueError):
    """An upload we refuse; `code` is one of PHOTO_ERROR_CODES.

    `message` is translated when read, so a view or form gets it in the request's language.
    """

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def message(self) -> str:
        return str(_MESSAGES[self.code]) % self.params

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class ProcessedPhoto:
    """Two metadata-free JPEGs of one photo.

    `width`/`height` are the original's, upright (EXIF orientation applied);
    `display_size`/`thumb_size` are the sizes of the two JPEGs.
    """

    display: bytes = field(repr=False)
    thumbnail: bytes = field(repr=False)
    width: int
    height: int
    original_format: str
    display_size: tuple[int, int]
    thumb_size: tuple[int, int]


def process_photo(
    data: bytes | bytearray | memoryview | BinaryIO,
    *,
    max_bytes: int | None = None,
    max_pixels: int | None = None,
) -> ProcessedPhoto:
    """Check one uploaded photo and make its display version and thumbnail.

    `data` is the file's bytes or a binary file object (e.g. Django's UploadedFile, read
    from its start when it can seek). The limits default to settings.PHOTO_MAX_UPLOAD_BYTES
    and settings.PHOTO_MAX_PIXELS, else MAX_UPLOAD_BYTES and MAX_PIXELS.

    The display version has a long edge of DISPLAY_LONG_EDGE and the thumbnail of
    THUMB_LONG_EDGE; smaller photos are never enlarged. Transparency is flattened onto
    white. Raises PhotoError and nothing else. No side effects.
    """
    if max_bytes is None:
        max_bytes = _setting("PHOTO_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES)
    if max_pixels is None:
        max_pixels = _setting("PHOTO_MAX_PIXELS", MAX_PIXELS)
    raw = _read_bytes(data, max_bytes)
    try:
        with _strict_decoding():
            return _process(raw, max_pixels)
    except PhotoError:
        raise
    except Image.DecompressionBombError as exc:  # Pillow's own ceiling, met while reading the header
        ceiling = _megapixels(2 * (Image.MAX_IMAGE_PIXELS or 0))
        raise PhotoError("pixels", megapixels=f"> {ceiling}", max_megapixels=_megapixels(max_pixels)) from exc
    except (OSError, EOFError) as exc:
        if "truncated" in str(exc).lower():
            raise PhotoError("truncated") from exc
        raise PhotoError("not_an_image") from exc
    except Exception as exc:  # a malformed file can make a decoder fail in any way
        raise PhotoError("not_an_image") from exc


_DECODING = threading.Lock()


@contextmanager
def _strict_decoding():
    """Refuse truncated files even when another library relaxed Pillow process-wide
    (WeasyPrint sets ImageFile.LOAD_TRUNCATED_IMAGES = True when it is imported)."""
    with _DECODING:
        relaxed = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = relaxed


def _process(raw: bytes, max_pixels: int) -> ProcessedPhoto:
    with Image.open(io.BytesIO(raw)) as img:  # reads the header only
        original_format = _FORMAT_ALIASES.get(img.format or "", img.format or "")
        if original_format not in ALLOWED_FORMATS:
            raise PhotoError("format", format=img.format or "?")
        stored_width, stored_height = img.size
        if stored_width * stored_height > max_pixels:
            raise PhotoError(
                "pixels",
                megapixels=_megapixels(stored_width * stored_height),
                max_megapixels=_megapixels(max_pixels),
            )
        display_stored = _fit(img.size, DISPLAY_LONG_EDGE)
        if original_format == "JPEG":
            # The box must have the photo's aspect ratio: with a square 2000×2000 box a
            # 4000×3000 photo could not be halved (3000 // 2000 == 1) and decodes in full.
            img.draft("RGB", display_stored)
        img.load()
        upright = ImageOps.exif_transpose(img)
        # Orientations 5–8 turn the photo a quarter; the size of a square one cannot tell, nor matter.
        quarter_turn = upright.size != img.size
    width, height = (stored_height, stored_width) if quarter_turn else (stored_width, stored_height)

    rgb = _flatten(_to_srgb(upright))
    display_size = _fit((width, height), DISPLAY_LONG_EDGE)
    display = rgb if rgb.size == display_size else rgb.resize(display_size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    thumb_size = _fit((width, height), THUMB_LONG_EDGE)
    thumb = display.resize(thumb_size, Image.Resampling.BILINEAR, reducing_gap=2.0)
    return ProcessedPhoto(
        display=_jpeg(display),
        thumbnail=_jpeg(thumb),
        width=width,
        height=height,
        original_format=original_format,
        display_size=display_size,
        thumb_size=thumb_size,
    )


def _setting(name: str, default: int) -> int:
    try:
        return getattr(settings, name, default)
    except ImproperlyConfigured:  # used outside a configured project, e.g. by the bench script
        return default


def _read_bytes(data: bytes | bytearray | memoryview | BinaryIO, max_bytes: int) -> bytes:
    """The upload's bytes, refusing it before reading more than max_bytes + 1 of them."""
    if isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
    else:
        size = getattr(data, "size", None)  # Django's UploadedFile knows its size
        if isinstance(size, int) and size > max_bytes:
            raise PhotoError("too_large", max_mb=_megabytes(max_bytes))
        try:
            if getattr(data, "seekable", lambda: False)():
                data.seek(0)
            raw = data.read(max_bytes + 1)
        except (OSError, ValueError) as exc:
            raise PhotoError("not_an_image") from exc
        if not isinstance(raw, bytes):  # a text-mode file
            raise PhotoError("not_an_image")
    if len(raw) > max_bytes:
        raise PhotoError("too_large", max_mb=_megabytes(max_bytes))
    return raw


def _fit(size: tuple[int, int], long_edge: int) -> tuple[int, int]:
    """`size` scaled down so its long edge is at most `long_edge`; never scaled up."""
    width, height = size
    scale = min(1.0, long_edge / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _to_srgb(img: Image.Image) -> Image.Image:
    """Colours converted from an embedded ICC profile (e.g. an iPhone's Display P3) to sRGB,
    so the profile can be dropped without dulling the photo."""
    icc = img.info.get("icc_profile")
    if not icc or img.mode not in ("RGB", "RGBA", "CMYK"):
        return img
    from PIL import ImageCms

    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        mode = "RGBA" if img.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(img, source, ImageCms.createProfile("sRGB"), outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return img  # an unusable profile: keep the pixels as they are


def _flatten(img: Image.Image) -> Image.Image:
    """RGB, with any transparency composited onto white."""
    if img.mode.startswith("I;16"):
        img = img.point(lambda value: value / 256, "L")  # 16-bit grey would clip to white
    if img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in img.info:
        rgba = img.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return img if img.mode == "RGB" else img.convert("RGB")


def _jpeg(img: Image.Image) -> bytes:
    # Pillow copies some of img.info (comment, XMP) into a saved JPEG unless told
    # otherwise, so the image goes out with no info at all, and no exif= is passed.
    img.info = {}
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def _megapixels(pixels: int) -> str:
    return f"{round(pixels / 1_000_000, 1):g}"
