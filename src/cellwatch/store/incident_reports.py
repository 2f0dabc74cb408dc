"""Incident reports held back as likely duplicates, and the incidents they resemble.

A held report waits (``pending``) until a regulator decides: ``merged`` into the incident
it resembles, kept as a ``separate`` incident, or ``rejected``. Every write is audited in
the caller's unit of work with ``registry=False`` (kind ``incident_report``); the incident
itself enters the registry only through :func:`cellwatch.ingest.apply_checked`.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from cellwatch.domain.incidents import Incident
from cellwatch.domain.records import canonical_json
from cellwatch.errors import IllegalTransition, RecordNotFound
from cellwatch.incidents.intake import Resemblance, flight_key
from cellwatch.store import audit
from cellwatch.store.db import UnitOfWork
from cellwatch.store.tables import incident_duplicates, incidents

log = logging.getLogger(__name__)

AUDIT_KIND = "incident_report"


class HeldState(StrEnum):
    PENDING = "pending"
    MERGED = "merged"
    SEPARATE = "separate"
    REJECTED = "rejected"


@dataclass(frozen=True)
class HeldReport:
    id: int
    incident: Incident
    existing_id: str
    reasons: tuple[str, ...]
    state: HeldState
    reported_at: dt.datetime
    reported_by: str
    decided_at: dt.datetime | None = None
    decided_by: str | None = None
    note: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "incident": self.incident.canonical(),
            "existing_id": self.existing_id, "reasons": list(self.reasons),
            "state": self.state.value, "reported_at": _iso(self.reported_at),
            "reported_by": self.reported_by,
            "decided_at": _iso(self.decided_at) if self.decided_at else None,
            "decided_by": self.decided_by, "note": self.note,
        }


def stored_incident(connection: Connection, incident_id: str) -> Incident | None:
    """The stored version of an incident (the latest entry of the audit log holds it)."""
    found = audit.entries(connection, limit=1, kind=Incident.kind_name, key=incident_id)
    if not found or found[0].after is None:
        return None
    return Incident.model_validate(found[0].after)


def free_id(connection: Connection, base: str) -> str:
    """``base``, or ``base-2``, ``base-3``, … whichever is not taken."""
    taken = set(connection.scalars(
        sa.select(incidents.c.id).where(
            sa.or_(incidents.c.id == base, incidents.c.id.like(f"{base}-%"))
        )
    ))
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def exists(connection: Connection, incident_id: str) -> bool:
    return connection.scalar(
        sa.select(incidents.c.id).where(incidents.c.id == incident_id)
    ) is not None


def nearby(connection: Connection, incident: Incident) -> list[Incident]:
    """Stored incidents on a day the new one may share that have a flight or a serial."""
    c = incidents.c
    first, last = incident.date.first_day(), incident.date.last_day()
    rows = connection.execute(
        sa.select(c.id, c.date, c.mode, c.flight, c.serial, c.sources).where(
            c.date_first <= last, c.date_last >= first,
            sa.or_(c.flight.is_not(None), c.serial.is_not(None)),
        )
    )
    found = []
    for row in rows:
        found.append(Incident.model_validate({
            "id": row.id, "date": row.date, "mode": row.mode, "flight": row.flight,
            "serial": row.serial, "sources": row.sources or ["unknown"],
        }))
    wanted = flight_key(incident.flight)
    return [i for i in found if i.serial or flight_key(i.flight) == wanted]


def hold(
    uow: UnitOfWork, incident: Incident, resemblance: Resemblance, *, now: dt.datetime
) -> HeldReport:
    """Hold a report back as a likely duplicate of ``resemblance.existing_id``."""
    report_id = uow.connection.execute(
        incident_duplicates.insert().values(
            incident=incident.canonical(), existing_id=resemblance.existing_id,
            reasons=list(resemblance.reasons), state=HeldState.PENDING.value,
            reported_at=now, reported_by=uow.actor,
        ).returning(incident_duplicates.c.id)
    ).scalar_one()
    held = read(uow.connection, int(report_id))
    _audit(uow, held, "insert", None)
    log.info("incident report %s held as a likely duplicate of %s", report_id,
             resemblance.existing_id)
    return held


def read(connection: Connection, report_id: int) -> HeldReport:
    row = connection.execute(
        sa.select(incident_duplicates).where(incident_duplicates.c.id == report_id)
    ).one_or_none()
    if row is None:
        raise RecordNotFound("incident report", str(report_id))
    return _held(row)


def listing(
    connection: Connection, *, state: HeldState | None = HeldState.PENDING,
    limit: int = 20, skip: int = 0,
) -> tuple[list[HeldReport], int]:
    c = incident_duplicates.c
    where = [] if state is None else [c.state == state.value]
    total = connection.scalar(sa.select(sa.func.count()).select_from(incident_duplicates)
                              .where(*where))
    rows = connection.execute(
        sa.select(incident_duplicates).where(*where).order_by(c.id.desc())
        .limit(limit).offset(skip)
    ).all()
    return [_held(row) for row in rows], int(total or 0)


def decide(
    uow: UnitOfWork, report_id: int, state: HeldState, *, note: str | None, now: dt.datetime
) -> HeldReport:
    """Record a regulator's decision on a pending report."""
    before = read(uow.connection, report_id)
    if before.state is not HeldState.PENDING or state is HeldState.PENDING:
        raise IllegalTransition("incident report", str(report_id), before.state.value,
                                state.value, "only a pending report is decided, once")
    uow.connection.execute(
        incident_duplicates.update().where(incident_duplicates.c.id == report_id).values(
            state=state.value, decided_at=now, decided_by=uow.actor, note=note,
        )
    )
    after = read(uow.connection, report_id)
    _audit(uow, after, "update", _digest(before))
    return after


def _form(held: HeldReport) -> dict[str, Any]:
    return {k: v for k, v in held.as_json().items() if v is not None}


def _digest(held: HeldReport) -> str:
    return audit.sha256_text(canonical_json(_form(held)))


def _audit(uow: UnitOfWork, held: HeldReport, action: Any, before: str | None) -> None:
    after = _form(held)
    uow.record_change(AUDIT_KIND, str(held.id), action, before, after, _digest(held),
                      registry=False)


def _held(row: Row[Any]) -> HeldReport:
    return HeldReport(
        id=int(row.id), incident=Incident.model_validate(row.incident),
        existing_id=row.existing_id, reasons=tuple(row.reasons), state=HeldState(row.state),
        reported_at=_utc(row.reported_at), reported_by=row.reported_by,
        decided_at=_utc(row.decided_at) if row.decided_at else None,
        decided_by=row.decided_by, note=row.note,
    )


def _utc(at: dt.datetime) -> dt.datetime:
    return at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at.astimezone(dt.UTC)


def _iso(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
