"""Shared fixtures: a migrated, empty database on every backend.

``database`` runs each test that uses it on SQLite (a file in the test's tmp_path) and,
when ``CELLWATCH_TEST_DATABASE_URL`` names a PostgreSQL database, on PostgreSQL too (its
``public`` schema is dropped and recreated for every test). Without the URL the PostgreSQL
variant is skipped; with ``CELLWATCH_REQUIRE_POSTGRES=1`` it fails instead, so that CI
cannot pass silently without it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from cellwatch.store.db import Database

POSTGRES_URL_VARIABLE = "CELLWATCH_TEST_DATABASE_URL"
REQUIRE_POSTGRES_VARIABLE = "CELLWATCH_REQUIRE_POSTGRES"


def _postgres_url() -> str:
    """The test PostgreSQL URL; skip (or fail when it is required) without one."""
    url = os.environ.get(POSTGRES_URL_VARIABLE, "").strip()
    required = os.environ.get(REQUIRE_POSTGRES_VARIABLE, "") not in ("", "0")
    if not url:
        message = f"PostgreSQL tests need {POSTGRES_URL_VARIABLE}=postgresql+psycopg://…"
        if required:
            pytest.fail(f"{REQUIRE_POSTGRES_VARIABLE} is set but {message}", pytrace=False)
        pytest.skip(message)
    return url


def _reset_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
    except sa.exc.OperationalError as error:
        message = f"PostgreSQL at {sa.make_url(url).render_as_string()} is unreachable: {error}"
        if os.environ.get(REQUIRE_POSTGRES_VARIABLE, "") not in ("", "0"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database on each backend (not yet migrated)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'registry.sqlite'}"
    url = _postgres_url()
    _reset_postgres(url)
    return url


@pytest.fixture
def unmigrated_database(database_url: str) -> Iterator[Database]:
    """An empty database on each backend, without any table."""
    database = Database(database_url, timeout=10)
    yield database
    database.dispose()


@pytest.fixture
def database(unmigrated_database: Database) -> Database:
    """An empty, migrated database on each backend."""
    unmigrated_database.migrate()
    return unmigrated_database
