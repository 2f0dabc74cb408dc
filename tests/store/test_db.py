"""The unit of work: one transaction, one version bump, writers in a line."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from cellwatch.domain.registry import RegistryData
from cellwatch.errors import StoreError
from cellwatch.store import apply, entries, registry_version, verify
from cellwatch.store.db import Database, chunked, insert_many
from cellwatch.store.tables import sources
from tests import factories


def _version(database: Database) -> int:
    with database.connect() as connection:
        return registry_version(connection)


def test_a_unit_of_work_without_changes_keeps_the_version(database: Database) -> None:
    with database.unit_of_work("test") as uow:
        assert uow.changed == 0
    assert _version(database) == 0


def test_many_changes_bump_the_version_once(database: Database) -> None:
    with database.unit_of_work("test") as uow:
        apply(uow, factories.full_registry())
        apply(uow, RegistryData(sources=(factories.source(id="one-more"),)))
    assert _version(database) == 1


def test_a_read_connection_never_commits(database: Database) -> None:
    with database.connect() as connection:
        connection.execute(sources.insert().values(id="x", title="t", url="u", digest="d" * 64))
    with database.connect() as connection:
        assert connection.scalar(sa.select(sa.func.count()).select_from(sources)) == 0


def test_a_unit_of_work_is_over_when_its_block_ends(database: Database) -> None:
    with database.unit_of_work("test") as uow:
        pass
    with pytest.raises(RuntimeError, match="over"):
        uow.record_changes([])


def test_a_unit_of_work_needs_an_actor(database: Database) -> None:
    with pytest.raises(ValueError, match="actor"), database.unit_of_work("  "):
        pass


def test_a_second_writer_waits_then_gives_up_with_a_clear_error(database: Database) -> None:
    impatient = Database(database.engine.url.render_as_string(hide_password=False), timeout=0.5)
    try:
        with database.unit_of_work("first"):
            started = time.monotonic()
            with (
                pytest.raises(StoreError, match="is busy: another writer held it"),
                impatient.unit_of_work("second"),
            ):
                pass
            assert time.monotonic() - started >= 0.4
    finally:
        impatient.dispose()


def test_a_reader_is_not_blocked_by_a_writer(database: Database) -> None:
    with database.unit_of_work("writer") as uow:
        apply(uow, RegistryData(sources=(factories.source(),)))
        with database.connect() as connection:  # sees the last committed state
            assert registry_version(connection) == 0
    assert _version(database) == 1


def test_concurrent_writers_stay_linear(database: Database) -> None:
    writers, rounds = 4, 3
    errors: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            for round_ in range(rounds):
                with database.unit_of_work(f"writer-{writer}") as uow:
                    time.sleep(0.01)  # hold the write lock while others queue behind it
                    source = factories.source(id=f"s-{writer}-{round_}")
                    apply(uow, RegistryData(sources=(source,)))
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with database.connect() as connection:
        report = verify(connection)
        listed = entries(connection, limit=100)
        assert registry_version(connection) == writers * rounds
    assert report.ok, report.problems
    assert report.entries == writers * rounds
    assert sorted(entry.seq for entry in listed) == list(range(1, writers * rounds + 1))


def test_insert_many_writes_every_chunk(database: Database) -> None:
    rows = [
        {"id": f"s{i}", "title": "t", "url": "u", "published": None, "digest": "d" * 64}
        for i in range(25)
    ]
    with database.unit_of_work("test") as uow:
        assert insert_many(uow.connection, sources, rows, chunk=7) == 25
    with database.connect() as connection:
        assert connection.scalar(sa.select(sa.func.count()).select_from(sources)) == 25


def test_chunked() -> None:
    assert list(chunked(range(5), 2)) == [[0, 1], [2, 3], [4]]
    assert list(chunked([], 3)) == []
