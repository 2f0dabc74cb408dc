"""``cellwatch claims``: list, show, move and erase recall claims; recall effectiveness.

The command line acts as the operator of the database (a regulator): it sees every claim.
Contact details are shown by ``show`` only, never by ``list`` or its JSON.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from cellwatch.claims.workflow import ClaimState, RejectReason
from cellwatch.cli.context import current
from cellwatch.cli.output import console, print_json, table_of
from cellwatch.fieldops import claims as ops

app = typer.Typer(help="Recall claims and recall effectiveness.", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _operator() -> ops.Handler:
    return ops.Handler(current().settings.actor)


@app.command("list")
def list_command(
    recall: Annotated[str | None, typer.Option(help="Only claims on this recall.")] = None,
    state: Annotated[ClaimState | None, typer.Option(help="Only claims in this state.")] = None,
    limit: Annotated[int, typer.Option(min=0, max=1000)] = 50,
    skip: Annotated[int, typer.Option(min=0)] = 0,
    json_: JsonOption = False,
) -> None:
    """Claims, newest first (no contact details)."""
    context = current()
    found, total = ops.listing(context.database, context.registry(), _operator(),
                               recall_id=recall, state=state, limit=limit, skip=skip)
    if json_:
        print_json({"total": total, "results": [claim.public() for claim in found]})
        return
    table = table_of("id", "recall", "model", "serial", "remedy", "state", "created",
                     keep=("id", "created"), title=f"claims ({total})")
    for claim in found:
        table.add_row(claim.id, escape(claim.recall_id), escape(f"{claim.brand} {claim.model}"),
                      escape(claim.serial), claim.remedy.value, claim.state.value,
                      claim.created_at.date().isoformat())
    console.print(table)


@app.command("show")
def show_command(claim_id: str, json_: JsonOption = False) -> None:
    """One claim with its contact (unless erased) and every step."""
    context = current()
    claim = ops.show(context.database, context.registry(), _operator(), claim_id)
    value = claim.private()
    if json_:
        print_json(value)
        return
    console.print(f"[bold]{claim.id}[/] {escape(claim.brand)} {escape(claim.model)} "
                  f"SN {escape(claim.serial)} — {escape(claim.recall_id)}")
    console.print(f"state: {claim.state.value} ({value['state_text']['en']} / "
                  f"{value['state_text']['zh']}); remedy: {claim.remedy.value}; "
                  f"photos: {claim.photos}")
    if claim.contact is not None:
        contact = claim.contact
        console.print(f"contact: {escape(contact.name)} {escape(contact.email or '')} "
                      f"{escape(contact.phone or '')}")
    elif claim.erased_at is not None:
        console.print(f"contact: erased {claim.erased_at.isoformat(timespec='seconds')}")
    for step in claim.steps:
        reason = f" ({step.reason.value})" if step.reason else ""
        console.print(f"  {step.at.isoformat(timespec='seconds')} {step.state.value}{reason} "
                      f"by {escape(step.actor)}{': ' + escape(step.note) if step.note else ''}")


@app.command("move")
def move_command(
    claim_id: str,
    to: ClaimState,
    reason: Annotated[RejectReason | None, typer.Option(help="Required to reject.")] = None,
    note: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Move a claim: submitted → approved → remedy_sent → completed, or rejected."""
    context = current()
    claim = ops.move(context.database, context.registry(), _operator(), claim_id, to,
                     reason=reason, note=note)
    console.print(f"claim {claim.id} is {claim.state.value}")


@app.command("erase")
def erase_command(claim_id: str) -> None:
    """Erase the claimant's contact and photos on request; the anonymous claim stays."""
    context = current()
    claim = ops.erase(context.database, context.registry(), _operator(), claim_id)
    console.print(f"claim {claim.id}: contact and photos erased; it still counts as "
                  f"{claim.state.value}")


@app.command("effectiveness")
def effectiveness_command(
    recall: str,
    lang: Annotated[str, typer.Option(help="en or zh.")] = "en",
    json_: JsonOption = False,
) -> None:
    """Claims and completions against the recalled units, month by month.

    Beside the figures an authority published, where it did."""
    context = current()
    found = ops.recall_effectiveness(context.database, context.registry(), recall)
    if json_:
        print_json(found.as_json())
        return
    console.print(f"[bold]{escape(recall)}[/]: {escape(found.summary.get(lang))}")
    counts = ("month", "submitted", "completed", "submitted total", "completed total",
              "claimed %", "completed %")
    table = table_of(*counts, counts=counts, title="by month")
    for month in found.months:
        table.add_row(month.month, str(month.submitted), str(month.completed),
                      str(month.submitted_total), str(month.completed_total),
                      _pct(month.claimed_share), _pct(month.completed_share))
    console.print(table)
    for figure in found.reported:
        console.print(f"reported: {escape(figure.text.get(lang))} "
                      f"[dim]({', '.join(figure.sources)})[/]")


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"
