"""Partial dates: a day, a month or a year, as precise as the source that gave it.

Recall notices say "made 2023-08 to 2024-01"; a record never claims more precision than
its source, so dates are kept at the precision they were given and compared as the span
of days they cover.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from enum import IntEnum
from functools import lru_cache
from typing import Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class Precision(IntEnum):
    YEAR = 1
    MONTH = 2
    DAY = 3


class PartialDate:
    """A date known to the year, the month or the day.

    >>> PartialDate.parse("2023-08").last_day()
    datetime.date(2023, 8, 31)
    """

    __slots__ = ("_first", "_last", "day", "month", "year")
    year: int
    month: int | None
    day: int | None
    _first: dt.date  # the first and last days, worked out once (equal dates are shared)
    _last: dt.date

    def __init__(self, year: int, month: int | None = None, day: int | None = None) -> None:
        if day is not None and month is None:
            raise ValueError("a day needs a month")
        # validates the calendar (raises ValueError on 2025-02-30)
        first = dt.date(year, month or 1, day or 1)
        if not 1900 <= year <= 2100:
            raise ValueError(f"year {year} is out of range 1900-2100")
        if day is not None:
            last = first
        elif month is not None:
            last = dt.date(year, month, calendar.monthrange(year, month)[1])
        else:
            last = dt.date(year, 12, 31)
        for name, value in (
            ("year", year), ("month", month), ("day", day), ("_first", first), ("_last", last)
        ):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a PartialDate is immutable (equal dates are shared)")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("a PartialDate is immutable (equal dates are shared)")

    def __reduce__(self) -> tuple[type[PartialDate], tuple[int, int | None, int | None]]:
        return (PartialDate, (self.year, self.month, self.day))  # pickle and copy

    @classmethod
    def parse(cls, value: object) -> PartialDate:
        """Accept ``2025``, ``"2025-06"``, ``"2025-06-16"`` or a ``datetime.date``.

        Equal dates are one shared object (they are immutable): a registry of a million
        batches holds far fewer distinct dates than records.
        """
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, dt.datetime):
            raise ValueError("expected a date, not a date and time")
        if isinstance(value, dt.date):
            return _parse_text(value.isoformat())
        if isinstance(value, int) and not isinstance(value, bool):
            return _parse_text(str(value)) if 1000 <= value <= 9999 else cls(value)
        if isinstance(value, str):
            return _parse_text(value)
        raise ValueError(f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")

    @classmethod
    def _from_text(cls, value: str) -> PartialDate:
        match = _PATTERN.match(value.strip())
        if match:
            year, month, day = match.groups()
            try:
                return cls(int(year), int(month) if month else None, int(day) if day else None)
            except ValueError as error:
                raise ValueError(f"{value!r} is not a date: {error}") from None
        raise ValueError(f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    def first_day(self) -> dt.date:
        return self._first

    def last_day(self) -> dt.date:
        return self._last

    def isoformat(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def __str__(self) -> str:
        return self.isoformat()

    def __repr__(self) -> str:
        return f"PartialDate({self.isoformat()!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return (self.year, self.month, self.day) == (other.year, other.month, other.day)

    def __hash__(self) -> int:
        return hash((self.year, self.month, self.day))

    def sort_key(self) -> tuple[dt.date, int]:
        return (self.first_day(), int(self.precision))

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse,
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda value: value.isoformat(), when_used="json"
            ),
            json_schema_input_schema=core_schema.str_schema(pattern=_PATTERN.pattern),
        )


@lru_cache(maxsize=1 << 16)
def _parse_text(value: str) -> PartialDate:
    return PartialDate._from_text(value)


def within(inner: PartialDate, start: PartialDate | None, end: PartialDate | None) -> bool:
    """Whether every day of ``inner`` lies inside the window [start, end].

    An open end (``None``) is unbounded. A month-precision date counts as inside only when
    the whole month is inside.
    """
    if start is not None and inner.first_day() < start.first_day():
        return False
    return not (end is not None and inner.last_day() > end.last_day())


def overlaps(inner: PartialDate, start: PartialDate | None, end: PartialDate | None) -> bool:
    """Whether any day of ``inner`` lies inside the window [start, end]."""
    if start is not None and inner.last_day() < start.first_day():
        return False
    return not (end is not None and inner.first_day() > end.last_day())
