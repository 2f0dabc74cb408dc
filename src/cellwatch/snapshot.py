"""The in-memory registry snapshot, rebuilt only when the registry version moves.

One :class:`Snapshots` per process and database: the CLI asks it once per command, each
API worker on every request. It asks the database for the version at most every
``refresh_seconds`` (one indexed single-row query; 0 asks every time) and rebuilds the
snapshot when the version moved. :meth:`Snapshots.invalidate` makes the next call ask at
once (after a write through this process, so that it reads its own writes).
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import threading
import time

from cellwatch.domain.registry import Registry
from cellwatch.store import registry_store
from cellwatch.store.db import Database

log = logging.getLogger(__name__)

_FREEZE_ABOVE = 100_000  # records; smaller registries are cheap for the collector anyway


def _freeze_heap() -> None:
    """Move the (long-lived) snapshot out of the garbage collector's view.

    With a million records on the heap, a full collection triggered by a request would walk
    them all and add about a second to it. The previous snapshot is released first
    (unfreeze, collect), so a rebuild does not leak the old one.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class Snapshots:
    """Hands out the current :class:`Registry` of a database, reloading when it changed."""

    def __init__(self, database: Database, refresh_seconds: float = 0.0) -> None:
        self._database = database
        self._refresh = refresh_seconds
        self._current: Registry | None = None
        self._updated_at: dt.datetime | None = None
        self._checked = float("-inf")
        self._lock = threading.Lock()

    @property
    def updated_at(self) -> dt.datetime | None:
        """When the write that made the current version happened."""
        return self._updated_at

    def fresh(self) -> Registry | None:
        """The snapshot when it was checked recently enough; else ``None`` (no I/O)."""
        current = self._current
        if current is not None and time.monotonic() - self._checked < self._refresh:
            return current
        return None

    def current(self) -> Registry:
        """The snapshot, after asking the database for the version if it is time to."""
        current = self.fresh()
        if current is not None:
            return current
        with self._lock:  # one thread checks and rebuilds; the others wait for it
            current = self.fresh()
            if current is not None:
                return current
            checked = time.monotonic()
            with self._database.connect() as connection:
                state = registry_store.registry_state(connection)
                current = self._current
                if current is None or current.version != state.version:
                    # the version first, then the records: a write in between makes the
                    # records newer than the version, and the next check reloads again
                    current = Registry(registry_store.read(connection), state.version)
                    log.info("registry snapshot rebuilt at version %s", state.version)
            rebuilt = current is not self._current
            self._current, self._updated_at, self._checked = current, state.updated_at, checked
            if rebuilt and len(current.data) >= _FREEZE_ABOVE:
                _freeze_heap()
            return current

    def invalidate(self) -> None:
        """Ask the database on the next call."""
        self._checked = float("-inf")
