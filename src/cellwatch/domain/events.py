"""Events: what a write to the registry tells the outside world.

Every write that publishes or revises a recall, changes a certificate's status or reports
an incident emits one event, in the same transaction as the write (the outbox). An event
names its type, the record it is about, a bilingual title, and its **subjects**: the
brands, companies, models and certificates it concerns, by which feeds are filtered and
watches matched.

=============================  ================================================
type                           emitted when
=============================  ================================================
``recall.published``           a recall is stored for the first time
``recall.revised``             a stored recall changes (scope widened, units, …)
``certificate.status_changed`` a status change of a certificate is recorded or corrected
``incident.reported``          an incident is stored for the first time
``incident.revised``           a stored incident changes
=============================  ================================================

Subjects are ``(kind, value)`` pairs: ``("brand", "romoss")``, ``("company",
"apex-wuxi")``, ``("model", "romoss/PAC20272")`` (brand id and folded model key),
``("certificate", "2023…")``. Company ids are the ones the record names; a watch or a
filter resolves renames when it asks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from cellwatch.domain.certificates import Certificate, StatusChange
from cellwatch.domain.incidents import Incident
from cellwatch.domain.names import model_key
from cellwatch.domain.products import ProductKind
from cellwatch.domain.recalls import Recall
from cellwatch.domain.records import Record, Text, text

Action = Literal["insert", "update"]
SubjectKind = Literal["brand", "company", "model", "certificate"]
Subject = tuple[SubjectKind, str]
SUBJECT_KINDS: tuple[SubjectKind, ...] = ("brand", "company", "model", "certificate")


class EventType(StrEnum):
    RECALL_PUBLISHED = "recall.published"
    RECALL_REVISED = "recall.revised"
    CERTIFICATE_STATUS_CHANGED = "certificate.status_changed"
    INCIDENT_REPORTED = "incident.reported"
    INCIDENT_REVISED = "incident.revised"


#: The record kinds (``Record.kind_name``) that emit events.
EVENTFUL_KINDS = frozenset({"recall", "certificate_status", "incident"})


@dataclass(frozen=True, slots=True)
class Event:
    """One event, before it is stored (the store gives it an id and a time)."""

    type: EventType
    kind: str
    key: str
    title: Text
    subjects: frozenset[Subject]
    record: dict[str, Any]


def model_subject(brand: str, model: str) -> Subject:
    """The subject naming one model of one brand (brand id and folded model code)."""
    return ("model", f"{brand}/{model_key(model)}")


def event_for(
    action: Action, record: Record, certificate: Certificate | None = None
) -> Event | None:
    """The event a stored ``record`` emits, or ``None`` for a kind that emits none.

    ``certificate`` is the certificate a status change is about, when it is known: its
    holder and covered models become subjects too.
    """
    key = "/".join(record.key)
    if isinstance(record, Recall):
        kind = EventType.RECALL_PUBLISHED if action == "insert" else EventType.RECALL_REVISED
        return Event(kind, record.kind_name, key, _recall_title(record, kind),
                     _recall_subjects(record), record.canonical())
    if isinstance(record, StatusChange):
        return Event(
            EventType.CERTIFICATE_STATUS_CHANGED, record.kind_name, key,
            _status_title(record, certificate), _status_subjects(record, certificate),
            record.canonical(),
        )
    if isinstance(record, Incident):
        kind = (
            EventType.INCIDENT_REPORTED if action == "insert" else EventType.INCIDENT_REVISED
        )
        return Event(kind, record.kind_name, key, _incident_title(record, kind),
                     _incident_subjects(record), record.canonical())
    return None


def _recall_subjects(recall: Recall) -> frozenset[Subject]:
    subjects: set[Subject] = {("company", recall.issuer)}
    for entry in recall.scope:
        brand = recall.entry_brand(entry)
        subjects |= {("brand", brand), ("company", brand), model_subject(brand, entry.model)}
    return frozenset(subjects)


def _models(recall: Recall) -> str:
    return ", ".join(dict.fromkeys(entry.model for entry in recall.scope))


def _recall_title(recall: Recall, kind: EventType) -> Text:
    models = _models(recall)
    units = f" ({recall.units:,} units)" if recall.units is not None else ""
    units_zh = f"（{recall.units:,} 台）" if recall.units is not None else ""
    if kind is EventType.RECALL_PUBLISHED:
        return text(
            f"Recall published: {recall.issuer} {models}{units}, {recall.authority}",
            f"召回发布：{recall.issuer} {models}{units_zh}，{recall.authority}",
        )
    return text(
        f"Recall revised: {recall.issuer} {models}{units}, {recall.authority}",
        f"召回更新：{recall.issuer} {models}{units_zh}，{recall.authority}",
    )


_STATUS_ZH = {
    "valid": "有效",
    "suspended": "暂停",
    "revoked": "撤销",
    "cancelled": "注销",
    "expired": "过期",
}


def _status_subjects(change: StatusChange, certificate: Certificate | None) -> frozenset[Subject]:
    subjects: set[Subject] = {("certificate", change.number)}
    if certificate is not None:
        subjects |= {("company", certificate.holder)}
        if certificate.factory:
            subjects.add(("company", certificate.factory))
        if certificate.product_kind is ProductKind.POWER_BANK:  # models of the holder's
            subjects.add(("brand", certificate.holder))
            subjects |= {model_subject(certificate.holder, m) for m in certificate.models}
    return frozenset(subjects)


def _status_title(change: StatusChange, certificate: Certificate | None) -> Text:
    holder = f" held by {certificate.holder}" if certificate is not None else ""
    holder_zh = f"（持证人 {certificate.holder}）" if certificate is not None else ""
    status = change.status.value
    return text(
        f"Certificate {change.number}{holder}: {status} from {change.date.isoformat()}",
        f"证书 {change.number}{holder_zh}：自 {change.date.isoformat()} 起"
        f"{_STATUS_ZH.get(status, status)}",
    )


def _incident_subjects(incident: Incident) -> frozenset[Subject]:
    if incident.brand is None:
        return frozenset()
    subjects: set[Subject] = {("brand", incident.brand), ("company", incident.brand)}
    if incident.model:
        subjects.add(model_subject(incident.brand, incident.model))
    return frozenset(subjects)


def _incident_title(incident: Incident, kind: EventType) -> Text:
    what = incident.severity.value if incident.severity is not None else "incident"
    device = " ".join(part for part in (incident.brand, incident.model) if part) or "power bank"
    where = f", {incident.place}" if incident.place else ""
    verb, verb_zh = (
        ("Incident reported", "事件报告") if kind is EventType.INCIDENT_REPORTED
        else ("Incident revised", "事件更新")
    )
    return text(
        f"{verb}: {what}, {device}, {incident.mode.value}{where}, {incident.date.isoformat()}",
        f"{verb_zh}：{device}，{incident.mode.value}{where}，{incident.date.isoformat()}",
    )


def parse_subjects(pairs: Iterable[tuple[str, str]]) -> frozenset[Subject]:
    """Subjects from stored ``(kind, value)`` rows, refusing unknown kinds."""
    subjects: set[Subject] = set()
    for kind, value in pairs:
        if kind not in SUBJECT_KINDS:
            raise ValueError(f"unknown event subject kind {kind!r}")
        subjects.add((kind, value))
    return frozenset(subjects)
