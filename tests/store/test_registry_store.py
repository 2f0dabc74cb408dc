"""apply / read: round trip, idempotence, updates, atomicity — on every backend."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings

from cellwatch.domain.registry import RegistryData
from cellwatch.store import apply, entries, read, registry_version, tables, verify
from cellwatch.store import registry_store as registry_store_module
from cellwatch.store.db import Database
from cellwatch.store.rows import KINDS, fingerprint
from cellwatch.store.tables import RECORD_TABLES, audit_log
from tests import factories
from tests.strategies import registries


def _load(database: Database, data: RegistryData, actor: str = "test") -> Any:
    with database.unit_of_work(actor) as uow:
        return apply(uow, data)


def _state(database: Database) -> tuple[int, int, dict[str, int], RegistryData]:
    """Version, audit entry count, rows per table and the registry: what must not move."""
    with database.connect() as connection:
        rows = {
            table.name: connection.scalar(sa.select(sa.func.count()).select_from(table)) or 0
            for table in RECORD_TABLES.values()
        }
        audited = connection.scalar(sa.select(sa.func.count()).select_from(audit_log)) or 0
        return registry_version(connection), audited, rows, read(connection).sorted()


def test_the_full_registry_sets_every_field() -> None:
    """Guard for the round trip below: a new domain field must be filled in the factory."""
    for kind, records in factories.full_registry().items():
        for name in KINDS[kind].record_type.model_fields:
            values = [getattr(record, name) for record in records]
            assert any(value not in (None, (), {}) for value in values), f"{kind}.{name}"


def test_round_trip_is_identity(database: Database) -> None:
    data = factories.full_registry()
    report = _load(database, data)
    assert report.inserted == len(data)
    assert report.updated == report.unchanged == 0
    with database.connect() as connection:
        stored = read(connection).sorted()
        assert registry_version(connection) == 1
    assert stored == data.sorted()
    for kind, records in stored.items():
        for record, original in zip(records, data.sorted().of_kind(kind), strict=True):
            assert record.digest() == original.digest()


def test_reapply_changes_nothing(database: Database) -> None:
    data = factories.full_registry()
    _load(database, data)
    before = _state(database)
    report = _load(database, data)
    assert report.changed == 0
    assert report.unchanged == len(data)
    assert _state(database) == before


def test_an_update_bumps_the_version_once_and_is_audited(database: Database) -> None:
    data = factories.full_registry()
    _load(database, data)
    recall = data.recalls[0]
    changed_recall = recall.model_copy(
        update={"units": 50000, "scope": recall.scope[:1], "revisions": ()}
    )
    changed_batch = factories.batch(units=7)  # same key as the first batch
    report = _load(
        database,
        RegistryData(recalls=(changed_recall,), batches=(changed_batch,)),
        actor="regulator",
    )
    assert (report["recalls"].updated, report["batches"].updated, report.inserted) == (1, 1, 0)
    with database.connect() as connection:
        assert registry_version(connection) == 2
        stored = read(connection).sorted()
        latest = entries(connection, limit=2)
        assert verify(connection).ok
    assert stored.recalls == (changed_recall,)
    assert changed_batch in stored.batches
    assert len(stored.batches) == 2
    by_kind = {entry.kind: entry for entry in latest}
    assert by_kind["recall"].action == "update"
    assert by_kind["recall"].actor == "regulator"
    assert by_kind["recall"].before_digest == recall.digest()
    assert by_kind["recall"].after_digest == changed_recall.digest()
    assert by_kind["recall"].after == changed_recall.canonical()
    assert by_kind["batch"].key == "acme/PB100/B1"


def test_a_key_given_twice_is_applied_in_order(database: Database) -> None:
    first, second = factories.source(title="First"), factories.source(title="Second")
    report = _load(database, RegistryData(sources=(first, second)))
    assert (report.inserted, report.updated) == (1, 1)
    with database.connect() as connection:
        assert read(connection).sources == (second,)
        assert registry_version(connection) == 1


def test_a_failing_apply_changes_nothing(database: Database) -> None:
    _load(database, factories.full_registry())
    before = _state(database)
    orphan = factories.batch(brand="acme", model="NO-SUCH-MODEL")  # violates the product FK
    bad = RegistryData(
        sources=(factories.source(id="src-new"),),
        companies=(factories.company(id="newco", name="New Co"),),
        batches=(orphan,),
    )
    with pytest.raises(sa.exc.IntegrityError):
        _load(database, bad)
    assert _state(database) == before


def test_an_exception_after_apply_rolls_everything_back(database: Database) -> None:
    before = _state(database)
    with pytest.raises(RuntimeError, match="boom"), database.unit_of_work("test") as uow:
        apply(uow, factories.full_registry())
        assert uow.changed > 0
        raise RuntimeError("boom")
    assert _state(database) == before


def test_few_records_against_a_large_table_are_looked_up_by_key(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = factories.full_registry()
    _load(database, data)
    monkeypatch.setattr(registry_store_module, "LOOKUP_RATIO", 0)  # always by key
    same = _load(database, data)
    assert same.changed == 0
    changed = factories.batch(batch="b-2", model="pb-100", note="now with a note")
    report = _load(database, RegistryData(batches=(changed, factories.batch(batch="B3"))))
    assert (report.updated, report.inserted) == (1, 1)
    with database.connect() as connection:
        assert changed in read(connection).batches


def test_fingerprint_is_the_record_digest() -> None:
    for _, records in factories.full_registry().items():
        for record in records:
            assert fingerprint(record).digest == record.digest()


def test_every_column_is_written_and_read() -> None:
    for kind in KINDS.values():
        derived = set(kind.derived(_first(kind.kind).key) if kind.derived else {})
        columns = {*kind.columns(), *derived}
        surrogate = {"id"} - set(kind.plain)  # an integer key no record field holds
        table_columns = {column.name for column in kind.table.columns} - surrogate
        assert columns == table_columns, kind.kind


def _first(kind: str) -> Any:
    return factories.full_registry().of_kind(kind)[0]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registries())
def test_any_registry_round_trips_through_sqlite(data: RegistryData) -> None:
    with tempfile.TemporaryDirectory() as folder:
        database = Database(f"sqlite:///{Path(folder) / 'r.sqlite'}")
        try:
            database.migrate()
            _load(database, data)
            with database.connect() as connection:
                assert read(connection).sorted() == data.sorted()
            assert _load(database, data).changed == 0
        finally:
            database.dispose()


def test_empty_lists_and_mappings_are_stored_as_json(database: Database) -> None:
    minimal = RegistryData(
        sources=(factories.source(),),
        companies=(factories.company(),),
        products=(factories.product(),),
        recalls=(factories.recall(),),
    )
    _load(database, minimal)
    with database.connect() as connection:
        company = connection.execute(sa.select(RECORD_TABLES["companies"])).one()
        product = connection.execute(sa.select(RECORD_TABLES["products"])).one()
        scope = connection.execute(sa.select(tables.recall_scope)).one()
    assert (company.names, company.aliases, company.identifiers) == ({}, [], {})
    assert (product.names, product.certificates) == ([], [])
    assert (scope.batches, scope.serial_patterns, scope.brand) == ([], [], None)
