"""Checkpoint records: locations and their storage policies, tokens bound to a location,
recording a step of a unit's case, the chain of a unit, a location's daily report."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from cellwatch.checkpoints.chain import Case, Step
from cellwatch.checkpoints.policy import Location, fee
from cellwatch.checkpoints.records import RecordKind, RecordRequest, check_step
from cellwatch.checkpoints.report import DailyReport, daily_report
from cellwatch.errors import Forbidden
from cellwatch.store import checkpoints as store
from cellwatch.store.db import Database


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or dt.datetime.now(dt.UTC)


def add_location(
    database: Database, location: Location, actor: str, *, now: dt.datetime | None = None
) -> Location:
    with database.unit_of_work(actor) as uow:
        return store.add_location(uow, location, now=_now(now))


def locations(database: Database) -> list[Location]:
    with database.connect() as connection:
        return store.locations(connection)


def bind_token(database: Database, token_id: int, location_id: str, actor: str) -> None:
    with database.unit_of_work(actor) as uow:
        store.bind_token(uow, token_id, location_id)


def token_location(database: Database, token_id: int) -> str:
    """The location a checkpoint token records for; :class:`Forbidden` when unbound."""
    with database.connect() as connection:
        found = store.token_location(connection, token_id)
    if found is None:
        raise Forbidden(
            f"checkpoint token {token_id} is bound to no location: "
            f"cellwatch checkpoint bind {token_id} LOCATION"
        )
    return found


def record(
    database: Database, location_id: str, request: RecordRequest, actor: str,
    *, now: dt.datetime | None = None,
) -> Case:
    """Record one step of a unit's case at the location; return the case with every step."""
    at = _now(now)
    with database.unit_of_work(actor) as uow:
        connection = uow.connection
        location = store.location(connection, location_id)
        if request.case_id is None:
            check_step("(new)", None, request.kind, location=location)
            case_id = store.open_case(
                uow, location.id, brand=request.brand, model=request.model,
                serial=request.serial, batch=request.batch, state=request.kind, now=at,
            )
            case = store.read_case(connection, case_id)
        else:
            case = store.read_case(connection, request.case_id)
            if case.location_id != location.id:
                raise Forbidden(f"case {case.id} belongs to {case.location_id}, "
                                f"not to {location.id}")
            stored = case.stored
            check_step(
                str(case.id), case.state, request.kind, location=location,
                refusal=case.refusal, deadline=stored.deadline if stored else None,
                on=at.date(),
            )
        store.add_step(uow, case, _step(location, case, request, at))
        return store.read_case(connection, case.id)


def _step(location: Location, case: Case, request: RecordRequest, at: dt.datetime) -> Step:
    values: dict[str, Any] = {}
    if request.kind is RecordKind.STORED:
        day = at.date()
        values = {
            "receipt": request.receipt or f"{location.id.upper()}-{day:%Y%m%d}-{case.id:06d}",
            "deadline": location.deadline(day), "free_until": location.free_until(day),
            "fee_per_day_cents": location.fee_per_day_cents, "currency": location.currency,
        }
    elif request.kind is RecordKind.RETRIEVED:
        stored = case.stored
        assert stored is not None and stored.free_until is not None
        values = {
            "fee_cents": fee(stored.at.date(), at.date(), stored.free_until,
                             stored.fee_per_day_cents or 0),
            "currency": stored.currency,
        }
    step = Step(
        id=0, case_id=case.id, location_id=location.id, kind=request.kind, at=at, actor="",
        reason=request.reason, note=request.note, recycler=request.recycler,
        recycler_licence=request.recycler_licence,
    )
    return dataclasses.replace(step, **values)


def chain(
    database: Database, *, case_id: int | None = None, serial: str | None = None,
    receipt: str | None = None, location_id: str | None = None,
) -> list[Case]:
    """Every case of a unit (by case, serial or receipt); ``location_id`` limits to one."""
    with database.connect() as connection:
        if case_id is not None:
            cases = [store.read_case(connection, case_id)]
        else:
            cases = store.cases_of(connection, serial=serial, receipt=receipt)
    if location_id is not None:
        cases = [case for case in cases if case.location_id == location_id]
    return cases


def report(database: Database, location_id: str, day: dt.date) -> DailyReport:
    with database.connect() as connection:
        location = store.location(connection, location_id)
        opened, steps = store.day_steps(connection, location_id, day)
        still_open = store.open_cases(connection, location_id, day)
    return daily_report(location, day, opened=opened, steps=steps, open_cases=still_open)
