"""``cellwatch signals``: incidents per million units, disproportionality, and the ranked
inspection list of cell makers and models (docs/signals.md)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from cellwatch.cli.context import current
from cellwatch.cli.options import parse_date
from cellwatch.cli.output import console, headings, print_json, table_of
from cellwatch.errors import InputError
from cellwatch.signals import SignalReport, signals
from cellwatch.signals.exposure import BASIS_TEXT


def register(app: typer.Typer) -> None:
    app.command("signals")(signals_command)


def signals_command(
    since: Annotated[
        str | None, typer.Option(help="Only incidents from this date on (YYYY-MM-DD).")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option(help="Certificate status at this date (default today).")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="Rows per table (the JSON has all).")] = 15,
    lang: Annotated[str, typer.Option(help="Language of the text: en or zh.")] = "en",
    json_: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Where to look next: incident rates, disproportionality signals, the inspection list.

    Incident rates with their denominators, PRR/ROR/χ² signals (PRR ≥ 2, χ² ≥ 4, N ≥ 3),
    and the inspection list, each row explaining its score."""
    if lang not in ("en", "zh"):
        raise InputError("--lang must be en or zh")
    report = signals(current().registry(), since=parse_date(since, "--since"),
                     as_of=parse_date(as_of, "--as-of"))
    if json_:
        print_json(report.as_json())
    else:
        render(report, lang, limit)


def render(report: SignalReport, lang: str, limit: int) -> None:
    zh = lang == "zh"
    h = headings(lang, ("id", "编号"), ("date", "日期"), ("severity", "严重程度"),
               ("counted", "计入方式"))
    incidents = table_of(*h, keep=h[:2],
                         title="事件" if zh else f"incidents ({len(report.attributions)})")
    for a in report.attributions[:limit]:
        severity = a.incident.severity.value if a.incident.severity else "—"
        incidents.add_row(escape(a.incident.id), str(a.incident.date), severity,
                          escape(a.explain().get(lang)))
    console.print(incidents)
    h = headings(lang, ("group", "分组"), ("name", "名称"), ("incidents", "事件数"),
               ("units", "数量"), ("per million", "每百万件"), ("denominator", "分母"))
    rates = table_of(*h, keep=h[1:2], counts=h[2:5],
                     title="每百万件事件数" if zh else "incidents per million units")
    shown = [r for kind in ("model", "batch", "cell_maker", "brand") for r in report.rates[kind]]
    for rate in [*shown, *report.recall_rates][:limit]:
        rates.add_row(
            rate.group_kind, escape(rate.group), str(rate.incidents),
            f"{rate.units.count:,}" if rate.units.count else "?",
            f"{rate.per_million:,.2f}" if rate.per_million is not None else "—",
            BASIS_TEXT[rate.units.basis].get(lang),
        )
    console.print(rates)
    if not report.disproportionality:
        console.print("没有可归属于电芯厂或型号的事件，无法进行不成比例分析" if zh else
                      "disproportionality: no incident is attributed to a cell maker or model")
    h = headings(lang, ("group", "分组"), ("event", "事件"), ("a", "a"), ("b", "b"), ("c", "c"),
               ("d", "d"), ("PRR", "PRR"), ("ROR", "ROR"), ("χ²", "χ²"), ("signal", "信号"))
    measures = table_of(*h, keep=h[:1], counts=h[2:9],
                        title="不成比例分析" if zh else "disproportionality (χ² with Yates)")
    for m in report.disproportionality[:limit]:
        t = m.table
        measures.add_row(
            escape(m.group), m.event.value, str(t.a), str(t.b), str(t.c), str(t.d),
            _num(m.prr), _num(m.ror), _num(m.chi2),
            ("[red]是[/]" if zh else "[red]yes[/]") if m.signal else "",
        )
    if report.disproportionality:
        console.print(measures)
    h = headings(lang, ("#", "#"), ("kind", "类别"), ("name", "名称"), ("score", "得分"),
               ("why", "理由"))
    ranked = table_of(*h, counts=(h[0], h[3]), title="检查优先名单" if zh else "inspection list")
    for i, row in enumerate(report.inspection[:limit], start=1):
        why = "\n".join(f"+{r.points:g} {r.text.get(lang)}" for r in row.reasons)
        ranked.add_row(str(i), row.subject.kind, escape(row.subject.name.get(lang)),
                       f"{row.score:g}", escape(why))
    console.print(ranked)


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"
