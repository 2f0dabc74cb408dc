"""The event outbox: events appended in the write's own transaction, and read back in order.

:func:`emit` runs inside a :class:`~cellwatch.store.db.UnitOfWork` (the registry store calls
it for every eventful record it inserts or updates), so an event exists exactly when its
write committed: a rolled-back load leaves no event behind, and a reader never sees an
event whose record is not stored yet. Events are numbered by ``id`` in commit order of
their transactions (writers are serialised: ``BEGIN IMMEDIATE`` on SQLite, an advisory lock
on PostgreSQL), which makes ``id`` a safe cursor for ``since``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from cellwatch.domain.events import Event, EventType, Subject, parse_subjects
from cellwatch.domain.records import Text, text
from cellwatch.store.db import UnitOfWork, chunked, insert_many
from cellwatch.store.tables import event_subjects, events

#: The most events one read returns.
MAX_PAGE = 1000
#: Events written per statement.
EMIT_CHUNK = 1000


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event as stored: its feed position, its unique id and when it was written."""

    id: int
    event_id: str
    type: EventType
    at: dt.datetime
    actor: str
    kind: str
    key: str
    title: Text
    subjects: frozenset[Subject]
    record: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "event_id": self.event_id,
            "type": self.type.value,
            "at": self.at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
            "actor": self.actor,
            "kind": self.kind,
            "key": self.key,
            "title": {"en": self.title.en, "zh": self.title.zh},
            "subjects": {
                kind: sorted(value for k, value in self.subjects if k == kind)
                for kind in sorted({k for k, _ in self.subjects})
            },
            "record": self.record,
        }


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Which events a reader wants: after a cursor, of some types, about some subjects.

    Subjects of different kinds must all match (a brand AND a model); several values of
    one kind are alternatives.
    """

    since: int = 0
    types: frozenset[EventType] = frozenset()
    subjects: frozenset[Subject] = frozenset()


def emit(uow: UnitOfWork, found: Iterable[Event]) -> int:
    """Append ``found`` to the outbox in the unit of work's transaction; return how many."""
    connection = uow.connection
    at = dt.datetime.now(dt.UTC)
    count = 0
    for part in chunked(found, EMIT_CHUNK):
        rows = [
            {"event_id": str(uuid.uuid4()), "type": event.type.value, "at": at,
             "actor": uow.actor, "kind": event.kind, "key": event.key,
             "title_en": event.title.en, "title_zh": event.title.zh, "record": event.record}
            for event in part
        ]
        ids = connection.execute(
            events.insert().returning(events.c.id, sort_by_parameter_order=True), rows
        ).scalars().all()
        insert_many(connection, event_subjects, [
            {"event": row_id, "subject": kind, "value": value}
            for row_id, event in zip(ids, part, strict=True)
            for kind, value in sorted(event.subjects)
        ])
        count += len(part)
    return count


def read(connection: Connection, wanted: EventFilter, limit: int = 100) -> list[StoredEvent]:
    """Events after ``wanted.since`` that pass the filter, oldest first, at most ``limit``."""
    query = sa.select(events).where(events.c.id > wanted.since)
    if wanted.types:
        query = query.where(events.c.type.in_(sorted(t.value for t in wanted.types)))
    query = query.where(*_subject_conditions(wanted.subjects))
    rows = connection.execute(query.order_by(events.c.id).limit(min(limit, MAX_PAGE))).all()
    return _with_subjects(connection, rows)


def latest(connection: Connection, wanted: EventFilter, limit: int = 50) -> list[StoredEvent]:
    """The newest events that pass the filter, newest first (for the Atom feed)."""
    query = sa.select(events).where(*_subject_conditions(wanted.subjects))
    if wanted.types:
        query = query.where(events.c.type.in_(sorted(t.value for t in wanted.types)))
    rows = connection.execute(query.order_by(events.c.id.desc()).limit(min(limit, MAX_PAGE)))
    return _with_subjects(connection, rows.all())


def head(connection: Connection) -> int:
    """The id of the newest event (0 when there is none)."""
    return int(connection.execute(sa.select(sa.func.coalesce(sa.func.max(events.c.id), 0)))
               .scalar_one())


def by_ids(connection: Connection, ids: Sequence[int]) -> dict[int, StoredEvent]:
    """Stored events by id."""
    rows = connection.execute(sa.select(events).where(events.c.id.in_(list(ids)))).all()
    return {event.id: event for event in _with_subjects(connection, rows)}


def _subject_conditions(subjects: frozenset[Subject]) -> list[sa.ColumnElement[bool]]:
    by_kind: dict[str, list[str]] = defaultdict(list)
    for kind, value in subjects:
        by_kind[kind].append(value)
    return [
        events.c.id.in_(
            sa.select(event_subjects.c.event).where(
                event_subjects.c.subject == kind, event_subjects.c.value.in_(sorted(values))
            )
        )
        for kind, values in sorted(by_kind.items())
    ]


def _with_subjects(connection: Connection, rows: Sequence[sa.Row[Any]]) -> list[StoredEvent]:
    if not rows:
        return []
    pairs: dict[int, list[tuple[str, str]]] = defaultdict(list)
    found = connection.execute(
        sa.select(event_subjects).where(event_subjects.c.event.in_([row.id for row in rows]))
    )
    for subject in found:
        pairs[subject.event].append((subject.subject, subject.value))
    return [
        StoredEvent(
            id=row.id,
            event_id=row.event_id,
            type=EventType(row.type),
            at=row.at if row.at.tzinfo else row.at.replace(tzinfo=dt.UTC),
            actor=row.actor,
            kind=row.kind,
            key=row.key,
            title=text(row.title_en, row.title_zh),
            subjects=parse_subjects(pairs[row.id]),
            record=row.record,
        )
        for row in rows
    ]
