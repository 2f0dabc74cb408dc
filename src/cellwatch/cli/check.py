"""``cellwatch check``: one unit, one trip → a verdict with reasons (a stable contract).

Exit 0 for any verdict; non-zero only for bad input, with a one-line error.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.panel import Panel
from rich.table import Table

from cellwatch.check import CheckResult, Device, Trip, check
from cellwatch.check.words import (
    BAGGAGE_WORDS,
    CERTIFICATE_WORDS,
    FACT_WORDS,
    RECALL_WORDS,
    VERDICT_WORDS,
    word,
)
from cellwatch.cli.context import current
from cellwatch.cli.output import console, marked, print_json, validation_message
from cellwatch.errors import InputError
from cellwatch.rules.facts import Baggage, Mark, RecallStatus, Verdict

_COLOURS = {
    Verdict.ALLOWED: "green",
    Verdict.CONDITIONAL: "yellow",
    Verdict.NEEDS_INFO: "blue",
    Verdict.FORBIDDEN: "red",
}


def register(app: typer.Typer) -> None:
    app.command("check")(check_command)


def check_command(
    brand: Annotated[str | None, typer.Option(help="Brand, by any name.")] = None,
    model: Annotated[str | None, typer.Option(help="Model code or marketing name.")] = None,
    serial: Annotated[str | None, typer.Option(help="Serial number (SN).")] = None,
    batch: Annotated[str | None, typer.Option(help="Batch code.")] = None,
    produced: Annotated[
        str | None, typer.Option(help="Production date, YYYY-MM or YYYY-MM-DD.")
    ] = None,
    capacity_mah: Annotated[int | None, typer.Option(help="Cell capacity in mAh.")] = None,
    voltage: Annotated[float | None, typer.Option(help="Cell nominal voltage in V.")] = None,
    energy_wh: Annotated[float | None, typer.Option(help="Rated energy in Wh.")] = None,
    ccc_mark: Annotated[Mark, typer.Option(help="Is the 3C mark on the unit?")] = Mark.UNKNOWN,
    ccc_certificate: Annotated[
        str | None, typer.Option(help="3C certificate number printed on the unit.")
    ] = None,
    rules: Annotated[
        str, typer.Option(help="Rule pack(s), comma-separated (see `cellwatch rules list`).")
    ] = "cn-caac",
    date: Annotated[str | None, typer.Option(help="Trip date, YYYY-MM-DD (default today).")] = None,
    baggage: Annotated[Baggage, typer.Option(help="carry_on or checked.")] = Baggage.CARRY_ON,
    count: Annotated[int, typer.Option(help="How many power banks are carried.")] = 1,
    lang: Annotated[str, typer.Option(help="Language of the text: en or zh.")] = "en",
    json_: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Is this power bank recalled, certified, and may it go on this trip?"""
    if lang not in ("en", "zh"):
        raise InputError("--lang must be en or zh")
    try:
        device = Device(
            brand=brand, model=model, serial=serial, batch=batch, produced=produced,
            capacity_mah=capacity_mah, voltage_v=voltage, energy_wh=energy_wh,
            ccc_mark=ccc_mark, ccc_certificate=ccc_certificate,
        )
        trip = Trip(
            rules=rules, date=date or dt.date.today(), baggage=baggage, count=count
        )
    except ValidationError as error:
        raise InputError(validation_message(error).replace("--voltage-v", "--voltage")) from None
    result = check(device, trip, current().registry())
    if json_:
        print_json(result.as_json())
    else:
        render(result, lang)


def render(result: CheckResult, lang: str) -> None:
    """The result as a Rich panel and table, every word in ``lang`` (en or zh)."""
    def say(key: str) -> str:
        return word(_LABELS, key, lang)

    colour = _COLOURS[result.verdict]
    device = result.device
    brand = device.brand_name.get(lang) if device.brand_name else (device.brand or "?")
    title = f"{brand} {device.model or ''}".strip() if device.known else (
        word(RECALL_WORDS, RecallStatus.UNKNOWN_MODEL, lang)
    )
    lines = [f"[bold {colour}]{result.verdict_text.get(lang).upper()}[/]  ({result.verdict.value})"]
    lines.append(
        f"{say('rules')}: {', '.join(result.rules)} · {result.date} · "
        f"{word(BAGGAGE_WORDS, Baggage(result.baggage), lang)} · ×{result.count}"
    )
    recall = result.recall
    recall_line = f"{say('recall')}: {word(RECALL_WORDS, recall.status, lang)}"
    if recall.recalls:
        recall_line += " — " + ", ".join(r.id for r in recall.recalls)
    if recall.missing:
        recall_line += f" — {say('read_off')}: "
        recall_line += ", ".join(word(FACT_WORDS, fact, lang) for fact in recall.missing)
    lines.append(recall_line)
    certificate = result.certificate
    number = f" ({certificate.number})" if certificate.number else ""
    lines.append(
        f"{say('certificate')}: {word(CERTIFICATE_WORDS, certificate.status, lang)}{number}"
    )
    energy = result.energy
    wh = "?" if energy.wh is None else f"{energy.wh:g} Wh"
    lines.append(f"{say('energy')}: {wh} ({energy.explanation.get(lang)})")
    console.print(Panel("\n".join(lines), title=title, border_style=colour))
    if result.reasons:
        table = Table(title=say("why"))
        table.add_column(say("rule"), no_wrap=True)
        table.add_column(say("verdict"), no_wrap=True)
        table.add_column(say("reason"), overflow="fold")  # Chinese: no spaces to wrap at
        for reason in result.reasons:
            table.add_row(
                reason.rule_id, word(VERDICT_WORDS, reason.verdict, lang), reason.reason.get(lang)
            )
        console.print(table)
    for group in (
        [("•", hint.get(lang)) for hint in recall.hints],
        [(f"[yellow]{say('condition')}:[/]", condition.text.get(lang))
         for condition in result.conditions],
        [("[cyan]![/]", f"{advisory.code}: {advisory.message.get(lang)}")
         for advisory in result.advisories],
        [("[bold]→[/]", " ".join([action.text.get(lang), *action.links]))
         for action in result.actions],
    ):
        if group:
            console.print(marked(group))


_LABELS = {
    "rules": ("rules", "规则"),
    "recall": ("recall", "召回"),
    "read_off": ("read off the unit", "请从充电宝上查看"),
    "certificate": ("3C certificate", "3C证书"),
    "energy": ("energy", "能量"),
    "why": ("why", "原因"),
    "rule": ("rule", "规则"),
    "verdict": ("verdict", "结论"),
    "reason": ("reason", "理由"),
    "condition": ("condition", "条件"),
}
