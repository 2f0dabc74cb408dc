"""Checkpoint records on every backend: the legal steps, storage terms and fees, the chain
of a unit, the daily report and its CSV, and the audit of every step."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
import sqlalchemy as sa

from cellwatch.checkpoints.policy import Location, RefusalReason
from cellwatch.checkpoints.records import RecordKind, RecordRequest
from cellwatch.errors import Forbidden, IllegalTransition, RecordExists
from cellwatch.fieldops import checkpoints as ops
from cellwatch.store import audit
from cellwatch.store.db import Database
from cellwatch.store.tokens import TokenRole, create_token

DAY = dt.date(2025, 7, 1)
T0 = dt.datetime(2025, 7, 1, 8, 0, tzinfo=dt.UTC)
PVG = Location(id="pvg-t2", name="Shanghai Pudong T2 security", name_zh="浦东机场T2安检",
               days_free=3, fee_per_day_cents=500, max_days=30)


@pytest.fixture
def pvg(database: Database) -> Location:
    return ops.add_location(database, PVG, "test", now=T0)


def step(database: Database, kind: str, at: dt.datetime, **fields: Any) -> Any:
    request = RecordRequest.model_validate({"kind": kind, **fields})
    return ops.record(database, PVG.id, request, "token:9:pvg", now=at)


def test_refused_stored_retrieved_with_the_fee(database: Database, pvg: Location) -> None:
    case = step(database, "refused", T0, brand="Romoss", model="PAC20-272", serial="R123",
                reason="over_energy_limit")
    case = step(database, "stored", T0 + dt.timedelta(minutes=5), case_id=case.id)
    stored = case.steps[-1]
    assert stored.receipt == f"PVG-T2-20250701-{case.id:06d}"
    assert (stored.deadline, stored.free_until) == (dt.date(2025, 7, 31), dt.date(2025, 7, 4))
    assert "retrieve by 2025-07-31" in stored.text().en and "请于 2025-07-31 前取回" in (
        stored.text().zh or "")
    # retrieved on 07-10: 6 days after the free days at 5.00 a day
    case = step(database, "retrieved", dt.datetime(2025, 7, 10, 12, tzinfo=dt.UTC),
                case_id=case.id)
    assert case.steps[-1].fee_cents == 6 * 500
    assert [s.kind for s in case.steps] == [RecordKind.REFUSED, RecordKind.STORED,
                                            RecordKind.RETRIEVED]
    assert not case.is_open()
    (chain,) = ops.chain(database, serial="r-123")  # serials fold as everywhere
    assert chain.id == case.id
    assert ops.chain(database, receipt=stored.receipt)[0].id == case.id


def test_illegal_steps_are_refused_and_change_nothing(database: Database, pvg: Location) -> None:
    case = step(database, "passed", T0, model="A1263")
    with pytest.raises(IllegalTransition, match="closed"):
        step(database, "stored", T0, case_id=case.id)
    with pytest.raises(IllegalTransition, match="first step"):
        step(database, "retrieved", T0)
    refused = step(database, "refused", T0, reason="recalled")
    with pytest.raises(IllegalTransition, match="does not store units refused as recalled"):
        step(database, "stored", T0, case_id=refused.id)
    stored = step(database, "stored", T0)
    with pytest.raises(IllegalTransition, match="may be retrieved until 2025-07-31"):
        step(database, "abandoned", dt.datetime(2025, 7, 31, 23, tzinfo=dt.UTC),
             case_id=stored.id)
    with pytest.raises(IllegalTransition):
        step(database, "handed_over", T0, case_id=stored.id, recycler="GreenCycle",
             recycler_licence="HW-310000-2025-01")
    with pytest.raises(ValueError, match="needs a reason"):
        RecordRequest.model_validate({"kind": "refused"})
    with pytest.raises(ValueError, match="recycler and its licence"):
        RecordRequest.model_validate({"kind": "handed_over", "case_id": 1})
    with database.connect() as connection:
        kinds = connection.scalars(sa.text("select kind from checkpoint_records order by id"))
        assert list(kinds) == ["passed", "refused", "stored"]


def test_no_unit_silently_disappears(database: Database, pvg: Location) -> None:
    stored = step(database, "stored", T0, serial="S-1")
    later = dt.datetime(2025, 8, 1, 9, tzinfo=dt.UTC)
    report = ops.report(database, PVG.id, dt.date(2025, 8, 1))
    assert report.overdue == (stored.id,)
    case = step(database, "abandoned", later, case_id=stored.id)
    assert case.is_open()  # abandoned, awaiting hand-over
    report = ops.report(database, PVG.id, dt.date(2025, 8, 1))
    assert (report.overdue, report.awaiting_handover) == ((), (stored.id,))
    case = step(database, "handed_over", later + dt.timedelta(hours=1), case_id=stored.id,
                recycler="GreenCycle", recycler_licence="HW-310000-2025-01")
    assert not case.is_open()
    assert "GreenCycle (licence HW-310000-2025-01)" in case.steps[-1].text().en
    assert ops.report(database, PVG.id, dt.date(2025, 8, 1)).awaiting_handover == ()
    # a past day's report does not change: on 07-01 the unit was stored, in time
    assert ops.report(database, PVG.id, DAY).stored_open == (stored.id,)


def test_the_daily_report_and_its_csv(database: Database, pvg: Location) -> None:
    for i in range(3):
        step(database, "passed", T0 + dt.timedelta(minutes=i))
    refused = [step(database, "refused", T0, reason=r)
               for r in ("recalled", "recalled", "no_ccc_mark")]
    step(database, "given_up", T0, case_id=refused[0].id)
    step(database, "stored", T0, case_id=refused[2].id)
    step(database, "passed", T0 + dt.timedelta(days=1))  # another day
    report = ops.report(database, PVG.id, DAY)
    assert report.checked == 6
    assert report.counts[RecordKind.PASSED] == 3
    assert report.refused_by_reason == {RefusalReason.RECALLED: 2, RefusalReason.NO_CCC_MARK: 1}
    assert (report.counts[RecordKind.GIVEN_UP], report.counts[RecordKind.STORED]) == (1, 1)
    assert report.awaiting_handover == (refused[0].id,)
    assert report.stored_open == (refused[2].id,)
    rows = list(csv.DictReader(io.StringIO(report.csv())))
    values = {(r["metric"], r["detail"]): int(r["value"]) for r in rows}
    assert values[("checked", "")] == 6
    assert values[("refused_by_reason", "recalled")] == 2
    assert all(r["label_zh"] for r in rows)
    assert report.as_json()["counts"]["refused"] == 3


def test_every_step_is_audited_without_moving_the_registry(
    database: Database, pvg: Location
) -> None:
    case = step(database, "refused", T0, reason="damaged", serial="X9")
    case = step(database, "given_up", T0, case_id=case.id)
    with database.connect() as connection:
        entries = audit.entries(connection, limit=10, kind="checkpoint_record")
        assert {e.key for e in entries} == {f"{case.id}/{s.id}" for s in case.steps}
        assert len(entries) == 2
        assert entries[0].after is not None and entries[0].after["unit"]["serial"] == "X9"
        assert audit.verify(connection).ok
        assert connection.scalar(sa.text("select version from registry_meta")) == 0


def test_tokens_are_bound_to_one_location(database: Database, pvg: Location) -> None:
    with database.unit_of_work("test") as uow:
        token, _ = create_token(uow, TokenRole.CHECKPOINT, name="pvg-desk-1")
        regulator, _ = create_token(uow, TokenRole.REGULATOR, name="samr")
    with pytest.raises(Forbidden, match="bound to no location"):
        ops.token_location(database, token.id)
    ops.bind_token(database, token.id, PVG.id, "test")
    assert ops.token_location(database, token.id) == PVG.id
    with pytest.raises(Exception, match="only checkpoint tokens"):
        ops.bind_token(database, regulator.id, PVG.id, "test")
    ops.add_location(database, Location(id="sha-rail", name="Shanghai Station",
                                        kind="station"), "test", now=T0)
    case = step(database, "stored", T0)
    other = RecordRequest(kind=RecordKind.RETRIEVED, case_id=case.id)
    with pytest.raises(Forbidden, match="belongs to pvg-t2"):
        ops.record(database, "sha-rail", other, "token:7:sha", now=T0)
    with pytest.raises(RecordExists):
        ops.add_location(database, PVG, "test", now=T0)
    with pytest.raises(RecordExists):
        step(database, "stored", T0, receipt=case.steps[0].receipt)
