"""Bring bundles into the registry and write it back out.

A load reads and checks the whole bundle first, then applies it in one unit of work: a
bundle with any error changes nothing and reports every error; a crash half-way leaves
the registry as it was.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from cellwatch.bundles.checks import check_references
from cellwatch.bundles.reader import read_bundle
from cellwatch.bundles.writer import write_bundle
from cellwatch.errors import BundleError
from cellwatch.store import registry_store
from cellwatch.store.db import Database
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


def load_bundle(database: Database, path: Path, actor: str, *, dry_run: bool = False) -> LoadResult:
    """Validate the bundle at ``path`` completely, then apply it in one transaction.

    Raises :class:`~cellwatch.errors.BundleError` listing every problem; then nothing
    has changed. With ``dry_run`` the changes are computed and reported, then undone.
    """
    data, issues = read_bundle(path)
    report: ApplyReport | None = None
    try:
        with database.unit_of_work(actor) as uow:
            stored = registry_store.reference_keys(uow.connection)
            issues.extend(check_references(data, stored))
            if issues:
                raise BundleError(issues)
            report = registry_store.apply(uow, data)
            if dry_run:
                raise _RollBack
    except _RollBack:
        pass
    assert report is not None
    with database.connect() as connection:
        version = registry_store.registry_version(connection)
    log.info("loaded %s (dry run: %s): %s", path, dry_run, report)
    return LoadResult(path, report, version, dry_run)


def export_bundle(database: Database, path: Path) -> dict[str, int]:
    """Write the whole registry as a bundle into ``path``; return record counts per file."""
    with database.connect() as connection:
        data = registry_store.read(connection)
    return write_bundle(data, path)
