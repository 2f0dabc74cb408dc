"""Disproportionality: is one kind of incident reported more often for one group?

For a group *g* (a cell maker, a model) and an incident type *t* (a severity: smoke, fire,
explosion, …), over every incident with a severity:

==============  ============  ================
                type *t*      any other type
==============  ============  ================
group *g*       a             b
other groups    c             d
==============  ============  ================

- PRR = (a / (a + b)) / (c / (c + d)), 95 % CI exp(ln PRR ± 1.96 √(1/a − 1/(a+b) + 1/c − 1/(c+d)))
- ROR = (a · d) / (b · c), 95 % CI exp(ln ROR ± 1.96 √(1/a + 1/b + 1/c + 1/d))
- χ² with Yates' continuity correction:
  N (max(0, |ad − bc| − N/2))² / ((a+b)(c+d)(a+c)(b+d)), N = a + b + c + d

A *signal* is PRR ≥ 2, χ² ≥ 4 and a ≥ 3 (Evans, Waller & Davis, 2001). A ratio whose
denominator is zero is undefined (``None``) and never a signal; so is an interval with a
zero cell. Incidents not attributed to any group still count among "other groups".
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from cellwatch.domain.incidents import Severity

PRR_THRESHOLD = 2.0
CHI2_THRESHOLD = 4.0
N_THRESHOLD = 3
Z95 = 1.959963984540054


@dataclass(frozen=True)
class Table:
    """The 2×2 table of one group and one incident type."""

    a: int
    b: int
    c: int
    d: int

    @property
    def n(self) -> int:
        return self.a + self.b + self.c + self.d


def prr(t: Table) -> float | None:
    if t.a + t.b == 0 or t.c == 0 or t.c + t.d == 0:
        return None
    return (t.a / (t.a + t.b)) / (t.c / (t.c + t.d))


def ror(t: Table) -> float | None:
    if t.b == 0 or t.c == 0:
        return None
    return (t.a * t.d) / (t.b * t.c)


def chi_square(t: Table) -> float | None:
    """Pearson's χ² of the table with Yates' continuity correction."""
    margins = (t.a + t.b) * (t.c + t.d) * (t.a + t.c) * (t.b + t.d)
    if margins == 0:
        return None
    corrected = max(0.0, abs(t.a * t.d - t.b * t.c) - t.n / 2)
    return t.n * corrected**2 / margins


def prr_interval(t: Table) -> tuple[float, float] | None:
    value = prr(t)
    if value is None or t.a == 0:
        return None
    se = math.sqrt(1 / t.a - 1 / (t.a + t.b) + 1 / t.c - 1 / (t.c + t.d))
    return _interval(value, se)


def ror_interval(t: Table) -> tuple[float, float] | None:
    value = ror(t)
    if value is None or 0 in (t.a, t.b, t.c, t.d):
        return None
    se = math.sqrt(1 / t.a + 1 / t.b + 1 / t.c + 1 / t.d)
    return _interval(value, se)


def _interval(value: float, se: float) -> tuple[float, float]:
    log = math.log(value)
    return math.exp(log - Z95 * se), math.exp(log + Z95 * se)


def is_signal(t: Table) -> bool:
    ratio, chi2 = prr(t), chi_square(t)
    return (
        ratio is not None and chi2 is not None
        and ratio >= PRR_THRESHOLD and chi2 >= CHI2_THRESHOLD and t.a >= N_THRESHOLD
    )


@dataclass(frozen=True)
class Disproportion:
    """The measures of one group and one incident type."""

    group_kind: str  # "cell_maker" or "model"
    group: str
    event: Severity
    table: Table
    prr: float | None
    prr_ci: tuple[float, float] | None
    ror: float | None
    ror_ci: tuple[float, float] | None
    chi2: float | None
    signal: bool

    def as_json(self) -> dict[str, object]:
        t = self.table
        return {
            "group_kind": self.group_kind, "group": self.group, "event": self.event.value,
            "a": t.a, "b": t.b, "c": t.c, "d": t.d,
            "prr": _round(self.prr), "prr_ci95": _pair(self.prr_ci),
            "ror": _round(self.ror), "ror_ci95": _pair(self.ror_ci),
            "chi2_yates": _round(self.chi2), "signal": self.signal,
        }


def measure(group_kind: str, group: str, event: Severity, t: Table) -> Disproportion:
    return Disproportion(
        group_kind, group, event, t, prr(t), prr_interval(t), ror(t), ror_interval(t),
        chi_square(t), is_signal(t),
    )


def disproportionality(
    cases: Iterable[tuple[str | None, Severity]], group_kind: str
) -> list[Disproportion]:
    """Every (group, type) with at least one case, from (group or None, type) pairs.

    Signals first, then by PRR (undefined last), group and type.
    """
    pairs = list(cases)
    cells = Counter(pairs)
    per_group = Counter(group for group, _ in pairs)
    per_event = Counter(event for _, event in pairs)
    total = len(pairs)
    found = []
    for (group, event), a in cells.items():
        if group is None:
            continue
        b = per_group[group] - a
        c = per_event[event] - a
        d = total - a - b - c
        found.append(measure(group_kind, group, event, Table(a, b, c, d)))
    return sorted(found, key=_order)


def _order(m: Disproportion) -> tuple[bool, float, str, str]:
    return (not m.signal, -(m.prr if m.prr is not None else -1.0), m.group, m.event.value)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _pair(value: tuple[float, float] | None) -> list[float] | None:
    return None if value is None else [round(value[0], 4), round(value[1], 4)]
