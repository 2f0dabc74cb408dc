"""``cellwatch incidents``: report an incident, list incidents, and decide on reports held
back as likely duplicates (merge, keep separate, reject)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from cellwatch.cli.context import current
from cellwatch.cli.output import console, print_json, table_of
from cellwatch.domain import search
from cellwatch.domain.incidents import Mode, Severity
from cellwatch.fieldops import incidents as ops
from cellwatch.incidents.intake import IncidentReport
from cellwatch.store.incident_reports import HeldState

app = typer.Typer(help="Incident intake and duplicates.", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
NoteOption = Annotated[str | None, typer.Option(help="Why, for the record.")]


@app.command("report")
def report_command(
    date: Annotated[str, typer.Option(help="YYYY, YYYY-MM or YYYY-MM-DD.")],
    mode: Annotated[Mode, typer.Option(help="air, airport, rail, metro, home, vehicle, other.")],
    source: Annotated[list[str], typer.Option(help="Id of a registry source (repeatable).")],
    place: Annotated[str | None, typer.Option()] = None,
    flight: Annotated[str | None, typer.Option()] = None,
    brand: Annotated[str | None, typer.Option(help="By any name, alias or former name.")] = None,
    model: Annotated[str | None, typer.Option(help="Model code or marketing name.")] = None,
    serial: Annotated[str | None, typer.Option()] = None,
    batch: Annotated[str | None, typer.Option()] = None,
    severity: Annotated[Severity | None, typer.Option()] = None,
    injuries: Annotated[int | None, typer.Option(min=0)] = None,
    damage: Annotated[str | None, typer.Option()] = None,
    description: Annotated[str | None, typer.Option(help="The narrative.")] = None,
    id_: Annotated[str | None, typer.Option("--id", help="Id (made up if not given).")] = None,
    json_: JsonOption = False,
) -> None:
    """Report an incident: stored, or held back when it resembles a stored one."""
    context = current()
    request = IncidentReport.model_validate({
        "id": id_, "date": date, "mode": mode, "place": place, "flight": flight,
        "brand": brand, "model": model, "serial": serial, "batch": batch,
        "severity": severity, "injuries": injuries, "damage": damage,
        "description": description, "sources": source,
    })
    intake = ops.report(context.database, context.registry(), request, context.settings.actor)
    if json_:
        print_json(intake.as_json())
    elif intake.held is not None:
        console.print(
            f"held as report {intake.held.id}: a likely duplicate of "
            f"{escape(intake.held.existing_id)} ({', '.join(intake.held.reasons)}); "
            f"decide with 'cellwatch incidents merge|separate|reject {intake.held.id}'"
        )
    else:
        console.print(f"stored incident {escape(intake.incident.id)} "
                      f"(registry version {intake.registry_version})")


@app.command("list")
def list_command(
    search_: Annotated[str | None, typer.Option("--search", help="Free text.")] = None,
    brand: Annotated[str | None, typer.Option()] = None,
    severity: Annotated[Severity | None, typer.Option()] = None,
    limit: Annotated[int, typer.Option(min=0, max=search.MAX_LIMIT)] = 50,
    json_: JsonOption = False,
) -> None:
    """Incidents in the registry, newest first."""
    page = search.incidents(current().registry(), search=search_, brand=brand,
                            severity=severity, limit=limit)
    if json_:
        print_json({"total": page.total, "results": [i.canonical() for i in page.items]})
        return
    table = table_of("id", "date", "mode", "flight", "brand", "model", "severity", "injuries",
                     keep=("id", "date"), counts=("injuries",),
                     title=f"incidents ({page.total})")
    for i in page.items:
        table.add_row(escape(i.id), str(i.date), i.mode.value, escape(i.flight or ""),
                      escape(i.brand or ""), escape(i.model or ""),
                      i.severity.value if i.severity else "",
                      "" if i.injuries is None else str(i.injuries))
    console.print(table)


@app.command("duplicates")
def duplicates_command(
    state: Annotated[HeldState, typer.Option(help="pending, merged, separate, rejected.")] = (
        HeldState.PENDING
    ),
    limit: Annotated[int, typer.Option(min=0, max=1000)] = 50,
    json_: JsonOption = False,
) -> None:
    """Reports held back as likely duplicates."""
    found, total = ops.held(current().database, state=state, limit=limit)
    if json_:
        print_json({"total": total, "results": [held.as_json() for held in found]})
        return
    table = table_of("report", "resembles", "why", "date", "flight", "serial", "reported by",
                     keep=("resembles", "date"), counts=("report",),
                     title=f"{state.value} reports ({total})")
    for held in found:
        incident = held.incident
        table.add_row(str(held.id), escape(held.existing_id), ", ".join(held.reasons),
                      str(incident.date), escape(incident.flight or ""),
                      escape(incident.serial or ""), escape(held.reported_by))
    console.print(table)


@app.command("merge")
def merge_command(report: int, note: NoteOption = None) -> None:
    """Fold a held report into the incident it resembles."""
    context = current()
    incident = ops.merge(context.database, report, context.settings.actor, note=note)
    console.print(f"merged report {report} into {escape(incident.id)}")


@app.command("separate")
def separate_command(report: int, note: NoteOption = None) -> None:
    """Store a held report as an incident of its own."""
    context = current()
    incident = ops.keep_separate(context.database, report, context.settings.actor, note=note)
    console.print(f"stored report {report} as incident {escape(incident.id)}")


@app.command("reject")
def reject_command(report: int, note: NoteOption = None) -> None:
    """Discard a held report."""
    context = current()
    ops.reject(context.database, report, context.settings.actor, note=note)
    console.print(f"rejected report {report}")
