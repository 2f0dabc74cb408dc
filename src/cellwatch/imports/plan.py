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

from cellwatch.bundles.checks import check_references
from cellwatch.domain.registry import Registry, RegistryData
from cellwatch.errors import BundleIssue, ImportRejected, RegistryChanged
from cellwatch.store import registry_store
from cellwatch.store.db import Database
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


class _RollBack(Exception):
    """Raised inside the unit of work to undo a dry run."""


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
        report: ApplyReport | None = None
        try:
            with database.unit_of_work(actor) as uow:
                connection = uow.connection
                if registry_store.registry_version(connection) != registry.version:
                    raise _Moved
                issues = check_references(plan.data, registry_store.reference_keys(connection))
                if issues:
                    raise ImportRejected(plan.origin, issues)
                report = registry_store.apply(uow, plan.data)
                if dry_run:
                    raise _RollBack
        except _Moved:
            log.info("registry moved while planning %s (attempt %s)", plan.origin, attempt)
            continue
        except _RollBack:
            pass
        assert report is not None
        with database.connect() as connection:
            version = registry_store.registry_version(connection)
        log.info("imported %s (dry run: %s): %s", plan.origin, dry_run, report)
        return Written(plan, report, version, dry_run)
    raise RegistryChanged(ATTEMPTS)
