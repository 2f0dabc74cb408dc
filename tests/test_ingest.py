"""Bundles in and out of a real database, on every backend."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings

from cellwatch.bundles.writer import write_bundle
from cellwatch.domain.registry import RegistryData
from cellwatch.errors import BundleError
from cellwatch.ingest import demo_bundle, export_bundle, load_bundle
from cellwatch.store import audit, registry_store
from cellwatch.store.db import Database
from tests.strategies import registries


def _state(database: Database) -> tuple[int, int, RegistryData]:
    with database.connect() as connection:
        version = registry_store.registry_version(connection)
        entries = audit.verify(connection).entries
        return version, entries, registry_store.read(connection).sorted()


def _files(folder: Path) -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in sorted(folder.iterdir())}


def test_demo_loads_and_reloading_changes_nothing(database: Database) -> None:
    first = load_bundle(database, demo_bundle(), "test")
    assert first.report.inserted > 100 and first.report.updated == 0
    assert first.version == 1
    before = _state(database)
    again = load_bundle(database, demo_bundle(), "test")
    assert again.report.changed == 0
    assert _state(database) == before


def test_every_demo_record_cites_a_known_source(database: Database) -> None:
    load_bundle(database, demo_bundle(), "test")
    data = _state(database)[2]
    known = {source.id for source in data.sources}
    for kind, records in data.items():
        if kind == "sources":
            continue
        for record in records:
            cited = getattr(record, "sources", ())
            assert cited and set(cited) <= known, (kind, record.key)


def test_load_export_load_export_is_byte_identical(database: Database, tmp_path: Path) -> None:
    load_bundle(database, demo_bundle(), "test")
    export_bundle(database, tmp_path / "one")
    load_bundle(database, tmp_path / "one", "test")
    export_bundle(database, tmp_path / "two")
    assert _files(tmp_path / "one") == _files(tmp_path / "two")


def test_a_broken_bundle_changes_nothing_and_names_every_error(
    database: Database, tmp_path: Path
) -> None:
    load_bundle(database, demo_bundle(), "test")
    before = _state(database)
    broken = tmp_path / "broken"
    shutil.copytree(demo_bundle(), broken)
    with (broken / "products.csv").open("a", encoding="utf-8") as out:
        out.write("romoss,NEW-1,,power_bank,,,,,,gmw-1304061709\n")  # valid on its own
        out.write("romoss,NEW-2,,toaster,,,,,,gmw-1304061709\n")
    with (broken / "batches.csv").open("a", encoding="utf-8") as out:
        out.write("romoss,NO-SUCH-MODEL,B1,,,,,,,,,gmw-1304061709\n")
    with pytest.raises(BundleError) as caught:
        load_bundle(database, broken, "test")
    messages = [str(issue) for issue in caught.value.issues]
    assert any("products.csv" in m and "[kind]" in m for m in messages), messages
    assert any("batches.csv" in m and "no product 'romoss/NO-SUCH-MODEL'" in m for m in messages)
    assert _state(database) == before


def test_dry_run_reports_and_changes_nothing(database: Database, tmp_path: Path) -> None:
    result = load_bundle(database, demo_bundle(), "test", dry_run=True)
    assert result.dry_run and result.report.inserted > 100
    assert _state(database)[:2] == (0, 0)


def test_a_crash_midway_leaves_the_registry_as_it_was(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_bundle(database, demo_bundle(), "test")
    before = _state(database)
    real_apply = registry_store.apply

    def apply_then_crash(uow, data):  # type: ignore[no-untyped-def]
        real_apply(uow, data)
        raise RuntimeError("killed")

    monkeypatch.setattr(registry_store, "apply", apply_then_crash)
    changed = tempfile.mkdtemp()
    try:
        shutil.copytree(demo_bundle(), changed, dirs_exist_ok=True)
        text = (Path(changed) / "products.csv").read_text(encoding="utf-8")
        (Path(changed) / "products.csv").write_text(text.replace(",30000,,,65,", ",30000,3.7,,65,"),
                                                     encoding="utf-8")
        with pytest.raises(RuntimeError):
            load_bundle(database, Path(changed), "test")
    finally:
        shutil.rmtree(changed)
    assert _state(database) == before


def test_changed_record_is_an_audited_update(database: Database, tmp_path: Path) -> None:
    load_bundle(database, demo_bundle(), "test")
    changed = tmp_path / "changed"
    shutil.copytree(demo_bundle(), changed)
    text = (changed / "products.csv").read_text(encoding="utf-8")
    (changed / "products.csv").write_text(text.replace(",30000,,,65,", ",30000,3.7,,65,"),
                                          encoding="utf-8")
    result = load_bundle(database, changed, "alice")
    assert (result.report.updated, result.report.inserted) == (1, 0)
    assert result.version == 2
    with database.connect() as connection:
        newest = audit.entries(connection, limit=1)[0]
        assert (newest.actor, newest.action, newest.kind) == ("alice", "update", "product")
        assert audit.verify(connection).ok


def test_tampering_with_the_audit_log_is_detected(database: Database) -> None:
    load_bundle(database, demo_bundle(), "test")
    with database.engine.begin() as connection:
        connection.execute(sa.text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 5"))
    with database.connect() as connection:
        report = audit.verify(connection)
    assert not report.ok
    assert any("5" in problem for problem in report.problems)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=registries(max_size=3))
def test_any_registry_round_trips_through_the_store(
    fresh_databases: Callable[[], Database], data: RegistryData
) -> None:
    database = fresh_databases()
    with tempfile.TemporaryDirectory() as folder:
        write_bundle(data, Path(folder) / "in")
        try:
            load_bundle(database, Path(folder) / "in", "test")
        except BundleError as error:
            raise AssertionError([str(issue) for issue in error.issues]) from None
        export_bundle(database, Path(folder) / "out")
        assert _files(Path(folder) / "in") == _files(Path(folder) / "out")
        load_bundle(database, Path(folder) / "out", "test")
        export_bundle(database, Path(folder) / "again")
        assert _files(Path(folder) / "out") == _files(Path(folder) / "again")
        with database.connect() as connection:
            assert registry_store.read(connection).sorted() == data.sorted()
