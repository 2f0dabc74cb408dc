"""The API's request (input) and response (public) schemas.

Input: the check's facts (:class:`CheckQuery` as query parameters, :class:`CheckRequest`
as JSON), and for writes the registry records themselves (``Recall``, ``Company``, …: the
same validated types a bundle is read into) or a ``…Create`` type where the path carries
part of the key. Output: listings (:class:`Meta` and ``results``), ``…Public`` records
with what belongs to them (sources resolved, history, status at a date), write results.
A ``…Public`` schema lists the record's own fields and its extras; it is built from the
record's type so that the two never drift.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, create_model

from cellwatch.check import Device, Trip
from cellwatch.check.inputs import Short
from cellwatch.check.result import CheckResult
from cellwatch.domain.certificates import Certificate, CertificateStatus, StatusChange
from cellwatch.domain.companies import Company
from cellwatch.domain.incidents import Incident
from cellwatch.domain.products import Batch, ProductModel
from cellwatch.domain.recalls import Recall
from cellwatch.domain.records import NonBlank, Slug
from cellwatch.domain.sources import Source
from cellwatch.rules.facts import Baggage, Mark
from cellwatch.store.tokens import TokenRole

T = TypeVar("T")
MAX_BATCH = 1000
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: object) -> object:
    """Only ``YYYY-MM-DD`` (pydantic alone would read ``0`` as 1970-01-01)."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value.strip()):
        raise ValueError("expected a date as YYYY-MM-DD")
    return value.strip()


#: A calendar date, written YYYY-MM-DD and nothing else.
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]

_PRODUCED = r"^(19|20)\d{2}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- the check ---------------------------------------------------------------------------


class _CheckFacts(_Strict):
    """The facts of one unit and one trip; the names of the CLI's options, with ``_``."""

    brand: Short | None = Field(None, description="Brand, by any name or alias.")
    model: Short | None = Field(None, description="Model code or marketing name.")
    serial: Short | None = Field(None, description="Serial number (SN).")
    batch: Short | None = Field(None, description="Batch code.")
    produced: str | None = Field(
        None, pattern=_PRODUCED, description="Production date, YYYY-MM or YYYY-MM-DD."
    )
    capacity_mah: int | None = Field(None, gt=0, le=1_000_000, description="Capacity, mAh.")
    voltage: float | None = Field(
        None, gt=0, le=60, description="Cell nominal voltage in V (not the 5 V USB output)."
    )
    energy_wh: float | None = Field(None, gt=0, le=10_000, description="Rated energy, Wh.")
    ccc_mark: Mark = Field(Mark.UNKNOWN, description="Is the 3C mark on the unit?")
    ccc_certificate: Short | None = Field(None, description="3C certificate number on the unit.")
    date: IsoDate | None = Field(None, description="Trip date (default: today).")
    baggage: Baggage = Field(Baggage.CARRY_ON, description="carry_on or checked.")
    count: int = Field(1, ge=1, le=100, description="How many power banks are carried.")

    def device(self) -> Device:
        return Device(
            brand=self.brand, model=self.model, serial=self.serial, batch=self.batch,
            produced=self.produced, capacity_mah=self.capacity_mah, voltage_v=self.voltage,
            energy_wh=self.energy_wh, ccc_mark=self.ccc_mark,
            ccc_certificate=self.ccc_certificate,
        )

    def trip(self, rules: str | list[str]) -> Trip:
        return Trip.model_validate({
            "rules": rules, "date": self.date or dt.date.today(), "baggage": self.baggage,
            "count": self.count,
        })


class CheckQuery(_CheckFacts):
    """``GET /v1/check``: the facts as query parameters."""

    rules: Short = Field(
        "cn-caac", description="Rule pack(s), comma-separated, e.g. icao,emirates."
    )

    def inputs(self) -> tuple[Device, Trip]:
        return self.device(), self.trip(self.rules)


class CheckRequest(_CheckFacts):
    """``POST /v1/check``: the facts as a JSON object."""

    rules: Short | list[Short] = Field(
        "cn-caac", description="Rule pack(s): a list, or one string, comma-separated."
    )

    def inputs(self) -> tuple[Device, Trip]:
        return self.device(), self.trip(self.rules)


class BatchCheckRequest(_Strict):
    """``POST /v1/check/batch``: up to 1,000 units, checked against one registry snapshot."""

    items: list[CheckRequest] = Field(
        min_length=1, json_schema_extra={"maxItems": MAX_BATCH},
        description=f"The units to check, at most {MAX_BATCH} (more: 413).",
    )


class BatchMeta(_Strict):
    count: int
    registry_version: int


class BatchCheckResponse(_Strict):
    meta: BatchMeta
    results: list[CheckResult]


# -- listings ----------------------------------------------------------------------------


class Meta(_Strict):
    total: int = Field(description="How many records match, before paging.")
    limit: int
    skip: int
    registry_version: int = Field(description="The registry version the answer was read at.")
    last_updated: dt.datetime | None = Field(description="When that version was written.")
    date: dt.date | None = Field(None, description="The date statuses are given at.")


class Listing(_Strict, Generic[T]):
    meta: Meta
    results: list[T]


class CertificateListed(Certificate):
    """A certificate in a listing, with its status at the listing's date."""

    status: CertificateStatus | None = None


class RulePackSummary(_Strict):
    id: str
    title: dict[str, str]
    mode: str
    applies_to: dict[str, str]
    includes: list[str]
    rules: int
    conditions: int


class RulePackPublic(_Strict):
    """A rule pack: its rules (with ``when_text``, the condition in words) and conditions."""

    model_config = ConfigDict(extra="allow")

    id: str
    title: dict[str, str]
    applies_to: dict[str, str]
    mode: str
    rules: list[dict[str, Any]] = []
    conditions: list[dict[str, Any]] = []
    sources: list[dict[str, Any]]


# -- records with what belongs to them -----------------------------------------------------


class VersionPublic(_Strict):
    """One stored version of a record, from the audit log."""

    seq: int
    at: dt.datetime
    actor: str
    action: str
    digest: str | None
    record: dict[str, Any] | None


class StatusAt(_Strict):
    date: dt.date
    status: CertificateStatus | None


def _public(record: type[BaseModel], name: str, doc: str, **extra: Any) -> type[BaseModel]:
    """A schema with every field of ``record`` and the ``extra`` ones."""
    fields: dict[str, Any] = {n: (f.annotation, f) for n, f in record.model_fields.items()}
    model: type[BaseModel] = create_model(
        name, __base__=_Strict, __doc__=doc, **fields, **extra
    )
    return model


_DIGEST = (str, Field(description="The record's content digest (its ETag)."))
_SOURCES = (list[Source], Field(description="The sources the record cites."))

RecallPublic = _public(
    Recall, "RecallPublic", "A recall with its sources and every stored version.",
    digest=_DIGEST, source_records=_SOURCES,
    history=(list[VersionPublic], Field(description="Every stored version, oldest first.")),
)
CompanyPublic = _public(
    Company, "CompanyPublic", "A company with its former ids, certificates, models, recalls.",
    digest=_DIGEST, source_records=_SOURCES, former_ids=(list[str], ...),
    certificates=(list[str], ...), models=(list[str], ...), recalls=(list[str], ...),
)
ModelPublic = _public(
    ProductModel, "ModelPublic", "A product model with its batches and recalls.",
    digest=_DIGEST, source_records=_SOURCES, batches=(list[Batch], ...),
    recalls=(list[str], ...),
)
CertificatePublic = _public(
    Certificate, "CertificatePublic", "A certificate, its status at a date and its history.",
    digest=_DIGEST, source_records=_SOURCES, status=(StatusAt, ...),
    history=(list[StatusChange], ...),
)
IncidentPublic = _public(
    Incident, "IncidentPublic", "An incident with its sources.",
    digest=_DIGEST, source_records=_SOURCES,
)


# -- writes ------------------------------------------------------------------------------


class StatusChangeCreate(_Strict):
    """A status change of the certificate named in the path."""

    status: CertificateStatus
    date: Annotated[str, Field(pattern=_PRODUCED, description="YYYY, YYYY-MM or YYYY-MM-DD.")]
    reason: str | None = None
    reason_zh: str | None = None
    sources: list[Slug] = Field(min_length=1)

    def record(self, number: str) -> StatusChange:
        return StatusChange.model_validate({"number": number, **self.model_dump(exclude_none=True)})


class WriteResult(_Strict):
    kind: str
    key: str
    action: Literal["inserted", "updated", "unchanged"]
    digest: str = Field(description="The record's content digest (its ETag) after the write.")
    registry_version: int


class KindCounts(_Strict):
    inserted: int
    updated: int
    unchanged: int


class BundleResult(_Strict):
    dry_run: bool
    registry_version: int
    inserted: int
    updated: int
    unchanged: int
    kinds: dict[str, KindCounts]


# -- system ------------------------------------------------------------------------------


class DatabaseHealth(_Strict):
    reachable: bool
    backend: str


class Health(_Strict):
    status: Literal["ok"]
    version: str
    registry_version: int
    last_updated: dt.datetime | None
    database: DatabaseHealth


class Ping(_Strict):
    pong: bool = True


class AuditEntryPublic(_Strict):
    seq: int
    at: dt.datetime
    actor: str
    kind: str
    key: str
    action: str
    before_digest: str | None
    after_digest: str | None
    after: dict[str, Any] | None
    prev_hash: str
    hash: str


class AuditVerification(_Strict):
    ok: bool
    entries: int
    problems: list[str]


class TokenCreate(_Strict):
    role: TokenRole
    name: NonBlank = Field(max_length=100)
    company: Slug | None = Field(None, description="The company a brand token is bound to.")
    expires_in_days: int | None = Field(None, gt=0, le=3650)


class TokenPublic(_Strict):
    id: int
    name: str
    role: TokenRole
    company: str | None = None
    created_at: dt.datetime
    created_by: str
    expires_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None
    state: Literal["active", "expired", "revoked"]


class TokenCreated(TokenPublic):
    secret: str = Field(description="The bearer token. Shown once: it is stored only hashed.")
