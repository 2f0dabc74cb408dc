"""Evidence photos: bounded, decoded, re-encoded, with every piece of metadata dropped.

A photo is accepted only if it is at most ``max_bytes``, is a JPEG, PNG or WebP (or a
phone's multi-picture JPEG) whose declared size is at most ``max_pixels`` (a decompression
bomb is refused before it is decoded), and decodes completely. It is then turned upright
(EXIF orientation), scaled to fit ``MAX_SIDE`` and written again as a plain JPEG: EXIF
(GPS position, camera, time), XMP, ICC and comments are not carried over.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from cellwatch.errors import InputError, TooLarge

FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP"})
MAX_SIDE = 2048
MAX_PIXELS = 40_000_000
QUALITY = 85


@dataclass(frozen=True)
class Photo:
    media_type: str
    width: int
    height: int
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def clean_photo(
    data: bytes, *, max_bytes: int, max_pixels: int = MAX_PIXELS, name: str = "photo"
) -> Photo:
    """The photo re-encoded without metadata; :class:`InputError` or :class:`TooLarge`."""
    if len(data) > max_bytes:
        raise TooLarge(f"{name} ({len(data):,} bytes)", max_bytes)
    if not data:
        raise InputError(f"{name} is empty")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in FORMATS:
                    raise InputError(
                        f"{name} is a {image.format} image; send a JPEG, PNG or WebP photo"
                    )
                width, height = image.size
                if width * height > max_pixels:
                    raise TooLarge(f"{name} ({width}×{height} pixels)", max_pixels)
                image.load()
                upright = ImageOps.exif_transpose(image)
                clean = upright.convert("RGB")
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise TooLarge(f"{name} (pixels)", max_pixels) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise InputError(f"{name} is not a readable image: {error}") from None
    clean.thumbnail((MAX_SIDE, MAX_SIDE))
    clean.info.clear()  # Pillow would write a comment or ICC profile kept here
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=QUALITY, optimize=True)
    return Photo("image/jpeg", clean.width, clean.height, out.getvalue())
