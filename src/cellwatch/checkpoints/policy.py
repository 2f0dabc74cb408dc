"""A checkpoint location and its storage policy: days free, fee per day, how long a unit is
kept, and what may not be stored."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from cellwatch.domain.names import SLUG_PATTERN
from cellwatch.domain.records import Text


class LocationKind(StrEnum):
    AIRPORT = "airport"
    STATION = "station"
    PORT = "port"
    OTHER = "other"


class RefusalReason(StrEnum):
    """Why a checkpoint refused a unit (also what a policy may refuse to store)."""

    RECALLED = "recalled"
    NO_CCC_MARK = "no_ccc_mark"
    CERTIFICATE_INVALID = "certificate_invalid"
    OVER_ENERGY_LIMIT = "over_energy_limit"
    ENERGY_UNKNOWN = "energy_unknown"
    OVER_COUNT = "over_count"
    DAMAGED = "damaged"
    OTHER = "other"


REFUSAL_TEXT: dict[RefusalReason, Text] = {
    RefusalReason.RECALLED: Text(en="recalled", zh="召回产品"),
    RefusalReason.NO_CCC_MARK: Text(en="no 3C mark", zh="无3C标识"),
    RefusalReason.CERTIFICATE_INVALID: Text(en="3C certificate not valid", zh="3C证书无效"),
    RefusalReason.OVER_ENERGY_LIMIT: Text(en="over the energy limit", zh="超过额定能量限制"),
    RefusalReason.ENERGY_UNKNOWN: Text(en="energy unreadable", zh="额定能量不清"),
    RefusalReason.OVER_COUNT: Text(en="too many power banks", zh="携带数量超限"),
    RefusalReason.DAMAGED: Text(en="damaged, swollen or hot", zh="破损、鼓包或发热"),
    RefusalReason.OTHER: Text(en="other reason", zh="其他原因"),
}

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class Location(BaseModel):
    """A checkpoint (an airport's security, a station's) and its storage policy."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=100)]
    name: Name
    name_zh: Name | None = None
    kind: LocationKind = LocationKind.AIRPORT
    days_free: int = Field(0, ge=0, le=365, description="Days stored free of charge.")
    fee_per_day_cents: int = Field(
        0, ge=0, le=10_000_000, description="Fee per day after the free days, in cents (fen)."
    )
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "CNY"
    max_days: int = Field(
        30, ge=1, le=3650, description="Days a stored unit is kept; then it is abandoned."
    )
    not_storable: tuple[RefusalReason, ...] = Field(
        (RefusalReason.RECALLED, RefusalReason.DAMAGED),
        description="Units refused for these reasons may not be stored here.",
    )

    def label(self) -> Text:
        return Text(en=self.name, zh=self.name_zh or self.name)

    def deadline(self, stored: dt.date) -> dt.date:
        """The last day a unit stored on ``stored`` may be retrieved."""
        return stored + dt.timedelta(days=self.max_days)

    def free_until(self, stored: dt.date) -> dt.date:
        return stored + dt.timedelta(days=self.days_free)


def fee(stored: dt.date, retrieved: dt.date, free_until: dt.date, per_day_cents: int) -> int:
    """The fee at retrieval: each day after ``free_until`` costs ``per_day_cents``."""
    del stored  # the terms were fixed when the unit was stored
    return max(0, (retrieved - free_until).days) * per_day_cents


def money(cents: int, currency: str) -> str:
    return f"{cents / 100:,.2f} {currency}"
