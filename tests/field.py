"""Shared by the field-operation tests: the demo registry in the test database."""

from __future__ import annotations

from cellwatch.domain.registry import Registry
from cellwatch.ingest import demo_bundle, load_bundle
from cellwatch.store import registry_store
from cellwatch.store.db import Database


def load_demo(database: Database) -> Registry:
    """Load the demo bundle; return the registry snapshot the shells would use."""
    load_bundle(database, demo_bundle(), "test")
    return snapshot(database)


def snapshot(database: Database) -> Registry:
    with database.connect() as connection:
        data = registry_store.read(connection)
        version = registry_store.registry_version(connection)
    return Registry(data, version)
