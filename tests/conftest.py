"""Shared fixtures: a migrated, empty database on every backend.

``database`` runs each test that uses it on SQLite (a file in the test's tmp_path) and,
when ``CELLWATCH_TEST_DATABASE_URL`` names a PostgreSQL database, on PostgreSQL too: each
test gets a fresh schema of its own (first on the ``search_path``), dropped afterwards, so
that test runs sharing one server (several developers, pytest-xdist) never collide.
Without the URL the PostgreSQL variant is skipped; with ``CELLWATCH_REQUIRE_POSTGRES=1`` it
fails instead, so that CI cannot pass silently without it.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from cellwatch.store.db import Database

POSTGRES_URL_VARIABLE = "CELLWATCH_TEST_DATABASE_URL"
REQUIRE_POSTGRES_VARIABLE = "CELLWATCH_REQUIRE_POSTGRES"


def _postgres_url() -> str:
    """The test PostgreSQL URL; skip (or fail when it is required) without one."""
    url = os.environ.get(POSTGRES_URL_VARIABLE, "").strip()
    if not url:
        message = f"PostgreSQL tests need {POSTGRES_URL_VARIABLE}=postgresql+psycopg://…"
        if _required():
            pytest.fail(f"{REQUIRE_POSTGRES_VARIABLE} is set but {message}", pytrace=False)
        pytest.skip(message)
    return url


def _required() -> bool:
    return os.environ.get(REQUIRE_POSTGRES_VARIABLE, "") not in ("", "0")


@contextmanager
def _postgres_schema(url: str) -> Iterator[str]:
    """A new, empty schema; yields the URL whose connections use it, then drops it."""
    schema = f"cw_test_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    except sa.exc.OperationalError as error:
        engine.dispose()
        reason = str(error.orig).strip().splitlines()[0]
        message = f"PostgreSQL at {sa.make_url(url).render_as_string()} is unreachable: {reason}"
        if _required():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    scoped = sa.make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield scoped.render_as_string(hide_password=False)
    finally:
        with engine.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database on each backend (not yet migrated)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'registry.sqlite'}"
        return
    with _postgres_schema(_postgres_url()) as url:
        yield url


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


@pytest.fixture
def fresh_databases(
    request: pytest.FixtureRequest, database_url: str, tmp_path: Path
) -> Iterator[Callable[[], Database]]:
    """Make any number of new, migrated databases on the test's backend.

    For property tests whose every example needs an empty registry of its own.
    """
    made: list[Database] = []
    with contextlib.ExitStack() as stack:

        def make() -> Database:
            if database_url.startswith("sqlite"):
                url = f"sqlite:///{tmp_path / f'registry-{len(made)}.sqlite'}"
            else:
                url = stack.enter_context(_postgres_schema(_postgres_url()))
            database = Database(url, timeout=10)
            database.migrate()
            made.append(database)
            return database

        yield make
        for database in made:
            database.dispose()


REQUIRE_BROWSER_VARIABLE = "CELLWATCH_REQUIRE_BROWSER"
CHROMIUM = Path("/usr/bin/chromium")
CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def need_system_file(path: Path, package: str) -> Path:
    """A file from a Debian package the test needs (Chromium, Noto CJK fonts): skip when it
    is missing, or fail when ``CELLWATCH_REQUIRE_BROWSER=1`` (CI) says it must be there."""
    if path.exists():
        return path
    message = f"{path} is missing: apt-get install {package} (scripts/test does it as root)"
    if os.environ.get(REQUIRE_BROWSER_VARIABLE, "") not in ("", "0"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)
