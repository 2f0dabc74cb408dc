"""``cellwatch screen``: an inventory file against the registry; ``cellwatch synth inventory``.

Exit 0 when the screen ran (whatever it found, and even with bad rows, which are in the
errors file); 2 for unusable input (unknown columns, unreadable or empty file).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cellwatch.cli.context import current
from cellwatch.cli.options import parse_date
from cellwatch.cli.output import console, print_json
from cellwatch.domain.registry import RegistryData
from cellwatch.errors import InputError
from cellwatch.screen import ScreenOptions, Summary, parse_overrides, screen
from cellwatch.synth.inventory import write_inventory
from cellwatch.synth.registry import Size, generate

synth_app = typer.Typer(help="Generate labelled synthetic data for benchmarks and demos.",
                        no_args_is_help=True)

_STATUS_COLOURS = {
    "recalled": "red", "possibly_recalled": "yellow", "not_recalled": "green",
    "unknown_model": "blue",
}


def register(app: typer.Typer) -> None:
    app.command("screen")(screen_command)
    app.add_typer(synth_app, name="synth")


def screen_command(
    input: Annotated[Path, typer.Argument(help="Inventory: .csv/.tsv (UTF-8 or GB18030), "
                                               ".parquet or .xlsx.")],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o",
        help="Output .csv or .parquet (default: INPUT.screened.csv, or .parquet for Parquet).",
    )] = None,
    date: Annotated[str | None, typer.Option(
        help="Screen as of this date, YYYY-MM-DD (default today).")] = None,
    map_: Annotated[list[str] | None, typer.Option(
        "--map", help="COLUMN=FIELD, FIELD one of brand, model, serial, batch, produced, "
                      "certificate (repeat it).")] = None,
    threads: Annotated[int | None, typer.Option(
        min=1, max=256, help="DuckDB threads (default: every core).")] = None,
    memory_limit: Annotated[str, typer.Option(
        help="DuckDB's memory, e.g. 2GB or 500MB (it spills to disk beyond).")] = "2GB",
    json_: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Screen every unit of an inventory against every recall and certificate.

    The output is the input with the check's answers added to every row; rows the check
    would refuse are listed with their line numbers in OUTPUT.errors.csv.
    """
    options = ScreenOptions(
        date=parse_date(date, "--date") or dt.date.today(),
        overrides=parse_overrides(map_ or []), output=output,
        threads=threads, memory_limit=memory_limit,
    )
    registry = current().registry()
    if json_:
        print_json(screen(input, registry, options).as_json())
        return
    with Progress(
        TextColumn("[bold]{task.description:<16}"), BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn(), console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("read", total=1)

        def progress(stage: str, step: int, steps: int) -> None:
            bar.update(task, description=stage, completed=step, total=steps)

        summary = screen(input, registry, options, progress)
    render(summary)


def render(summary: Summary) -> None:
    console.print(
        f"[bold]screened {summary.screened:,} of {summary.rows:,} rows as of {summary.date}[/] "
        f"(registry version {summary.registry_version})"
    )
    table = Table()
    table.add_column("recall status")
    table.add_column("units", justify="right")
    for status, count in summary.statuses.items():
        table.add_row(f"[{_STATUS_COLOURS[status]}]{status}[/]", f"{count:,}")
    console.print(table)
    for title, rows in (
        ("certificate status", summary.certificates.items()),
        ("advisories", summary.advisories.items()),
        ("top brands (recalled or possibly recalled)", summary.top_brands),
        ("top models (recalled or possibly recalled)", summary.top_models),
    ):
        listed = list(rows)
        if not listed:
            continue
        part = Table(title=title)
        part.add_column(title.split(" (")[0])
        part.add_column("units", justify="right")
        for name, count in listed:
            part.add_row(str(name), f"{count:,}")
        console.print(part)
    console.print(f"output: {summary.output}", highlight=False)
    errors = f"{summary.bad_rows:,} bad row(s) in {summary.errors}" if summary.bad_rows else (
        f"no bad rows ({summary.errors})"
    )
    console.print(errors, highlight=False)
    console.print(
        f"{summary.seconds:.1f} s, {summary.rows_per_second:,.0f} rows/s "
        f"({summary.kind}{', ' + summary.encoding if summary.encoding else ''})",
        highlight=False,
    )


_REGISTRIES = {"demo": Size.demo, "large": Size}


@synth_app.command("inventory")
def inventory_command(
    rows: Annotated[int, typer.Option(min=1, max=100_000_000, help="How many rows.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="A .csv or .parquet file.")]
    = Path("inventory.synthetic.csv"),
    registry: Annotated[str, typer.Option(
        help="Draw from: current (the configured registry), demo or large (the synthetic "
             "registries of `synth.registry`)."
    )] = "current",
    seed: Annotated[int, typer.Option(help="Seed: the same seed writes the same rows.")] = 2025,
) -> None:
    """Write a labelled synthetic inventory drawn from a registry's models and batches."""
    data: RegistryData
    if registry == "current":
        data = current().registry().data
    elif registry in _REGISTRIES:
        data = generate(_REGISTRIES[registry](), seed)
    else:
        raise InputError(f"--registry {registry!r}: one of current, demo, large")
    count = write_inventory(data, rows, output, seed)
    console.print(f"wrote {count:,} synthetic rows to {output}", highlight=False)
