"""Is a reached batch already recalled? Judged by the check's own scope matching.

A batch is judged as a unit whose facts are the batch code and the production window: the
window is one imprecise production date (any day from its first to its last), exactly as
the check treats a date known only to the month. Each recall scope row of the model that
was announced by the date is judged with :func:`cellwatch.check.scopes.judge`, the one
definition of recall matching:

- any row matches → ``recalled`` (by those recalls);
- else any row undecided → ``undecided``: the window lies only partly inside the recall's
  window (``missing: produced``), or the scope turns on facts a batch record does not
  carry, such as serial numbers (``missing: serial``);
- else ``not_recalled`` — the exposure gap.
"""

from __future__ import annotations

import datetime as dt

from cellwatch.check.scopes import Outcome, ScopeRow, Unit, judge, rows_for
from cellwatch.domain.dates import PartialDate
from cellwatch.domain.names import model_key
from cellwatch.domain.products import Batch
from cellwatch.domain.registry import Registry
from cellwatch.impact.report import Exposure, RecallHit


class _Span(PartialDate):
    """A production date known only to lie between two days (a batch's window).

    Scope matching compares dates as the span of days they may be (``first_day`` to
    ``last_day``); a span is such a date with arbitrary ends. An open end is unbounded.
    """

    __slots__ = ()  # a PartialDate keeps its first and last days

    def __init__(self, first: dt.date, last: dt.date) -> None:
        object.__setattr__(self, "_first", first)
        object.__setattr__(self, "_last", last)
        object.__setattr__(self, "year", first.year)
        object.__setattr__(self, "month", first.month)
        object.__setattr__(self, "day", first.day)

    def isoformat(self) -> str:
        return f"{self.first_day().isoformat()}/{self.last_day().isoformat()}"

    def __reduce__(self) -> tuple[type[_Span], tuple[dt.date, dt.date]]:  # type: ignore[override]
        return (_Span, (self.first_day(), self.last_day()))


def production_window(batch: Batch) -> PartialDate | None:
    """The batch's production window as one imprecise date; ``None`` when unknown."""
    start, end = batch.produced_from, batch.produced_to
    if start is None and end is None:
        return None
    if start is not None and end is not None and start == end:
        return start
    return _Span(
        start.first_day() if start is not None else dt.date.min,
        end.last_day() if end is not None else dt.date.max,
    )


def scope_rows(registry: Registry, batch: Batch) -> tuple[ScopeRow, ...]:
    """The recall scope rows of the batch's model (the check's compiled rows)."""
    return rows_for(registry, batch.brand, model_key(batch.model))


def judge_batch(
    batch: Batch, rows: tuple[ScopeRow, ...], date: dt.date
) -> tuple[Exposure, tuple[RecallHit, ...]]:
    """The batch's exposure and the scope entries of ``rows`` (its model's, see
    :func:`scope_rows`) that cover or may cover it."""
    if not rows:
        return Exposure.NOT_RECALLED, ()
    unit = Unit.of(batch.batch, production_window(batch), None)
    hits: list[RecallHit] = []
    matched = False
    for row in rows:
        if not row.announced_by(date):
            continue
        judgement = judge(row, unit)
        if judgement.outcome is Outcome.FAILS:
            continue
        matched = matched or judgement.outcome is Outcome.MATCHES
        recall = row.recall
        hits.append(RecallHit(
            id=recall.id, authority=recall.authority, announced=recall.announced.isoformat(),
            scope_entry=row.position, outcome=judgement.outcome.value,
            matched_on=judgement.matched_on, missing=judgement.missing, title=recall.title,
        ))
    if matched:
        return Exposure.RECALLED, tuple(hits)
    return (Exposure.UNDECIDED if hits else Exposure.NOT_RECALLED), tuple(hits)


def made_after(batch: Batch, since: dt.date | None) -> bool | None:
    """Whether the batch was made on or after ``since``; ``None`` when unknown or straddling."""
    if since is None:
        return None
    if batch.produced_from is not None and batch.produced_from.first_day() >= since:
        return True
    if batch.produced_to is not None and batch.produced_to.last_day() < since:
        return False
    return None
