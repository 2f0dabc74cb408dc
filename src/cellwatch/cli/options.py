"""Option values that several commands parse alike."""

from __future__ import annotations

import datetime as dt

from cellwatch.errors import InputError


def parse_date(value: str | None, option: str) -> dt.date | None:
    """``value`` of ``option`` as a date (YYYY-MM-DD), ``None`` when not given."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option}: {value!r} is not a date (YYYY-MM-DD)") from None
