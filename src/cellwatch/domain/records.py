"""What every registry record shares: immutability, strict fields, sources, a digest."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, StringConstraints, field_validator

from cellwatch.domain.names import SLUG_PATTERN

_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False)


def canonical_json(value: Any) -> str:
    """The JSON text every digest and audit hash in cellwatch is computed over."""
    text: str = _CANONICAL.encode(value)
    return text


# Constraints checked inside pydantic-core (no Python call per value): a registry of a
# million batches validates them millions of times.
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
NonBlank = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Record(BaseModel):
    """Base of every registry record: frozen, no unknown fields, comparable by content."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    kind_name: ClassVar[str] = "record"

    @property
    def key(self) -> tuple[str, ...]:
        raise NotImplementedError

    def key_text(self) -> str:
        return "/".join(self.key)

    def canonical(self) -> dict[str, Any]:
        """The record as plain JSON values, without unset optional fields."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True, exclude_defaults=True)

    def canonical_json(self) -> str:
        return canonical_json(self.canonical())

    def digest(self) -> str:
        """A content hash: equal records have equal digests, on every backend."""
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()


_SOURCE_LISTS: dict[tuple[str, ...], tuple[str, ...]] = {}


class Sourced(Record):
    """A record that must name at least one public source."""

    sources: tuple[Slug, ...]

    @field_validator("sources")
    @classmethod
    def _at_least_one(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("at least one source is required")
        if len(set(value)) != len(value):
            raise ValueError("a source is listed twice")
        # many records cite the same sources: share one tuple (bounded, like sys.intern)
        if len(_SOURCE_LISTS) < 100_000:
            return _SOURCE_LISTS.setdefault(value, value)
        return value


class Text(BaseModel):
    """A text a person reads, in English and Simplified Chinese."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    en: NonBlank
    zh: NonBlank | None = None

    def get(self, lang: str) -> str:
        if lang == "zh" and self.zh:
            return self.zh
        return self.en
