"""Migrations build exactly the schema of ``tables.metadata``, on every backend."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import cellwatch.store
from cellwatch.errors import StoreError
from cellwatch.settings import Settings
from cellwatch.store import registry_version
from cellwatch.store.db import Database, open_database
from cellwatch.store.tables import GENESIS_HASH, metadata, registry_meta


def test_migrated_schema_matches_metadata(database: Database) -> None:
    with database.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_migrate_creates_every_table_and_the_meta_row(database: Database) -> None:
    with database.connect() as connection:
        names = set(sa.inspect(connection).get_table_names())
        assert set(metadata.tables) <= names
        assert "alembic_version" in names
        meta = connection.execute(sa.select(registry_meta)).one()
        assert (meta.version, meta.audit_head, meta.audit_count) == (0, GENESIS_HASH, 0)


def test_migrate_twice_changes_nothing(database: Database) -> None:
    database.migrate()
    with database.connect() as connection:
        assert registry_version(connection) == 0
        assert MigrationContext.configure(connection).get_current_heads() == (_newest(),)


def _newest() -> str:
    """The newest revision shipped: migration files are numbered ``NNNN_what.py``."""
    versions = Path(cellwatch.store.__file__).parent / "migrations" / "versions"
    return max(path.name[:4] for path in versions.glob("[0-9][0-9][0-9][0-9]_*.py"))


def test_open_database_creates_the_sqlite_file_and_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "registry.sqlite"
    database = open_database(Settings(database_url=f"sqlite:///{path}", database_timeout=5))
    try:
        assert path.exists()
        with database.connect() as connection:
            assert registry_version(connection) == 0
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        database.dispose()


def test_unreachable_postgres_is_a_store_error_without_the_password() -> None:
    database = Database("postgresql+psycopg://cw:s3cret@127.0.0.1:1/nowhere", timeout=2)
    with pytest.raises(StoreError) as caught:
        database.migrate()
    message = str(caught.value)
    assert message.startswith("cannot reach the database at postgresql+psycopg://cw:***@")
    assert "s3cret" not in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("not a url", "the database URL is not valid"),
        ("mysql://root@localhost/cw", "unsupported database 'mysql'"),
    ],
)
def test_bad_urls_are_store_errors(url: str, expected: str) -> None:
    with pytest.raises(StoreError, match=expected):
        Database(url)


def test_sqlite_in_a_folder_that_cannot_exist_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(StoreError, match="cannot create the directory"):
        Database(f"sqlite:///{blocker / 'sub' / 'registry.sqlite'}")


def test_in_memory_sqlite_works() -> None:
    database = Database("sqlite://")
    database.migrate()
    with database.connect() as connection:
        assert registry_version(connection) == 0
    database.dispose()


def test_a_file_that_is_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "registry.sqlite"
    path.write_bytes(b"this is not a SQLite database, not even close" * 100)
    with pytest.raises(StoreError, match=r"cannot reach the database at sqlite:///.*: file is not"):
        Database(f"sqlite:///{path}").migrate()
