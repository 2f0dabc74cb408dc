"""The registry in the database, read and written as domain values.

:func:`apply` upserts every record of a :class:`~cellwatch.domain.registry.RegistryData`
inside a unit of work: a record whose key is new is inserted, one whose content (digest)
differs is updated, an equal one is left alone; each insert and update is audited. Nothing
is deleted. :func:`read` returns every record exactly as it was applied.

Loading is built for millions of rows: stored digests are read in one pass (or looked up
by key when only a few records come against a large table), new rows are written with
``executemany`` in chunks, and each record is serialised once for its row, its digest and
its audit entry. No function here commits: the unit of work does.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from cellwatch.domain.certificates import Certificate, StatusChange
from cellwatch.domain.events import EVENTFUL_KINDS, event_for
from cellwatch.domain.records import Record
from cellwatch.domain.registry import ReferenceKeys, RegistryData
from cellwatch.errors import StoreError
from cellwatch.store import events, tables
from cellwatch.store.audit import Action, Change
from cellwatch.store.db import (
    UnitOfWork,
    chunked,
    collector_paused,
    insert_many,
    max_bind_params,
)
from cellwatch.store.rows import (
    KINDS,
    Fingerprint,
    KindMap,
    RowReader,
    fingerprint,
    group_children,
)
from cellwatch.store.tables import META_ID, registry_meta

log = logging.getLogger(__name__)

#: A record to write, with its fingerprint and its key.
_Item = tuple[Record, Fingerprint, tuple[str, ...]]

#: Records compared and written per round: bounds memory on very large loads.
APPLY_CHUNK = 5000
#: Look stored digests up by key (rather than reading them all) when the table holds more
#: than this many rows for each record applied.
LOOKUP_RATIO = 20


@dataclass
class KindReport:
    """What applying the records of one kind did."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> int:
        return self.inserted + self.updated


@dataclass
class ApplyReport:
    """What :func:`apply` did, by kind (in load order)."""

    kinds: dict[str, KindReport] = field(default_factory=dict)
    events: int = 0  # events emitted to the outbox (recalls, status changes, incidents)

    def __getitem__(self, kind: str) -> KindReport:
        return self.kinds.get(kind, KindReport())

    @property
    def inserted(self) -> int:
        return sum(report.inserted for report in self.kinds.values())

    @property
    def updated(self) -> int:
        return sum(report.updated for report in self.kinds.values())

    @property
    def unchanged(self) -> int:
        return sum(report.unchanged for report in self.kinds.values())

    @property
    def changed(self) -> int:
        return self.inserted + self.updated


def apply(uow: UnitOfWork, data: RegistryData) -> ApplyReport:
    """Insert new records and update changed ones, kind by kind in load order.

    A key given twice is applied in order: the later record wins and is audited as an
    update of the earlier.
    """
    report = ApplyReport()
    eventful: list[tuple[Action, Record]] = []
    with collector_paused():
        for kind in RegistryData.kinds():
            records = data.of_kind(kind)
            if records:
                report.kinds[kind] = _apply_kind(uow, KINDS[kind], records, eventful)
                log.debug("applied %s: %s", kind, report.kinds[kind])
    report.events = _emit(uow, eventful)
    log.info(
        "applied %s records: %s inserted, %s updated, %s unchanged",
        len(data),
        report.inserted,
        report.updated,
        report.unchanged,
    )
    return report


def _emit(uow: UnitOfWork, eventful: list[tuple[Action, Record]]) -> int:
    """Append the events of the records inserted or updated to the outbox (same transaction)."""
    numbers = sorted({r.number for _, r in eventful if isinstance(r, StatusChange)})
    held: dict[str, Certificate] = {}
    if numbers:
        condition = tables.certificates.c.number.in_(numbers)
        for record in _read_kind(uow.connection, KINDS["certificates"], condition):
            assert isinstance(record, Certificate)
            held[record.number] = record
    found = []
    for action, record in eventful:
        number = record.number if isinstance(record, StatusChange) else None
        event = event_for(
            "insert" if action == "insert" else "update", record,
            held.get(number) if number else None,
        )
        if event is not None:
            found.append(event)
    return events.emit(uow, found)


def _apply_kind(
    uow: UnitOfWork,
    kind: KindMap,
    records: Sequence[Record],
    eventful: list[tuple[Action, Record]],
) -> KindReport:
    connection = uow.connection
    emits = records[0].kind_name in EVENTFUL_KINDS
    stored = _stored_digests(connection, kind, records)
    report = KindReport()
    for part in chunked(records, APPLY_CHUNK):
        inserts: list[_Item] = []
        updates: list[_Item] = []
        changes: list[Change] = []
        for record in part:
            key = record.key
            fp = fingerprint(record)
            before = stored.get(key)
            if before == fp.digest:
                report.unchanged += 1
                continue
            stored[key] = fp.digest
            action: Action
            if before is None:
                inserts.append((record, fp, key))
                action = "insert"
            else:
                updates.append((record, fp, key))
                action = "update"
            changes.append(
                Change(kind.kind_name, "/".join(key), action, before, fp.digest, fp.text)
            )
            if emits:
                eventful.append((action, record))
        _insert(connection, kind, inserts)
        _update(connection, kind, updates)
        uow.record_changes(changes)
        report.inserted += len(inserts)
        report.updated += len(updates)
    return report


def _stored_digests(
    connection: Connection, kind: KindMap, records: Sequence[Record]
) -> dict[tuple[str, ...], str]:
    """The stored digest of every record of ``records`` already in the table, by key."""
    table = kind.table
    columns = [table.c[name] for name in kind.key_columns]
    stored_rows = connection.scalar(sa.select(sa.func.count()).select_from(table)) or 0
    if not stored_rows:
        return {}
    if len(records) * LOOKUP_RATIO >= stored_rows:
        result = connection.execute(sa.select(*columns, table.c.digest))
        return {tuple(row[:-1]): row[-1] for row in result}
    digests: dict[tuple[str, ...], str] = {}
    size = min(10_000, max_bind_params(connection) // len(columns))
    for keys in chunked(dict.fromkeys(record.key for record in records), size):
        if len(columns) == 1:
            condition = columns[0].in_([key[0] for key in keys])
        else:
            condition = sa.tuple_(*columns).in_(keys)
        result = connection.execute(sa.select(*columns, table.c.digest).where(condition))
        digests.update((tuple(row[:-1]), row[-1]) for row in result)
    return digests


def _insert(connection: Connection, kind: KindMap, items: Sequence[_Item]) -> None:
    if not items:
        return
    insert_many(connection, kind.table, [kind.row(record, fp, key) for record, fp, key in items])
    if kind.child is not None:
        children = [row for _, fp, key in items for row in kind.child_rows(key[0], fp)]
        insert_many(connection, kind.child.table, children)


def _update(connection: Connection, kind: KindMap, items: Sequence[_Item]) -> None:
    """Rewrite every non-key column of changed records, and replace their child rows."""
    if not items:
        return
    table = kind.table
    statement = table.update().where(
        sa.and_(*(table.c[name] == sa.bindparam(f"key_{name}") for name in kind.key_columns))
    )
    params: list[dict[str, Any]] = []
    for record, fp, key in items:
        row = kind.row(record, fp, key)
        for name in kind.key_columns:
            row[f"key_{name}"] = row.pop(name)
        params.append(row)
    connection.execute(statement, params)
    if kind.child is not None:
        child = kind.child
        parents = [key[0] for _, _, key in items]
        parent_column = child.table.c[child.parent_column]
        for part in chunked(parents, max_bind_params(connection) // 2):
            connection.execute(child.table.delete().where(parent_column.in_(part)))
        children = [row for _, fp, key in items for row in kind.child_rows(key[0], fp)]
        insert_many(connection, child.table, children)


def read(connection: Connection) -> RegistryData:
    """Every record in the registry, in no particular order (``.sorted()`` gives key order).

    Reading in storage order rather than key order saves a third of the time on large
    tables; whoever needs key order (export) sorts.
    """
    with collector_paused():
        records: dict[str, Any] = {
            name: _read_kind(connection, kind) for name, kind in KINDS.items()
        }
    return RegistryData(**records)


def _read_kind(
    connection: Connection, kind: KindMap, where: sa.ColumnElement[bool] | None = None
) -> tuple[Record, ...]:
    reader = RowReader()
    children: dict[str, list[Any]] = {}
    if kind.child is not None:
        child = kind.child
        query = sa.select(*_read_columns(child.table, child.read_columns())).order_by(
            child.table.c[child.parent_column], child.table.c.position
        )
        children = group_children(connection.execute(query).mappings(), child.parent_column)
    table = kind.table
    query = sa.select(*_read_columns(table, kind.read_columns()))
    if where is not None:
        query = query.where(where)
    parent = kind.key_columns[0]
    return tuple(
        kind.record(row, children.get(row[parent], ()), reader)
        for row in connection.execute(query).mappings()
    )


def _read_columns(table: sa.Table, names: Sequence[str]) -> list[sa.ColumnElement[Any]]:
    """The columns to read; JSON comes as text, for :class:`RowReader` to decode."""
    return [
        sa.cast(table.c[name], sa.Text).label(name)
        if isinstance(table.c[name].type, sa.JSON)
        else table.c[name]
        for name in names
    ]


def registry_version(connection: Connection) -> int:
    """The registry's version: bumped once by every unit of work that changed something."""
    version = connection.scalar(
        sa.select(registry_meta.c.version).where(registry_meta.c.id == META_ID)
    )
    if version is None:
        raise StoreError("the database has no registry_meta row: it is damaged")
    return int(version)


@dataclass(frozen=True)
class RegistryState:
    """The registry's version and when it last moved (``None`` before the first write)."""

    version: int
    updated_at: dt.datetime | None


def registry_state(connection: Connection) -> RegistryState:
    """The version and the time of the last write, in one query."""
    row = connection.execute(
        sa.select(registry_meta.c.version, registry_meta.c.updated_at).where(
            registry_meta.c.id == META_ID
        )
    ).one_or_none()
    if row is None:
        raise StoreError("the database has no registry_meta row: it is damaged")
    at = row.updated_at
    if at is not None and at.tzinfo is None:  # SQLite returns UTC wall time
        at = at.replace(tzinfo=dt.UTC)
    return RegistryState(int(row.version), at)


def reference_keys(connection: Connection) -> ReferenceKeys:
    """The keys a bundle's references may point at, without reading whole records."""
    keys = ReferenceKeys()
    keys.sources.update(connection.execute(sa.select(tables.sources.c.id)).scalars())
    keys.companies.update(connection.execute(sa.select(tables.companies.c.id)).scalars())
    keys.products.update(
        (brand, key)
        for brand, key in connection.execute(
            sa.select(tables.products.c.brand, tables.products.c.model_key)
        )
    )
    lots = tables.cell_lots
    keys.cell_lots.update(
        {lot: maker for lot, maker in connection.execute(sa.select(lots.c.lot, lots.c.cell_maker))}
    )
    keys.certificates.update(
        connection.execute(sa.select(tables.certificates.c.number)).scalars()
    )
    return keys
