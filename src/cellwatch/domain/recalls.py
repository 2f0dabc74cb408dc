"""Recalls (and authorities' warnings) with the scope of units they cover."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from cellwatch.domain.dates import PartialDate
from cellwatch.domain.names import serial_key
from cellwatch.domain.records import NonBlank, Slug, Sourced, Text
from cellwatch.domain.serials import compile_glob


class RecallKind(StrEnum):
    RECALL = "recall"
    WARNING = "warning"


class Remedy(StrEnum):
    REFUND = "refund"
    REPLACEMENT = "replacement"
    REPAIR = "repair"
    VOUCHER = "voucher"
    GIFT_CARD = "gift_card"
    DISPOSE = "dispose"


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Window(_Part):
    """A date window; either end may be open."""

    from_: PartialDate | None = Field(default=None, alias="from")
    to: PartialDate | None = None

    model_config = ConfigDict(populate_by_name=True)

    @model_validator(mode="after")
    def _order(self) -> Window:
        if self.from_ is None and self.to is None:
            raise ValueError("a window needs 'from' or 'to'")
        if self.from_ and self.to and self.to.last_day() < self.from_.first_day():
            raise ValueError(f"window ends ({self.to}) before it starts ({self.from_})")
        return self


class SerialRange(_Part):
    from_: NonBlank = Field(alias="from")
    to: NonBlank

    model_config = ConfigDict(populate_by_name=True)

    @model_validator(mode="after")
    def _order(self) -> SerialRange:
        low, high = serial_key(self.from_), serial_key(self.to)
        if len(low) != len(high):
            raise ValueError(f"serial range {self.from_}..{self.to}: ends differ in length")
        if low > high:
            raise ValueError(f"serial range {self.from_}..{self.to}: from is after to")
        return self


class ScopeEntry(_Part):
    """One model and optional constraints on its units."""

    model: NonBlank
    brand: Slug | None = None
    batches: tuple[NonBlank, ...] = ()
    produced: tuple[Window, ...] = ()
    serials: tuple[NonBlank, ...] = ()
    serial_ranges: tuple[SerialRange, ...] = ()
    serial_patterns: tuple[NonBlank, ...] = ()
    units: int | None = Field(default=None, ge=0)
    note: str | None = None

    @field_validator("serial_patterns")
    @classmethod
    def _globs(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in value:
            compile_glob(pattern)  # raises GlobError (a ValueError) with the reason
        return value

    @property
    def unconstrained(self) -> bool:
        return not (
            self.batches
            or self.produced
            or self.serials
            or self.serial_ranges
            or self.serial_patterns
        )


class Revision(_Part):
    date: PartialDate
    summary: Text
    units: int | None = Field(default=None, ge=0)
    sources: tuple[Slug, ...] = ()


class Recall(Sourced):
    kind_name: ClassVar[str] = "recall"

    id: Slug
    kind: RecallKind = RecallKind.RECALL
    issuer: Slug
    authority: NonBlank
    market: NonBlank
    announced: PartialDate
    title: Text | None = None
    hazard: Text | None = None
    cause: Text | None = None
    remedies: tuple[Remedy, ...] = ()
    claim: Text | None = None
    units: int | None = Field(default=None, ge=0)
    units_approximate: bool = False
    incidents: int | None = Field(default=None, ge=0)
    injuries: int | None = Field(default=None, ge=0)
    sold: tuple[Window, ...] = ()
    contacts: tuple[NonBlank, ...] = ()
    revisions: tuple[Revision, ...] = ()
    scope: tuple[ScopeEntry, ...]
    note: str | None = None

    @field_validator("scope")
    @classmethod
    def _scope(cls, value: tuple[ScopeEntry, ...]) -> tuple[ScopeEntry, ...]:
        if not value:
            raise ValueError("a recall needs at least one scope entry")
        return value

    @property
    def key(self) -> tuple[str, ...]:
        return (self.id,)

    def entry_brand(self, entry: ScopeEntry) -> str:
        return entry.brand or self.issuer
