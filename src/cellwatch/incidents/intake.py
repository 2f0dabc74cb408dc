"""An incident report: resolved against the registry, given an id, checked for duplicates.

A report names the device as far as it is known; the brand is resolved by any name, alias
or former name, the model by code or marketing name (as the check does), and stored under
their registry ids. A brand the registry does not know is refused (name it in the
narrative, or add the company first).

Two incidents are *likely duplicates* when they share a flight and their dates may be the
same day, or share a unit serial (folded as serials are) and their dates may be the same
day. A likely duplicate is not stored: it is held back, linked to the incident it
resembles, until a regulator merges it, keeps it as a separate incident, or rejects it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from cellwatch.check.identify import identify
from cellwatch.domain.dates import PartialDate
from cellwatch.domain.incidents import Incident, Mode, Severity
from cellwatch.domain.names import serial_key
from cellwatch.domain.records import Slug
from cellwatch.domain.registry import Registry
from cellwatch.domain.sources import Source
from cellwatch.errors import InputError

Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Long = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


class IncidentReport(BaseModel):
    """An incident as a regulator, a checkpoint or an airline reports it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Slug | None = Field(None, description="Id to store it under (made up if not given).")
    date: PartialDate = Field(description="YYYY, YYYY-MM or YYYY-MM-DD.")
    mode: Mode
    place: Short | None = None
    flight: Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)] | None = None
    brand: Short | None = Field(None, description="Brand, by any name, alias or former name.")
    model: Short | None = Field(None, description="Model code or marketing name.")
    serial: Short | None = None
    batch: Short | None = None
    severity: Severity | None = None
    injuries: int | None = Field(None, ge=0, le=100_000)
    damage: Long | None = None
    description: Long | None = Field(None, description="The narrative.")
    sources: tuple[Slug, ...] = Field(
        (), max_length=20, description="Ids of registry sources that report it."
    )
    new_sources: tuple[Source, ...] = Field(
        (), max_length=20, description="Sources to add to the registry with it."
    )


def flight_key(flight: str | None) -> str | None:
    """``cz 6850`` and ``CZ6850`` are one flight."""
    if not flight:
        return None
    folded = re.sub(r"[\s\-]+", "", flight).upper()
    return folded or None


def base_id(report: IncidentReport) -> str:
    """``<flight or mode>-<date>``, e.g. ``cz6850-2025-05-31``."""
    head = flight_key(report.flight) or report.mode.value
    return _NOT_SLUG.sub("-", f"{head}-{report.date}".lower()).strip("-")


def resolve(registry: Registry, report: IncidentReport, incident_id: str) -> Incident:
    """The incident record for the report, brand and model under their registry ids."""
    brand: str | None = None
    model = report.model
    if report.brand is not None:
        company = registry.resolve_company(report.brand)
        if company is None:
            raise InputError(
                f"the brand {report.brand!r} is not in the registry: leave it out and name it "
                "in the description, or add the company first"
            )
        brand = company.id
    if report.model is not None:
        found = identify(registry, report.brand, report.model)
        if found.product is not None:
            brand, model = found.product.brand, found.product.model
    sources = tuple(dict.fromkeys((*report.sources, *(s.id for s in report.new_sources))))
    if not sources:
        raise InputError("an incident needs at least one source (sources or new_sources)")
    return Incident.model_validate({
        "id": incident_id, "date": report.date, "mode": report.mode, "place": report.place,
        "flight": report.flight or None, "brand": brand, "model": model,
        "serial": report.serial, "batch": report.batch, "severity": report.severity,
        "injuries": report.injuries, "damage": report.damage,
        "description": report.description, "sources": sources,
    })


@dataclass(frozen=True)
class Resemblance:
    """An incident a report resembles, and why."""

    existing_id: str
    reasons: tuple[str, ...]  # "same_flight_and_date", "same_serial_and_date"


def _same_day(a: PartialDate, b: PartialDate) -> bool:
    return a.first_day() <= b.last_day() and b.first_day() <= a.last_day()


def resemblances(incident: Incident, stored: Iterable[Incident]) -> list[Resemblance]:
    """The stored incidents the new one is a likely duplicate of."""
    flight = flight_key(incident.flight)
    serial = serial_key(incident.serial) if incident.serial else None
    found = []
    for other in stored:
        if other.id == incident.id or not _same_day(incident.date, other.date):
            continue
        reasons = []
        if flight is not None and flight_key(other.flight) == flight:
            reasons.append("same_flight_and_date")
        if serial is not None and other.serial and serial_key(other.serial) == serial:
            reasons.append("same_serial_and_date")
        if reasons:
            found.append(Resemblance(other.id, tuple(reasons)))
    return found


def merged(existing: Incident, report: Incident) -> Incident:
    """The existing incident with what only the report knows filled in, sources joined."""
    values = existing.canonical()
    for name, value in report.canonical().items():
        if name in ("id", "sources"):
            continue
        values.setdefault(name, value)
    values["sources"] = list(dict.fromkeys((*existing.sources, *report.sources)))
    return Incident.model_validate(values)
