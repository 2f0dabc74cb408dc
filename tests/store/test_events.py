"""The outbox: events written in the same transaction as the records that emit them."""

from __future__ import annotations

import pytest

from cellwatch.domain.events import EventType
from cellwatch.domain.registry import RegistryData
from cellwatch.errors import BundleError
from cellwatch.ingest import apply_checked
from cellwatch.store import events
from cellwatch.store.db import Database
from cellwatch.store.events import EventFilter
from tests import factories as f


def _base() -> RegistryData:
    return RegistryData(
        sources=(f.source(),),
        companies=(
            f.company(),
            f.company(id="cellco", name="Cell Co", roles=["cell_maker"]),
        ),
        products=(f.product(),),
        certificates=(
            f.certificate(models=["PB-100"]),
            f.certificate(number="2023010915000001", holder="cellco", product_kind="cell"),
        ),
    )


def _read(database: Database, **wanted: object) -> list[events.StoredEvent]:
    with database.connect() as connection:
        return events.read(connection, EventFilter(**wanted))  # type: ignore[arg-type]


def test_a_new_recall_is_published_and_a_changed_one_revised(database: Database) -> None:
    apply_checked(database, "t", _base())
    assert _read(database) == []  # companies, products and certificates emit nothing
    apply_checked(database, "t", RegistryData(recalls=(f.recall(units=10),)))
    apply_checked(database, "t", RegistryData(recalls=(f.recall(units=10),)))  # unchanged
    apply_checked(database, "t", RegistryData(recalls=(f.recall(units=25),)))
    found = _read(database)
    assert [(e.type, e.key) for e in found] == [
        (EventType.RECALL_PUBLISHED, "acme-2025"),
        (EventType.RECALL_REVISED, "acme-2025"),
    ]
    assert found[0].id < found[1].id
    assert found[1].record["units"] == 25
    assert found[0].event_id != found[1].event_id
    assert found[0].subjects == {
        ("brand", "acme"), ("company", "acme"), ("model", "acme/PB100"),
    }
    assert found[0].title.en.startswith("Recall published: acme PB-100 (10 units)")
    assert found[0].title.zh is not None and "召回发布" in found[0].title.zh
    assert found[0].actor == "t"


def test_a_status_change_names_the_certificate_its_holder_and_models(
    database: Database,
) -> None:
    apply_checked(database, "t", _base())
    apply_checked(database, "t", RegistryData(certificate_status=(
        f.status_change(), f.status_change(number="2023010915000001", status="revoked"),
    )))
    bank, cell = _read(database)
    assert bank.type is cell.type is EventType.CERTIFICATE_STATUS_CHANGED
    assert bank.subjects == {
        ("certificate", f.CERTIFICATE), ("company", "acme"), ("brand", "acme"),
        ("model", "acme/PB100"),
    }
    assert cell.subjects == {("certificate", "2023010915000001"), ("company", "cellco")}
    assert "暂停" in (bank.title.zh or "") and "suspended" in bank.title.en


def test_incidents_are_reported(database: Database) -> None:
    apply_checked(database, "t", _base())
    apply_checked(database, "t", RegistryData(incidents=(
        f.incident(brand="acme", model="PB-100", severity="fire", place="Hangzhou"),
    )))
    apply_checked(database, "t", RegistryData(incidents=(
        f.incident(brand="acme", model="PB-100", severity="explosion", place="Hangzhou"),
    )))
    assert [e.type for e in _read(database)] == [
        EventType.INCIDENT_REPORTED, EventType.INCIDENT_REVISED,
    ]


def test_a_rejected_or_dry_run_write_leaves_no_event(database: Database) -> None:
    apply_checked(database, "t", _base())
    apply_checked(database, "t", RegistryData(recalls=(f.recall(),)), dry_run=True)
    with pytest.raises(BundleError):
        apply_checked(database, "t", RegistryData(recalls=(f.recall(issuer="nobody"),)))
    assert _read(database) == []


def test_filters_by_cursor_type_and_subject(database: Database) -> None:
    apply_checked(database, "t", _base())
    apply_checked(database, "t", RegistryData(
        products=(f.product(brand="cellco", model="C-1", kind="cell"),),
        recalls=(f.recall(), f.recall(id="cell-recall", issuer="cellco",
                                      scope=[{"model": "C-1", "brand": "cellco"}])),
        incidents=(f.incident(brand="acme"),),
    ))
    everything = _read(database)
    assert len(everything) == 3
    assert _read(database, since=everything[0].id) == everything[1:]
    assert [e.key for e in _read(database, types=frozenset({EventType.INCIDENT_REPORTED}))] \
        == ["fire-1"]
    acme = _read(database, subjects=frozenset({("brand", "acme")}))
    assert [e.key for e in acme] == ["acme-2025", "fire-1"]
    both = _read(database, subjects=frozenset({("brand", "acme"), ("model", "acme/PB100")}))
    assert [e.key for e in both] == ["acme-2025"]
    either = _read(database, subjects=frozenset({("company", "acme"), ("company", "cellco")}))
    assert len(either) == 3
    with database.connect() as connection:
        assert events.head(connection) == everything[-1].id
        newest = events.latest(connection, EventFilter(), limit=2)
    assert [e.id for e in newest] == [everything[2].id, everything[1].id]
    assert newest[0].as_json()["subjects"] == {"brand": ["acme"], "company": ["acme"]}
