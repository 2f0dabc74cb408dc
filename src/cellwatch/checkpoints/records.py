"""What a checkpoint did with a unit, and the legal order of those steps.

::

    (new) ──► passed
      │
      ├────► refused ──┬──► given_up ──────────────► handed_over (to a licensed recycler)
      │                │                                 ▲
      ├────► given_up ─┘                                 │
      │                                                  │
      └────► stored ◄── refused    stored ──► retrieved  │
                                   stored ──► abandoned ─┘ (only after the deadline)

``passed``, ``retrieved`` and ``handed_over`` end a case. A case whose last step is
``stored`` (past its deadline: overdue), ``given_up`` or ``abandoned`` is *open*: the daily
report lists it, so that no unit silently disappears.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from cellwatch.checkpoints.policy import Location, RefusalReason
from cellwatch.domain.records import Text
from cellwatch.errors import IllegalTransition, InputError


class RecordKind(StrEnum):
    PASSED = "passed"
    REFUSED = "refused"
    GIVEN_UP = "given_up"
    STORED = "stored"
    RETRIEVED = "retrieved"
    ABANDONED = "abandoned"
    HANDED_OVER = "handed_over"


#: The first step of a case, and what each step may be followed by.
FIRST: frozenset[RecordKind] = frozenset(
    {RecordKind.PASSED, RecordKind.REFUSED, RecordKind.GIVEN_UP, RecordKind.STORED}
)
NEXT: dict[RecordKind, frozenset[RecordKind]] = {
    RecordKind.PASSED: frozenset(),
    RecordKind.REFUSED: frozenset({RecordKind.GIVEN_UP, RecordKind.STORED}),
    RecordKind.GIVEN_UP: frozenset({RecordKind.HANDED_OVER}),
    RecordKind.STORED: frozenset({RecordKind.RETRIEVED, RecordKind.ABANDONED}),
    RecordKind.RETRIEVED: frozenset(),
    RecordKind.ABANDONED: frozenset({RecordKind.HANDED_OVER}),
    RecordKind.HANDED_OVER: frozenset(),
}
OPEN = frozenset({RecordKind.STORED, RecordKind.GIVEN_UP, RecordKind.ABANDONED})

KIND_TEXT: dict[RecordKind, Text] = {
    RecordKind.PASSED: Text(en="Passed", zh="放行"),
    RecordKind.REFUSED: Text(en="Refused", zh="拒绝携带"),
    RecordKind.GIVEN_UP: Text(en="Given up by the passenger", zh="旅客自弃"),
    RecordKind.STORED: Text(en="Stored", zh="暂存"),
    RecordKind.RETRIEVED: Text(en="Retrieved", zh="已取回"),
    RecordKind.ABANDONED: Text(en="Abandoned after the deadline", zh="逾期未取"),
    RecordKind.HANDED_OVER: Text(en="Handed to a licensed recycler", zh="移交持证回收单位"),
}

Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]


class RecordRequest(BaseModel):
    """One step a checkpoint records. A new case (no ``case_id``) describes the unit."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: RecordKind
    case_id: int | None = Field(None, ge=1, description="The case a later step belongs to.")
    brand: Short | None = None
    model: Short | None = None
    serial: Short | None = None
    batch: Short | None = None
    reason: RefusalReason | None = Field(None, description="Why the unit was refused.")
    note: Note | None = None
    receipt: Short | None = Field(None, description="Receipt number (generated if not given).")
    recycler: Short | None = Field(None, description="The licensed recycler handed to.")
    recycler_licence: Short | None = Field(None, description="The recycler's licence number.")

    @model_validator(mode="after")
    def _fields(self) -> RecordRequest:
        kind = self.kind
        if self.case_id is not None and any((self.brand, self.model, self.serial, self.batch)):
            raise ValueError("a later step names the case, not the unit again")
        if kind is RecordKind.REFUSED and self.reason is None:
            raise ValueError("a refusal needs a reason")
        if kind is not RecordKind.REFUSED and self.reason is not None:
            raise ValueError("only a refusal takes a reason")
        if kind is RecordKind.HANDED_OVER and not (self.recycler and self.recycler_licence):
            raise ValueError("a hand-over names the recycler and its licence number")
        if kind is not RecordKind.HANDED_OVER and (self.recycler or self.recycler_licence):
            raise ValueError("only a hand-over names a recycler")
        if kind is not RecordKind.STORED and self.receipt is not None:
            raise ValueError("only storing gives a receipt")
        return self


def check_step(
    case: str,
    current: RecordKind | None,
    wanted: RecordKind,
    *,
    location: Location,
    refusal: RefusalReason | None = None,
    deadline: dt.date | None = None,
    on: dt.date | None = None,
) -> None:
    """Raise unless ``wanted`` may follow ``current`` at this location on day ``on``.

    ``refusal`` is the case's refusal reason (a unit refused for a reason the location's
    policy does not store may not be stored); ``deadline`` the stored unit's.
    """
    allowed = FIRST if current is None else NEXT[current]
    if wanted not in allowed:
        names = ", ".join(sorted(k.value for k in allowed)) or "nothing (the case is closed)"
        raise IllegalTransition(
            "checkpoint case", case, current.value if current else None, wanted.value,
            f"it may be followed by {names}",
        )
    if wanted is RecordKind.STORED and refusal is not None and refusal in location.not_storable:
        raise IllegalTransition(
            "checkpoint case", case, current.value if current else None, wanted.value,
            f"{location.id} does not store units refused as {refusal.value}",
        )
    if wanted is RecordKind.ABANDONED:
        if deadline is None or on is None:
            raise InputError("abandonment needs the stored unit's deadline and today's date")
        if on <= deadline:
            raise IllegalTransition(
                "checkpoint case", case, current.value if current else None, wanted.value,
                f"the unit may be retrieved until {deadline}",
            )
