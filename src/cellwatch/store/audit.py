"""The audit log: append-only, hash-chained, verifiable.

Every change to the registry appends one entry naming who, when, what record, which action,
the record's digest before and after, and the record after the change. Entries are chained:

    hash = sha256(prev_hash + canonical_json([seq, at, actor, kind, key, action,
                                              before_digest, after_digest, after]))

where ``canonical_json`` is ``json.dumps(value, sort_keys=True, ensure_ascii=False)``, ``at``
is UTC ISO 8601 with microseconds and ``Z``, ``after`` the record's canonical form (a JSON
object, or null), and the first entry's ``prev_hash`` is 64 zeros. ``registry_meta`` holds
the head hash and the entry count, written in the same transaction as the entries, so that
removing the last entries is detected as surely as editing or removing one in the middle.

Entries are written by :class:`cellwatch.store.db.UnitOfWork` through a :class:`Chain`;
:func:`verify` checks the whole log and :func:`entries` lists it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from json.encoder import encode_basestring as _json_string
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from cellwatch.domain.records import canonical_json
from cellwatch.errors import StoreError
from cellwatch.store.tables import GENESIS_HASH, META_ID, audit_log, registry_meta

__all__ = [
    "Action",
    "AuditEntry",
    "AuditReport",
    "Chain",
    "Change",
    "audit_log",
    "canonical_json",
    "count",
    "entries",
    "entry_hash",
    "format_time",
    "sha256_text",
    "verify",
]

log = logging.getLogger(__name__)

Action = Literal["insert", "update", "delete"]
ACTIONS: frozenset[str] = frozenset({"insert", "update", "delete"})
_VERIFY_CHUNK = 10_000


def _string(text: str) -> str:
    encoded: str = _json_string(text)
    return encoded




@lru_cache(maxsize=256)
def format_time(at: dt.datetime) -> str:
    """A timestamp as the hash sees it; a naive one (as SQLite returns it) is UTC.

    Cached: every entry of one unit of work has the same timestamp.
    """
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True, slots=True)
class Change:
    """One change to one record, as the unit of work records it.

    ``after_json`` is ``canonical_json`` of the record's canonical form, so that
    ``sha256(after_json)`` is the record's digest.
    """

    kind: str
    key: str
    action: Action
    before_digest: str | None
    after_digest: str | None
    after_json: str | None


def entry_hash(
    prev_hash: str,
    seq: int,
    at: str,
    actor: str,
    kind: str,
    key: str,
    action: str,
    before_digest: str | None,
    after_digest: str | None,
    after_json: str | None,
) -> str:
    """The hash of one entry, chained to the previous one.

    The JSON is assembled here rather than by ``json.dumps`` (``after_json`` is already
    canonical text; strings are encoded by ``json``'s own encoder): the result equals
    ``canonical_json([seq, at, …, after])`` byte for byte, which a test checks.
    """
    if type(seq) is not int:
        raise TypeError("seq must be an int")
    body = (
        f"[{seq}, {_string(at)}, {_string(actor)}, {_string(kind)}, {_string(key)}, "
        f"{_string(action)}, {_nullable(before_digest)}, {_nullable(after_digest)}, "
        f"{'null' if after_json is None else after_json}]"
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def _nullable(text: str | None) -> str:
    return "null" if text is None else _string(text)


class Chain:
    """The end of the audit chain, extended entry by entry inside one write transaction."""

    def __init__(self, head: str, count: int, actor: str, at: dt.datetime) -> None:
        self.head = head
        self.count = count
        self.actor = actor
        self.at = at
        self._at_text = format_time(at)

    @classmethod
    def start(cls, connection: Connection, actor: str) -> Chain:
        """Continue the chain from the head stored in ``registry_meta``."""
        row = connection.execute(
            sa.select(registry_meta.c.audit_head, registry_meta.c.audit_count).where(
                registry_meta.c.id == META_ID
            )
        ).one_or_none()
        if row is None:
            raise StoreError("the database has no registry_meta row: it is damaged")
        return cls(row.audit_head, row.audit_count, actor, dt.datetime.now(dt.UTC))

    def link(self, changes: Iterable[Change]) -> Iterator[dict[str, Any]]:
        """The audit_log rows for ``changes``, advancing the head as each is produced."""
        for change in changes:
            if change.action not in ACTIONS:
                raise ValueError(f"unknown audit action {change.action!r}")
            seq = self.count + 1
            digest = entry_hash(
                self.head,
                seq,
                self._at_text,
                self.actor,
                change.kind,
                change.key,
                change.action,
                change.before_digest,
                change.after_digest,
                change.after_json,
            )
            yield {
                "seq": seq,
                "at": self.at,
                "actor": self.actor,
                "kind": change.kind,
                "key": change.key,
                "action": change.action,
                "before_digest": change.before_digest,
                "after_digest": change.after_digest,
                "after": change.after_json,
                "prev_hash": self.head,
                "hash": digest,
            }
            self.head = digest
            self.count = seq


# -- reading -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditEntry:
    """One entry of the audit log, as listed."""

    seq: int
    at: dt.datetime
    actor: str
    kind: str
    key: str
    action: str
    before_digest: str | None
    after_digest: str | None
    after: dict[str, Any] | None
    prev_hash: str
    hash: str


@dataclass
class AuditReport:
    """The result of :func:`verify`: whether the log is intact, and what is wrong if not."""

    ok: bool
    entries: int
    problems: list[str] = field(default_factory=list)


def entries(
    connection: Connection,
    limit: int = 100,
    skip: int = 0,
    *,
    kind: str | None = None,
    key: str | None = None,
) -> list[AuditEntry]:
    """Entries newest first, optionally of one kind of record or one record."""
    query = sa.select(audit_log).order_by(audit_log.c.seq.desc()).limit(limit).offset(skip)
    if kind is not None:
        query = query.where(audit_log.c.kind == kind)
    if key is not None:
        query = query.where(audit_log.c.key == key)
    return [
        AuditEntry(
            seq=row.seq,
            at=_utc(row.at),
            actor=row.actor,
            kind=row.kind,
            key=row.key,
            action=row.action,
            before_digest=row.before_digest,
            after_digest=row.after_digest,
            after=None if row.after is None else json.loads(row.after),
            prev_hash=row.prev_hash,
            hash=row.hash,
        )
        for row in connection.execute(query)
    ]


def count(connection: Connection, *, kind: str | None = None, key: str | None = None) -> int:
    """How many entries :func:`entries` can list with these filters."""
    query = sa.select(sa.func.count()).select_from(audit_log)
    if kind is not None:
        query = query.where(audit_log.c.kind == kind)
    if key is not None:
        query = query.where(audit_log.c.key == key)
    return int(connection.scalar(query) or 0)


def verify(connection: Connection) -> AuditReport:
    """Check every entry's hash, every link, the sequence and the head in ``registry_meta``."""
    problems: list[str] = []
    expected_seq, prev_hash, count = 1, GENESIS_HASH, 0
    for row in _rows_in_order(connection):
        seq, at, actor, kind, key, action, before, after_digest, after, prev, digest = row
        count += 1
        if seq != expected_seq:
            missing = (
                f"entry {expected_seq} is"
                if seq == expected_seq + 1
                else f"entries {expected_seq}..{seq - 1} are"
            )
            problems.append(f"{missing} missing (deleted)")
        if prev != prev_hash:
            problems.append(
                f"entry {seq}: broken link (prev_hash is not the hash of the entry before)"
            )
        at_text = format_time(at)
        recomputed = entry_hash(
            prev, seq, at_text, actor, kind, key, action, before, after_digest, after
        )
        if recomputed != digest:
            problems.append(f"entry {seq}: edited (its content does not match its hash)")
        elif after is not None and sha256_text(after) != after_digest:
            problems.append(f"entry {seq}: edited (after does not match after_digest)")
        expected_seq, prev_hash = seq + 1, digest
    meta = connection.execute(
        sa.select(registry_meta.c.audit_head, registry_meta.c.audit_count).where(
            registry_meta.c.id == META_ID
        )
    ).one_or_none()
    if meta is None:
        problems.append("registry_meta: the row holding the audit head is missing")
    else:
        last = expected_seq - 1
        if meta.audit_count > last:
            gone = (
                f"entry {last + 1} is"
                if meta.audit_count == last + 1
                else (f"entries {last + 1}..{meta.audit_count} are")
            )
            problems.append(f"{gone} missing (deleted from the end of the log)")
        elif meta.audit_count < last:
            problems.append(
                f"head mismatch: registry_meta counts {meta.audit_count} entries, the log has "
                f"entries up to {last}"
            )
        if meta.audit_head != prev_hash:
            problems.append(f"head mismatch: registry_meta's head is not the hash of entry {last}")
    if problems:
        log.warning("audit log verification found %s problem(s)", len(problems))
    return AuditReport(ok=not problems, entries=count, problems=problems)


#: What verify reads of each entry, in the order it unpacks them.
_HASHED_COLUMNS = [
    audit_log.c[name]
    for name in (
        "seq",
        "at",
        "actor",
        "kind",
        "key",
        "action",
        "before_digest",
        "after_digest",
        "after",
        "prev_hash",
        "hash",
    )
]


def _rows_in_order(connection: Connection) -> Iterator[Sequence[Any]]:
    """Every entry in seq order, read in bounded pages (keyset pagination)."""
    after = 0
    while True:
        page = connection.execute(
            sa.select(*_HASHED_COLUMNS)
            .where(audit_log.c.seq > after)
            .order_by(audit_log.c.seq)
            .limit(_VERIFY_CHUNK)
        ).all()
        if not page:
            return
        yield from page
        after = page[-1][0]


def sha256_text(text: str) -> str:
    """The hex SHA-256 of a text's UTF-8 bytes: a record's digest from its canonical JSON."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _utc(at: dt.datetime) -> dt.datetime:
    return at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at.astimezone(dt.UTC)
