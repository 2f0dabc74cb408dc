"""A photo as uploaded → an upright RGB image of a size the OCR reads well.

Bounded at every step: the bytes (``limit``), the pixels the header announces (a
decompression bomb is refused before a pixel is decoded), and the size handed on (a large
photo is scaled down, a JPEG already while it is decoded). The EXIF orientation a phone
writes is applied, so a label photographed sideways is read upright.
"""

from __future__ import annotations

import io
import logging
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from cellwatch.errors import InputError, TooLarge

log = logging.getLogger(__name__)

#: The formats a phone or a browser uploads; anything else is refused.
FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF")
#: The most pixels a photo may announce (a 48-megapixel phone photo is about 48 million).
MAX_PIXELS = 64_000_000
#: The longest side handed to the OCR; larger photos are scaled down to it.
MAX_SIDE = 2000

#: EXIF orientation → degrees the photo is turned clockwise to stand upright.
_TURNS = {1: 0, 2: 0, 3: 180, 4: 180, 5: 90, 6: 90, 7: 270, 8: 270}


@dataclass(frozen=True)
class Photo:
    """An upright RGB image, the size of the photo (upright) and how it was turned."""

    image: Image.Image
    width: int
    height: int
    rotated: int  # degrees clockwise, from the EXIF orientation

    @property
    def scale(self) -> float:
        """The image's size over the photo's (1.0 when it was not scaled down)."""
        return self.image.width / self.width


def open_photo(data: bytes, limit: int, max_side: int = MAX_SIDE) -> Photo:
    """Decode ``data`` (at most ``limit`` bytes) into an upright image of at most
    ``max_side`` pixels a side; :class:`InputError` for what is not a readable photo."""
    if len(data) > limit:
        raise TooLarge(f"a photo of {len(data):,} bytes", limit)
    if not data:
        raise InputError("the photo is empty")
    Image.init()  # every format's plugin, not only the common ones
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise _bomb(None) from None
    except UnidentifiedImageError:
        raise InputError(
            "the file is not a photo cellwatch can read (JPEG, PNG, WebP, GIF, BMP or TIFF)"
        ) from None
    with image:
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise _bomb((width, height))
        if width < 1 or height < 1:
            raise InputError("the photo has no pixels")
        turns = _TURNS.get(_orientation(image), 0)
        try:
            upright = _decode(image, max_side)
        except (OSError, ValueError, SyntaxError) as error:
            log.info("photo could not be decoded: %s", error)
            raise InputError(f"the photo is damaged or cut short ({error})") from None
    if turns in (90, 270):
        width, height = height, width
    log.debug("photo %sx%s turned %s°, read at %sx%s", width, height, turns, *upright.size)
    return Photo(upright, width, height, turns)


def _bomb(size: tuple[int, int] | None) -> TooLarge:
    what = f"a photo of {size[0]:,} × {size[1]:,} pixels" if size else "the photo's pixel count"
    return TooLarge(what, MAX_PIXELS)


def _orientation(image: Image.Image) -> int:
    try:
        value = image.getexif().get(0x0112, 1)
    except Exception:  # a broken EXIF block: read the photo as it is
        return 1
    return value if isinstance(value, int) else 1


def _decode(image: Image.Image, max_side: int) -> Image.Image:
    """Decode (a JPEG at a reduced scale when it is much larger), turn upright, scale down
    and flatten to RGB (transparency on white)."""
    image.draft("RGB", (max_side, max_side))  # JPEG only: decode at 1/2, 1/4 or 1/8
    image.load()
    upright = ImageOps.exif_transpose(image)
    if max(upright.size) > max_side:
        upright.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    if upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info
    ):
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return upright.convert("RGB") if upright.mode != "RGB" else upright.copy()
