"""``cellwatch rules``: list the carriage rule packs and show one."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from cellwatch.cli.output import console, print_json, table_of
from cellwatch.rules.clauses import describe
from cellwatch.rules.engine import get_pack, load_packs
from cellwatch.rules.packs import RulePack

app = typer.Typer(help="Carriage rule packs: what may go by air, rail or courier.",
                  no_args_is_help=True)


class Lang(StrEnum):
    EN = "en"
    ZH = "zh"


JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
LangOption = Annotated[Lang, typer.Option("--lang", help="Language of the texts.")]


def _summary(pack: RulePack) -> dict[str, Any]:
    return {
        "id": pack.id,
        "title": pack.title.model_dump(),
        "mode": pack.mode.value,
        "applies_to": pack.applies_to.model_dump(),
        "includes": list(pack.includes),
        "rules": len(pack.rules),
        "conditions": len(pack.conditions),
    }


@app.command("list")
def list_packs(json_: JsonOption = False) -> None:
    """List the rule packs: id, title, mode, what they apply to, number of rules."""
    packs = list(load_packs().values())
    if json_:
        print_json([_summary(pack) for pack in packs])
        return
    table = table_of("id", "title", "mode", "applies to", "includes", "rules", "conditions",
                     keep=("id", "mode"), counts=("rules", "conditions"))
    for pack in packs:
        table.add_row(
            pack.id, escape(f"{pack.title.en}\n{pack.title.zh}"), pack.mode.value,
            escape(pack.applies_to.en), ", ".join(pack.includes),
            str(len(pack.rules)), str(len(pack.conditions)),
        )
    console.print(table)


def _detail(pack: RulePack) -> dict[str, Any]:
    data = pack.model_dump(mode="json", by_alias=True, exclude_none=True)
    for rule, dumped in zip(pack.rules, data["rules"], strict=True):
        dumped["when_text"] = {"en": describe(rule.when), "zh": describe(rule.when, "zh")}
    return data


@app.command("show")
def show(
    pack: Annotated[str, typer.Argument(help="Pack id, e.g. cn-caac.")],
    lang: LangOption = Lang.EN,
    json_: JsonOption = False,
) -> None:
    """Show one pack: its rules (condition, verdict, dates) and the conditions of carriage."""
    rule_pack = get_pack(pack)
    if json_:
        print_json(_detail(rule_pack))
        return
    code = lang.value
    console.print(f"[bold]{escape(rule_pack.title.get(code))}[/]  ({rule_pack.id})")
    if code == "zh":
        console.print(escape(rule_pack.title.en))
    label = "适用范围：" if code == "zh" else "applies to: "
    console.print(f"{label}{escape(rule_pack.applies_to.get(code))} · {rule_pack.mode.value}")
    if rule_pack.includes:
        label = "同时适用：" if code == "zh" else "includes: "
        console.print(label + ", ".join(rule_pack.includes))
    if rule_pack.rules:
        console.print(_rules_table(rule_pack, code))
    if rule_pack.conditions:
        console.print(_conditions_table(rule_pack, code))
    for source in rule_pack.sources:
        console.print(f"source: {escape(source.title)} — {escape(source.url)}", soft_wrap=True)


def _rules_table(pack: RulePack, lang: str) -> Table:
    zh = lang == "zh"
    table = Table(title="规则" if zh else "rules", show_lines=True)
    table.add_column("编号" if zh else "id", overflow="fold")
    table.add_column("规则与条件" if zh else "rule and when", ratio=1, overflow="fold")
    table.add_column("结论" if zh else "verdict", no_wrap=True)
    table.add_column("生效" if zh else "in force")
    for rule in pack.rules:
        when = describe(rule.when, lang)
        table.add_row(
            _local(pack, rule.id),
            f"{escape(rule.title.get(lang))}\n[dim]{'条件：' if zh else 'when: '}{escape(when)}[/]",
            rule.verdict.label(lang) if zh else rule.verdict.value,
            rule.in_force.describe(lang),
        )
    return table


def _conditions_table(pack: RulePack, lang: str) -> Table:
    zh = lang == "zh"
    table = Table(title="携带条件" if zh else "conditions", show_lines=True)
    table.add_column("编号" if zh else "id", overflow="fold")
    table.add_column("条件" if zh else "condition", ratio=1, overflow="fold")
    table.add_column("生效" if zh else "in force")
    for condition in pack.conditions:
        table.add_row(
            _local(pack, condition.id), escape(condition.text.get(lang)),
            condition.in_force.describe(lang),
        )
    return table


def _local(pack: RulePack, item_id: str) -> str:
    """``cn-caac.no-ccc-mark`` → ``no-ccc-mark``: the pack is in the heading."""
    return item_id.removeprefix(f"{pack.id}.")
