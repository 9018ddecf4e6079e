"""Brown-paper photos: checks, orientation, sizes and stripped metadata (workshops/photos.py).

Every image is built in memory with Pillow; nothing touches the database or the disk.
"""

from __future__ import annotations

import io
import struct
import time
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, ImageDraw, features

from workshops.photos import (
    DISPLAY_LONG_EDGE,
    THUMB_LONG_EDGE,
    PhotoError,
    ProcessedPhoto,
    process_photo,
)

RED = (255, 0, 0)
BLUE = (0, 0, 255)
WHITE = (255, 255, 255)
BLACK = (0, 0, 0)


def encode(img: Image.Image, fmt: str = "JPEG", **params) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, fmt, **params)
    return buffer.getvalue()


def halves(size: tuple[int, int], left: tuple[int, int, int], right: tuple[int, int, int]) -> Image.Image:
    """An image whose left half is `left` and right half `right`, to see which way is up."""
    img = Image.new("RGB", size, left)
    ImageDraw.Draw(img).rectangle((size[0] // 2, 0, size[0], size[1]), fill=right)
    return img


def noise_jpeg(size: tuple[int, int]) -> bytes:
    return encode(Image.effect_noise(size, 64).convert("RGB"), quality=90)


def png_header_only(width: int, height: int) -> bytes:
    """A valid PNG signature and IHDR claiming width×height, with an empty IDAT: a few
    dozen bytes that would decode into a huge image."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def open_output(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def assert_clean_jpeg(data: bytes) -> None:
    img = open_output(data)
    assert img.format == "JPEG"
    assert img.mode == "RGB"
    assert dict(img.getexif()) == {}
    assert [key for key in img.info if key in ("exif", "GPS", "comment", "xmp", "icc_profile")] == []
    assert b"Exif" not in data
    assert b"GPS" not in data


def assert_near(pixel: tuple[int, ...], expected: tuple[int, int, int], tolerance: int = 40) -> None:
    assert all(abs(got - want) <= tolerance for got, want in zip(pixel, expected, strict=True)), (pixel, expected)


def photo_error(data, **limits) -> PhotoError:
    with pytest.raises(PhotoError) as caught:
        process_photo(data, **limits)
    return caught.value


# Orientation, sizes, metadata


def test_process_photo_exif_orientation_6_comes_out_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # stored turned a quarter anticlockwise: rotate 90° clockwise to show
    data = encode(halves((400, 200), left=RED, right=BLUE), exif=exif)

    photo = process_photo(data)

    assert (photo.width, photo.height) == (200, 400)
    assert photo.display_size == (200, 400)
    assert photo.thumb_size == (200, 400)
    display = open_output(photo.display)
    assert display.size == (200, 400)
    assert_near(display.getpixel((100, 50)), RED)  # the stored left half is now on top
    assert_near(display.getpixel((100, 350)), BLUE)
    assert_clean_jpeg(photo.display)


def test_process_photo_gps_exif_comment_and_xmp_gone_from_both_outputs():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)  # GPSInfo IFD
    gps[1] = "N"
    gps[2] = (52.0, 5.0, 24.5)
    gps[3] = "E"
    gps[4] = (5.0, 7.0, 12.0)
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">secret place</x:xmpmeta>'
    data = encode(Image.new("RGB", (640, 480), RED), exif=exif, comment=b"secret place", xmp=xmp)
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)[1] == "N"  # the input really has GPS

    photo = process_photo(data)

    for output in (photo.display, photo.thumbnail):
        assert_clean_jpeg(output)
        assert b"secret place" not in output
        assert b"PhoneMaker" not in output


def test_process_photo_12_megapixels_gives_display_2000_and_thumbnail_400():
    data = encode(halves((4000, 3000), left=RED, right=BLUE), quality=90)

    photo = process_photo(data)

    assert (photo.width, photo.height, photo.original_format) == (4000, 3000, "JPEG")
    assert photo.display_size == (DISPLAY_LONG_EDGE, 1500) == (2000, 1500)
    assert photo.thumb_size == (THUMB_LONG_EDGE, 300) == (400, 300)
    assert open_output(photo.display).size == (2000, 1500)
    assert open_output(photo.thumbnail).size == (400, 300)
    assert_near(open_output(photo.display).getpixel((10, 750)), RED)
    assert_near(open_output(photo.thumbnail).getpixel((390, 150)), BLUE)


def test_process_photo_portrait_12_megapixels_keeps_long_edge_vertical():
    photo = process_photo(encode(Image.new("RGB", (3024, 4032), BLUE)))

    assert photo.display_size == (1500, 2000)
    assert photo.thumb_size == (300, 400)


def test_process_photo_small_image_is_not_upscaled():
    photo = process_photo(encode(Image.new("RGB", (300, 120), RED)))

    assert photo.display_size == (300, 120)
    assert photo.thumb_size == (300, 120)
    assert open_output(photo.display).size == (300, 120)


def test_process_photo_between_thumbnail_and_display_size_keeps_display_size():
    photo = process_photo(encode(Image.new("RGB", (1200, 900), RED)))

    assert photo.display_size == (1200, 900)
    assert photo.thumb_size == (400, 300)


def test_process_photo_icc_profile_converted_and_dropped():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(Image.new("RGB", (200, 100), RED), icc_profile=srgb)
    assert Image.open(io.BytesIO(data)).info["icc_profile"] == srgb

    photo = process_photo(data)

    assert_clean_jpeg(photo.display)
    assert_near(open_output(photo.display).getpixel((100, 50)), RED)


def test_process_photo_multi_picture_jpeg_is_a_jpeg():
    # Many phones store a multi-picture JPEG, which Pillow names "MPO".
    data = encode(Image.new("RGB", (400, 300), RED), "MPO", save_all=True, append_images=[Image.new("RGB", (400, 300))])
    assert Image.open(io.BytesIO(data)).format == "MPO"

    photo = process_photo(data)

    assert photo.original_format == "JPEG"
    assert_near(open_output(photo.display).getpixel((200, 150)), RED)


# Other formats and modes


def test_process_photo_png_transparency_flattened_onto_white():
    img = Image.new("RGBA", (400, 200), (0, 0, 0, 0))
    ImageDraw.Draw(img).rectangle((150, 50, 250, 150), fill=(0, 0, 0, 255))

    photo = process_photo(encode(img, "PNG"))

    assert photo.original_format == "PNG"
    display = open_output(photo.display)
    assert_near(display.getpixel((10, 10)), WHITE)
    assert_near(display.getpixel((200, 100)), BLACK)
    assert_clean_jpeg(photo.thumbnail)


@pytest.mark.parametrize(
    ("mode", "fmt", "params"),
    [
        ("L", "PNG", {}),
        ("P", "PNG", {"transparency": 0}),
        ("LA", "PNG", {}),
        ("I;16", "PNG", {}),
        ("L", "JPEG", {}),
        ("CMYK", "JPEG", {}),
    ],
)
def test_process_photo_other_modes_become_rgb(mode, fmt, params):
    img = Image.new("RGB", (300, 200), (200, 200, 200)).convert(mode)

    photo = process_photo(encode(img, fmt, **params))

    assert photo.display_size == (300, 200)
    assert_clean_jpeg(photo.display)
    assert_clean_jpeg(photo.thumbnail)


def test_process_photo_16_bit_grey_keeps_its_shade():
    img = Image.new("I;16", (100, 100), 0x8000)  # mid grey, not clipped to white

    photo = process_photo(encode(img, "PNG"))

    assert_near(open_output(photo.display).getpixel((50, 50)), (128, 128, 128), tolerance=8)


@pytest.mark.skipif(not features.check("webp"), reason="Pillow built without WebP")
def test_process_photo_webp():
    photo = process_photo(encode(halves((800, 600), left=RED, right=BLUE), "WEBP", quality=90))

    assert photo.original_format == "WEBP"
    assert photo.display_size == (800, 600)
    assert_near(open_output(photo.display).getpixel((100, 300)), RED)
    assert_clean_jpeg(photo.display)


def test_process_photo_reads_uploaded_file_from_its_start():
    upload = SimpleUploadedFile("wall.jpg", encode(Image.new("RGB", (640, 480), RED)), content_type="image/jpeg")
    upload.read(100)  # e.g. a form already peeked at it

    photo = process_photo(upload)

    assert photo.display_size == (640, 480)


# Refusals


def test_process_photo_text_renamed_jpg_is_not_an_image():
    upload = SimpleUploadedFile("brown-paper.jpg", b"Notes from the wall: more practice!\n", content_type="image/jpeg")

    assert photo_error(upload).code == "not_an_image"


def test_process_photo_empty_file_is_not_an_image():
    assert photo_error(b"").code == "not_an_image"


def test_process_photo_gif_refused_as_format():
    error = photo_error(encode(Image.new("RGB", (50, 50), RED), "GIF"))

    assert error.code == "format"
    assert error.message == (
        "Photos in GIF format are not accepted. Save the photo as JPEG, PNG or WebP and upload it again."
    )


def test_process_photo_truncated_jpeg():
    data = noise_jpeg((800, 600))

    assert photo_error(data[: len(data) // 2]).code == "truncated"


def test_process_photo_truncated_png():
    data = encode(Image.effect_noise((300, 300), 64), "PNG")

    assert photo_error(data[: len(data) // 2]).code == "truncated"


@pytest.mark.parametrize(
    ("width", "height", "expected"),
    [
        (20000, 20000, "> 179"),  # beyond Pillow's own ceiling: refused while reading the header
        (8000, 7000, "56"),  # Pillow would decode it, our 50 MP limit refuses it
    ],
)
def test_process_photo_pixel_bomb_header_refused_quickly(width, height, expected):
    data = png_header_only(width, height)
    assert len(data) < 100
    started = time.perf_counter()

    error = photo_error(data)

    assert error.code == "pixels"  # a decode would have said "truncated"
    assert error.message.startswith(f"This image has too many pixels ({expected} megapixels, at most 50)")
    assert time.perf_counter() - started < 1.0


def test_process_photo_max_pixels_argument():
    error = photo_error(encode(Image.new("RGB", (1000, 1000), RED)), max_pixels=500_000)

    assert error.code == "pixels"
    assert error.message == (
        "This image has too many pixels (1 megapixels, at most 0.5). Make it smaller and upload it again."
    )


def test_process_photo_over_byte_limit_too_large():
    data = encode(Image.new("RGB", (100, 100), RED), "PNG") + b"\0" * 1000

    error = photo_error(data, max_bytes=1000)

    assert error.code == "too_large"
    assert "Send a smaller copy" in error.message


def test_process_photo_uploaded_file_over_limit_refused_by_its_size():
    upload = SimpleUploadedFile("wall.jpg", b"\xff" * 2000, content_type="image/jpeg")

    assert photo_error(upload, max_bytes=1000).code == "too_large"


def test_process_photo_byte_limit_from_settings(settings):
    settings.PHOTO_MAX_UPLOAD_BYTES = 1000
    data = noise_jpeg((200, 200))
    assert len(data) > 1000

    assert photo_error(data).code == "too_large"


def test_process_photo_pixel_limit_from_settings(settings):
    settings.PHOTO_MAX_PIXELS = 10_000

    assert photo_error(encode(Image.new("RGB", (101, 100)))).code == "pixels"


def test_process_photo_result_repr_leaves_out_the_bytes():
    photo = process_photo(encode(Image.new("RGB", (10, 10))))

    assert isinstance(photo, ProcessedPhoto)
    assert "display=" not in repr(photo)


def test_process_photo_refuses_truncated_jpeg_even_after_weasyprint_relaxed_pillow(monkeypatch):
    from PIL import ImageFile

    # WeasyPrint sets this process-wide when it is imported (brochure PDFs).
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    data = noise_jpeg((800, 600))

    assert photo_error(data[: len(data) // 2]).code == "truncated"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
