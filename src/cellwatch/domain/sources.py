"""Sources: the public pages every fact in the registry comes from."""

from __future__ import annotations

from typing import ClassVar

from cellwatch.domain.dates import PartialDate
from cellwatch.domain.records import NonBlank, Record, Slug


class Source(Record):
    kind_name: ClassVar[str] = "source"

    id: Slug
    title: NonBlank
    publisher: str | None = None
    url: NonBlank
    published: PartialDate | None = None
    language: str | None = None

    @property
    def key(self) -> tuple[str, ...]:
        return (self.id,)
