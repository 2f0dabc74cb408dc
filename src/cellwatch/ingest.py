"""Bring bundles into the registry and write it back out.

A load reads and checks the whole bundle first, then applies it in one unit of work: a
bundle with any error changes nothing and reports every error; a crash half-way leaves
the registry as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from cellwatch.bundles.checks import check_references
from cellwatch.bundles.reader import read_bundle
from cellwatch.bundles.writer import write_bundle
from cellwatch.domain.registry import RegistryData
from cellwatch.errors import BundleError, BundleIssue, CellwatchError
from cellwatch.store import registry_store
from cellwatch.store.db import Database, UnitOfWork
from cellwatch.store.registry_store import ApplyReport

log = logging.getLogger(__name__)


def demo_bundle() -> Path:
    """The demo registry shipped inside the package (public facts, each with its source)."""
    return Path(str(resources.files("cellwatch") / "demo" / "registry"))


@dataclass(frozen=True)
class LoadResult:
    path: Path
    report: ApplyReport
    version: int
    dry_run: bool


class _RollBack(Exception):
    """Raised inside a unit of work to undo it after a dry run."""


def apply_checked(
    database: Database,
    actor: str,
    data: RegistryData,
    *,
    issues: Sequence[BundleIssue] = (),
    dry_run: bool = False,
    guard: Callable[[UnitOfWork], None] | None = None,
    reject: Callable[[list[BundleIssue]], CellwatchError] = BundleError,
) -> tuple[ApplyReport, int]:
    """The one way records enter the registry; returns what changed and the new version.

    In one unit of work: ``guard`` runs first (a caller's own checks, which raise), then
    every reference is checked against the stored keys, then the records are applied. Any
    problem — ``issues`` found before, or a broken reference — raises ``reject(problems)``
    listing them all, and nothing has changed. A dry run computes the report, then undoes.
    """
    report: ApplyReport | None = None
    try:
        with database.unit_of_work(actor) as uow:
            if guard is not None:
                guard(uow)
            keys = registry_store.reference_keys(uow.connection)
            problems = [*issues, *check_references(data, keys)]
            if problems:
                raise reject(problems)
            report = registry_store.apply(uow, data)
            if dry_run:
                raise _RollBack
    except _RollBack:
        pass
    assert report is not None
    with database.connect() as connection:
        version = registry_store.registry_version(connection)
    return report, version


def load_bundle(database: Database, path: Path, actor: str, *, dry_run: bool = False) -> LoadResult:
    """Validate the bundle at ``path`` completely, then apply it in one transaction.

    Raises :class:`~cellwatch.errors.BundleError` listing every problem; then nothing
    has changed. With ``dry_run`` the changes are computed and reported, then undone.
    """
    data, issues = read_bundle(path)
    report, version = apply_checked(database, actor, data, issues=issues, dry_run=dry_run)
    log.info("loaded %s (dry run: %s): %s", path, dry_run, report)
    return LoadResult(path, report, version, dry_run)


def export_bundle(database: Database, path: Path) -> dict[str, int]:
    """Write the whole registry as a bundle into ``path``; return record counts per file."""
    with database.connect() as connection:
        data = registry_store.read(connection)
    return write_bundle(data, path)
