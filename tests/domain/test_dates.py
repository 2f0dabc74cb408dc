import copy
import datetime as dt
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cellwatch.domain.dates import PartialDate, Precision, overlaps, within


@pytest.mark.parametrize(
    ("text", "precision", "first", "last"),
    [
        ("2025", Precision.YEAR, dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ("2024-02", Precision.MONTH, dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2025-06-16", Precision.DAY, dt.date(2025, 6, 16), dt.date(2025, 6, 16)),
    ],
)
def test_parse_keeps_precision(text: str, precision: Precision, first: dt.date, last: dt.date) -> None:
    date = PartialDate.parse(text)
    assert date.precision is precision
    assert (date.first_day(), date.last_day()) == (first, last)
    assert date.isoformat() == text


@pytest.mark.parametrize("bad", ["2025-13", "2025-02-30", "25-06-01", "2025/06/01", "", "June 2025", True])
def test_parse_rejects(bad: object) -> None:
    with pytest.raises(ValueError):
        PartialDate.parse(bad)


def test_parse_accepts_yaml_values() -> None:
    assert PartialDate.parse(dt.date(2025, 6, 16)) == PartialDate.parse("2025-06-16")
    assert PartialDate.parse(2025) == PartialDate.parse("2025")


def test_month_counts_inside_only_when_whole_month_is_inside() -> None:
    window = (PartialDate.parse("2023-06-05"), PartialDate.parse("2023-07-28"))
    assert within(PartialDate.parse("2023-07"), *window) is False
    assert overlaps(PartialDate.parse("2023-07"), *window) is True
    assert within(PartialDate.parse("2023-07"), PartialDate.parse("2023-07"), None) is True
    assert within(PartialDate.parse("2023-06-05"), *window) is True
    assert within(PartialDate.parse("2023-06-04"), *window) is False


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_roundtrip_any_day(day: dt.date) -> None:
    parsed = PartialDate.parse(day.isoformat())
    assert parsed.first_day() == parsed.last_day() == day
    assert PartialDate.parse(parsed.isoformat()) == parsed


@given(st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)), st.sampled_from(list(Precision)))
def test_first_and_last_day_and_copies(day: dt.date, precision: Precision) -> None:
    text = day.isoformat()[: {Precision.YEAR: 4, Precision.MONTH: 7, Precision.DAY: 10}[precision]]
    date = PartialDate.parse(text)
    days = [d for d in (day.replace(day=1) + dt.timedelta(n) for n in range(-400, 400))
            if d.isoformat().startswith(text)]
    assert (date.first_day(), date.last_day()) == (min(days), max(days))
    for copied in (pickle.loads(pickle.dumps(date)), copy.deepcopy(date)):
        assert copied == date and copied.last_day() == date.last_day()
