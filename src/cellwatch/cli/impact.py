"""``cellwatch impact``: from a cell maker, a cell lot or a certificate to the exposed
brands, models, batches and units, and which of them are not yet recalled."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Annotated

import typer
from rich.markup import escape

from cellwatch.cli.context import current
from cellwatch.cli.options import parse_date
from cellwatch.cli.output import console, headings, print_json, table_of
from cellwatch.errors import InputError
from cellwatch.impact import Exposure, ImpactReport, impact
from cellwatch.impact.report import ModelOut, Units
from cellwatch.impact.texts import EXPOSURE_TEXT, units_text

_COLOURS = {Exposure.RECALLED: "green", Exposure.UNDECIDED: "yellow",
            Exposure.NOT_RECALLED: "red"}
_RELATIONS = {"parent": "母公司", "subsidiary": "子公司"}


def register(app: typer.Typer) -> None:
    app.command("impact")(impact_command)


def impact_command(
    company: Annotated[
        str | None, typer.Option(help="Start from a company, by any name, alias or former name.")
    ] = None,
    cell_lot: Annotated[str | None, typer.Option(help="Start from a cell lot.")] = None,
    certificate: Annotated[
        str | None, typer.Option(help="Start from a certificate number.")
    ] = None,
    date: Annotated[
        str | None, typer.Option(help="As of this date, YYYY-MM-DD (default today).")
    ] = None,
    what_if_suspended_from: Annotated[
        str | None,
        typer.Option(help="Treat the start company as suspended from this date (YYYY-MM-DD)."),
    ] = None,
    limit: Annotated[
        int, typer.Option(min=1, help="Models shown in the table (the JSON has all).")
    ] = 50,
    lang: Annotated[str, typer.Option(help="Language of the text: en or zh.")] = "en",
    json_: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Which brands, models, batches and units a supplier reaches; which are not yet recalled.

    The units not yet recalled are the exposure gap.

    Give exactly one of --company, --cell-lot, --certificate. Every batch comes with the
    path that reaches it.
    """
    if lang not in ("en", "zh"):
        raise InputError("--lang must be en or zh")
    if sum(bool(x) for x in (company, cell_lot, certificate)) != 1:
        raise InputError("give exactly one of --company, --cell-lot, --certificate")
    report = impact(
        current().registry(), company=company, cell_lot=cell_lot, certificate=certificate,
        date=parse_date(date, "--date") or dt.date.today(),
        what_if_suspended_from=parse_date(what_if_suspended_from, "--what-if-suspended-from"),
    )
    if json_:
        print_json(report.as_json())
    else:
        render(report, lang, limit)


def _units(units: Units, lang: str) -> str:
    """``146,891``; ``? (8 batches)`` when no batch's size is known; ``1,000 + ? (2 batches)``."""
    if not units.unknown_batches:
        return f"{units.known:,}"
    unknown = (f"?（{units.unknown_batches}个批次）" if lang == "zh"
               else f"? ({units.unknown_batches} batches)")
    return f"{units.known:,} + {unknown}" if units.known else unknown


def render(report: ImpactReport, lang: str, limit: int) -> None:
    console.print(f"[bold]{escape(report.headline.get(lang))}[/]")
    console.print(escape(report.certificates.summary.get(lang)))
    zh = lang == "zh"
    h = headings(lang, ("brand", "品牌"), ("model", "型号"), ("batches", "批次"),
                 ("units exposed", "涉及数量"), ("recalled by", "召回"),
                 ("not yet recalled", "尚未召回"))
    table = table_of(*h, keep=(h[1], h[4]), counts=h[2:4],
                     title="影响" if zh else "impact")
    for model in report.models[:limit]:
        gap = model.not_recalled
        gap_text = f"[red]{gap.batches} ({_units(gap.units, lang)})[/]" if gap.batches else "0"
        if model.undecided.batches:
            undecided = EXPOSURE_TEXT[Exposure.UNDECIDED].get(lang)
            gap_text += f" [yellow]+{model.undecided.batches} {undecided}[/]"
        table.add_row(
            escape(model.brand_name.get(lang)), escape(model.model),
            str(model.exposed.batches), _units(model.exposed.units, lang),
            escape("\n".join(model.recalled_by)) or "—", gap_text,
        )
    console.print(table)
    hidden = len(report.models) - limit
    if hidden > 0:
        console.print(f"{hidden} more model(s); --limit or --json to see them")
    console.print(f"[bold]{'路径' if zh else 'paths'}[/]")
    for model in report.models[:limit]:
        _paths(model, lang)
    total = units_text(report.totals.not_recalled.units).get(lang)
    console.print(f"{'尚未召回' if zh else 'not yet recalled'}: {escape(total)}")
    for related in report.related:
        relation = _RELATIONS[related.relation] if zh else related.relation
        console.print(f"[dim]{escape(related.company)} ({relation}): "
                      f"{escape(related.note.get(lang))}[/]")


def _paths(model: ModelOut, lang: str) -> None:
    """One line per distinct route into the model, listing the batches it reaches."""
    routes: dict[tuple[str, ...], list[str]] = defaultdict(list)
    colours: dict[tuple[str, ...], set[Exposure]] = defaultdict(set)
    for batch in model.batches:
        route = tuple(step.text.get(lang) for step in batch.path[:-1])
        routes[route].append(batch.batch)
        colours[route].add(batch.exposure)
    for route, batches in routes.items():
        colour = _COLOURS[max(colours[route], key=list(Exposure).index)]
        shown = ", ".join(batches[:8]) + (f", … ({len(batches)})" if len(batches) > 8 else "")
        label = "批次" if lang == "zh" else "batch(es)"
        line = " → ".join((*route, f"{model.brand_name.get(lang)} {model.model} {label} {shown}"))
        console.print(f"  [{colour}]•[/] {escape(line)}")
