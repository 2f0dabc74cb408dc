"""Checkpoint locations, the tokens bound to them, cases and their records; never committed.

Every write is audited in the caller's unit of work with ``registry=False``: kinds
``checkpoint_location``, ``checkpoint_token`` and ``checkpoint_record`` (key
``<case id>/<record id>``; the record as :meth:`~cellwatch.checkpoints.chain.Step.as_json`
shows it, with the unit's facts). No personal data is recorded.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from cellwatch.checkpoints.chain import Case, Step
from cellwatch.checkpoints.policy import Location, RefusalReason
from cellwatch.checkpoints.records import OPEN, RecordKind
from cellwatch.domain.names import serial_key
from cellwatch.domain.records import canonical_json
from cellwatch.errors import InputError, RecordExists, RecordNotFound
from cellwatch.store.audit import sha256_text
from cellwatch.store.db import UnitOfWork
from cellwatch.store.tables import (
    api_tokens,
    checkpoint_cases,
    checkpoint_locations,
    checkpoint_records,
    checkpoint_tokens,
)

log = logging.getLogger(__name__)


def _audit(uow: UnitOfWork, kind: str, key: str, action: Any, after: dict[str, Any],
           before_digest: str | None = None) -> None:
    uow.record_change(kind, key, action, before_digest, after,
                      sha256_text(canonical_json(after)), registry=False)


# -- locations and tokens ----------------------------------------------------------------


def add_location(uow: UnitOfWork, location: Location, *, now: dt.datetime) -> Location:
    connection = uow.connection
    found = connection.scalar(
        sa.select(checkpoint_locations.c.id).where(checkpoint_locations.c.id == location.id)
    )
    if found is not None:
        raise RecordExists("checkpoint location", location.id)
    values = location.model_dump(mode="json")
    connection.execute(checkpoint_locations.insert().values(**values, created_at=now))
    _audit(uow, "checkpoint_location", location.id, "insert", values)
    return location


def location(connection: Connection, location_id: str) -> Location:
    row = connection.execute(
        sa.select(checkpoint_locations).where(checkpoint_locations.c.id == location_id)
    ).one_or_none()
    if row is None:
        raise RecordNotFound("checkpoint location", location_id)
    return _location(row)


def locations(connection: Connection) -> list[Location]:
    rows = connection.execute(sa.select(checkpoint_locations).order_by(checkpoint_locations.c.id))
    return [_location(row) for row in rows]


def bind_token(uow: UnitOfWork, token_id: int, location_id: str) -> None:
    """Bind a checkpoint token to the one location it records for (re-binding moves it)."""
    connection = uow.connection
    role = connection.scalar(sa.select(api_tokens.c.role).where(api_tokens.c.id == token_id))
    if role is None:
        raise RecordNotFound("token", str(token_id))
    if role != "checkpoint":
        raise InputError(f"token {token_id} is a {role} token; only checkpoint tokens are bound")
    location(connection, location_id)  # raises when unknown
    connection.execute(checkpoint_tokens.delete().where(checkpoint_tokens.c.token_id == token_id))
    connection.execute(checkpoint_tokens.insert().values(token_id=token_id,
                                                         location_id=location_id))
    _audit(uow, "checkpoint_token", str(token_id), "update",
           {"token": token_id, "location": location_id})


def token_location(connection: Connection, token_id: int) -> str | None:
    found: str | None = connection.scalar(
        sa.select(checkpoint_tokens.c.location_id).where(checkpoint_tokens.c.token_id == token_id)
    )
    return found


# -- cases and records -------------------------------------------------------------------


def open_case(
    uow: UnitOfWork, location_id: str, *, brand: str | None, model: str | None,
    serial: str | None, batch: str | None, state: RecordKind, now: dt.datetime,
) -> int:
    case_id = uow.connection.execute(
        checkpoint_cases.insert().values(
            location_id=location_id, opened_at=now, brand=brand, model=model, serial=serial,
            serial_key=serial_key(serial) if serial else None, batch=batch, state=state.value,
        ).returning(checkpoint_cases.c.id)
    ).scalar_one()
    return int(case_id)


def add_step(uow: UnitOfWork, case: Case, step: Step) -> Step:
    """Append a step to a case (already judged legal) and move the case's state."""
    connection = uow.connection
    values = {
        "case_id": case.id, "location_id": case.location_id, "kind": step.kind.value,
        "at": step.at, "actor": uow.actor,
        "reason": step.reason.value if step.reason else None, "note": step.note,
        "receipt": step.receipt, "deadline": step.deadline, "free_until": step.free_until,
        "fee_per_day_cents": step.fee_per_day_cents, "currency": step.currency,
        "fee_cents": step.fee_cents, "recycler": step.recycler,
        "recycler_licence": step.recycler_licence,
    }
    if step.receipt is not None:
        taken = connection.scalar(sa.select(checkpoint_records.c.id).where(
            checkpoint_records.c.location_id == case.location_id,
            checkpoint_records.c.receipt == step.receipt,
        ))
        if taken is not None:
            raise RecordExists("receipt", step.receipt)
    record_id = connection.execute(
        checkpoint_records.insert().values(**values).returning(checkpoint_records.c.id)
    ).scalar_one()
    connection.execute(checkpoint_cases.update().where(checkpoint_cases.c.id == case.id)
                       .values(state=step.kind.value))
    stored = read_case(connection, case.id)
    saved = stored.steps[-1]
    after = saved.as_json() | {"unit": {"brand": case.brand, "model": case.model,
                                        "serial": case.serial, "batch": case.batch}}
    after.pop("text", None)
    _audit(uow, "checkpoint_record", f"{case.id}/{record_id}", "insert", after)
    log.info("checkpoint case %s at %s: %s", case.id, case.location_id, step.kind.value)
    return saved


def read_case(connection: Connection, case_id: int) -> Case:
    row = connection.execute(
        sa.select(checkpoint_cases).where(checkpoint_cases.c.id == case_id)
    ).one_or_none()
    if row is None:
        raise RecordNotFound("checkpoint case", str(case_id))
    steps = connection.execute(
        sa.select(checkpoint_records).where(checkpoint_records.c.case_id == case_id)
        .order_by(checkpoint_records.c.id)
    ).all()
    return _case(row, steps)


def cases_of(connection: Connection, *, serial: str | None = None,
             receipt: str | None = None) -> list[Case]:
    """Every case of a unit, by serial (folded as serials are) or by a receipt number."""
    if serial is not None:
        ids = connection.scalars(sa.select(checkpoint_cases.c.id).where(
            checkpoint_cases.c.serial_key == serial_key(serial)
        ).order_by(checkpoint_cases.c.id)).all()
    elif receipt is not None:
        ids = connection.scalars(sa.select(checkpoint_records.c.case_id).where(
            checkpoint_records.c.receipt == receipt
        ).order_by(checkpoint_records.c.case_id)).all()
    else:
        raise InputError("name a serial or a receipt")
    return [read_case(connection, int(i)) for i in dict.fromkeys(ids)]


def day_steps(connection: Connection, location_id: str, day: dt.date) -> tuple[int, list[Step]]:
    """The cases opened and the steps recorded at the location on a UTC day."""
    start = dt.datetime.combine(day, dt.time(), dt.UTC)
    end = start + dt.timedelta(days=1)
    opened = connection.scalar(sa.select(sa.func.count()).select_from(checkpoint_cases).where(
        checkpoint_cases.c.location_id == location_id,
        checkpoint_cases.c.opened_at >= start, checkpoint_cases.c.opened_at < end,
    ))
    rows = connection.execute(sa.select(checkpoint_records).where(
        checkpoint_records.c.location_id == location_id,
        checkpoint_records.c.at >= start, checkpoint_records.c.at < end,
    ).order_by(checkpoint_records.c.id)).all()
    return int(opened or 0), [_step(row) for row in rows]


def open_cases(connection: Connection, location_id: str, until: dt.date) -> list[Case]:
    """Cases open at the end of a day: their last step on or before it is an open one.

    Read as of the end of ``until`` (later steps are ignored), so a past day's report does
    not change.
    """
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), dt.UTC)
    rows = connection.execute(sa.select(checkpoint_records).where(
        checkpoint_records.c.location_id == location_id, checkpoint_records.c.at < end,
    ).order_by(checkpoint_records.c.case_id, checkpoint_records.c.id)).all()
    by_case: dict[int, list[Row[Any]]] = {}
    for row in rows:
        by_case.setdefault(int(row.case_id), []).append(row)
    found = []
    for case_id, steps in by_case.items():
        last = RecordKind(steps[-1].kind)
        if last in OPEN:
            found.append(Case(case_id, location_id, _utc(steps[0].at), last,
                              steps=tuple(_step(s) for s in steps)))
    return found


# -- rows --------------------------------------------------------------------------------


def _location(row: Row[Any]) -> Location:
    return Location.model_validate({
        "id": row.id, "name": row.name, "name_zh": row.name_zh, "kind": row.kind,
        "days_free": row.days_free, "fee_per_day_cents": row.fee_per_day_cents,
        "currency": row.currency, "max_days": row.max_days, "not_storable": row.not_storable,
    })


def _case(row: Row[Any], steps: Sequence[Row[Any]]) -> Case:
    return Case(
        id=int(row.id), location_id=row.location_id, opened_at=_utc(row.opened_at),
        state=RecordKind(row.state), brand=row.brand, model=row.model, serial=row.serial,
        batch=row.batch, steps=tuple(_step(s) for s in steps),
    )


def _step(row: Row[Any]) -> Step:
    return Step(
        id=int(row.id), case_id=int(row.case_id), location_id=row.location_id,
        kind=RecordKind(row.kind), at=_utc(row.at), actor=row.actor,
        reason=RefusalReason(row.reason) if row.reason else None, note=row.note,
        receipt=row.receipt, deadline=row.deadline, free_until=row.free_until,
        fee_per_day_cents=row.fee_per_day_cents, fee_cents=row.fee_cents,
        currency=row.currency, recycler=row.recycler, recycler_licence=row.recycler_licence,
    )


def _utc(at: dt.datetime) -> dt.datetime:
    return at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at.astimezone(dt.UTC)
