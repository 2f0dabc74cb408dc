"""Incident intake on every backend: resolved against the registry, written through the one
checked write, duplicates held back for a regulator to merge, keep or reject."""

from __future__ import annotations

from typing import Any

import pytest

from cellwatch.domain.registry import Registry
from cellwatch.errors import BundleError, IllegalTransition, InputError, RecordExists
from cellwatch.fieldops import incidents as ops
from cellwatch.incidents.intake import IncidentReport
from cellwatch.store import audit
from cellwatch.store.db import Database
from cellwatch.store.incident_reports import HeldState
from tests.field import load_demo, snapshot


@pytest.fixture
def registry(database: Database) -> Registry:
    return load_demo(database)


def report(**fields: Any) -> IncidentReport:
    values: dict[str, Any] = {
        "date": "2025-07-04", "mode": "air", "flight": "MU 5101", "brand": "安克",
        "model": "PowerCore 10000", "severity": "smoke", "sources": ["cpsc-anker-a1263-2025"],
        "description": "Smoke from a power bank in an overhead bin.",
    }
    return IncidentReport.model_validate(values | fields)


def test_a_report_is_resolved_and_stored(database: Database, registry: Registry) -> None:
    intake = ops.report(database, registry, report(), "token:3:samr")
    assert intake.status == "stored"
    incident = intake.incident
    assert (incident.id, incident.brand, incident.model) == ("mu5101-2025-07-04", "anker",
                                                            "A1263")
    after = snapshot(database)
    assert after.version > registry.version
    assert any(i.id == incident.id for i in after.data.incidents)
    with database.connect() as connection:
        (entry,) = audit.entries(connection, limit=1, kind="incident", key=incident.id)
        assert entry.actor == "token:3:samr"


def test_duplicates_are_held_not_stored_twice(database: Database, registry: Registry) -> None:
    first = ops.report(database, registry, report(), "samr").incident
    again = ops.report(database, snapshot(database),
                       report(flight="MU5101", injuries=2, sources=["cpsc-anker-a1263-2025"]),
                       "caac")
    assert again.status == "held" and again.held is not None
    assert again.held.existing_id == first.id
    assert again.held.reasons == ("same_flight_and_date",)
    assert len(snapshot(database).data.incidents) == len(registry.data.incidents) + 1
    # the same unit on the same day, on another flight, is a likely duplicate too
    by_serial = ops.report(database, snapshot(database),
                           report(flight=None, serial="AK-1", date="2025-07-05"), "samr")
    assert by_serial.status == "stored"
    held = ops.report(database, snapshot(database),
                      report(flight="CA 1", serial="ak1", date="2025-07-05"), "samr")
    assert held.held is not None and held.held.reasons == ("same_serial_and_date",)
    pending, total = ops.held(database)
    assert total == 2 and {p.id for p in pending} == {again.held.id, held.held.id}


def test_merge_fills_in_and_keeps_one_incident(database: Database, registry: Registry) -> None:
    first = ops.report(database, registry, report(), "samr").incident
    held = ops.report(database, snapshot(database),
                      report(injuries=2, damage="Seat scorched."), "caac").held
    assert held is not None
    merged = ops.merge(database, held.id, "samr", note="same event")
    assert (merged.id, merged.injuries, merged.damage) == (first.id, 2, "Seat scorched.")
    stored = {i.id: i for i in snapshot(database).data.incidents}
    assert stored[first.id].injuries == 2
    assert ops.held_report(database, held.id).state is HeldState.MERGED
    with pytest.raises(IllegalTransition):
        ops.reject(database, held.id, "samr")


def test_keep_separate_and_reject(database: Database, registry: Registry) -> None:
    ops.report(database, registry, report(), "samr")
    one = ops.report(database, snapshot(database), report(), "a").held
    two = ops.report(database, snapshot(database), report(), "b").held
    assert one is not None and two is not None
    kept = ops.keep_separate(database, one.id, "samr")
    assert kept.id == "mu5101-2025-07-04-2"
    assert ops.reject(database, two.id, "samr", note="hoax").state is HeldState.REJECTED
    assert ops.held(database)[1] == 0
    ids = {i.id for i in snapshot(database).data.incidents}
    assert {"mu5101-2025-07-04", "mu5101-2025-07-04-2"} <= ids


def test_bad_reports_change_nothing(database: Database, registry: Registry) -> None:
    with pytest.raises(InputError, match="not in the registry"):
        ops.report(database, registry, report(brand="NoSuchBrand"), "samr")
    with pytest.raises(InputError, match="at least one source"):
        ops.report(database, registry, report(sources=[]), "samr")
    with pytest.raises(BundleError):
        ops.report(database, registry, report(sources=["no-such-source"]), "samr")
    with pytest.raises(RecordExists):
        ops.report(database, registry, report(id="hx115-2025-03-20"), "samr")
    with pytest.raises(ValueError):
        report(injuries=-1)
    assert snapshot(database).version == registry.version


def test_a_report_may_bring_a_new_source(database: Database, registry: Registry) -> None:
    source = {"id": "caac-notice-1", "title": "A notice", "url": "https://example.org/caac"}
    intake = ops.report(database, registry, report(sources=[], new_sources=[source]), "samr")
    assert intake.incident.sources == ("caac-notice-1",)
    assert "caac-notice-1" in snapshot(database).sources
    changed = source | {"title": "Another title"}
    with pytest.raises(RecordExists):
        ops.report(database, snapshot(database),
                   report(date="2025-08-01", sources=[], new_sources=[changed]), "samr")
