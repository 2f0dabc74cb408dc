"""How every import writes: plan against a snapshot, then check and apply in one transaction.

An importer is a pure function from a registry snapshot to an :class:`ImportPlan` — the
records to write and every problem found. :func:`write_plan` runs it and then, in one unit
of work, confirms that the registry has not moved since the snapshot (else it plans again
on a fresh one), checks every reference against the store, and applies the records with
:func:`cellwatch.store.registry_store.apply`. Any problem → :class:`ImportRejected` and
nothing is written; a dry run computes everything and rolls back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from cellwatch.domain.registry import Registry, RegistryData
from cellwatch.errors import BundleIssue, ImportRejected, RegistryChanged
from cellwatch.ingest import apply_checked
from cellwatch.store import registry_store
from cellwatch.store.db import Database, UnitOfWork
from cellwatch.store.registry_store import ApplyReport

log = logging.getLogger(__name__)

#: Plans made before giving up when other writers keep moving the registry.
ATTEMPTS = 3


class ImportPlan(Protocol):
    """What an importer wants written, and what is wrong with its input."""

    @property
    def origin(self) -> str: ...  # the file, as errors name it

    @property
    def data(self) -> RegistryData: ...

    @property
    def issues(self) -> Sequence[BundleIssue]: ...


P = TypeVar("P", bound=ImportPlan)


@dataclass(frozen=True)
class Written(Generic[P]):
    """The plan that was applied (or would have been, in a dry run) and what it did."""

    plan: P
    report: ApplyReport
    registry_version: int
    dry_run: bool


class _Moved(Exception):
    """Raised inside the unit of work when the registry moved since the plan's snapshot."""


def write_plan(
    database: Database, snapshot: Callable[[], Registry], prepare: Callable[[Registry], P],
    actor: str, *, dry_run: bool = False,
) -> Written[P]:
    """Plan on the current snapshot, then check and apply the plan in one unit of work."""
    for attempt in range(1, ATTEMPTS + 1):
        registry = snapshot()
        plan = prepare(registry)
        if plan.issues:
            raise ImportRejected(plan.origin, list(plan.issues))
        def unmoved(uow: UnitOfWork, version: int = registry.version) -> None:
            if registry_store.registry_version(uow.connection) != version:
                raise _Moved

        def reject(issues: list[BundleIssue], origin: str = plan.origin) -> ImportRejected:
            return ImportRejected(origin, issues)

        try:
            report, version = apply_checked(
                database, actor, plan.data, dry_run=dry_run, guard=unmoved, reject=reject
            )
        except _Moved:
            log.info("registry moved while planning %s (attempt %s)", plan.origin, attempt)
            continue
        log.info("imported %s (dry run: %s): %s", plan.origin, dry_run, report)
        return Written(plan, report, version, dry_run)
    raise RegistryChanged(ATTEMPTS)
