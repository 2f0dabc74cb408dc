"""Watches and their delivery queue in the database.

A watch starts at the newest event when it is made (it hears of what happens from then
on). The worker **fans out**: for each watch, the events after its ``last_event`` are
matched and a delivery row is queued for each match, and ``last_event`` moves on, in one
transaction. It then **claims** due deliveries (pending and due, or sending with an expired
lease: a worker that died mid-delivery), sends them, and **finishes** each: delivered, or
pending again later, or failed after the last attempt.

On PostgreSQL several workers share the queue: watches and deliveries are locked with
``FOR UPDATE SKIP LOCKED``, so two workers never fan out the same watch nor claim the same
delivery, and ``(watch, event)`` is unique, so an event is queued once per watch. SQLite
runs one writer at a time anyway. Creating and removing a watch is audited (outside the
registry: the registry version does not move); the secret never enters the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from cellwatch.alerts.watches import Watch, WatchUnit
from cellwatch.domain.dates import PartialDate
from cellwatch.domain.events import EventType, Subject, parse_subjects
from cellwatch.domain.records import canonical_json
from cellwatch.errors import RecordNotFound
from cellwatch.store import events as event_store
from cellwatch.store.audit import sha256_text
from cellwatch.store.db import UnitOfWork, insert_many
from cellwatch.store.events import StoredEvent
from cellwatch.store.tables import deliveries, events, watch_subjects, watch_units, watches

PENDING, SENDING, DELIVERED, FAILED = "pending", "sending", "delivered", "failed"
# fan_out, claim and finish run in Database.queue_transaction(): no registry lock, no audit
#: Events one fan-out round reads per watch.
FAN_OUT_BATCH = 500


@dataclass(frozen=True)
class WatchSpec:
    """A watch to make (validated by the caller's schema)."""

    name: str
    url: str
    secret: str
    types: frozenset[EventType] = frozenset()
    subjects: frozenset[Subject] = frozenset()
    units: tuple[WatchUnit, ...] = ()


@dataclass(frozen=True)
class StoredWatch:
    watch: Watch
    created_at: dt.datetime
    removed_at: dt.datetime | None
    last_event: int
    counts: dict[str, int] = field(default_factory=dict)  # deliveries by status

    def as_json(self) -> dict[str, Any]:
        watch = self.watch
        subjects: dict[str, list[str]] = {}
        for kind, value in sorted(watch.subjects):
            subjects.setdefault(f"{kind}s" if kind != "company" else "companies", []).append(
                value
            )
        return {
            "id": watch.id,
            "name": watch.name,
            "owner": watch.owner,
            "url": watch.url,
            "types": sorted(t.value for t in watch.types),
            **{k: subjects.get(k, []) for k in ("brands", "models", "companies")},
            "units": len(watch.units),
            "created_at": _iso(self.created_at),
            "removed_at": _iso(self.removed_at) if self.removed_at else None,
            "last_event": self.last_event,
            "deliveries": {s: self.counts.get(s, 0) for s in (PENDING, SENDING, DELIVERED,
                                                              FAILED)},
        }


@dataclass(frozen=True)
class Claimed:
    """A delivery a worker holds until its lease ends."""

    id: int
    watch_id: int
    url: str
    secret: str
    event: StoredEvent
    attempt: int
    matched: list[dict[str, Any]]
    watch_name: str


def create(uow: UnitOfWork, spec: WatchSpec) -> int:
    """Store a watch that hears of events from now on; return its id."""
    connection = uow.connection
    now = dt.datetime.now(dt.UTC)
    watch_id = int(connection.execute(
        watches.insert().values(
            name=spec.name, owner=uow.actor, url=spec.url, secret=spec.secret,
            types=sorted(t.value for t in spec.types), created_at=now,
            last_event=event_store.head(connection),
        ).returning(watches.c.id)
    ).scalar_one())
    insert_many(connection, watch_subjects, [
        {"watch": watch_id, "subject": kind, "value": value}
        for kind, value in sorted(spec.subjects)
    ])
    insert_many(connection, watch_units, [
        {"watch": watch_id, "line": u.line, "label": u.label, "brand": u.brand,
         "model": u.model, "serial": u.serial, "batch": u.batch,
         "produced": u.produced.isoformat() if u.produced else None}
        for u in spec.units
    ])
    after = {
        "name": spec.name, "url": spec.url, "types": sorted(t.value for t in spec.types),
        "subjects": [list(s) for s in sorted(spec.subjects)], "units": len(spec.units),
    }
    uow.record_change("watch", str(watch_id), "insert", None, after,
                      sha256_text(canonical_json(after)), registry=False)
    return watch_id


def remove(uow: UnitOfWork, watch_id: int, may: Callable[[StoredWatch], bool]) -> StoredWatch:
    """Stop a watch (its queued deliveries are dropped); ``may`` says who is allowed."""
    stored = get(uow.connection, watch_id)
    if stored.removed_at is not None or not may(stored):
        raise RecordNotFound("watch", str(watch_id))
    connection = uow.connection
    connection.execute(
        watches.update().where(watches.c.id == watch_id)
        .values(removed_at=dt.datetime.now(dt.UTC))
    )
    connection.execute(
        deliveries.update()
        .where(deliveries.c.watch == watch_id, deliveries.c.status.in_([PENDING, SENDING]))
        .values(status=FAILED, last_error="the watch was removed")
    )
    uow.record_change("watch", str(watch_id), "delete", None, None, None, registry=False)
    return stored


def get(connection: Connection, watch_id: int) -> StoredWatch:
    found = listing(connection, ids=[watch_id], include_removed=True)
    if not found:
        raise RecordNotFound("watch", str(watch_id))
    return found[0]


def listing(
    connection: Connection,
    *,
    owner: str | None = None,
    ids: Sequence[int] | None = None,
    include_removed: bool = False,
) -> list[StoredWatch]:
    """Watches (of one owner, when given), oldest first, with delivery counts."""
    query = sa.select(watches).order_by(watches.c.id)
    if owner is not None:
        query = query.where(watches.c.owner == owner)
    if ids is not None:
        query = query.where(watches.c.id.in_(list(ids)))
    if not include_removed:
        query = query.where(watches.c.removed_at.is_(None))
    rows = connection.execute(query).all()
    return [_stored(connection, row) for row in rows]


def _stored(connection: Connection, row: sa.Row[Any]) -> StoredWatch:
    subjects = parse_subjects(
        (s.subject, s.value)
        for s in connection.execute(
            sa.select(watch_subjects).where(watch_subjects.c.watch == row.id)
        )
    )
    units = tuple(
        WatchUnit(
            line=u.line, brand=u.brand, model=u.model, label=u.label, serial=u.serial,
            batch=u.batch, produced=PartialDate.parse(u.produced) if u.produced else None,
        )
        for u in connection.execute(
            sa.select(watch_units).where(watch_units.c.watch == row.id)
            .order_by(watch_units.c.line)
        )
    )
    counts = Counter[str]()
    for status, number in connection.execute(
        sa.select(deliveries.c.status, sa.func.count())
        .where(deliveries.c.watch == row.id).group_by(deliveries.c.status)
    ):
        counts[status] = int(number)
    watch = Watch(
        id=row.id, name=row.name, owner=row.owner, url=row.url,
        types=frozenset(EventType(t) for t in row.types), subjects=subjects, units=units,
    )
    return StoredWatch(watch, _utc(row.created_at), _utc(row.removed_at) if row.removed_at
                       else None, row.last_event, dict(counts))


# -- the worker's queue ----------------------------------------------------------------


def fan_out(
    connection: Connection,
    matcher: Callable[[Watch, StoredEvent], list[dict[str, Any]]],
    now: dt.datetime,
) -> int:
    """Queue a delivery for every new event each unlocked watch matches; return how many."""
    rows = connection.execute(
        sa.select(watches).where(watches.c.removed_at.is_(None))
        .order_by(watches.c.id).with_for_update(skip_locked=True)
    ).all()
    queued = 0
    for row in rows:
        found = event_store.read(
            connection, event_store.EventFilter(since=row.last_event), FAN_OUT_BATCH
        )
        if not found:
            continue
        watch = _stored(connection, row).watch
        new = []
        for event in found:
            reasons = matcher(watch, event)
            if reasons:
                new.append({"watch": watch.id, "event": event.id, "status": PENDING,
                            "attempts": 0, "due_at": now, "matched": reasons})
        insert_many(connection, deliveries, new)
        connection.execute(
            watches.update().where(watches.c.id == watch.id).values(last_event=found[-1].id)
        )
        queued += len(new)
    return queued


def claim(
    connection: Connection,
    worker: str,
    due_by: dt.datetime,
    lease: dt.timedelta,
    limit: int,
) -> list[Claimed]:
    """Take up to ``limit`` deliveries due by ``due_by`` for ``worker``, for ``lease``."""
    now = dt.datetime.now(dt.UTC)
    d = deliveries.c
    due = sa.or_(
        sa.and_(d.status == PENDING, d.due_at <= due_by),
        sa.and_(d.status == SENDING, d.lease_until < now),
    )
    rows = connection.execute(
        sa.select(d.id, d.watch, d.event, d.attempts, d.matched).where(due)
        .order_by(d.due_at, d.id).limit(limit).with_for_update(skip_locked=True)
    ).all()
    if not rows:
        return []
    connection.execute(
        deliveries.update().where(d.id.in_([r.id for r in rows]))
        .values(status=SENDING, worker=worker, lease_until=now + lease, attempts=d.attempts + 1)
    )
    found = event_store.by_ids(connection, [r.event for r in rows])
    targets = {
        w.id: w for w in connection.execute(
            sa.select(watches.c.id, watches.c.url, watches.c.secret, watches.c.name)
            .where(watches.c.id.in_({r.watch for r in rows}))
        )
    }
    return [
        Claimed(r.id, r.watch, targets[r.watch].url, targets[r.watch].secret, found[r.event],
                r.attempts + 1, r.matched, targets[r.watch].name)
        for r in rows
    ]


def finish(
    connection: Connection,
    claimed: Claimed,
    worker: str,
    *,
    status_code: int | None,
    error: str | None,
    retry_at: dt.datetime | None,
) -> str:
    """Record one attempt: delivered (no error), pending until ``retry_at``, or failed.

    Only the worker that holds the delivery may finish it (a lease taken over by another
    worker wins); returns the status written, or ``""`` when the lease was lost.
    """
    now = dt.datetime.now(dt.UTC)
    if error is None:
        values: dict[str, Any] = {"status": DELIVERED, "delivered_at": now, "last_error": None}
    elif retry_at is not None:
        values = {"status": PENDING, "due_at": retry_at, "last_error": error}
    else:
        values = {"status": FAILED, "last_error": error}
    d = deliveries.c
    done = connection.execute(
        deliveries.update()
        .where(d.id == claimed.id, d.worker == worker, d.status == SENDING)
        .values(last_status=status_code, lease_until=None, **values)
    )
    return str(values["status"]) if done.rowcount else ""


def delivery_listing(
    connection: Connection, watch_id: int, status: str | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    """The deliveries of a watch, newest first: status, attempts, last answer or error."""
    d = deliveries.c
    query = (
        sa.select(deliveries, events.c.event_id, events.c.type)
        .join(events, events.c.id == d.event)
        .where(d.watch == watch_id).order_by(d.id.desc()).limit(limit)
    )
    if status is not None:
        query = query.where(d.status == status)
    return [
        {
            "id": r.id, "event": r.event, "event_id": r.event_id, "type": r.type,
            "status": r.status, "attempts": r.attempts, "due_at": _iso(_utc(r.due_at)),
            "last_status": r.last_status, "last_error": r.last_error,
            "delivered_at": _iso(_utc(r.delivered_at)) if r.delivered_at else None,
            "matched": r.matched,
        }
        for r in connection.execute(query)
    ]


def _utc(at: dt.datetime) -> dt.datetime:
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)


def _iso(at: dt.datetime | None) -> str | None:
    return None if at is None else at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
