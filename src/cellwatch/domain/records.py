"""What every registry record shares: immutability, strict fields, sources, a digest."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, StringConstraints, field_validator, model_validator

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


class _SharedFieldNames(set[str]):
    """The set of fields given, shared by every record that gave the same ones.

    pydantic keeps one such set per instance (about 700 bytes for a batch); a registry of
    a million records repeats a handful of them. Records are frozen, so nothing adds to
    it; a copy (``model_copy``) gets a plain set of its own.
    """

    def __copy__(self) -> set[str]:
        return set(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> set[str]:
        return set(self)


_FIELD_NAME_SETS: dict[frozenset[str], _SharedFieldNames] = {}


class Record(BaseModel):
    """Base of every registry record: frozen, no unknown fields, comparable by content."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    kind_name: ClassVar[str] = "record"

    @model_validator(mode="after")
    def _share_field_names(self) -> Record:
        names = frozenset(self.__pydantic_fields_set__)
        shared = _FIELD_NAME_SETS.get(names)
        if shared is None:
            shared = _FIELD_NAME_SETS.setdefault(names, _SharedFieldNames(names))
        object.__setattr__(self, "__pydantic_fields_set__", shared)
        return self

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


@lru_cache(maxsize=8192)
def text(en: str, zh: str | None = None) -> Text:
    """A bilingual text, one shared object for the same words (texts are immutable)."""
    return Text(en=en, zh=zh)
