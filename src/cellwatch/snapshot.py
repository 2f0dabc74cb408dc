"""The in-memory registry snapshot, rebuilt only when the registry version moves."""

from __future__ import annotations

import logging
import threading

from cellwatch.domain.registry import Registry
from cellwatch.store import registry_store
from cellwatch.store.db import Database

log = logging.getLogger(__name__)


class Snapshots:
    """Hands out the current :class:`Registry` of a database, reloading when it changed."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._current: Registry | None = None
        self._lock = threading.Lock()

    def current(self) -> Registry:
        with self._database.connect() as connection:
            version = registry_store.registry_version(connection)
            if self._current is not None and self._current.version == version:
                return self._current
            with self._lock:
                if self._current is None or self._current.version != version:
                    data = registry_store.read(connection)
                    self._current = Registry(data, version)
                    log.info("registry snapshot rebuilt at version %s", version)
                return self._current
