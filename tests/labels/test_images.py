"""Photos in: EXIF rotation honoured, large photos scaled, bombs and non-images refused."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from cellwatch.errors import InputError, TooLarge
from cellwatch.labels.images import MAX_PIXELS, MAX_SIDE, open_photo

LIMIT = 10 * 1024 * 1024


def encoded(image: Image.Image, format: str = "JPEG", orientation: int | None = None) -> bytes:
    buffer = io.BytesIO()
    options = {}
    if orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = orientation
        options["exif"] = exif
    image.save(buffer, format=format, **options)
    return buffer.getvalue()


def marked(width: int = 400, height: int = 200) -> Image.Image:
    """White, with a red block at the top left: where it ends up shows how it was turned."""
    image = Image.new("RGB", (width, height), "white")
    image.paste((255, 0, 0), (0, 0, width // 4, height // 4))
    return image


def red_corner(image: Image.Image) -> str:
    w, h = image.size
    corners = {
        "top_left": (5, 5), "top_right": (w - 6, 5),
        "bottom_left": (5, h - 6), "bottom_right": (w - 6, h - 6),
    }
    reds = [name for name, xy in corners.items() if _is_red(image.getpixel(xy))]
    assert len(reds) == 1, reds
    return reds[0]


def _is_red(pixel: object) -> bool:
    assert isinstance(pixel, tuple)
    red, green, blue = pixel[:3]
    return bool(red > 200 and green < 80 and blue < 80)


def test_an_upright_photo_is_read_as_it_is() -> None:
    photo = open_photo(encoded(marked()), LIMIT)
    assert (photo.width, photo.height, photo.rotated) == (400, 200, 0)
    assert photo.image.mode == "RGB" and red_corner(photo.image) == "top_left"


@pytest.mark.parametrize(
    ("orientation", "turned", "stored_turn"),
    [(3, 180, 180), (6, 90, 90), (8, 270, -90)],
)
def test_exif_orientation_is_honoured(orientation: int, turned: int, stored_turn: int) -> None:
    # a phone stores the sensor's picture and an orientation that turns it upright
    stored = marked().rotate(stored_turn, expand=True)
    photo = open_photo(encoded(stored, orientation=orientation), LIMIT)
    assert photo.rotated == turned
    assert (photo.width, photo.height) == (400, 200)
    assert photo.image.size == (400, 200)
    assert red_corner(photo.image) == "top_left"


def test_a_large_photo_is_scaled_down_keeping_its_shape() -> None:
    photo = open_photo(encoded(marked(6000, 4000)), LIMIT)
    assert (photo.width, photo.height) == (6000, 4000)
    assert max(photo.image.size) <= MAX_SIDE and photo.image.width >= MAX_SIDE * 0.9
    assert abs(photo.image.width / photo.image.height - 1.5) < 0.01
    assert photo.scale < 0.4


def test_transparency_is_flattened_on_white() -> None:
    image = Image.new("RGBA", (50, 50), (0, 0, 0, 0))
    photo = open_photo(encoded(image, "PNG"), LIMIT)
    assert photo.image.mode == "RGB" and photo.image.getpixel((10, 10)) == (255, 255, 255)


@pytest.mark.parametrize("mode", ["L", "P", "CMYK", "1"])
def test_every_common_mode_becomes_rgb(mode: str) -> None:
    image = marked().convert(mode)
    format = "JPEG" if mode in ("L", "CMYK") else "PNG"
    assert open_photo(encoded(image, format), LIMIT).image.mode == "RGB"


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that announces ``width`` × ``height`` pixels and holds almost none."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 64)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
            + chunk(b"IEND", b""))


@pytest.mark.parametrize("size", [(9000, 9000), (50_000, 50_000), (2**20, 2**20)])
def test_a_decompression_bomb_is_refused_before_it_is_decoded(size: tuple[int, int]) -> None:
    with pytest.raises(TooLarge) as raised:
        open_photo(png_header_only(*size), LIMIT)
    assert raised.value.limit == MAX_PIXELS
    assert "pixel" in str(raised.value)


def test_more_bytes_than_the_limit_are_refused() -> None:
    data = encoded(marked())
    with pytest.raises(TooLarge) as raised:
        open_photo(data, len(data) - 1)
    assert raised.value.limit == len(data) - 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"%PDF-1.7 not a photo", "not a photo"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not a photo"),
        (b"\0" * 1000, "not a photo"),
    ],
)
def test_what_is_not_a_photo_is_refused_clearly(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        open_photo(data, LIMIT)


def test_a_photo_cut_short_is_refused_clearly() -> None:
    data = encoded(marked(800, 600), "PNG")
    with pytest.raises(InputError, match="damaged or cut short"):
        open_photo(data[: len(data) // 2], LIMIT)
