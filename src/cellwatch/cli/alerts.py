"""``cellwatch events``, ``cellwatch watch …`` and ``cellwatch worker``: the change feed,
watches and the alert worker that delivers them to webhooks."""

from __future__ import annotations

import csv
import datetime as dt
import signal
import threading
from pathlib import Path
from typing import Annotated, Any

import typer

from cellwatch.alerts import signing
from cellwatch.alerts.watches import MAX_UNITS, watch_subjects, watch_unit, webhook_url
from cellwatch.alerts.worker import Worker
from cellwatch.cli.context import current
from cellwatch.cli.output import console, print_json, table_of
from cellwatch.domain.events import EventType
from cellwatch.errors import InputError
from cellwatch.store import events as event_store
from cellwatch.store import watches as watch_store
from cellwatch.store.events import EventFilter

watch_app = typer.Typer(help="Watches: who hears of which recalls, certificates, incidents.",
                        no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
TypeOption = Annotated[
    list[EventType] | None, typer.Option("--type", help="Only this event type (repeatable).")
]
BrandOption = Annotated[list[str] | None, typer.Option("--brand", help="A brand (repeatable).")]
ModelOption = Annotated[
    list[str] | None, typer.Option("--model", help="A model as brand/model (repeatable).")
]
CompanyOption = Annotated[
    list[str] | None,
    typer.Option("--company", help="A company; a cell maker counts for every model its cells "
                 "reach (repeatable)."),
]


def register(app: typer.Typer) -> None:
    app.command("events")(events_command)
    app.add_typer(watch_app, name="watch")
    app.command("worker")(worker_command)


def events_command(
    since: Annotated[int, typer.Option(min=0, help="Only events after this id.")] = 0,
    types: TypeOption = None,
    brand: BrandOption = None,
    model: ModelOption = None,
    company: CompanyOption = None,
    limit: Annotated[int, typer.Option(min=1, max=event_store.MAX_PAGE)] = 100,
    json_: JsonOption = False,
) -> None:
    """The change feed: recalls, certificate status changes and incidents, oldest first.

    Recalls published and revised, certificate status changes and incidents, from the
    event after --since."""
    context = current()
    subjects = watch_subjects(context.registry(), brand or (), model or (), company or ())
    wanted = EventFilter(since=since, types=frozenset(types or ()), subjects=subjects)
    with context.database.connect() as connection:
        found = event_store.read(connection, wanted, limit)
    if json_:
        print_json({"events": [e.as_json() for e in found],
                    "next": found[-1].id if found else since})
        return
    table = table_of("id", "at (UTC)", "type", "title", keep=("id", "at (UTC)"))
    for event in found:
        at = event.at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")
        table.add_row(str(event.id), at, event.type.value, event.title.en)
    console.print(table)
    if not found:
        console.print(f"no events after {since}")


@watch_app.command("add")
def add(
    url: Annotated[str, typer.Option(help="The webhook to POST matching events to.")],
    name: Annotated[str, typer.Option(help="A name for the watch.")] = "watch",
    brand: BrandOption = None,
    model: ModelOption = None,
    company: CompanyOption = None,
    inventory: Annotated[
        Path | None,
        typer.Option(exists=True, dir_okay=False,
                     help="A CSV of units (brand, model, serial, batch, produced, label)."),
    ] = None,
    types: TypeOption = None,
    json_: JsonOption = False,
) -> None:
    """Make a watch and print its webhook secret (shown this once)."""
    context = current()
    units = tuple(_inventory(inventory)) if inventory else ()
    subjects = watch_subjects(context.registry(), brand or (), model or (), company or ())
    if not subjects and not units:
        raise InputError("a watch needs at least one --brand, --model, --company or --inventory")
    spec = watch_store.WatchSpec(
        name=name, url=webhook_url(url), secret=signing.new_secret(),
        types=frozenset(types or ()), subjects=subjects, units=units,
    )
    with context.database.unit_of_work(context.settings.actor) as uow:
        watch_id = watch_store.create(uow, spec)
    if json_:
        print_json({"id": watch_id, "secret": spec.secret})
        return
    console.print(f"watch {watch_id} ({name}) made: {len(subjects)} subject(s), "
                  f"{len(units)} unit(s) → {spec.url}")
    console.print("Its signing secret, shown only now (verify X-Cellwatch-Signature with it):")
    console.print(spec.secret, highlight=False, soft_wrap=True)


def _inventory(path: Path) -> list[Any]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    if not rows:
        raise InputError(f"{path}: no units (a header line and one line per unit)")
    if len(rows) > MAX_UNITS:
        raise InputError(f"{path}: {len(rows):,} units; a watch lists at most {MAX_UNITS:,}")
    return [watch_unit(line, row) for line, row in enumerate(rows, start=2)]


@watch_app.command("list")
def list_command(
    removed: Annotated[bool, typer.Option(help="Include removed watches.")] = False,
    json_: JsonOption = False,
) -> None:
    """Every watch with its deliveries by status."""
    context = current()
    with context.database.connect() as connection:
        found = [w.as_json() for w in watch_store.listing(connection, include_removed=removed)]
    if json_:
        print_json(found)
        return
    table = table_of("id", "name", "owner", "url", "watches", "delivered", "waiting", "failed",
                     keep=("id",), counts=("delivered", "waiting", "failed"))
    for watch in found:
        what = [*watch["brands"], *watch["models"], *watch["companies"]]
        if watch["units"]:
            what.append(f"{watch['units']} units")
        counts = watch["deliveries"]
        table.add_row(str(watch["id"]), watch["name"], watch["owner"], watch["url"],
                      ", ".join(what), str(counts["delivered"]),
                      str(counts["pending"] + counts["sending"]), str(counts["failed"]))
    console.print(table)


@watch_app.command("remove")
def remove(watch_id: Annotated[int, typer.Argument(help="The watch's id.")]) -> None:
    """Stop a watch; deliveries still queued for it are dropped."""
    context = current()
    with context.database.unit_of_work(context.settings.actor) as uow:
        watch_store.remove(uow, watch_id, lambda stored: True)
    console.print(f"watch {watch_id} removed")


@watch_app.command("deliveries")
def deliveries(
    watch_id: Annotated[int, typer.Argument(help="The watch's id.")],
    status: Annotated[str | None, typer.Option(help="pending, sending, delivered or failed.")]
    = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
    json_: JsonOption = False,
) -> None:
    """A watch's deliveries, newest first, with the webhook's last answer or error."""
    context = current()
    with context.database.connect() as connection:
        watch_store.get(connection, watch_id)
        found = watch_store.delivery_listing(connection, watch_id, status, limit)
    if json_:
        print_json(found)
        return
    table = table_of("id", "event", "type", "status", "attempts", "last answer", "due",
                     keep=("status",), counts=("id", "event", "attempts"))
    for row in found:
        answer = row["last_error"] or (str(row["last_status"]) if row["last_status"] else "")
        table.add_row(str(row["id"]), str(row["event"]), row["type"], row["status"],
                      str(row["attempts"]), answer, row["due_at"] or "")
    console.print(table)


def worker_command(
    once: Annotated[bool, typer.Option("--once", help="One round, then exit.")] = False,
    json_: JsonOption = False,
) -> None:
    """Deliver matching events to the watches' webhooks until stopped (Ctrl-C).

    Several workers may run against one PostgreSQL database: none delivers what another
    holds. Settings: CELLWATCH_WEBHOOK_TIMEOUT, _WEBHOOK_ATTEMPTS, _WEBHOOK_BACKOFF_SECONDS,
    _WORKER_POLL_SECONDS.
    """
    context = current()
    worker = Worker(context.database, context.settings)
    try:
        if once:
            report = worker.run_once()
            if json_:
                print_json(vars(report))
            else:
                console.print(f"queued {report.queued}, delivered {report.delivered}, "
                              f"retrying {report.retried}, failed {report.failed}")
            return
        stop = threading.Event()
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, lambda *_: stop.set())
        console.print(f"alert worker {worker.name} running; Ctrl-C stops it")
        worker.run(stop)
    finally:
        worker.close()
