"""What one API worker holds: settings, the database, and the live registry snapshot.

Each worker process keeps its own immutable :class:`~cellwatch.domain.registry.Registry`
snapshot and asks the database for the registry version at most every
``settings.refresh_seconds`` (one indexed single-row query); when the version moved it
rebuilds the snapshot. A write through this worker invalidates at once, so a client reads
its own writes; a write through another worker (or machine) is seen within
``refresh_seconds`` plus the rebuild time.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from starlette.concurrency import run_in_threadpool

from cellwatch.domain.registry import Registry
from cellwatch.settings import Settings
from cellwatch.snapshot import Snapshots
from cellwatch.store.db import Database

log = logging.getLogger(__name__)


#: Check answers remembered per snapshot (a few KiB each).
ANSWERS_KEPT = 4096


@dataclass(frozen=True)
class Snapshot:
    """A registry snapshot, the time of the write that made its version, and the check
    answers given on it.

    The check is a pure function of the unit, the trip and the snapshot, so an answer
    stays right for as long as the snapshot is current; a new snapshot starts empty.
    """

    registry: Registry
    updated_at: dt.datetime | None
    answers: OrderedDict[Hashable, bytes] = field(default_factory=OrderedDict, compare=False)

    @property
    def version(self) -> int:
        return self.registry.version

    def answer(self, key: Hashable, compute: Callable[[], bytes]) -> bytes:
        """The remembered answer for ``key``, else ``compute()`` (kept, least recent dropped).

        Called from the event loop only (no lock needed).
        """
        answers = self.answers
        found = answers.get(key)
        if found is not None:
            answers.move_to_end(key)
            return found
        found = compute()
        answers[key] = found
        if len(answers) > ANSWERS_KEPT:
            answers.popitem(last=False)
        return found


class LiveRegistry:
    """The current :class:`Snapshot` of one database: the shared
    :class:`~cellwatch.snapshot.Snapshots` mechanism, plus a new answers cache per version."""

    def __init__(self, database: Database, refresh_seconds: float) -> None:
        self._snapshots = Snapshots(database, refresh_seconds)
        self._snapshot: Snapshot | None = None

    def _wrap(self, registry: Registry) -> Snapshot:
        snapshot = self._snapshot
        if snapshot is None or snapshot.registry is not registry:
            snapshot = Snapshot(registry, self._snapshots.updated_at)
            self._snapshot = snapshot
        return snapshot

    def fresh(self) -> Snapshot | None:
        """The snapshot when it was checked recently enough; else ``None`` (no I/O)."""
        registry = self._snapshots.fresh()
        return None if registry is None else self._wrap(registry)

    def current(self) -> Snapshot:
        """The snapshot, after asking the database for the version if it is time to."""
        return self._wrap(self._snapshots.current())

    async def current_async(self) -> Snapshot:
        """:meth:`current` from the event loop: no thread hop while the snapshot is fresh."""
        snapshot = self.fresh()
        if snapshot is not None:
            return snapshot
        return await run_in_threadpool(self.current)

    def invalidate(self) -> None:
        """Ask the database on the next request (after a write through this worker)."""
        self._snapshots.invalidate()


@dataclass
class Services:
    """Everything a route may reach, built once per app by :func:`~cellwatch.api.create_app`."""

    settings: Settings
    database: Database
    registry: LiveRegistry
    owns_database: bool = True

    @classmethod
    def build(cls, settings: Settings, database: Database | None = None) -> Services:
        owns = database is None
        if database is None:
            database = Database(settings.database_url, timeout=settings.database_timeout)
        return cls(settings, database, LiveRegistry(database, settings.refresh_seconds), owns)

    def close(self) -> None:
        if self.owns_database:
            self.database.dispose()
