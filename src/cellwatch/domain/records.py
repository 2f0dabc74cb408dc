"""What every registry record shares: immutability, strict fields, sources, a digest."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, ConfigDict, field_validator

from cellwatch.domain.names import is_slug


def _slug(value: str) -> str:
    if not is_slug(value):
        raise ValueError(f"{value!r} is not a slug (lower-case letters, digits and '-')")
    return value


def _nonblank(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("must not be empty")
    return value


Slug = Annotated[str, AfterValidator(_slug)]
NonBlank = Annotated[str, AfterValidator(_nonblank)]


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

    def digest(self) -> str:
        """A content hash: equal records have equal digests, on every backend."""
        text = json.dumps(self.canonical(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
