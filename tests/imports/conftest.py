"""Imports run against a registry stored on every backend."""

from __future__ import annotations

import pytest

from cellwatch.domain.registry import Registry, RegistryData
from cellwatch.snapshot import Snapshots
from cellwatch.store import registry_store
from cellwatch.store.db import Database


def store(database: Database, data: RegistryData) -> None:
    with database.unit_of_work("test") as uow:
        registry_store.apply(uow, data)


def stored(database: Database) -> Registry:
    with database.connect() as connection:
        return Registry(registry_store.read(connection), registry_store.registry_version(connection))


@pytest.fixture
def snapshots(database: Database) -> Snapshots:
    return Snapshots(database)
