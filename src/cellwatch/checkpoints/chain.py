"""The chain of one unit at a checkpoint: its case and every step recorded, in order."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from cellwatch.checkpoints.policy import REFUSAL_TEXT, RefusalReason, money
from cellwatch.checkpoints.records import KIND_TEXT, OPEN, RecordKind
from cellwatch.domain.records import Text


@dataclass(frozen=True)
class Step:
    """One stored checkpoint record."""

    id: int
    case_id: int
    location_id: str
    kind: RecordKind
    at: dt.datetime
    actor: str
    reason: RefusalReason | None = None
    note: str | None = None
    receipt: str | None = None
    deadline: dt.date | None = None
    free_until: dt.date | None = None
    fee_per_day_cents: int | None = None
    fee_cents: int | None = None
    currency: str | None = None
    recycler: str | None = None
    recycler_licence: str | None = None

    def text(self) -> Text:
        """The step as an officer or a passenger reads it."""
        head = KIND_TEXT[self.kind]
        en, zh = head.en, head.get("zh")
        if self.reason is not None:
            en += f": {REFUSAL_TEXT[self.reason].en}"
            zh += f"：{REFUSAL_TEXT[self.reason].get('zh')}"
        if self.kind is RecordKind.STORED and self.receipt:
            terms = ""
            terms_zh = ""
            if self.fee_per_day_cents and self.currency:
                per_day = money(self.fee_per_day_cents, self.currency)
                terms = f"; free until {self.free_until}, then {per_day} per day"
                terms_zh = f"；{self.free_until} 前免费，之后每天 {per_day}"
            en += f", receipt {self.receipt}; retrieve by {self.deadline}{terms}"
            zh += f"，凭条号 {self.receipt}；请于 {self.deadline} 前取回{terms_zh}"
        if self.kind is RecordKind.RETRIEVED and self.fee_cents is not None and self.currency:
            en += f", fee {money(self.fee_cents, self.currency)}"
            zh += f"，收费 {money(self.fee_cents, self.currency)}"
        if self.kind is RecordKind.HANDED_OVER:
            en += f": {self.recycler} (licence {self.recycler_licence})"
            zh += f"：{self.recycler}（许可证号 {self.recycler_licence}）"
        return Text(en=en, zh=zh)

    def as_json(self) -> dict[str, Any]:
        value: dict[str, Any] = {
            "id": self.id, "case_id": self.case_id, "location": self.location_id,
            "kind": self.kind.value, "at": _iso(self.at), "actor": self.actor,
            "reason": self.reason.value if self.reason else None, "note": self.note,
            "receipt": self.receipt,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "free_until": self.free_until.isoformat() if self.free_until else None,
            "fee_per_day_cents": self.fee_per_day_cents, "fee_cents": self.fee_cents,
            "currency": self.currency, "recycler": self.recycler,
            "recycler_licence": self.recycler_licence, "text": self.text().model_dump(),
        }
        return {key: item for key, item in value.items() if item is not None}


@dataclass(frozen=True)
class Case:
    """One unit's passage through one checkpoint."""

    id: int
    location_id: str
    opened_at: dt.datetime
    state: RecordKind
    brand: str | None = None
    model: str | None = None
    serial: str | None = None
    batch: str | None = None
    steps: tuple[Step, ...] = field(default=())

    @property
    def refusal(self) -> RefusalReason | None:
        return next((s.reason for s in self.steps if s.kind is RecordKind.REFUSED), None)

    @property
    def stored(self) -> Step | None:
        return next((s for s in reversed(self.steps) if s.kind is RecordKind.STORED), None)

    def is_open(self) -> bool:
        return self.state in OPEN

    def overdue(self, on: dt.date) -> bool:
        """Stored and not retrieved after its deadline: it must be recorded as abandoned."""
        stored = self.stored
        return (self.state is RecordKind.STORED and stored is not None
                and stored.deadline is not None and on > stored.deadline)

    def as_json(self, on: dt.date | None = None) -> dict[str, Any]:
        on = on or dt.date.today()
        return {
            "id": self.id, "location": self.location_id, "opened_at": _iso(self.opened_at),
            "state": self.state.value, "state_text": KIND_TEXT[self.state].model_dump(),
            "unit": {"brand": self.brand, "model": self.model, "serial": self.serial,
                     "batch": self.batch},
            "open": self.is_open(), "overdue": self.overdue(on),
            "steps": [step.as_json() for step in self.steps],
        }


def _iso(at: dt.datetime) -> str:
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
