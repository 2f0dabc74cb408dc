"""Evidence photos: re-encoded without metadata; bombs, non-images and big files refused."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from cellwatch.claims.evidence import MAX_SIDE, clean_photo
from cellwatch.errors import InputError, TooLarge

LIMIT = 4 * 1024 * 1024


def jpeg_with_gps(size: tuple[int, int] = (64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° to be upright
    gps = {1: "N", 2: (31.0, 14.0, 0.0), 3: "E", 4: (121.0, 28.0, 0.0)}
    exif[0x8825] = gps  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"taken at home")
    return out.getvalue()


def test_metadata_is_stripped_and_the_photo_turned_upright() -> None:
    original = jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get(0x8825)  # the GPS block is there before
    photo = clean_photo(original, max_bytes=LIMIT)
    assert photo.media_type == "image/jpeg"
    with Image.open(io.BytesIO(photo.data)) as after:
        assert dict(after.getexif()) == {}
        assert "comment" not in after.info and "exif" not in after.info
        assert after.size == (48, 64)  # the orientation was applied, then dropped
    assert b"PhoneMaker" not in photo.data and b"taken at home" not in photo.data


def test_a_large_photo_is_scaled_down() -> None:
    out = io.BytesIO()
    Image.new("RGB", (MAX_SIDE * 2, 100)).save(out, format="PNG")
    photo = clean_photo(out.getvalue(), max_bytes=LIMIT)
    assert (photo.width, photo.height) == (MAX_SIDE, 50)


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        (b"", InputError, "empty"),
        (b"%PDF-1.4 not an image at all", InputError, "not a readable image"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 100, InputError, "not a readable image"),
        (b"x" * (LIMIT + 1), TooLarge, "larger than the limit"),
    ],
)
def test_bad_uploads_are_refused(data: bytes, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        clean_photo(data, max_bytes=LIMIT)


def test_a_decompression_bomb_is_refused_before_decoding() -> None:
    # a tiny PNG file that declares 20,000 × 20,000 pixels (400 Mpx)
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, format="PNG", optimize=True)
    bomb = out.getvalue()
    assert len(bomb) < 200_000
    with pytest.raises(TooLarge, match="pixels"):
        clean_photo(bomb, max_bytes=LIMIT)


def test_other_formats_are_refused() -> None:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="GIF")
    with pytest.raises(InputError, match="GIF"):
        clean_photo(out.getvalue(), max_bytes=LIMIT)
