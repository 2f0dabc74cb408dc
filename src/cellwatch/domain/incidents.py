"""Incidents: fires, smoke and explosions of power banks, as reported."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from cellwatch.domain.dates import PartialDate
from cellwatch.domain.records import Slug, Sourced


class Mode(StrEnum):
    AIR = "air"
    AIRPORT = "airport"
    RAIL = "rail"
    METRO = "metro"
    HOME = "home"
    VEHICLE = "vehicle"
    OTHER = "other"


class Severity(StrEnum):
    OVERHEATING = "overheating"
    BULGING = "bulging"
    SMOKE = "smoke"
    FIRE = "fire"
    EXPLOSION = "explosion"


class Incident(Sourced):
    kind_name: ClassVar[str] = "incident"

    id: Slug
    date: PartialDate
    mode: Mode
    place: str | None = None
    flight: str | None = None
    brand: Slug | None = None
    model: str | None = None
    serial: str | None = None
    batch: str | None = None
    severity: Severity | None = None
    injuries: int | None = Field(default=None, ge=0)
    damage: str | None = None
    description: str | None = None

    @property
    def key(self) -> tuple[str, ...]:
        return (self.id,)
