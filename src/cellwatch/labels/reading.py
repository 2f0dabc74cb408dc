"""``read_label``: a photo of a power-bank label → the check's facts, each with its
confidence and the text it came from. The one core function the CLI and the API call.

photo bytes → :mod:`~cellwatch.labels.images` (bounded, upright, scaled) →
:mod:`~cellwatch.labels.ocr` (text boxes → lines) → :mod:`~cellwatch.labels.texts`
(lines → facts) → :mod:`~cellwatch.labels.identity` (brand and model as the registry
knows them, when a registry is given).

A photo never proves that a mark is absent: ``ccc_mark`` is ``present`` when the letters
were read, and is otherwise left out (the check then takes it as ``unknown``).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from PIL import Image

from cellwatch.domain.records import Text, text
from cellwatch.domain.registry import Registry
from cellwatch.labels import identity, ocr
from cellwatch.labels.images import open_photo
from cellwatch.labels.texts import Fact, LabelFacts, Line, read_facts

log = logging.getLogger(__name__)

#: The default bound on a photo's bytes (the API and CLI pass ``max_photo_bytes``).
DEFAULT_LIMIT = 10 * 1024 * 1024

NO_TEXT = text(
    "No text was found in the photo: take it again, closer, sharp and with light on the label.",
    "照片中没有找到文字：请靠近标签、对准焦点并在光线充足处重拍。",
)
NO_MARK = text(
    "No 3C (CCC) mark was read. A photo never proves that a mark is absent: look at the unit "
    "and set the mark yourself.",
    "未读到 3C（CCC）标志。照片不能证明标志不存在：请查看实物并自行填写。",
)
CHECK_FACTS = text(
    "Compare every value with the label and correct it before checking.",
    "检查前请将每个读数与标签核对并更正。",
)


def unknown_brand(name: str) -> Text:
    return text(
        f"The brand read ({name}) is not in the registry.",
        f"读到的品牌（{name}）不在登记库中。",
    )


@dataclass(frozen=True)
class LabelReading:
    """What was read off a label photo (the answer of ``POST /v1/read-label``)."""

    facts: dict[str, Fact]
    lines: tuple[Line, ...]
    width: int
    height: int
    rotated: int
    seconds: float
    notes: tuple[Text, ...]

    def value(self, field: str) -> Any:
        fact = self.facts.get(field)
        return None if fact is None else fact.value

    def as_json(self) -> dict[str, Any]:
        return {
            "facts": {field: fact.as_json() for field, fact in self.facts.items()},
            "lines": [
                {"text": line.text, "confidence": round(line.confidence, 3)}
                for line in self.lines
            ],
            "image": {"width": self.width, "height": self.height, "rotated": self.rotated},
            "seconds": round(self.seconds, 3),
            "notes": [{"en": note.en, "zh": note.zh or note.en} for note in self.notes],
        }


def read_label(
    data: bytes, registry: Registry | None = None, *, limit: int = DEFAULT_LIMIT
) -> LabelReading:
    """Read the label in the photo ``data`` (at most ``limit`` bytes).

    With a ``registry`` the brand and model are resolved against it. Raises
    :class:`~cellwatch.errors.TooLarge` or :class:`~cellwatch.errors.InputError` for a
    photo that is too large or not a readable image; a photo with no text is not an error
    (no facts, and a note).
    """
    started = time.perf_counter()
    photo = open_photo(data, limit)
    lines, read, turned = _read_upright(photo.image)
    facts = read.facts
    notes = list(read.notes)
    if registry is not None:
        facts = identity.resolve(facts, read.maker, lines, registry)
        brand = facts.get("brand")
        if brand is not None and registry.resolve_company(str(brand.value)) is None:
            notes.append(unknown_brand(str(brand.value)))
    elif "brand" not in facts and read.maker is not None:
        facts = {"brand": Fact(read.maker.value, read.maker.confidence * 0.8, read.maker.text),
                 **facts}
    if not lines:
        notes.append(NO_TEXT)
    elif "ccc_mark" not in facts:
        notes.append(NO_MARK)
    if facts:
        notes.append(CHECK_FACTS)
    seconds = time.perf_counter() - started
    log.info("label read in %.2f s: %s line(s), %s fact(s)", seconds, len(lines), len(facts))
    width, height = photo.width, photo.height
    if turned in (90, 270):
        width, height = height, width
    return LabelReading(
        facts, lines, width, height, (photo.rotated + turned) % 360, seconds, tuple(notes)
    )


#: What makes a reading worth keeping without trying the photo turned sideways.
_KEY_FIELDS = ("model", "capacity_mah", "energy_wh", "serial", "batch")

_Read = tuple[tuple[Line, ...], LabelFacts, int]


def _read_upright(image: Image.Image) -> _Read:
    """The lines and facts of ``image``. When its text stands sideways, or it gives none
    of the key facts, it is read turned a quarter both ways too (a label photographed
    sideways without an EXIF orientation); the turn that gives the most facts wins."""
    boxes = ocr.read_boxes(image)
    lines = tuple(ocr.rows(boxes))
    best: _Read = (lines, read_facts(lines), 0)
    if not boxes or (
        not ocr.sideways(boxes) and any(f in best[1].facts for f in _KEY_FIELDS)
    ):
        return best
    for turn in (90, 270):
        upright = image.rotate(-turn, expand=True)
        turned = tuple(ocr.rows(ocr.read_boxes(upright, upside_down=False)))
        read = read_facts(turned)
        if _score(turned, read) > _score(*best[:2]):
            best = (turned, read, turn)
    return best


def _score(lines: tuple[Line, ...], read: LabelFacts) -> tuple[int, float]:
    confidence = sum(line.confidence for line in lines) / len(lines) if lines else 0.0
    return len(read.facts), confidence
