"""PRR, ROR, χ² (Yates) and their intervals on tables whose answers are worked by hand."""

from __future__ import annotations

import math

import pytest

from cellwatch.domain.incidents import Severity
from cellwatch.signals.disproportion import (
    Table,
    chi_square,
    disproportionality,
    is_signal,
    prr,
    prr_interval,
    ror,
    ror_interval,
)

FIRE, SMOKE = Severity.FIRE, Severity.SMOKE


def test_a_worked_table() -> None:
    # maker X: 4 fires, 1 smoke; every other incident: 2 fires, 13 smoke
    t = Table(a=4, b=1, c=2, d=13)
    assert prr(t) == pytest.approx((4 / 5) / (2 / 15)) == pytest.approx(6.0)
    assert ror(t) == pytest.approx(4 * 13 / (1 * 2)) == pytest.approx(26.0)
    # Yates: N (|ad - bc| - N/2)^2 / ((a+b)(c+d)(a+c)(b+d)) = 20 * 40^2 / (5*15*6*14)
    assert chi_square(t) == pytest.approx(20 * 40**2 / 6300) == pytest.approx(5.0794, abs=1e-4)
    # without the correction it would be 20 * 50^2 / 6300 = 7.94: the correction is applied
    assert chi_square(t) != pytest.approx(20 * 50**2 / 6300)
    se = math.sqrt(1 / 4 - 1 / 5 + 1 / 2 - 1 / 15)
    low, high = prr_interval(t) or (0, 0)
    assert low == pytest.approx(math.exp(math.log(6) - 1.959964 * se), rel=1e-5)
    assert high == pytest.approx(math.exp(math.log(6) + 1.959964 * se), rel=1e-5)
    se_ror = math.sqrt(1 / 4 + 1 + 1 / 2 + 1 / 13)
    low, high = ror_interval(t) or (0, 0)
    assert low == pytest.approx(math.exp(math.log(26) - 1.959964 * se_ror), rel=1e-5)
    assert high == pytest.approx(math.exp(math.log(26) + 1.959964 * se_ror), rel=1e-5)
    assert is_signal(t)


@pytest.mark.parametrize(
    ("table", "signal", "why"),
    [
        (Table(2, 0, 1, 17), False, "N = 2 < 3 however high the PRR"),
        (Table(3, 0, 1, 16), True, "PRR 17, χ² (Yates) 8.8, N 3"),
        (Table(3, 3, 3, 3), False, "PRR 1"),
        (Table(3, 2, 0, 10), False, "c = 0: PRR undefined"),
        (Table(3, 7, 4, 26), False, "PRR 2.25 but χ² (Yates) 0.52"),
    ],
)
def test_the_flag_needs_all_three(table: Table, signal: bool, why: str) -> None:
    assert is_signal(table) is signal, why


def test_undefined_ratios_are_none() -> None:
    t = Table(3, 0, 0, 10)
    assert prr(t) is None and ror(t) is None
    assert prr_interval(t) is None and ror_interval(t) is None
    assert chi_square(Table(0, 0, 0, 0)) is None


def test_tables_are_built_from_cases() -> None:
    counts = {("x", FIRE): 4, ("x", SMOKE): 1, ("y", FIRE): 2, ("y", SMOKE): 3,
              (None, SMOKE): 10}  # not attributed: still part of the background
    cases: list[tuple[str | None, Severity]] = [
        pair for pair, n in counts.items() for _ in range(n)
    ]
    found = {(m.group, m.event): m for m in disproportionality(cases, "cell_maker")}
    assert found[("x", FIRE)].table == Table(4, 1, 2, 13)
    assert found[("x", FIRE)].signal
    assert found[("y", SMOKE)].table == Table(3, 2, 11, 4)
    assert not found[("y", SMOKE)].signal
    assert all(group is not None for group, _ in found)
    first = disproportionality(cases, "cell_maker")[0]
    assert (first.group, first.event, first.signal) == ("x", FIRE, True)
