"""``cellwatch init``, ``load`` and ``export``: bundles in and out of the registry."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cellwatch.bundles.layout import LAYOUTS
from cellwatch.cli.context import current
from cellwatch.cli.output import console, errors, print_json
from cellwatch.errors import InputError
from cellwatch.ingest import demo_bundle, export_bundle, load_bundle
from cellwatch.store import registry_store

JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("load")(load)
    app.command("export")(export)


def init(json_: JsonOption = False) -> None:
    """Create or migrate the registry database (CELLWATCH_DATABASE_URL)."""
    context = current()
    with context.database.connect() as connection:
        version = registry_store.registry_version(connection)
    if json_:
        print_json({"database": context.database.url, "registry_version": version})
    else:
        console.print(f"database ready: {context.database.url} (version {version})")


def load(
    path: Annotated[
        Path | None, typer.Argument(help="The bundle folder to load.", show_default=False)
    ] = None,
    demo: Annotated[bool, typer.Option("--demo", help="Load the shipped demo registry.")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate and show what would change; change nothing.")
    ] = False,
    json_: JsonOption = False,
) -> None:
    """Validate a bundle completely, then apply it in one transaction.

    A bundle with any error changes nothing; every error is listed with its file, line or
    record, and field. Loading the same bundle again changes nothing.
    """
    if (path is None) == (not demo):
        raise InputError("give a bundle folder or --demo (one of the two)")
    folder = demo_bundle() if demo else path
    assert folder is not None
    context = current()
    result = load_bundle(context.database, folder, context.settings.actor, dry_run=dry_run)
    if not any((folder / layout.filename).exists() for layout in LAYOUTS):
        # an empty bundle is a bundle, but a folder typed by mistake is the likelier case
        errors.print(f"note: {escape(str(folder))} holds none of a bundle's files "
                     f"({', '.join(layout.filename for layout in LAYOUTS)}): nothing to load",
                     highlight=False)
    rows = [
        (kind, report.inserted, report.updated, report.unchanged)
        for kind, report in result.report.kinds.items()
    ]
    if json_:
        print_json({
            "bundle": str(folder),
            "dry_run": dry_run,
            "registry_version": result.version,
            "changes": {
                kind: {"inserted": inserted, "updated": updated, "unchanged": unchanged}
                for kind, inserted, updated, unchanged in rows
            },
        })
        return
    table = Table(title=f"{'dry run of ' if dry_run else ''}{folder}")
    for column in ("records", "inserted", "updated", "unchanged"):
        table.add_column(column, justify="right" if column != "records" else "left")
    for kind, inserted, updated, unchanged in rows:
        table.add_row(kind, str(inserted), str(updated), str(unchanged))
    console.print(table)
    verb = "would change" if dry_run else "changed"
    console.print(
        f"{verb} {result.report.changed} record(s); registry version {result.version}"
    )


def export(
    path: Annotated[Path, typer.Argument(help="The folder to write the bundle into.")],
    json_: JsonOption = False,
) -> None:
    """Write the whole registry as a bundle (deterministic: the same registry, the same bytes)."""
    context = current()
    counts = export_bundle(context.database, path)
    if json_:
        print_json({"bundle": str(path), "records": counts})
        return
    for filename, count in counts.items():
        console.print(f"{filename:28} {count:>9}")
    console.print(f"wrote {sum(counts.values())} record(s) to {path}")
