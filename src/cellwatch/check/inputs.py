"""What a person can read off a unit, and the trip it is for: the check's input."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from cellwatch.domain.dates import PartialDate
from cellwatch.rules.facts import Baggage, Mark

Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class Device(BaseModel):
    """Facts read off the unit; every one may be missing."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    brand: Short | None = None
    model: Short | None = None
    serial: Short | None = None
    batch: Short | None = None
    produced: PartialDate | None = None
    capacity_mah: int | None = Field(default=None, gt=0, le=1_000_000)
    voltage_v: float | None = Field(default=None, gt=0, le=60)
    energy_wh: float | None = Field(default=None, gt=0, le=10_000)
    ccc_mark: Mark = Mark.UNKNOWN
    ccc_certificate: Short | None = None

    @field_validator("produced")
    @classmethod
    def _not_future(cls, value: PartialDate | None) -> PartialDate | None:
        if value is not None and value.first_day() > dt.date.today() + dt.timedelta(days=366):
            raise ValueError("the production date is in the future")
        return value


class Trip(BaseModel):
    """Where the unit is going: which rule packs, when, how it is carried, how many."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rules: tuple[Short, ...] = ("cn-caac",)
    date: dt.date = Field(default_factory=dt.date.today)
    baggage: Baggage = Baggage.CARRY_ON
    count: int = Field(default=1, ge=1, le=100)

    @field_validator("rules", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("rules")
    @classmethod
    def _some(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("name at least one rule pack")
        return value
