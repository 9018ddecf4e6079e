"""Vlog uploads are judged by their bytes, and served so a <video> element can seek (HTTP Range)."""

from __future__ import annotations

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from workshops.media import (
    CHUNK_BYTES,
    MAX_VIDEO_BYTES,
    VIDEO_TYPES,
    VideoError,
    ranged_file_response,
    sniff_video,
    validate_video,
)

# Closing a response sends request_finished, which touches the database connection.
pytestmark = pytest.mark.django_db

# An ftyp box of 24 bytes: size, "ftyp", major brand, minor version, one compatible brand.
MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00isom" + b"\x00\x00\x00\x08free" + bytes(40)
# EBML header: magic, header size, then DocType (ID 42 82, size 4) "webm".
WEBM_HEAD = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + bytes(40)
DATA = bytes(range(256)) * 4  # 1024 bytes, every offset recognisable


def ftyp(major: bytes, *compatible: bytes) -> bytes:
    size = 16 + 4 * len(compatible)
    return size.to_bytes(4, "big") + b"ftyp" + major + bytes(4) + b"".join(compatible) + bytes(32)


@pytest.fixture
def video_path(tmp_path):
    path = tmp_path / "vlog.mp4"
    path.write_bytes(DATA)
    return path


@pytest.fixture
def serve():
    """Answer a request for `path`; every response is closed afterwards, as the server would."""
    responses = []

    def serve(path, method: str = "get", content_type: str = "video/mp4", filename: str | None = None, **headers):
        request = getattr(RequestFactory(), method)("/vlog", headers=headers)
        response = ranged_file_response(request, path, content_type, filename=filename)
        responses.append(response)
        return response

    yield serve
    for response in responses:
        response.close()


def body(response) -> bytes:
    return b"".join(response.streaming_content)


# Sniffing


def test_sniff_video_minimal_mp4_head():
    assert sniff_video(MP4_HEAD) == "mp4"


@pytest.mark.parametrize("brand", [b"isom", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash", b"iso5", b"qt  "])
def test_sniff_video_mp4_brands_browsers_play(brand):
    assert sniff_video(ftyp(brand)) == "mp4"


def test_sniff_video_unknown_major_brand_with_mp4_compatible_brand():
    assert sniff_video(ftyp(b"ABCD", b"ABCD", b"isom", b"mp42")) == "mp4"


@pytest.mark.parametrize("brand", [b"heic", b"mif1", b"avif", b"M4A "])
def test_sniff_video_refuses_photos_and_audio_in_the_same_box_format(brand):
    # Their compatible brands often include mp42/isom; the major brand decides.
    assert sniff_video(ftyp(brand, b"mif1", b"mp42", b"isom")) is None


def test_sniff_video_refuses_unknown_brand_without_mp4_compatible_brand():
    assert sniff_video(ftyp(b"ABCD", b"ABCD")) is None


def test_sniff_video_minimal_webm_head():
    assert sniff_video(WEBM_HEAD) == "webm"


def test_sniff_video_webm_doctype_with_a_longer_size_field():
    head = b"\x1a\x45\xdf\xa3\xa0\x42\x86\x81\x01\x42\x82\x40\x04webm" + bytes(40)

    assert sniff_video(head) == "webm"


def test_sniff_video_refuses_matroska():
    head = b"\x1a\x45\xdf\xa3\xa3\x42\x86\x81\x01\x42\x82\x88matroska" + bytes(40)

    assert sniff_video(head) is None


def test_sniff_video_refuses_webm_doctype_beyond_the_first_64_bytes():
    head = b"\x1a\x45\xdf\xa3" + bytes(60) + b"\x42\x82\x84webm"

    assert sniff_video(head) is None


@pytest.mark.parametrize(
    "head",
    [b"", b"\x00\x00\x00\x18ftyp", b"<html><script>alert(1)</script></html>", b"webm ftypmp42", b"\x1a\x45\xdf\xa3"],
)
def test_sniff_video_refuses_other_bytes(head):
    assert sniff_video(head) is None


# Validating uploads


@pytest.mark.parametrize(("head", "kind"), [(MP4_HEAD, "mp4"), (WEBM_HEAD, "webm")])
def test_validate_video_returns_kind_and_rewinds(head, kind):
    upload = SimpleUploadedFile("vlog.bin", head + bytes(1000), content_type="application/octet-stream")

    assert validate_video(upload) == kind
    assert upload.tell() == 0
    assert VIDEO_TYPES[kind] == f"video/{kind}"


def test_validate_video_refuses_text_named_mp4():
    upload = SimpleUploadedFile("vlog.mp4", b"Dit is geen video, alleen tekst.\n" * 10, content_type="video/mp4")

    with pytest.raises(VideoError) as caught:
        validate_video(upload)

    assert caught.value.code == "type"
    assert "MP4" in str(caught.value.message)


def test_validate_video_refuses_empty_file():
    upload = SimpleUploadedFile("vlog.mp4", b"", content_type="video/mp4")

    with pytest.raises(VideoError) as caught:
        validate_video(upload)

    assert caught.value.code == "empty"


def test_validate_video_refuses_file_over_the_configured_limit(settings):
    settings.VIDEO_MAX_UPLOAD_BYTES = 100
    upload = SimpleUploadedFile("vlog.mp4", MP4_HEAD + bytes(100 - len(MP4_HEAD) + 1))

    with pytest.raises(VideoError) as caught:
        validate_video(upload)

    assert caught.value.code == "too_large"
    assert "100\xa0bytes" in str(caught.value)


def test_validate_video_accepts_file_exactly_at_the_limit(settings):
    settings.VIDEO_MAX_UPLOAD_BYTES = 100
    upload = SimpleUploadedFile("vlog.mp4", MP4_HEAD + bytes(100 - len(MP4_HEAD)))

    assert validate_video(upload) == "mp4"


def test_validate_video_default_limit_is_200_mb(settings):
    del settings.VIDEO_MAX_UPLOAD_BYTES
    upload = SimpleUploadedFile("vlog.mp4", MP4_HEAD)
    upload.size = MAX_VIDEO_BYTES + 1

    with pytest.raises(VideoError) as caught:
        validate_video(upload)

    assert caught.value.code == "too_large"
    assert MAX_VIDEO_BYTES == 200 * 1024 * 1024


# Serving


def test_ranged_file_response_without_range_sends_whole_file(serve, video_path):
    response = serve(video_path)

    assert response.status_code == 200
    assert body(response) == DATA
    assert response["Content-Length"] == "1024"
    assert "Content-Range" not in response


def test_ranged_file_response_sets_safe_headers(serve, video_path):
    response = serve(video_path, content_type="video/webm")

    assert response["Content-Type"] == "video/webm"
    assert response["Accept-Ranges"] == "bytes"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private"
    assert response["Content-Disposition"] == 'inline; filename="vlog.mp4"'


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-9", 0, 9),
        ("bytes=10-", 10, 1023),
        ("bytes=-5", 1019, 1023),
        ("bytes=1000-5000", 1000, 1023),  # the end is clamped to the file
        ("bytes=-5000", 0, 1023),  # a suffix longer than the file is the whole file
        ("bytes=1023-1023", 1023, 1023),
        ("bytes=0-9, 20-29", 0, 9),  # several ranges: the first only
        ("bytes=5000-, 3-4", 3, 4),  # ... the first satisfiable one
        ("Bytes = 0-9", 0, 9),
    ],
)
def test_ranged_file_response_sends_requested_range(serve, video_path, header, start, end):
    response = serve(video_path, Range=header)

    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/1024"
    assert response["Content-Length"] == str(end - start + 1)
    assert body(response) == DATA[start : end + 1]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("header", ["bytes=1024-", "bytes=5000-6000", "bytes=-0", "bytes=2000-, 3000-"])
def test_ranged_file_response_unsatisfiable_range_is_416(serve, video_path, header):
    response = serve(video_path, Range=header)

    assert response.status_code == 416
    assert response["Content-Range"] == "bytes */1024"
    assert response.content == b""


@pytest.mark.parametrize(
    "header", ["bytes=abc", "bytes=9-0", "items=0-9", "bytes=", "bytes=-", "bytes=--5", "bytes=0-9x", "bytes=0-9,x"]
)
def test_ranged_file_response_ignores_malformed_range(serve, video_path, header):
    response = serve(video_path, Range=header)

    assert response.status_code == 200
    assert body(response) == DATA


def test_ranged_file_response_if_range_sends_whole_file(serve, video_path):
    # We send no validators, so we can't tell whether the browser's copy is current.
    response = serve(video_path, Range="bytes=0-9", If_Range='"abc"')

    assert response.status_code == 200
    assert body(response) == DATA


def test_ranged_file_response_head_request_with_range(serve, video_path):
    response = serve(video_path, method="head", Range="bytes=0-9")

    assert (response.status_code, response["Content-Length"]) == (206, "10")


def test_ranged_file_response_streams_large_range_in_chunks(serve, tmp_path):
    data = bytes(range(256)) * (3 * CHUNK_BYTES // 256)
    path = tmp_path / "long.webm"
    path.write_bytes(data)

    response = serve(path, Range="bytes=100-")
    chunks = list(response.streaming_content)

    assert [len(chunk) for chunk in chunks] == [CHUNK_BYTES, CHUNK_BYTES, CHUNK_BYTES - 100]
    assert b"".join(chunks) == data[100:]


@pytest.mark.parametrize(("header", "status"), [(None, 200), ("bytes=0-9", 206), ("bytes=2000-", 416)])
def test_ranged_file_response_serves_storage_file_and_closes_it(tmp_path, header, status):
    (tmp_path / "vlogs").mkdir()
    (tmp_path / "vlogs" / "abc123.mp4").write_bytes(DATA)
    stored = FileSystemStorage(location=tmp_path).open("vlogs/abc123.mp4")
    request = RequestFactory().get("/vlog", headers={"Range": header} if header else {})

    response = ranged_file_response(request, stored, "video/mp4")
    response.close()

    assert response.status_code == status
    assert response["Content-Disposition"] == 'inline; filename="abc123.mp4"'
    assert stored.closed


def test_ranged_file_response_non_ascii_filename(serve, video_path):
    response = serve(video_path, filename="Vlog groep één.mp4")

    assert response["Content-Disposition"] == (
        "inline; filename=\"Vlog groep een.mp4\"; filename*=UTF-8''Vlog%20groep%20%C3%A9%C3%A9n.mp4"
    )


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        (
            '../../etc/"evil"\r\nX-Injected: 1.mp4',
            "inline; filename=\"'evil'X-Injected: 1.mp4\"; filename*=UTF-8''%22evil%22X-Injected%3A%201.mp4",
        ),
        ("视频.webm", "inline; filename=\"video.webm\"; filename*=UTF-8''%E8%A7%86%E9%A2%91.webm"),
        ("C:\\Users\\fiona\\vlog.mp4", 'inline; filename="vlog.mp4"'),
    ],
)
def test_ranged_file_response_filename_cannot_break_the_header(serve, video_path, filename, expected):
    response = serve(video_path, filename=filename)

    assert response["Content-Disposition"] == expected
