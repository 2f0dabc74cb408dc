"""What every command needs: settings, the database, the registry snapshot."""

from __future__ import annotations

from functools import cached_property

from cellwatch.domain.registry import Registry
from cellwatch.settings import Settings
from cellwatch.snapshot import Snapshots
from cellwatch.store.db import Database, open_database


class Context:
    """Built lazily, so that ``--help`` never touches the database."""

    @cached_property
    def settings(self) -> Settings:
        return Settings()

    @cached_property
    def database(self) -> Database:
        return open_database(self.settings)

    @cached_property
    def _snapshots(self) -> Snapshots:
        return Snapshots(self.database)

    def registry(self) -> Registry:
        return self._snapshots.current()
