"""``cellwatch import cpsc`` and ``cellwatch certificates import-snapshot``.

Each plans the import against the current registry, then checks and applies it in one
transaction (``--dry-run``: computes and shows everything, changes nothing). A file with
any bad row or record changes nothing; every problem is listed with its line or record.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from cellwatch.cli.context import current
from cellwatch.cli.output import console, print_json, table_of
from cellwatch.domain.registry import Registry
from cellwatch.errors import ImportRejected
from cellwatch.imports.cpsc import CpscPlan, plan_cpsc, read_cpsc
from cellwatch.imports.plan import Written, write_plan
from cellwatch.imports.snapshot import Action, SnapshotPlan, plan_snapshot
from cellwatch.imports.snapshot_csv import read_snapshot
from cellwatch.store.registry_store import ApplyReport

import_app = typer.Typer(help="Import recalls and certificates from outside sources.",
                         no_args_is_help=True)

FileArgument = Annotated[Path, typer.Argument(help="The file to import.", show_default=False)]
DryRun = Annotated[
    bool, typer.Option("--dry-run", help="Show what would change; change nothing.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


def register(app: typer.Typer, certificates: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
    certificates.command("import-snapshot")(import_snapshot)


def _changes(report: ApplyReport) -> dict[str, Any]:
    return {kind: {"inserted": r.inserted, "updated": r.updated, "unchanged": r.unchanged}
            for kind, r in report.kinds.items()}


def _footer(written: Written[Any]) -> None:
    verb = "would change" if written.dry_run else "changed"
    console.print(f"{verb} {written.report.changed} record(s); "
                  f"registry version {written.registry_version}")


def import_snapshot(
    file: FileArgument,
    create_companies: Annotated[bool, typer.Option(
        "--create-companies", help="Create holders (and factories) the registry lacks.")] = False,
    source_url: Annotated[str | None, typer.Option(
        help="The certification body's URL for this list (default: file:NAME).")] = None,
    dry_run: DryRun = False,
    json_: JsonOption = False,
) -> None:
    """Record a certification body's certificate list as certificates and status changes.

    The list is a CSV file in UTF-8 or GB18030; what it changes becomes new certificates
    and dated status changes.

    Headers in English or Chinese (证书编号, 持证人, 产品名称, 型号, 证书状态, 状态日期,
    发证日期, 有效期至); status words 有效 正常 暂停 撤销 注销 过期 or English. Importing
    the same list again changes nothing.
    """
    snapshot = read_snapshot(file)
    if not snapshot.rows and snapshot.issues:
        raise ImportRejected(snapshot.name, list(snapshot.issues))
    context = current()

    def prepare(registry: Registry) -> SnapshotPlan:
        return plan_snapshot(registry, snapshot, create_companies=create_companies,
                             source_url=source_url)

    written = write_plan(context.database, context.registry, prepare, context.settings.actor,
                         dry_run=dry_run)
    plan = written.plan
    if json_:
        print_json({**plan.as_json(), "dry_run": dry_run,
                    "registry_version": written.registry_version,
                    "changes": _changes(written.report)})
        return
    table = table_of("line", "number", "holder", "registry", "snapshot", "date", "action",
                     keep=("number", "date"), counts=("line",),
                     title=f"{'dry run of ' if dry_run else ''}{plan.origin} ({plan.encoding})")
    colours = {Action.NEW: "green", Action.CHANGED: "yellow", Action.UNCHANGED: "dim"}
    for row in plan.rows:
        table.add_row(str(row.line), row.number, row.holder, row.registry_status or "—",
                      row.status, row.status_date,
                      f"[{colours[row.action]}]{row.action.value}[/]")
    console.print(table)
    for row in plan.rows:
        for note in row.notes:
            console.print(f"line {row.line}: {escape(note.en)}")
    console.print(", ".join(f"{plan.count(a)} {a.value}" for a in Action))
    if plan.companies_created or plan.models_created:
        console.print(f"new companies: {', '.join(plan.companies_created) or '—'}; "
                      f"new models: {', '.join(plan.models_created) or '—'}")
    if plan.ignored_columns:
        console.print(f"ignored columns: {escape(', '.join(plan.ignored_columns))}")
    _footer(written)


@import_app.command("cpsc")
def import_cpsc(file: FileArgument, dry_run: DryRun = False, json_: JsonOption = False) -> None:
    """Import power-bank recalls from the CPSC recalls API's JSON.

    Recalls of other products are skipped and counted.

    A recall seen again with a newer LastPublishDate becomes a revision, never a duplicate;
    serial and batch rules read from the description are marked for a person to confirm.
    """
    raw, problems = read_cpsc(file)
    if problems:
        raise ImportRejected(file.name, problems)
    context = current()

    def prepare(registry: Registry) -> CpscPlan:
        return plan_cpsc(registry, raw, file.name)

    written = write_plan(context.database, context.registry, prepare, context.settings.actor,
                         dry_run=dry_run)
    plan = written.plan
    if json_:
        print_json({**plan.as_json(), "dry_run": dry_run,
                    "registry_version": written.registry_version,
                    "changes": _changes(written.report)})
        return
    table = table_of("recall", "cellwatch id", "action", "models", "title",
                     keep=("recall", "cellwatch id"),
                     title=f"{'dry run of ' if dry_run else ''}{plan.origin}")
    for outcome in plan.outcomes:
        models = ", ".join(str(e["model"]) + (" *" if e.get("extracted") else "")
                           for e in outcome.scope)
        table.add_row(outcome.recall_number, outcome.recall_id, outcome.action.value,
                      escape(models), escape(outcome.title))
    console.print(table)
    if any(e.get("extracted") for o in plan.outcomes for e in o.scope):
        console.print("* serial or batch rules read from the description: confirm them")
    console.print(f"{plan.records} record(s): {len(plan.outcomes)} power-bank recall(s), "
                  f"{len(plan.skipped)} skipped (not power banks)")
    _footer(written)
