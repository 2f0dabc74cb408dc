"""The store: the registry's source of truth in SQLite or PostgreSQL.

- :mod:`~cellwatch.store.db`              engines, dialects, migrations, the unit of work
- :mod:`~cellwatch.store.tables`          the schema (SQLAlchemy Core tables)
- :mod:`~cellwatch.store.rows`            records as rows and back
- :mod:`~cellwatch.store.registry_store`  apply / read the registry as domain values
- :mod:`~cellwatch.store.audit`           the hash-chained audit log and its verification
"""

from cellwatch.store.audit import AuditEntry, AuditReport, entries, verify
from cellwatch.store.db import Database, UnitOfWork, open_database
from cellwatch.store.registry_store import (
    ApplyReport,
    KindReport,
    apply,
    read,
    registry_version,
)

__all__ = [
    "ApplyReport",
    "AuditEntry",
    "AuditReport",
    "Database",
    "KindReport",
    "UnitOfWork",
    "apply",
    "entries",
    "open_database",
    "read",
    "registry_version",
    "verify",
]
