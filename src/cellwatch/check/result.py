"""The check's answer, as plain values a CLI, an API or a page renders as it is.

Plain frozen dataclasses, cheap to build on the hot path; :meth:`CheckResult.as_json`
serialises one through pydantic.

Every text a person reads is a :class:`~cellwatch.domain.records.Text` (English and
Simplified Chinese).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter

from cellwatch.domain.records import Text
from cellwatch.rules.engine import FiredRule
from cellwatch.rules.facts import CertificateState, EnergyMethod, RecallStatus, Verdict

ReasonOut = FiredRule  # a fired rule is reported as the engine explains it


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceOut:
    brand: str | None = None  # company id
    brand_name: Text | None = None
    model: str | None = None
    names: tuple[str, ...] = ()
    matched_by: str
    known: bool
    candidates: tuple[str, ...] = ()  # "brand/model" when the input was ambiguous


@dataclass(frozen=True, slots=True, kw_only=True)
class RecallRef:
    id: str
    kind: str
    issuer: str
    authority: str
    market: str
    announced: str
    title: Text | None = None
    units: int | None = None
    remedies: tuple[str, ...] = ()
    claim: Text | None = None
    contacts: tuple[str, ...] = ()
    scope_entry: int
    matched_on: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    matched_after_folding: bool = False
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class RecallOut:
    status: RecallStatus
    recalls: tuple[RecallRef, ...] = ()
    possible: tuple[RecallRef, ...] = ()
    missing: tuple[str, ...] = ()
    hints: tuple[Text, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class CertificateRef:
    number: str
    status: str | None
    number_published: bool
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CertificateOut:
    status: CertificateState
    number: str | None = None
    certificates: tuple[CertificateRef, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class EnergyOut:
    wh: float | None
    method: EnergyMethod
    voltage_v: float | None = None
    explanation: Text


@dataclass(frozen=True, slots=True, kw_only=True)
class ConditionOut:
    id: str
    pack: str
    text: Text
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class AdvisoryOut:
    code: str
    message: Text
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionOut:
    code: str
    text: Text
    links: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckResult:
    verdict: Verdict
    verdict_text: Text
    date: dt.date
    rules: tuple[str, ...]
    baggage: str
    count: int
    registry_version: int
    device: DeviceOut
    recall: RecallOut
    certificate: CertificateOut
    energy: EnergyOut
    reasons: tuple[ReasonOut, ...] = ()
    conditions: tuple[ConditionOut, ...] = ()
    advisories: tuple[AdvisoryOut, ...] = ()
    actions: tuple[ActionOut, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """The result as JSON values (what ``--json`` and the API print)."""
        value: dict[str, Any] = _ADAPTER.dump_python(self, mode="json")
        return value


_ADAPTER: TypeAdapter[CheckResult] = TypeAdapter(CheckResult)
