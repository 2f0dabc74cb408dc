"""The audit log: chained on write, and verification catches edits and deletions."""

from __future__ import annotations

import hashlib
import itertools
import json

import pytest
import sqlalchemy as sa

from cellwatch.domain.registry import RegistryData
from cellwatch.store import apply, entries, registry_version, verify
from cellwatch.store.audit import (
    AuditEntry,
    canonical_json,
    entry_hash,
    format_time,
    sha256_text,
)
from cellwatch.store.db import Database
from cellwatch.store.tables import GENESIS_HASH, audit_log, registry_meta
from tests import factories


@pytest.fixture
def audited(database: Database) -> Database:
    """A database with five audit entries, written by two units of work."""
    with database.unit_of_work("alice") as uow:
        apply(uow, RegistryData(sources=(factories.source(),), companies=(factories.company(),)))
    with database.unit_of_work("bob") as uow:
        apply(
            uow,
            RegistryData(
                sources=(factories.source(id="src-2"), factories.source(id="src-3")),
                companies=(factories.company(name="Acme Ltd"),),
            ),
        )
    return database


def _tamper(database: Database, statement: sa.Executable) -> None:
    """Change the log behind the unit of work's back, as an intruder would."""
    with database.engine.begin() as connection:
        connection.execute(statement)


def _problems(database: Database) -> list[str]:
    with database.connect() as connection:
        report = verify(connection)
    assert report.ok is (not report.problems)
    return report.problems


def test_an_untouched_log_verifies(audited: Database) -> None:
    with audited.connect() as connection:
        report = verify(connection)
        listed = entries(connection, limit=10)
    assert report.ok
    assert report.entries == 5
    assert [entry.seq for entry in listed] == [5, 4, 3, 2, 1]
    assert [entry.actor for entry in listed] == ["bob"] * 3 + ["alice"] * 2
    assert listed[-1].prev_hash == GENESIS_HASH
    assert all(later.prev_hash == earlier.hash for later, earlier in itertools.pairwise(listed))
    assert listed[0].action == "update" and listed[0].key == "acme"


def test_entries_pages_and_filters(audited: Database) -> None:
    with audited.connect() as connection:
        assert [e.seq for e in entries(connection, limit=2, skip=1)] == [4, 3]
        assert [e.seq for e in entries(connection, kind="company")] == [5, 2]
        assert [e.seq for e in entries(connection, kind="source", key="src-2")] == [3]


def test_the_hash_is_over_the_canonical_json_of_the_entry(audited: Database) -> None:
    with audited.connect() as connection:
        row = connection.execute(sa.select(audit_log).where(audit_log.c.seq == 2)).one()
    entry = entries_by_seq(audited)[2]
    fields = [
        row.seq,
        entry.at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        row.actor,
        row.kind,
        row.key,
        row.action,
        row.before_digest,
        row.after_digest,
        json.loads(row.after),
    ]
    expected = hashlib.sha256((row.prev_hash + canonical_json(fields)).encode()).hexdigest()
    assert row.hash == expected
    assert hashlib.sha256(row.after.encode()).hexdigest() == row.after_digest


@pytest.mark.parametrize(
    "fields",
    [
        (1, "2025-06-16T01:02:03.000004Z", "cli", "batch", "acme/PB100/B1", "insert", None),
        (7, "t", 'quote " and \\ backslash', "罗马仕", "k\n\u2028\x00", "update", "a" * 64),
    ],
)
@pytest.mark.parametrize("after", [None, {"id": "x", "names": {"zh": "安克"}, "n": [1.5, True]}])
def test_entry_hash_is_sha256_of_prev_and_canonical_json(
    fields: tuple[int, str, str, str, str, str, str | None], after: dict[str, object] | None
) -> None:
    after_digest = None if after is None else sha256_text(canonical_json(after))
    after_json = None if after is None else canonical_json(after)
    values = [*fields, after_digest, after]
    expected = hashlib.sha256(("p" * 64 + canonical_json(values)).encode()).hexdigest()
    assert entry_hash("p" * 64, *fields, after_digest, after_json) == expected


def entries_by_seq(database: Database) -> dict[int, AuditEntry]:
    with database.connect() as connection:
        return {entry.seq: entry for entry in entries(connection, limit=100)}


def test_an_edited_entry_is_detected(audited: Database) -> None:
    _tamper(audited, audit_log.update().where(audit_log.c.seq == 3).values(actor="mallory"))
    assert _problems(audited) == ["entry 3: edited (its content does not match its hash)"]


def test_an_edited_after_is_detected(audited: Database) -> None:
    forged = json.dumps({"id": "src-2", "title": "Forged", "url": "https://example.org/n"})
    _tamper(audited, audit_log.update().where(audit_log.c.seq == 3).values(after=forged))
    assert _problems(audited) == ["entry 3: edited (its content does not match its hash)"]


def test_a_rehashed_edit_breaks_the_next_link(audited: Database) -> None:
    with audited.connect() as connection:
        row = connection.execute(sa.select(audit_log).where(audit_log.c.seq == 3)).one()
    at = format_time(row.at)
    forged_hash = entry_hash(
        row.prev_hash,
        3,
        at,
        "mallory",
        row.kind,
        row.key,
        row.action,
        row.before_digest,
        row.after_digest,
        row.after,
    )
    _tamper(
        audited,
        audit_log.update().where(audit_log.c.seq == 3).values(actor="mallory", hash=forged_hash),
    )
    assert _problems(audited) == [
        "entry 4: broken link (prev_hash is not the hash of the entry before)"
    ]


def test_a_deleted_middle_entry_is_detected(audited: Database) -> None:
    _tamper(audited, audit_log.delete().where(audit_log.c.seq == 3))
    assert _problems(audited) == [
        "entry 3 is missing (deleted)",
        "entry 4: broken link (prev_hash is not the hash of the entry before)",
    ]


def test_a_deleted_last_entry_is_detected(audited: Database) -> None:
    _tamper(audited, audit_log.delete().where(audit_log.c.seq >= 4))
    problems = _problems(audited)
    assert problems == [
        "entries 4..5 are missing (deleted from the end of the log)",
        "head mismatch: registry_meta's head is not the hash of entry 3",
    ]


def test_a_forged_head_is_detected(audited: Database) -> None:
    _tamper(audited, registry_meta.update().values(audit_head="f" * 64))
    assert _problems(audited) == ["head mismatch: registry_meta's head is not the hash of entry 5"]


def test_writing_after_a_deleted_last_entry_keeps_the_gap_visible(audited: Database) -> None:
    _tamper(audited, audit_log.delete().where(audit_log.c.seq == 5))
    with audited.unit_of_work("carol") as uow:
        apply(uow, RegistryData(sources=(factories.source(id="src-4"),)))
    problems = _problems(audited)
    assert "entry 5 is missing (deleted)" in problems
    assert "entry 6: broken link (prev_hash is not the hash of the entry before)" in problems


def test_record_change_appends_one_chained_entry(database: Database) -> None:
    after = {"scope": ["write"]}
    digest = sha256_text(canonical_json(after))
    with database.unit_of_work("admin") as uow:
        uow.record_change("token", "t-1", "insert", None, after, digest)
        uow.record_change("token", "t-1", "delete", digest, None, None)
        assert uow.changed == 2
    with database.connect() as connection:
        listed = entries(connection)
        assert verify(connection).ok
    assert [(e.action, e.after) for e in listed] == [
        ("delete", None),
        ("insert", {"scope": ["write"]}),
    ]


def test_a_change_outside_the_registry_is_audited_without_moving_the_version(
    database: Database,
) -> None:
    after = {"watch": "romoss"}
    with database.unit_of_work("ops") as uow:
        uow.record_change(
            "watch", "w-1", "insert", None, after, sha256_text(canonical_json(after)),
            registry=False,
        )
    with database.connect() as connection:
        assert registry_version(connection) == 0
        assert verify(connection).entries == 1
        assert verify(connection).ok
    with database.unit_of_work("ops") as uow:
        uow.record_change("watch", "w-1", "delete", None, None, None, registry=False)
        uow.record_change("token", "t-1", "delete", None, None, None)
    with database.connect() as connection:
        assert registry_version(connection) == 1
        assert verify(connection).entries == 3


def test_a_digest_that_does_not_match_after_is_refused(database: Database) -> None:
    with pytest.raises(ValueError, match="after_digest"), database.unit_of_work("x") as uow:
        uow.record_change("token", "t-1", "insert", None, {"a": 1}, "0" * 64)


def test_an_unknown_action_is_refused(database: Database) -> None:
    with pytest.raises(ValueError, match="unknown audit action"), database.unit_of_work("x") as uow:
        uow.record_change("token", "t-1", "upsert", None, None, None)  # type: ignore[arg-type]
    with database.connect() as connection:
        assert verify(connection).entries == 0
