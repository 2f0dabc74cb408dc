"""``cellwatch checkpoint``: locations and their storage policies, binding checkpoint tokens,
recording a step of a unit's case, the chain of a unit, a location's daily report."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cellwatch.checkpoints.chain import Case
from cellwatch.checkpoints.policy import Location, LocationKind, RefusalReason
from cellwatch.checkpoints.records import RecordKind, RecordRequest
from cellwatch.cli.context import current
from cellwatch.cli.options import parse_date
from cellwatch.cli.output import console, print_json
from cellwatch.errors import InputError
from cellwatch.fieldops import checkpoints as ops

app = typer.Typer(help="Checkpoint records: what was done with a unit.", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Lang = Annotated[str, typer.Option(help="en or zh.")]


@app.command("location")
def location_command(
    id_: Annotated[str, typer.Argument(metavar="ID", help="A slug, e.g. pvg-t2.")],
    name: Annotated[str, typer.Option(help="Name in English.")],
    name_zh: Annotated[str | None, typer.Option(help="Name in Chinese.")] = None,
    kind: Annotated[LocationKind, typer.Option()] = LocationKind.AIRPORT,
    days_free: Annotated[int, typer.Option(min=0, help="Days stored free.")] = 0,
    fee_per_day: Annotated[float, typer.Option(min=0, help="Fee per day after them.")] = 0.0,
    currency: Annotated[str, typer.Option()] = "CNY",
    max_days: Annotated[int, typer.Option(min=1, help="Days kept before abandoned.")] = 30,
    not_storable: Annotated[
        list[RefusalReason] | None,
        typer.Option(help="A refusal reason whose units are not stored (repeatable)."),
    ] = None,
) -> None:
    """Add a checkpoint location with its storage policy."""
    context = current()
    location = Location.model_validate({
        "id": id_, "name": name, "name_zh": name_zh, "kind": kind, "days_free": days_free,
        "fee_per_day_cents": round(fee_per_day * 100), "currency": currency,
        "max_days": max_days,
        **({"not_storable": not_storable} if not_storable is not None else {}),
    })
    ops.add_location(context.database, location, context.settings.actor)
    console.print(f"added location {escape(location.id)}")


@app.command("bind")
def bind_command(token_id: int, location: str) -> None:
    """Bind a checkpoint token to the one location it records for."""
    context = current()
    ops.bind_token(context.database, token_id, location, context.settings.actor)
    console.print(f"token {token_id} records for {escape(location)}")


@app.command("record")
def record_command(
    location: str,
    kind: RecordKind,
    case: Annotated[int | None, typer.Option(help="The case a later step belongs to.")] = None,
    brand: Annotated[str | None, typer.Option()] = None,
    model: Annotated[str | None, typer.Option()] = None,
    serial: Annotated[str | None, typer.Option()] = None,
    batch: Annotated[str | None, typer.Option()] = None,
    reason: Annotated[RefusalReason | None, typer.Option(help="Why refused.")] = None,
    note: Annotated[str | None, typer.Option()] = None,
    receipt: Annotated[str | None, typer.Option(help="Receipt number (or generated).")] = None,
    recycler: Annotated[str | None, typer.Option(help="Licensed recycler.")] = None,
    licence: Annotated[str | None, typer.Option(help="The recycler's licence.")] = None,
    lang: Lang = "en",
    json_: JsonOption = False,
) -> None:
    """Record one step of a unit's case at a location (a new case without --case)."""
    context = current()
    request = RecordRequest.model_validate({
        "kind": kind, "case_id": case, "brand": brand, "model": model, "serial": serial,
        "batch": batch, "reason": reason, "note": note, "receipt": receipt,
        "recycler": recycler, "recycler_licence": licence,
    })
    found = ops.record(context.database, location, request, context.settings.actor)
    if json_:
        print_json(found.as_json())
    else:
        _render(found, lang)


@app.command("chain")
def chain_command(
    case: Annotated[int | None, typer.Option(help="A case id.")] = None,
    serial: Annotated[str | None, typer.Option(help="A unit's serial.")] = None,
    receipt: Annotated[str | None, typer.Option(help="A receipt number.")] = None,
    lang: Lang = "en",
    json_: JsonOption = False,
) -> None:
    """Every step of a unit's case(s): by case, serial or receipt."""
    if sum(x is not None for x in (case, serial, receipt)) != 1:
        raise InputError("give exactly one of --case, --serial, --receipt")
    cases = ops.chain(current().database, case_id=case, serial=serial, receipt=receipt)
    if json_:
        print_json([c.as_json() for c in cases])
        return
    if not cases:
        console.print("no case")
    for found in cases:
        _render(found, lang)


def _render(case: Case, lang: str) -> None:
    unit = " ".join(x for x in (case.brand, case.model, case.serial and f"SN {case.serial}",
                                case.batch and f"batch {case.batch}") if x)
    state = "open" if case.is_open() else "closed"
    if case.overdue(dt.datetime.now(dt.UTC).date()):
        state = "[red]overdue[/]"
    console.print(f"[bold]case {case.id}[/] at {escape(case.location_id)} "
                  f"{escape(unit)} — {state}")
    for step in case.steps:
        console.print(f"  {step.at.isoformat(timespec='seconds')} "
                      f"{escape(step.text().get(lang))}  [dim]{escape(step.actor)}[/]")


@app.command("report")
def report_command(
    location: str,
    date: Annotated[str | None, typer.Option(help="The UTC day, YYYY-MM-DD (today).")] = None,
    csv: Annotated[bool, typer.Option("--csv", help="Write the report as CSV.")] = False,
    lang: Lang = "en",
    json_: JsonOption = False,
) -> None:
    """A location's daily report: what was done with units, and what is still open.

    Checked, refused by reason, stored, retrieved, abandoned, handed over, and the units
    still stored or overdue."""
    day = parse_date(date, "--date") or dt.datetime.now(dt.UTC).date()
    report = ops.report(current().database, location, day)
    if csv:
        sys.stdout.write(report.csv())
        return
    if json_:
        print_json(report.as_json())
        return
    table = Table(title=f"{report.location.label().get(lang)} — {day}")
    table.add_column("")
    table.add_column("", justify="right")
    for _, _, value, label in report.rows():
        table.add_row(escape(label.get(lang)), str(value))
    console.print(table)
    for title, ids in (("overdue", report.overdue),
                       ("awaiting hand-over", report.awaiting_handover)):
        if ids:
            console.print(f"[red]{title}[/]: cases {', '.join(map(str, ids))}")
