"""The OCR engine (rapidocr-onnxruntime, offline on the CPU) and the lines it reads.

The detection and recognition models (Chinese and English, PP-OCRv4) ship inside the
rapidocr-onnxruntime wheel: nothing is downloaded, ever. The engine is made once per
process, on first use, and shared; one photo is read at a time (the ONNX sessions already
use every core), so threads that ask at once wait their turn.

The engine finds text boxes; boxes on one row of the label (a key on the left, its value
on the right) are joined into one line, left to right, rows top to bottom, after undoing
the slant of a photo taken at an angle.
"""

from __future__ import annotations

import logging
import math
import statistics
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from PIL import Image

from cellwatch.labels.texts import Line

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Box:
    """One text box the engine found: its corners (clockwise from top left), text, score."""

    corners: tuple[tuple[float, float], ...]
    text: str
    confidence: float

    @property
    def height(self) -> float:
        (x0, y0), _, _, (x3, y3) = self.corners
        return math.hypot(x3 - x0, y3 - y0)

    @property
    def width(self) -> float:
        (x0, y0), (x1, y1), _, _ = self.corners
        return math.hypot(x1 - x0, y1 - y0)

    @property
    def slope(self) -> float:
        (x0, y0), (x1, y1), _, _ = self.corners
        return (y1 - y0) / (x1 - x0) if x1 - x0 > 1 else 0.0

    def centre(self, slope: float) -> tuple[float, float]:
        """The centre, with the image's slant taken out of the height."""
        x = sum(p[0] for p in self.corners) / 4
        y = sum(p[1] for p in self.corners) / 4
        return x, y - slope * x


class _Engine(Protocol):
    def __call__(self, image: Any, *, use_cls: bool) -> tuple[Any, Any]: ...


_lock = threading.Lock()
_engine: _Engine | None = None


def engine() -> _Engine:
    """The process's one engine (made on first use: about a quarter of a second)."""
    global _engine
    if _engine is None:
        with _lock:
            if _engine is None:
                from rapidocr_onnxruntime import RapidOCR  # heavy: only when a photo comes

                _engine = RapidOCR()
                log.info("OCR engine ready")
    return _engine


def read_boxes(image: Image.Image, *, upside_down: bool = True) -> list[Box]:
    """Every text box in ``image`` (RGB), one photo at a time per process.

    ``upside_down=False`` reads every box as it stands (no 180° classifier): text upside
    down then reads as nonsense, which tells which of two opposite turns is upright.
    """
    ocr = engine()
    with _lock:
        found, _ = ocr(image, use_cls=upside_down)
    boxes = []
    for corners, words, score in found or ():
        words = str(words).strip()
        if words:
            points = tuple((float(x), float(y)) for x, y in corners)
            boxes.append(Box(points, words, float(score)))
    return boxes


def sideways(boxes: Sequence[Box]) -> bool:
    """Whether most of the text stands in tall boxes: the photo is turned a quarter (the
    engine still reads such boxes, turning each, but a label's rows become columns)."""
    letters = sum(len(b.text) for b in boxes)
    tall = sum(len(b.text) for b in boxes if b.height > 1.5 * b.width and len(b.text) > 1)
    return letters > 0 and tall > letters / 2


def rows(boxes: Sequence[Box]) -> list[Line]:
    """Boxes on one row joined left to right; rows top to bottom."""
    if not boxes:
        return []
    wide = [b.slope for b in boxes if len(b.text) >= 4]
    slope = statistics.median(wide) if wide else 0.0
    placed = sorted(boxes, key=lambda b: b.centre(slope)[1])
    groups: list[list[Box]] = []
    for box in placed:
        _, y = box.centre(slope)
        last = groups[-1] if groups else None
        if last is not None:
            ys = [b.centre(slope)[1] for b in last]
            row_y = sum(ys) / len(ys)
            if abs(y - row_y) < 0.5 * min(box.height, min(b.height for b in last)):
                last.append(box)
                continue
        groups.append([box])
    lines = []
    for group in groups:
        group.sort(key=lambda b: b.centre(slope)[0])
        weight = sum(len(b.text) for b in group)
        confidence = sum(b.confidence * len(b.text) for b in group) / weight
        lines.append(Line(" ".join(b.text for b in group), confidence))
    return lines
