"""The check's answer, as plain values a CLI, an API or a page renders as it is.

Every text a person reads is a :class:`~cellwatch.domain.records.Text` (English and
Simplified Chinese).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict

from cellwatch.domain.records import Text
from cellwatch.rules.facts import CertificateState, EnergyMethod, RecallStatus, Verdict


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class DeviceOut(_Out):
    brand: str | None = None  # company id
    brand_name: Text | None = None
    model: str | None = None
    names: tuple[str, ...] = ()
    matched_by: str
    known: bool
    candidates: tuple[str, ...] = ()  # "brand/model" when the input was ambiguous


class RecallRef(_Out):
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


class RecallOut(_Out):
    status: RecallStatus
    recalls: tuple[RecallRef, ...] = ()
    possible: tuple[RecallRef, ...] = ()
    missing: tuple[str, ...] = ()
    hints: tuple[Text, ...] = ()


class CertificateRef(_Out):
    number: str
    status: str | None
    number_published: bool
    note: str | None = None


class CertificateOut(_Out):
    status: CertificateState
    number: str | None = None
    certificates: tuple[CertificateRef, ...] = ()


class EnergyOut(_Out):
    wh: float | None
    method: EnergyMethod
    voltage_v: float | None = None
    explanation: Text


class ReasonOut(_Out):
    rule_id: str
    pack: str
    verdict: Verdict
    title: Text
    reason: Text
    evidence: dict[str, Any] = {}
    sources: tuple[str, ...] = ()


class ConditionOut(_Out):
    id: str
    pack: str
    text: Text
    sources: tuple[str, ...] = ()


class AdvisoryOut(_Out):
    code: str
    message: Text
    details: dict[str, Any] = {}


class ActionOut(_Out):
    code: str
    text: Text
    links: tuple[str, ...] = ()


class CheckResult(_Out):
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
        return self.model_dump(mode="json")
