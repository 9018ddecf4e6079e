"""Session vlogs: checking an uploaded video, and serving it so a browser's <video> can seek.

Uploads are judged by their first bytes, never by the file name or the browser's content type,
and are always served with the type we chose (plus `nosniff`), so a renamed HTML or SVG file
can't be smuggled in as a "video" and run as a page on our origin.

Sniffing recognises the container, not the codecs inside it: an MP4 holding HEVC passes but
won't play in every browser. The upload form should say "MP4 (H.264) or WebM" for that reason.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator
from urllib.parse import quote

from django.conf import settings
from django.core.files import File
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

VIDEO_TYPES = {"mp4": "video/mp4", "webm": "video/webm"}
MAX_VIDEO_BYTES = 200 * 1024 * 1024  # settings.VIDEO_MAX_UPLOAD_BYTES overrides
SNIFF_BYTES = 64
CHUNK_BYTES = 64 * 1024

# Major brands of the ISO base media file format that browsers play as video/mp4. "qt  " is
# QuickTime (.mov, what iPhones and Macs record): the container is MP4's ancestor, and Chrome,
# Firefox and Safari play an H.264/AAC .mov when it is served as video/mp4 (it is the
# video/quicktime type they balk at), so we accept it and always serve video/mp4.
_MP4_BRANDS = frozenset(
    {
        b"isom",
        b"iso2",
        b"iso4",
        b"iso5",
        b"iso6",
        b"mp41",
        b"mp42",
        b"avc1",
        b"M4V ",
        b"M4VH",
        b"M4VP",
        b"dash",
        b"mmp4",
        b"MSNV",
        b"XAVC",
        b"qt  ",
    }
)
# Same box layout, but stills or sound: HEIF/AVIF photos and M4A audio must not pass as vlogs.
_NOT_VIDEO_BRANDS = frozenset(
    {
        b"heic",
        b"heix",
        b"heim",
        b"heis",
        b"hevc",
        b"hevx",
        b"mif1",
        b"msf1",
        b"avif",
        b"avis",
        b"M4A ",
        b"M4B ",
        b"M4P ",
        b"F4A ",
        b"F4B ",
    }
)
_EBML_MAGIC = b"\x1a\x45\xdf\xa3"
# The EBML DocType element (ID 42 82) holding "webm"; its size, 4, is a variable-length
# integer that muxers write in 1 byte, but 2 to 4 bytes are legal too. Matroska (.mkv) says
# "matroska" here and is refused: browsers don't promise to play it.
_WEBM_DOCTYPE = re.compile(rb"\x42\x82(?:\x84|\x40\x04|\x20\x00\x04|\x10\x00\x00\x04)webm")
_RANGE_SPEC = re.compile(r"(\d*)-(\d*)")

_MESSAGES = {
    "empty": _("The video file is empty. Choose the recording again and upload it once more."),
    "too_large": _(
        "The video is larger than %(limit)s. Upload a shorter clip or export it at a lower resolution, "
        "or paste a link to the video instead."
    ),
    "type": _(
        "This file is not an MP4 or WebM video. Export the vlog as MP4 (H.264) or WebM and upload that, "
        "or paste a link to the video instead."
    ),
}


class VideoError(ValueError):
    """An upload we won't keep; `code` is "empty", "too_large" or "type", `message` tells the user what to do."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        # Interpolating renders the lazy text in the active language, i.e. the request's.
        self.message = _MESSAGES[code] % params if params else _MESSAGES[code]
        super().__init__(self.message)


def max_video_bytes() -> int:
    return getattr(settings, "VIDEO_MAX_UPLOAD_BYTES", MAX_VIDEO_BYTES)


def sniff_video(head: bytes) -> str | None:
    """The kind ("mp4" or "webm") that the first bytes of a file announce, or None."""
    if head[4:8] == b"ftyp" and _is_mp4_video(head):
        return "mp4"
    if head.startswith(_EBML_MAGIC) and _WEBM_DOCTYPE.search(head[:SNIFF_BYTES]):
        return "webm"
    return None


def _is_mp4_video(head: bytes) -> bool:
    major = head[8:12]
    if major in _MP4_BRANDS:
        return True
    if major in _NOT_VIDEO_BRANDS:
        return False
    # A camera maker's own major brand: trust the compatible brands the ftyp box lists after
    # the 4-byte minor version.
    box_end = min(int.from_bytes(head[:4], "big"), len(head))
    compatible = head[16:box_end]
    return any(compatible[at : at + 4] in _MP4_BRANDS for at in range(0, len(compatible) - 3, 4))


def validate_video(upload) -> str:
    """Check an UploadedFile's size and first bytes; return "mp4" or "webm" or raise VideoError.

    Reads the first 64 bytes and leaves the file rewound to the start.
    """
    size = upload.size or 0
    if size == 0:
        raise VideoError("empty")
    limit = max_video_bytes()
    if size > limit:
        raise VideoError("too_large", limit=filesizeformat(limit))
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    kind = sniff_video(head)
    if kind is None:
        raise VideoError("type")
    return kind


def ranged_file_response(request, fieldfile_or_path, content_type: str, *, filename: str | None = None) -> HttpResponse:
    """Serve a stored video whole (200) or the byte range a <video> element asks for (206/416).

    `fieldfile_or_path` is a FieldFile or File from storage, or a filesystem path; the response
    opens it and closes it when the server is done (`response.close()`). Only single ranges are
    served: with several, the first satisfiable one gets a 206, because browsers seeking in a
    video never ask for more and multipart/byteranges would buy us nothing. A malformed Range is
    ignored (200, as RFC 9110 allows). We send no validators (ETag/Last-Modified), so browsers
    have nothing to put in If-Range; should one arrive anyway we can't evaluate it, and the safe
    answer is the whole file.
    """
    file = _open(fieldfile_or_path)
    size = file.size
    byte_range = None
    if "HTTP_IF_RANGE" not in request.META:
        byte_range = _parse_range(request.META.get("HTTP_RANGE", ""), size)

    if byte_range is None:
        response = FileResponse(file, content_type=content_type)
        response.block_size = CHUNK_BYTES
    elif byte_range == ():
        file.close()
        response = HttpResponse(status=416, content_type=content_type)
        response.headers["Content-Range"] = f"bytes */{size}"
    else:
        start, end = byte_range
        response = StreamingHttpResponse(_FileRange(file, start, end), status=206, content_type=content_type)
        response.headers["Content-Range"] = f"bytes {start}-{end}/{size}"
        response.headers["Content-Length"] = str(end - start + 1)

    response.headers["Accept-Ranges"] = "bytes"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = _content_disposition(filename or file.name or "")
    # Behind a login: the browser may keep what it fetched for seeking, shared caches may not.
    response.headers["Cache-Control"] = "private"
    return response


def _open(fieldfile_or_path) -> File:
    if isinstance(fieldfile_or_path, str | os.PathLike):
        return File(open(fieldfile_or_path, "rb"))  # closed by the response
    # FieldFile.open() reopens from storage; File.open() rewinds an open file. Both return self.
    return fieldfile_or_path.open("rb")


def _parse_range(header: str, size: int) -> tuple[int, int] | tuple[()] | None:
    """(start, end) inclusive for the first satisfiable range, () when none is, None when the
    header is absent or malformed (then it is ignored)."""
    unit, _sep, specs = header.partition("=")
    if unit.strip().lower() != "bytes" or not specs.strip():
        return None
    parsed = []
    for spec in specs.split(","):
        match = _RANGE_SPEC.fullmatch(spec.strip())
        if match is None or match.group(1) == match.group(2) == "":
            return None
        first, last = (int(bound) if bound else None for bound in match.groups())
        if first is not None and last is not None and last < first:
            return None
        parsed.append((first, last))
    for first, last in parsed:
        if first is None:  # suffix: the last N bytes
            if last and size:
                return max(size - last, 0), size - 1
        elif first < size:
            return first, size - 1 if last is None else min(last, size - 1)
    return ()


class _FileRange:
    """Streams bytes start..end (inclusive) of an open file in chunks and closes the file.

    A class rather than a generator: the response calls close() even when iteration never
    started (a HEAD request, a client that hung up), and an unstarted generator's close()
    would not run its cleanup.
    """

    def __init__(self, file: File, start: int, end: int) -> None:
        self.file = file
        self.start = start
        self.remaining = end - start + 1

    def __iter__(self) -> Iterator[bytes]:
        self.file.seek(self.start)
        while self.remaining > 0:
            chunk = self.file.read(min(CHUNK_BYTES, self.remaining))
            if not chunk:  # the file shrank under us; stop rather than spin
                break
            self.remaining -= len(chunk)
            yield chunk

    def close(self) -> None:
        self.file.close()


def _content_disposition(filename: str) -> str:
    """`inline` with an ASCII filename every browser understands, plus the exact UTF-8 name as
    filename* (RFC 6266 / 8187) when the two differ. Directories and control characters go, so
    a stored name can neither point elsewhere nor break the header."""
    name = os.path.basename(filename.replace("\\", "/"))
    name = "".join(char for char in name if char.isprintable()).strip() or "video"
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    ascii_name = ascii_name.replace('"', "'").replace("\\", "_").strip()
    stem = ascii_name.rsplit(".", 1)[0]
    if not any(char.isalnum() for char in stem):  # e.g. a name written entirely in another script
        ascii_name = "video" + ascii_name[len(stem) :]
    value = f'inline; filename="{ascii_name}"'
    if ascii_name != name:
        value += f"; filename*=UTF-8''{quote(name, safe='')}"
    return value
