from __future__ import annotations

import datetime as dt

import pytest

from cellwatch.errors import InputError
from cellwatch.rules.facts import (
    FACT_NAMES,
    Facts,
    Mark,
    Verdict,
    fact_label,
    most_severe,
    value_label,
)


def test_severity_order() -> None:
    order = [Verdict.ALLOWED, Verdict.CONDITIONAL, Verdict.NEEDS_INFO, Verdict.FORBIDDEN]
    assert [verdict.severity for verdict in order] == [0, 1, 2, 3]


@pytest.mark.parametrize(
    ("verdicts", "expected"),
    [
        ([], Verdict.ALLOWED),
        ([Verdict.CONDITIONAL], Verdict.CONDITIONAL),
        ([Verdict.CONDITIONAL, Verdict.NEEDS_INFO, Verdict.ALLOWED], Verdict.NEEDS_INFO),
        ([Verdict.FORBIDDEN, Verdict.NEEDS_INFO], Verdict.FORBIDDEN),
    ],
)
def test_most_severe(verdicts: list[Verdict], expected: Verdict) -> None:
    assert most_severe(verdicts) is expected


def test_defaults() -> None:
    facts = Facts(date=dt.date(2025, 7, 1))
    assert facts.count == 1
    assert facts.energy_wh is None
    assert facts.ccc_mark is Mark.UNKNOWN


@pytest.mark.parametrize(
    "changes", [{"count": 0}, {"energy_wh": -1.0}, {"energy_wh": float("nan")}]
)
def test_invalid_facts(changes: dict[str, float]) -> None:
    with pytest.raises(InputError):
        Facts(date=dt.date(2025, 7, 1), **changes)  # type: ignore[arg-type]


def test_every_fact_and_value_has_labels() -> None:
    assert "date" not in FACT_NAMES
    for fact in FACT_NAMES:
        assert fact_label(fact) and fact_label(fact, "zh") != fact_label(fact)
    assert value_label("ccc_mark", "unknown") == "not known"
    assert value_label("energy_method", "unknown") == "unknown"
    assert value_label("recall", "recalled", "zh") == "已召回"
    assert Verdict.FORBIDDEN.label("zh") == "禁止"
