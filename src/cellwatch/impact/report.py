"""The impact analysis's answer, as plain values a CLI, an API or a page renders as it is.

Frozen dataclasses, serialised by :meth:`ImpactReport.as_json` through pydantic into the
JSON that ``cellwatch impact --json`` prints (and that an API returns unchanged). Every
text a person reads is a :class:`~cellwatch.domain.records.Text` (English and Simplified
Chinese); every machine-readable value sits next to it.

Units are never guessed: :class:`Units` counts the units the registry knows and, apart,
the batches whose size it does not know.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pydantic import TypeAdapter

from cellwatch.domain.dates import PartialDate
from cellwatch.domain.records import Text


class Exposure(StrEnum):
    """Whether a reached batch is covered by a recall announced by the date."""

    RECALLED = "recalled"
    UNDECIDED = "undecided"  # partly recalled, or it depends on facts a batch does not have
    NOT_RECALLED = "not_recalled"


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    """One step of a path from the start to a batch."""

    kind: str  # company, former_name, contract_factory, certificate, cell_lot, model, batch
    id: str
    text: Text


@dataclass(frozen=True, slots=True, kw_only=True)
class Units:
    """Units the registry knows, and the batches whose size it does not know."""

    known: int = 0
    unknown_batches: int = 0

    def __add__(self, other: Units) -> Units:
        return Units(
            known=self.known + other.known,
            unknown_batches=self.unknown_batches + other.unknown_batches,
        )

    @classmethod
    def of(cls, units: int | None) -> Units:
        return cls(unknown_batches=1) if units is None else cls(known=units)


@dataclass(frozen=True, slots=True, kw_only=True)
class RecallHit:
    """A recall scope entry that covers (or may cover) a batch."""

    id: str
    authority: str
    announced: str
    scope_entry: int
    outcome: str  # matches | undecided
    matched_on: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()  # what decides it: produced (the window is partly inside), …
    title: Text | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class BatchOut:
    brand: str
    model: str
    batch: str
    produced_from: PartialDate | None = None
    produced_to: PartialDate | None = None
    units: int | None = None
    cell_lot: str | None = None
    exposure: Exposure
    recalls: tuple[RecallHit, ...] = ()
    made_after_suspension: bool | None = None  # None: unknown, or the window straddles it
    path: tuple[Step, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Split:
    """Batches and units of one exposure class."""

    batches: int = 0
    units: Units = field(default_factory=Units)


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelOut:
    brand: str
    brand_name: Text
    model: str
    batches: tuple[BatchOut, ...]
    exposed: Split
    recalled: Split
    undecided: Split
    not_recalled: Split
    recalled_by: tuple[str, ...] = ()  # recall ids that cover at least one batch


@dataclass(frozen=True, slots=True, kw_only=True)
class LotOut:
    lot: str
    cell_maker: str
    factory: str | None = None
    batches: int
    path: tuple[Step, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class CertificateRef:
    number: str
    holder: str
    product_kind: str
    status: str | None  # at the date; None before it was issued
    what_if: bool = False  # the status is the what-if suspension, not a recorded one
    number_published: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class CertificateState:
    """The start company's certificates at the date, and when its suspension began."""

    company: str | None
    certificates: tuple[CertificateRef, ...] = ()
    cell_certificates_invalid: bool = False  # any cell certificate suspended or revoked
    suspended_since: dt.date | None = None  # earliest suspension in effect, or the what-if date
    what_if_suspended_from: dt.date | None = None
    summary: Text


@dataclass(frozen=True, slots=True, kw_only=True)
class StartOut:
    kind: str  # company | cell_lot | certificate
    query: str
    company: str | None = None
    name: Text | None = None
    identities: tuple[str, ...] = ()  # the company's current and former ids
    contract_factories: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Related:
    """A company linked to the start that the walk does not follow, and why."""

    company: str
    relation: str  # subsidiary | parent
    note: Text


@dataclass(frozen=True, slots=True, kw_only=True)
class Totals:
    brands: int
    models: int
    exposed: Split
    recalled: Split
    undecided: Split
    not_recalled: Split
    made_after_suspension: int = 0  # batches


@dataclass(frozen=True, slots=True, kw_only=True)
class ImpactReport:
    date: dt.date
    registry_version: int
    start: StartOut
    certificates: CertificateState
    headline: Text
    totals: Totals
    models: tuple[ModelOut, ...] = ()
    lots: tuple[LotOut, ...] = ()
    related: tuple[Related, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """The report as JSON values (what ``--json`` prints and an API returns)."""
        value: dict[str, Any] = _ADAPTER.dump_python(self, mode="json")
        return value


_ADAPTER: TypeAdapter[ImpactReport] = TypeAdapter(ImpactReport)
