"""A checkpoint location's daily report: what was checked and done that day, and what is
still open at its end (stored, overdue, awaiting hand-over).

Days are UTC calendar days (a record's ``at`` is stored in UTC).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cellwatch.checkpoints.chain import Case, Step
from cellwatch.checkpoints.policy import REFUSAL_TEXT, Location, RefusalReason
from cellwatch.checkpoints.records import KIND_TEXT, RecordKind
from cellwatch.domain.records import Text


@dataclass(frozen=True)
class DailyReport:
    location: Location
    day: dt.date
    checked: int  # cases opened that day
    counts: dict[RecordKind, int]  # steps of each kind recorded that day
    refused_by_reason: dict[RefusalReason, int]
    fees_cents: int
    stored_open: tuple[int, ...] = field(default=())  # case ids stored, within the deadline
    overdue: tuple[int, ...] = field(default=())  # stored past the deadline
    awaiting_handover: tuple[int, ...] = field(default=())  # given up or abandoned

    def rows(self) -> list[tuple[str, str, int, Text]]:
        """(metric, detail, value, label) rows: the CSV export and the tables show them."""
        rows: list[tuple[str, str, int, Text]] = [
            ("checked", "", self.checked, Text(en="Units checked", zh="检查数量")),
        ]
        for kind in RecordKind:
            rows.append((kind.value, "", self.counts.get(kind, 0), KIND_TEXT[kind]))
        for reason, count in sorted(self.refused_by_reason.items()):
            label = REFUSAL_TEXT[reason]
            rows.append(("refused_by_reason", reason.value, count,
                         Text(en=f"Refused: {label.en}", zh=f"拒绝：{label.get('zh')}")))
        rows += [
            ("fees_cents", self.location.currency, self.fees_cents,
             Text(en="Storage fees collected (cents)", zh="已收暂存费（分）")),
            ("open_stored", "", len(self.stored_open),
             Text(en="Stored, within the deadline", zh="暂存中（未逾期）")),
            ("open_overdue", "", len(self.overdue),
             Text(en="Stored, past the deadline", zh="暂存已逾期")),
            ("open_awaiting_handover", "", len(self.awaiting_handover),
             Text(en="Awaiting hand-over to a recycler", zh="待移交回收单位")),
        ]
        return rows

    def as_json(self) -> dict[str, Any]:
        return {
            "location": self.location.id, "name": self.location.label().model_dump(),
            "date": self.day.isoformat(), "checked": self.checked,
            "counts": {kind.value: self.counts.get(kind, 0) for kind in RecordKind},
            "refused_by_reason": {r.value: n for r, n in sorted(self.refused_by_reason.items())},
            "fees_cents": self.fees_cents, "currency": self.location.currency,
            "open": {"stored": list(self.stored_open), "overdue": list(self.overdue),
                     "awaiting_handover": list(self.awaiting_handover)},
            "rows": [
                {"metric": m, "detail": d, "value": v, "label": label.model_dump()}
                for m, d, v, label in self.rows()
            ],
        }

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["location", "date", "metric", "detail", "value", "label_en", "label_zh"])
        for metric, detail, value, label in self.rows():
            writer.writerow([self.location.id, self.day.isoformat(), metric, detail, value,
                             label.en, label.get("zh")])
        return out.getvalue()


def daily_report(
    location: Location,
    day: dt.date,
    *,
    opened: int,
    steps: Sequence[Step],
    open_cases: Sequence[Case],
) -> DailyReport:
    """The report of ``day`` from the steps recorded that day and the cases open at its end."""
    counts = Counter(step.kind for step in steps)
    refused = Counter(step.reason for step in steps
                      if step.kind is RecordKind.REFUSED and step.reason is not None)
    fees = sum(step.fee_cents or 0 for step in steps if step.kind is RecordKind.RETRIEVED)
    stored = tuple(c.id for c in open_cases
                   if c.state is RecordKind.STORED and not c.overdue(day))
    overdue = tuple(c.id for c in open_cases if c.overdue(day))
    waiting = tuple(c.id for c in open_cases
                    if c.state in (RecordKind.GIVEN_UP, RecordKind.ABANDONED))
    return DailyReport(location, day, opened, dict(counts), dict(refused), fees, stored,
                       overdue, waiting)
