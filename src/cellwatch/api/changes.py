"""Writes through the API: the same validation and transaction as a bundle load.

Every write — one record, a revision, an uploaded bundle — runs :func:`write`: in one unit
of work whose actor is the token (``token:<id>:<name>``), it checks the principal may
write the records (:func:`cellwatch.api.access.authorize`), that a create names no stored
record and a revision the stored version, that every reference resolves
(:func:`~cellwatch.bundles.checks.check_references`), then applies the records
(:func:`~cellwatch.store.registry_store.apply`), which appends to the hash-chained audit
log. Any problem raises and changes nothing.

The stored version of a record is read inside the transaction from the audit log, which
holds every version of every record (its latest entry is the stored record).
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection

from cellwatch.api.access import Principal, authorize
from cellwatch.api.archives import unpack
from cellwatch.bundles.layout import BY_KIND
from cellwatch.bundles.reader import read_bundle
from cellwatch.domain.records import Record
from cellwatch.domain.registry import Registry, RegistryData
from cellwatch.errors import (
    BundleError,
    BundleIssue,
    RecordExists,
    RecordNotFound,
    RevisionRequired,
    StaleRevision,
)
from cellwatch.ingest import apply_checked
from cellwatch.store import audit
from cellwatch.store.db import Database, UnitOfWork
from cellwatch.store.registry_store import ApplyReport

log = logging.getLogger(__name__)


class Mode(StrEnum):
    CREATE = "create"  # every record must be new (409 otherwise)
    REVISE = "revise"  # one record, which must exist at the given digest
    UPSERT = "upsert"  # a bundle: insert new records, update changed ones


@dataclass(frozen=True)
class Outcome:
    """What a write did, and the registry version after it."""

    report: ApplyReport
    version: int
    dry_run: bool = False

    def action(self, kind: str) -> str:
        """``inserted``, ``updated`` or ``unchanged`` for a write of one record."""
        found = self.report[kind]
        return "inserted" if found.inserted else "updated" if found.updated else "unchanged"


def write(
    database: Database,
    principal: Principal,
    data: RegistryData,
    registry: Registry,
    *,
    mode: Mode,
    base_digest: str | None = None,
    issues: list[BundleIssue] | None = None,
    dry_run: bool = False,
) -> Outcome:
    """Apply ``data`` for ``principal`` in one unit of work, or raise and change nothing.

    ``registry`` (the current snapshot) only tells a brand token's company's former ids.
    """
    company = principal.token.company
    company_ids = registry.identities(company) if company else frozenset()

    def guard(uow: UnitOfWork) -> None:
        stored = _StoredVersions(uow.connection)
        if mode is Mode.CREATE:
            for kind, records in data.items():
                for record in records:
                    if stored.entry(kind, record) is not None:
                        raise RecordExists(record.kind_name, record.key_text())
        elif mode is Mode.REVISE:
            _check_base(stored, data, base_digest)
        authorize(principal, data, stored.record, company_ids)

    report, version = apply_checked(
        database, principal.actor, data, issues=issues or (), dry_run=dry_run, guard=guard
    )
    return Outcome(report, version, dry_run)


def _check_base(stored: _StoredVersions, data: RegistryData, base_digest: str | None) -> None:
    ((kind, records),) = [(kind, records) for kind, records in data.items() if records]
    (record,) = records
    entry = stored.entry(kind, record)
    if entry is None or entry.after_digest is None:
        raise RecordNotFound(record.kind_name, record.key_text())
    if base_digest is None:
        raise RevisionRequired(record.kind_name, record.key_text())
    if base_digest != entry.after_digest:
        raise StaleRevision(record.kind_name, record.key_text(), entry.after_digest)


class _StoredVersions:
    """The stored version of records, read from the audit log inside the transaction."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._entries: dict[tuple[str, str], audit.AuditEntry | None] = {}

    def entry(self, kind: str, record: Record) -> audit.AuditEntry | None:
        key = (record.kind_name, record.key_text())
        if key not in self._entries:
            found = audit.entries(self._connection, limit=1, kind=key[0], key=key[1])
            self._entries[key] = found[0] if found else None
        return self._entries[key]

    def record(self, kind: str, record: Record) -> Record | None:
        entry = self.entry(kind, record)
        if entry is None or entry.after is None:
            return None
        return BY_KIND[kind].record.model_validate(entry.after)


def one(kind: str, record: Record) -> RegistryData:
    """A registry data holding just ``record``."""
    return RegistryData.from_kinds({kind: [record]})


def load_archive(
    database: Database,
    principal: Principal,
    archive: bytes,
    registry: Registry,
    *,
    max_unpacked: int,
    dry_run: bool = False,
) -> Outcome:
    """Unpack an uploaded bundle archive safely, read it as ``cellwatch load`` does, write it."""
    with tempfile.TemporaryDirectory(prefix="cellwatch-upload-") as folder:
        path = Path(folder)
        issues = unpack(archive, path, max_bytes=max_unpacked)
        if issues:
            raise BundleError(issues)
        data, issues = read_bundle(path)
    log.info("bundle upload by %s: %s records, %s problems", principal.actor, len(data),
             len(issues))
    return write(
        database, principal, data, registry, mode=Mode.UPSERT, issues=issues, dry_run=dry_run
    )


def history(database: Database, kind_name: str, key: str) -> list[dict[str, Any]]:
    """Every stored version of one record, oldest first, from the audit log."""
    with database.connect() as connection:
        found = audit.entries(connection, limit=1000, kind=kind_name, key=key)
    return [
        {
            "seq": entry.seq,
            "at": entry.at.isoformat().replace("+00:00", "Z"),
            "actor": entry.actor,
            "action": entry.action,
            "digest": entry.after_digest,
            "record": entry.after,
        }
        for entry in reversed(found)
    ]
