"""Step 2: is this unit recalled, as of the trip date?

Any matching scope row → ``recalled``; else any undecided → ``possibly_recalled`` (with
the facts to read off the unit); else ``not_recalled``. A unit the registry cannot
identify is ``unknown_model``: no recall is claimed either way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cellwatch.check.scopes import Judgement, Outcome, ScopeRow, Unit, judge, rows_for
from cellwatch.domain.products import ProductModel
from cellwatch.domain.registry import Registry
from cellwatch.rules.facts import RecallStatus

_FACT_ORDER = ("batch", "serial", "produced")


@dataclass(frozen=True, slots=True)
class RecallFinding:
    status: RecallStatus
    matches: tuple[Judgement, ...] = ()
    undecided: tuple[Judgement, ...] = ()
    missing: tuple[str, ...] = ()
    folded: bool = False


def recall_status(
    registry: Registry, product: ProductModel | None, unit: Unit, date: dt.date
) -> RecallFinding:
    if product is None:
        return UNKNOWN_MODEL
    return judged(announced_rows(registry, product, date), unit)


def announced_rows(
    registry: Registry, product: ProductModel, date: dt.date
) -> tuple[ScopeRow, ...]:
    """The model's scope rows whose recall was announced by ``date``."""
    return tuple(
        row for row in rows_for(registry, product.brand, product.key[1]) if row.announced_by(date)
    )


def judged(rows: tuple[ScopeRow, ...], unit: Unit) -> RecallFinding:
    """The recall status of a unit of a known model, judged against its ``rows``."""
    if not rows:
        return NOT_RECALLED
    judgements = [judge(row, unit) for row in rows]
    matches = tuple(j for j in judgements if j.outcome is Outcome.MATCHES)
    undecided = tuple(j for j in judgements if j.outcome is Outcome.UNDECIDED)
    if matches:
        return RecallFinding(
            RecallStatus.RECALLED, matches, undecided, folded=all(j.folded for j in matches)
        )
    if undecided:
        wanted = {fact for j in undecided for fact in j.missing}
        return RecallFinding(
            RecallStatus.POSSIBLY_RECALLED,
            undecided=undecided,
            missing=tuple(f for f in _FACT_ORDER if f in wanted),
        )
    return NOT_RECALLED


UNKNOWN_MODEL = RecallFinding(RecallStatus.UNKNOWN_MODEL)
NOT_RECALLED = RecallFinding(RecallStatus.NOT_RECALLED)
