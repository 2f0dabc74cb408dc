"""``cellwatch audit``: read and verify the hash-chained audit log."""

from __future__ import annotations

import dataclasses
from typing import Annotated

import typer

from cellwatch.cli.context import current
from cellwatch.cli.output import console, fail, print_json, table_of
from cellwatch.store import audit as audit_log

app = typer.Typer(help="Read and verify the append-only audit log.", no_args_is_help=True)


@app.command("verify")
def verify(json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Check every entry of the audit log against its hash chain; exit 1 on any problem."""
    context = current()
    with context.database.connect() as connection:
        report = audit_log.verify(connection)
    if json_:
        print_json({"ok": report.ok, "entries": report.entries, "problems": report.problems})
    elif report.ok:
        console.print(f"audit log intact: {report.entries} entries, chain verified")
    else:
        for problem in report.problems:
            fail(problem)
        fail(f"audit log damaged: {len(report.problems)} problem(s) in {report.entries} entries")
    if not report.ok:
        raise typer.Exit(1)


@app.command("log")
def log(
    limit: Annotated[int, typer.Option(min=1, max=1000, help="How many entries.")] = 20,
    skip: Annotated[int, typer.Option(min=0, help="Entries to skip, newest first.")] = 0,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show audit entries, newest first: who changed which record, when."""
    context = current()
    with context.database.connect() as connection:
        entries = audit_log.entries(connection, limit=limit, skip=skip)
    if json_:
        print_json([dataclasses.asdict(entry) for entry in entries])
        return
    table = table_of("seq", "at", "actor", "action", "kind", "key",
                     keep=("at",), counts=("seq",))
    for entry in entries:
        table.add_row(
            str(entry.seq), entry.at.isoformat(timespec="seconds"), entry.actor,
            entry.action, entry.kind, entry.key,
        )
    console.print(table)
