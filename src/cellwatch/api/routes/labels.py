"""``POST /v1/read-label``: a label photo (multipart field ``photo``) → facts to check.

The answer is exactly what ``cellwatch read-label --json`` prints
(:meth:`~cellwatch.labels.LabelReading.as_json`). The photo is bounded twice: the request
body by the body limit (``max_photo_bytes`` plus room for the form), the photo itself by
``max_photo_bytes``. The OCR runs in a worker thread, one photo at a time per process.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from cellwatch.api import errors
from cellwatch.api.deps import ServicesDep, SnapshotDep
from cellwatch.errors import TooLarge
from cellwatch.labels import read_label

router = APIRouter(prefix="/v1", tags=["labels"], responses=errors.responses(413, 422, 429, 503))


class FactPublic(BaseModel):
    value: str | int | float = Field(description="The value, in the check's terms.")
    confidence: float = Field(ge=0, le=1, description="How sure the reading is, 0..1.")
    text: str = Field(description="The line of text the value was read from.")


class LinePublic(BaseModel):
    text: str
    confidence: float = Field(ge=0, le=1)


class ImagePublic(BaseModel):
    width: int = Field(description="Width of the photo, upright, in pixels.")
    height: int = Field(description="Height of the photo, upright, in pixels.")
    rotated: int = Field(description="Degrees the photo was turned clockwise (EXIF).")


class NotePublic(BaseModel):
    en: str
    zh: str


class LabelReadingPublic(BaseModel):
    """What was read off the label: correct the facts, then check them."""

    facts: dict[str, FactPublic] = Field(description=(
        "brand, model, serial, batch, produced, capacity_mah, voltage_v, energy_wh, "
        "rated_capacity_mah, ccc_mark (only ever `present`), ccc_certificate; a field not "
        "read is absent."
    ))
    lines: list[LinePublic] = Field(description="Every line of text read, top to bottom.")
    image: ImagePublic
    seconds: float = Field(description="Seconds the reading took.")
    notes: list[NotePublic] = Field(description="What the person should know, en and zh.")


@router.post(
    "/read-label", response_model=LabelReadingPublic, summary="Read a power-bank label photo",
)
async def read_label_photo(
    photo: Annotated[UploadFile, File(description="A photo of the label (JPEG, PNG, WebP…).")],
    services: ServicesDep,
    snapshot: SnapshotDep,
) -> JSONResponse:
    """Find the text on the label and read the check's facts from it, each with its
    confidence and the text it came from. A photo never proves a mark is absent: when no
    3C mark is read, ``ccc_mark`` is left out (unknown)."""
    limit = services.settings.max_photo_bytes
    data = await photo.read(limit + 1)
    await photo.close()
    if len(data) > limit:
        raise TooLarge("the photo", limit)
    reading = await run_in_threadpool(read_label, data, snapshot.registry, limit=limit)
    return JSONResponse(reading.as_json())
