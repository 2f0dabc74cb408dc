"""Engines, dialect differences and the unit of work: the one place that talks to the driver.

::

    db = open_database(settings)              # builds the engine and migrates to head
    with db.connect() as conn:                # a read transaction, always rolled back
        version = registry_version(conn)
    with db.unit_of_work(actor="cli") as uow: # one write transaction
        apply(uow, data)                      # records changes through uow.record_change
                                              # commit: audit head + version bumped once

Writers are serialised so that the audit hash chain and the registry version stay linear:
on SQLite a unit of work starts with ``BEGIN IMMEDIATE`` (one writer at a time, others
wait up to ``timeout`` seconds); on PostgreSQL it takes a transaction-scoped advisory lock.
Readers never wait for writers (SQLite in WAL mode; PostgreSQL MVCC).

Nothing commits outside :meth:`Database.unit_of_work`: data functions take a connection or
a unit of work and never call ``commit`` or ``rollback``.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import logging
import math
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, RootTransaction
from sqlalchemy.pool import StaticPool

from cellwatch.errors import StoreError
from cellwatch.settings import Settings
from cellwatch.store import audit
from cellwatch.store.tables import META_ID, registry_meta

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

log = logging.getLogger(__name__)

T = TypeVar("T")

MIGRATIONS = Path(__file__).with_name("migrations")
_WRITE_OPTION = "cellwatch_write"
#: The PostgreSQL advisory lock every writer takes ("cellwatc" as a 64-bit integer).
_PG_WRITE_LOCK = int.from_bytes(b"cellwatc", "big")
_SQLITE_MAX_PARAMS = 32766
#: Page cache per SQLite connection (the default, 2 MiB, thrashes on large loads).
_SQLITE_CACHE_KIB = 64 * 1024
_POSTGRES_MAX_PARAMS = 65535
#: Rows per ``executemany`` call: bounds memory, not a driver limit.
INSERT_CHUNK = 5000


class Database:
    """A registry database reached by SQLAlchemy URL: a SQLite file or PostgreSQL."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        try:
            self._url = sa.make_url(url)
        except sa.exc.ArgumentError as error:
            raise StoreError(f"the database URL is not valid: {error}") from None
        self.timeout = timeout
        self.dialect = self._url.get_backend_name()
        if self.dialect == "sqlite":
            self.engine = self._sqlite_engine()
        elif self.dialect == "postgresql":
            self.engine = sa.create_engine(
                self._url,
                connect_args={"connect_timeout": max(2, math.ceil(timeout))},
                pool_pre_ping=True,
            )
        else:
            raise StoreError(
                f"unsupported database {self.dialect!r}: use sqlite:///PATH "
                "or postgresql+psycopg://USER@HOST/DB"
            )

    @property
    def url(self) -> str:
        """The URL with any password hidden: safe to print and log."""
        return self._url.render_as_string(hide_password=True)

    def __repr__(self) -> str:
        return f"Database({self.url!r})"

    def _sqlite_engine(self) -> Engine:
        database = self._url.database or ""
        in_memory = database in ("", ":memory:") or "mode=memory" in database
        if not in_memory and not database.startswith("file:"):
            try:
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(f"cannot create the directory of {database}: {error}") from None
        options: dict[str, Any] = {"connect_args": {"timeout": self.timeout}}
        if in_memory:  # one shared connection, or every checkout would see an empty database
            options = {
                "connect_args": {"check_same_thread": False},
                "poolclass": StaticPool,
            }
        engine = sa.create_engine(self._url, **options)
        busy_ms = int(self.timeout * 1000)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, record: Any) -> None:
            # take over BEGIN from the sqlite3 module: reads get a snapshot, writers
            # BEGIN IMMEDIATE, DDL is transactional
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute(f"PRAGMA cache_size = -{_SQLITE_CACHE_KIB}")
            if not in_memory:
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection: Connection) -> None:
            write = connection.get_execution_options().get(_WRITE_OPTION, False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine

    # -- connections ---------------------------------------------------------------------

    def _unreachable(self, error: Exception) -> StoreError:
        return StoreError(f"cannot reach the database at {self.url}: {_reason(error)}")

    @contextmanager
    def _checkout(self) -> Iterator[Connection]:
        try:
            connection = self.engine.connect()
        except sa.exc.DBAPIError as error:
            raise self._unreachable(error) from None
        with connection:
            yield connection

    def _begin(
        self, connection: Connection, *, write: bool, registry: bool = True
    ) -> RootTransaction:
        """Begin a transaction; a registry write first waits for the writer's lock."""
        try:
            if write:
                connection.execution_options(**{_WRITE_OPTION: True})
            transaction = connection.begin()
            if write and registry and self.dialect == "postgresql":
                lock_ms = int(self.timeout * 1000)
                connection.exec_driver_sql(f"SET LOCAL lock_timeout = {lock_ms}")
                connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_WRITE_LOCK)))
        except sa.exc.OperationalError as error:
            if _is_busy(error):
                raise StoreError(
                    f"the database at {self.url} is busy: another writer held it for more "
                    f"than {self.timeout:g} s; try again"
                ) from None
            raise self._unreachable(error) from None
        return transaction

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A connection in a read transaction (one consistent snapshot); never committed."""
        with self._checkout() as connection:
            transaction = self._begin(connection, write=False)
            try:
                yield connection
            finally:
                if transaction.is_active:
                    transaction.rollback()

    @contextmanager
    def unit_of_work(self, actor: str) -> Iterator[UnitOfWork]:
        """One write transaction: committed on normal exit, rolled back on an exception.

        On commit, if anything changed, the registry version is bumped once and the audit
        log's head is stored, in the same transaction.
        """
        if not actor.strip():
            raise ValueError("a unit of work needs an actor for the audit log")
        with self._checkout() as connection:
            transaction = self._begin(connection, write=True)
            uow = UnitOfWork(connection, actor)
            try:
                yield uow
                uow._finish()
                transaction.commit()
            except BaseException:
                if transaction.is_active:
                    transaction.rollback()
                log.info("rolled back a unit of work by %s (%s changes)", actor, uow.changed)
                raise
            finally:
                uow._closed = True
        if uow.changed:
            log.info("committed %s changes by %s", uow.changed, actor)

    @contextmanager
    def queue_transaction(self) -> Iterator[Connection]:
        """A write transaction for work queues (alert deliveries, jobs), committed on exit.

        Unlike :meth:`unit_of_work` it neither audits nor takes the registry writer's lock
        on PostgreSQL, so that several workers share a queue with row locks (``FOR UPDATE
        SKIP LOCKED``) while a long registry load runs; SQLite still has one writer.
        """
        with self._checkout() as connection:
            transaction = self._begin(connection, write=True, registry=False)
            try:
                yield connection
                transaction.commit()
            except BaseException:
                if transaction.is_active:
                    transaction.rollback()
                raise

    # -- migrations ----------------------------------------------------------------------

    def migrate(self) -> None:
        """Create the schema or upgrade it to the latest revision (Alembic ``upgrade head``)."""
        from alembic import command
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        config = alembic_config()
        heads = set(ScriptDirectory.from_config(config).get_heads())
        try:
            with self.connect() as connection:
                if set(MigrationContext.configure(connection).get_current_heads()) == heads:
                    return
        except sa.exc.SQLAlchemyError as error:
            raise self._unreachable(error) from None
        with self._checkout() as connection:
            transaction = self._begin(connection, write=True)
            try:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                transaction.commit()
            except Exception as error:
                if transaction.is_active:
                    transaction.rollback()
                raise StoreError(
                    f"cannot migrate the database at {self.url}: {_reason(error)}"
                ) from error
        log.info("migrated the database at %s to the latest schema", self.url)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def alembic_config() -> AlembicConfig:
    """Alembic's configuration for the migrations shipped inside the package (no ini file)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def open_database(settings: Settings) -> Database:
    """The database named by the settings, created or migrated as needed."""
    database = Database(settings.database_url, timeout=settings.database_timeout)
    database.migrate()
    return database


class UnitOfWork:
    """One write transaction: a connection, who writes, and the changes recorded so far."""

    def __init__(self, connection: Connection, actor: str) -> None:
        self.connection = connection
        self.actor = actor
        self._chain: audit.Chain | None = None
        self._changed = 0
        self._registry_changed = 0
        self._closed = False

    @property
    def changed(self) -> int:
        """How many changes were recorded in this unit of work."""
        return self._changed

    def record_change(
        self,
        kind: str,
        key: str,
        action: audit.Action,
        before_digest: str | None,
        after: Mapping[str, Any] | None,
        after_digest: str | None,
        *,
        registry: bool = True,
    ) -> None:
        """Append one entry to the audit log.

        ``after`` is the record's canonical form (:meth:`Record.canonical`) and
        ``after_digest`` its digest (:meth:`Record.digest`), the SHA-256 of
        ``canonical_json(after)``; a digest that does not match is refused.
        ``registry=False`` audits a change outside the registry (a watch, a claim, a
        checkpoint record): it does not move the registry version, so snapshots stay.
        """
        after_json = None if after is None else audit.canonical_json(after)
        if after_json is not None and audit.sha256_text(after_json) != after_digest:
            raise ValueError(f"{kind} {key}: after_digest is not the digest of after")
        self.record_changes(
            [audit.Change(kind, key, action, before_digest, after_digest, after_json)],
            registry=registry,
        )

    def record_changes(self, changes: Iterable[audit.Change], *, registry: bool = True) -> int:
        """Append many entries to the audit log at once; return how many.

        ``registry=False``: changes outside the registry (see :meth:`record_change`).
        """
        if self._closed:
            raise RuntimeError("this unit of work is over")
        if self._chain is None:
            self._chain = audit.Chain.start(self.connection, self.actor)
        before = self._chain.count
        insert_many(self.connection, audit.audit_log, self._chain.link(changes))
        added = self._chain.count - before
        self._changed += added
        if registry:
            self._registry_changed += added
        return added

    def _finish(self) -> None:
        """Store the audit head, and bump the version once if the registry changed."""
        if not self._changed or self._chain is None:
            return
        meta = registry_meta.c
        self.connection.execute(
            registry_meta.update()
            .where(meta.id == META_ID)
            .values(
                version=meta.version + (1 if self._registry_changed else 0),
                audit_head=self._chain.head,
                audit_count=self._chain.count,
                updated_at=dt.datetime.now(dt.UTC),
            )
        )


# -- bulk work ---------------------------------------------------------------------------


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector during bulk work.

    Loading or reading millions of records creates millions of objects, none of them in a
    reference cycle; each collection the allocations trigger would walk them all again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def max_bind_params(connection: Connection) -> int:
    """How many bound parameters one statement may carry on this connection's database."""
    if connection.dialect.name == "sqlite":
        version = connection.dialect.server_version_info or (0,)
        return _SQLITE_MAX_PARAMS if version >= (3, 32) else 999
    return _POSTGRES_MAX_PARAMS


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Successive lists of at most ``size`` items."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def insert_many(
    connection: Connection,
    table: sa.Table,
    rows: Iterable[Mapping[str, Any]],
    chunk: int = INSERT_CHUNK,
) -> int:
    """Insert rows (all with the keys of the first) with ``executemany``; return the count.

    Values go through each column type's own bind processor, as SQLAlchemy would convert
    them, but straight to the driver: for millions of rows SQLAlchemy's per-row parameter
    handling costs more than the insert itself.
    """
    count = 0
    statement: _BulkInsert | None = None
    for part in chunked(rows, chunk):
        if statement is None:
            statement = _BulkInsert(connection.dialect, table, list(part[0]))
        connection.exec_driver_sql(statement.sql, [statement.values(row) for row in part])
        count += len(part)
    return count


class _BulkInsert:
    """An INSERT in the driver's own parameter style, and the conversion of each row."""

    def __init__(self, dialect: sa.Dialect, table: sa.Table, names: list[str]) -> None:
        quote = dialect.identifier_preparer.quote
        placeholder = "?" if dialect.paramstyle == "qmark" else "%s"
        marks = []
        self._processors: list[tuple[int, Any]] = []
        for index, name in enumerate(names):
            impl = table.c[name].type.dialect_impl(dialect)
            processor = _converter(dialect, impl)
            if processor is not None:
                self._processors.append((index, processor))
            # PostgreSQL does not cast a text parameter to JSON implicitly
            json_cast = dialect.name == "postgresql" and isinstance(impl, sa.JSON)
            marks.append(f"CAST({placeholder} AS JSONB)" if json_cast else placeholder)
        self.sql = (
            f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
            f"VALUES ({', '.join(marks)})"
        )
        self._getter = itemgetter(*names)
        self._single = len(names) == 1

    def values(self, row: Mapping[str, Any]) -> tuple[Any, ...]:
        got = self._getter(row)
        values = [got] if self._single else list(got)
        for index, processor in self._processors:
            values[index] = processor(values[index])
        return tuple(values)


_JSON_TEXT = json.JSONEncoder(ensure_ascii=False).encode


def _converter(dialect: sa.Dialect, impl: sa.types.TypeEngine[Any]) -> Any:
    """How a value of this column type goes to the driver.

    SQLAlchemy's own bind processor, except for the types bulk loads are full of, whose
    conversion is spelled out here, cheaper and to the same text: JSON (``None`` stays SQL
    NULL), and on SQLite dates and UTC timestamps in SQLAlchemy's storage format.
    """
    if isinstance(impl, sa.JSON):
        return lambda value: None if value is None else _JSON_TEXT(value)
    if dialect.name == "sqlite" and isinstance(impl, sa.DateTime):
        return _sqlite_datetime
    if dialect.name == "sqlite" and isinstance(impl, sa.Date):
        return lambda value: None if value is None else value.isoformat()
    return impl.bind_processor(dialect)


@lru_cache(maxsize=16)
def _sqlite_datetime(value: dt.datetime | None) -> str | None:
    """A timestamp as SQLAlchemy stores it in SQLite: UTC wall time with microseconds."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _reason(error: BaseException) -> str:
    """The first line of the driver's message, without SQLAlchemy's boilerplate."""
    original = getattr(error, "orig", None) or error
    text = str(original).strip().splitlines()
    return text[0] if text else type(original).__name__


def _is_busy(error: sa.exc.OperationalError) -> bool:
    text = str(error.orig).lower()
    return "database is locked" in text or "lock timeout" in text or "lock_timeout" in text
