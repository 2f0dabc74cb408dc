"""Incident intake: report (stored, or held back as a likely duplicate), list the held
reports, and a regulator's decision on each: merge, keep separate, or reject.

An incident enters the registry only through :func:`cellwatch.ingest.apply_checked` (the
one checked write: validated, references checked, audited, events emitted).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cellwatch.domain.incidents import Incident
from cellwatch.domain.registry import Registry, RegistryData
from cellwatch.domain.sources import Source
from cellwatch.errors import RecordExists, RecordNotFound
from cellwatch.incidents.intake import IncidentReport, base_id, merged, resemblances, resolve
from cellwatch.ingest import apply_checked
from cellwatch.store import audit
from cellwatch.store import incident_reports as held_store
from cellwatch.store.db import Database, UnitOfWork
from cellwatch.store.incident_reports import HeldReport, HeldState


@dataclass(frozen=True)
class Intake:
    """What became of a report: ``stored`` as an incident, or ``held`` as a duplicate."""

    status: str
    incident: Incident
    held: HeldReport | None = None
    registry_version: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "status": self.status, "incident_id": self.incident.id,
            "incident": self.incident.canonical(),
            "held": None if self.held is None else self.held.as_json(),
            "registry_version": self.registry_version,
        }


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or dt.datetime.now(dt.UTC)


def report(
    database: Database, registry: Registry, request: IncidentReport, actor: str,
    *, now: dt.datetime | None = None,
) -> Intake:
    """Store the reported incident, or hold it back when it resembles a stored one."""
    with database.connect() as connection:
        if request.id is not None:
            if held_store.exists(connection, request.id):
                raise RecordExists("incident", request.id)
            incident_id = request.id
        else:
            incident_id = held_store.free_id(connection, base_id(request))
        incident = resolve(registry, request, incident_id)
        found = resemblances(incident, held_store.nearby(connection, incident))
    if found:
        with database.unit_of_work(actor) as uow:
            held = held_store.hold(uow, incident, found[0], now=_now(now))
        return Intake("held", incident, held)

    def guard(uow: UnitOfWork) -> None:
        if held_store.exists(uow.connection, incident.id):
            raise RecordExists("incident", incident.id)
        again = resemblances(incident, held_store.nearby(uow.connection, incident))
        if again:  # stored meanwhile by another writer: report again to have it held
            raise RecordExists("incident", again[0].existing_id)
        _new_sources_only(uow, request.new_sources)

    data = RegistryData(sources=request.new_sources, incidents=(incident,))
    _, version = apply_checked(database, actor, data, guard=guard)
    return Intake("stored", incident, None, version)


def _new_sources_only(uow: UnitOfWork, sources: tuple[Source, ...]) -> None:
    """A report may add sources, never change a stored one."""
    for source in sources:
        found = audit.entries(uow.connection, limit=1, kind=Source.kind_name, key=source.id)
        if found and found[0].after_digest not in (None, source.digest()):
            raise RecordExists("source", source.id)


def held(
    database: Database, *, state: HeldState | None = HeldState.PENDING, limit: int = 20,
    skip: int = 0,
) -> tuple[list[HeldReport], int]:
    with database.connect() as connection:
        return held_store.listing(connection, state=state, limit=limit, skip=skip)


def held_report(database: Database, report_id: int) -> HeldReport:
    with database.connect() as connection:
        return held_store.read(connection, report_id)


def merge(
    database: Database, report_id: int, actor: str, *, note: str | None = None,
    now: dt.datetime | None = None,
) -> Incident:
    """Fold a held report into the incident it resembles (fill gaps, join sources)."""
    with database.connect() as connection:
        pending = held_store.read(connection, report_id)
        existing = held_store.stored_incident(connection, pending.existing_id)
    if existing is None:
        raise RecordNotFound("incident", pending.existing_id)
    result = merged(existing, pending.incident)

    def guard(uow: UnitOfWork) -> None:
        held_store.decide(uow, report_id, HeldState.MERGED, note=note, now=_now(now))

    apply_checked(database, actor, RegistryData(incidents=(result,)), guard=guard)
    return result


def keep_separate(
    database: Database, report_id: int, actor: str, *, note: str | None = None,
    now: dt.datetime | None = None,
) -> Incident:
    """Store a held report as an incident of its own (it was not a duplicate)."""
    with database.connect() as connection:
        pending = held_store.read(connection, report_id)
        incident = pending.incident
        if held_store.exists(connection, incident.id):
            incident = incident.model_copy(
                update={"id": held_store.free_id(connection, incident.id)}
            )

    def guard(uow: UnitOfWork) -> None:
        held_store.decide(uow, report_id, HeldState.SEPARATE, note=note, now=_now(now))

    apply_checked(database, actor, RegistryData(incidents=(incident,)), guard=guard)
    return incident


def reject(
    database: Database, report_id: int, actor: str, *, note: str | None = None,
    now: dt.datetime | None = None,
) -> HeldReport:
    """Discard a held report."""
    with database.unit_of_work(actor) as uow:
        return held_store.decide(uow, report_id, HeldState.REJECTED, note=note, now=_now(now))
