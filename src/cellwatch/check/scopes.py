"""Step 2's matching: recall scopes flattened once into compiled rows, and how a unit is
judged against one.

Each scope entry becomes a :class:`ScopeRow` keyed by (brand id, model key), with batch
codes, production windows, serial lists, ranges and patterns in comparable form (plain and
folded). A row is judged on the facts the unit provides:

- each constraint kind the entry has (batch, produced, serial) is *held*, *failed*, or
  *unknown* (the unit has no such fact, or one too imprecise to decide);
- any failed → the row fails; else any held and no imprecise fact → matches; else
  undecided, naming the facts to read off the unit;
- a row with no constraint matches every unit of the model;
- serial lists, ranges and patterns are alternatives, as are production windows;
- a production date counts as inside a window only when every day it may be is inside;
  one that lies partly inside is imprecise (read the full date).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from cellwatch.domain.dates import PartialDate, overlaps, within
from cellwatch.domain.names import fold_serial, model_key, serial_key
from cellwatch.domain.recalls import Recall, ScopeEntry
from cellwatch.domain.registry import Registry
from cellwatch.domain.serials import compile_glob


class Outcome(StrEnum):
    MATCHES = "matches"
    FAILS = "fails"
    UNDECIDED = "undecided"


@dataclass(frozen=True)
class ScopeRow:
    """One scope entry of one recall, compiled for matching."""

    recall: Recall
    position: int
    entry: ScopeEntry
    brand: str
    model_key: str
    batches: frozenset[str]
    windows: tuple[tuple[PartialDate | None, PartialDate | None], ...]
    serials: frozenset[str]
    serials_folded: frozenset[str]
    ranges: tuple[tuple[str, str], ...]
    patterns: tuple[re.Pattern[str], ...]
    patterns_folded: tuple[re.Pattern[str], ...]

    @property
    def has_serial_constraint(self) -> bool:
        return bool(self.serials or self.ranges or self.patterns)

    def announced_by(self, date: dt.date) -> bool:
        """Whether the recall may have been announced by ``date`` (earliest day counts)."""
        return self.recall.announced.first_day() <= date


@dataclass(frozen=True, slots=True)
class Unit:
    """The facts of a unit that scopes constrain, normalised."""

    batch: str | None = None
    produced: PartialDate | None = None
    serial: str | None = None

    @classmethod
    def of(cls, batch: str | None, produced: PartialDate | None, serial: str | None) -> Unit:
        return cls(
            model_key(batch) if batch else None,
            produced,
            serial_key(serial) if serial else None,
        )


@dataclass(frozen=True, slots=True)
class Judgement:
    row: ScopeRow
    outcome: Outcome
    missing: tuple[str, ...] = ()
    matched_on: tuple[str, ...] = ()  # the facts that held
    folded: bool = False  # the serial matched only after folding confusable characters


def compile_row(recall: Recall, position: int, entry: ScopeEntry, brand: str) -> ScopeRow:
    return ScopeRow(
        recall=recall,
        position=position,
        entry=entry,
        brand=brand,
        model_key=model_key(entry.model),
        batches=frozenset(model_key(b) for b in entry.batches),
        windows=tuple((w.from_, w.to) for w in entry.produced),
        serials=frozenset(serial_key(s) for s in entry.serials),
        serials_folded=frozenset(fold_serial(s) for s in entry.serials),
        ranges=tuple((serial_key(r.from_), serial_key(r.to)) for r in entry.serial_ranges),
        patterns=tuple(compile_glob(p) for p in entry.serial_patterns),
        patterns_folded=tuple(compile_glob(p, folded=True) for p in entry.serial_patterns),
    )


def scope_index(registry: Registry) -> dict[tuple[str, str], tuple[ScopeRow, ...]]:
    """Every scope entry of every recall, by (current brand id, model key)."""
    rows: dict[tuple[str, str], list[ScopeRow]] = defaultdict(list)
    for recall in registry.data.recalls:
        for position, entry in enumerate(recall.scope):
            brand = registry.current_id(recall.entry_brand(entry))
            row = compile_row(recall, position, entry, brand)
            rows[(brand, row.model_key)].append(row)
    return {key: tuple(found) for key, found in rows.items()}


def rows_for(registry: Registry, brand_id: str, key: str) -> tuple[ScopeRow, ...]:
    """The scope rows of a model, by brand id and folded model code (:func:`model_key`)."""
    index = registry.derived(scope_index)
    return index.get((registry.current_id(brand_id), key), ())


# -- judging -------------------------------------------------------------------------


class _Test(StrEnum):
    HELD = "held"
    FAILED = "failed"
    MISSING = "missing"  # the unit has no such fact
    IMPRECISE = "imprecise"  # the fact is there but cannot decide


def _batch(row: ScopeRow, unit: Unit) -> _Test:
    if unit.batch is None:
        return _Test.MISSING
    return _Test.HELD if unit.batch in row.batches else _Test.FAILED


def _produced(row: ScopeRow, unit: Unit) -> _Test:
    if unit.produced is None:
        return _Test.MISSING
    if any(within(unit.produced, start, end) for start, end in row.windows):
        return _Test.HELD
    if any(overlaps(unit.produced, start, end) for start, end in row.windows):
        return _Test.IMPRECISE
    return _Test.FAILED


def _serial(row: ScopeRow, unit: Unit) -> tuple[_Test, bool]:
    """The serial test and whether it held only after folding."""
    serial = unit.serial
    if serial is None:
        return _Test.MISSING, False
    if (
        serial in row.serials
        or any(len(serial) == len(lo) and lo <= serial <= hi for lo, hi in row.ranges)
        or any(p.match(serial) for p in row.patterns)
    ):
        return _Test.HELD, False
    folded = fold_serial(serial)
    if (
        folded in row.serials_folded
        or any(
            len(folded) == len(lo) and fold_serial(lo) <= folded <= fold_serial(hi)
            for lo, hi in row.ranges
        )
        or any(p.match(folded) for p in row.patterns_folded)
    ):
        return _Test.HELD, True
    return _Test.FAILED, False


def judge(row: ScopeRow, unit: Unit) -> Judgement:
    tests: dict[str, _Test] = {}
    folded = False
    if row.batches:
        tests["batch"] = _batch(row, unit)
    if row.windows:
        tests["produced"] = _produced(row, unit)
    if row.has_serial_constraint:
        tests["serial"], folded = _serial(row, unit)
    if not tests:
        return Judgement(row, Outcome.MATCHES)
    held = tuple(fact for fact, test in tests.items() if test is _Test.HELD)
    if any(test is _Test.FAILED for test in tests.values()):
        return Judgement(row, Outcome.FAILS, matched_on=held)
    imprecise = tuple(fact for fact, test in tests.items() if test is _Test.IMPRECISE)
    if held and not imprecise:
        return Judgement(row, Outcome.MATCHES, matched_on=held, folded=folded)
    missing = imprecise + tuple(f for f, test in tests.items() if test is _Test.MISSING)
    return Judgement(row, Outcome.UNDECIDED, missing=missing, matched_on=held, folded=folded)
