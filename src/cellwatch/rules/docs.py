"""Generate ``docs/rules.md`` from the rule packs, so the rules are never written twice.

Run ``python -m cellwatch.rules.docs --write docs/rules.md`` after changing a pack; a test
fails while the page is stale.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from cellwatch.rules.clauses import describe
from cellwatch.rules.engine import load_packs
from cellwatch.rules.facts import Verdict
from cellwatch.rules.packs import Bilingual, RulePack

COMMAND = "python -m cellwatch.rules.docs --write docs/rules.md"

_INTRO = f"""\
# Carriage rules

<!-- Generated from src/cellwatch/rules/packs/*.yaml by `{COMMAND}`.
     Do not edit by hand: a test fails when this page is stale. -->

A rule pack is the rules of one authority or operator for one way of travelling or
sending: `cn-caac`, `icao`, an airline. Each rule has an id, a condition on the facts of
the check, a verdict, the dates it is in force and its sources; each explains itself to
the passenger in English and Chinese. The facts come from `../shared/research/carriage-rules.md`.

**Verdicts**, from least to most severe: `allowed`, `conditional` (may go only if
something is obtained, e.g. the airline's approval), `needs_info` (the facts given do not
decide it: read more off the unit), `forbidden`. A trip may combine packs
(`--rules icao,emirates`); its verdict is the most severe of every rule that fires in every
pack, `allowed` when none fires.

**Conditions** are obligations that come with carriage (no charging in flight, terminals
protected, not in the overhead bin). They never change the verdict; they are listed with
any verdict but `forbidden`.

**When a unit is refused.** A pack may say what a refused passenger can do with the unit
where it applies (`on_refusal`, with its sources): CAAC's airports store or take refused
power banks. The check adds it to its "Do not take it on this trip" action when the trip
is forbidden; a pack without one adds nothing, since no source says it.

**Includes.** An airline or state overlay includes the pack it adds to: choosing
`emirates` applies `icao` and `emirates`.

**Facts.** `energy_wh` is the rated energy in Wh (unknown when neither marked nor
computable); `count` is the number of power banks carried, all assumed alike (the same
energy, mark and recall status as the unit checked); `baggage`, `ccc_mark`,
`certificate` (the 3C certificate's status on the travel date) and `recall` are as in the
check. An unknown model (`recall: unknown_model`) fires no recall rule.

**Dates.** A rule applies from its first day to its last day, both included. A start
given only to the month counts from the last day of that month, so a rule never applies
before it surely existed. "No start date recorded" means the sources give none and the
rule applies on every date.

**Boundaries.** "≤ 100 Wh" includes 100.0 Wh; "> 100 Wh" starts just above it. A
comparison on an unknown value does not hold: an unknown energy fires only the
`energy-unknown` rule of each pack.
"""


def render_markdown() -> str:
    """The whole rules page, as Markdown."""
    packs = sorted(load_packs().values(), key=lambda pack: (bool(pack.includes), pack.id))
    parts = [_INTRO, _index(packs)]
    parts.extend(_section(pack) for pack in packs)
    return "\n".join(parts)


def _index(packs: Sequence[RulePack]) -> str:
    lines = [
        "## Packs\n",
        "| pack | title | mode | applies to | includes | rules | conditions |",
        "|---|---|---|---|---|---:|---:|",
    ]
    for pack in packs:
        lines.append(_row(
            f"[`{pack.id}`](#{pack.id})", _both(pack.title), pack.mode.value,
            pack.applies_to.en, ", ".join(f"`{name}`" for name in pack.includes),
            str(len(pack.rules)), str(len(pack.conditions)),
        ))
    return "\n".join(lines) + "\n"


def _section(pack: RulePack) -> str:
    lines = [
        f'<a id="{pack.id}"></a>',
        "",
        f"## `{pack.id}` — {_both(pack.title)}",
        "",
        f"- **Applies to:** {_both(pack.applies_to)}",
        f"- **Mode:** {pack.mode.value}",
    ]
    if pack.includes:
        names = ", ".join(f"[`{name}`](#{name})" for name in pack.includes)
        lines.append(f"- **Includes:** {names} (its rules and conditions apply too)")
    lines.append("")
    if pack.note:
        lines += [pack.note, ""]
    lines.append("Sources:")
    lines.append("")
    for number, source in enumerate(pack.sources, start=1):
        publisher = f" — {source.publisher}" if source.publisher else ""
        lines.append(f"{number}. [{source.title}]({source.url}){publisher}")
    lines.append("")
    if pack.rules:
        lines += _rules(pack)
    if pack.conditions:
        lines += _conditions(pack)
    if pack.on_refusal:
        refusal = pack.on_refusal
        lines += [
            "### When a unit is refused", "",
            "The check adds this to its action for a trip the pack forbids:", "",
            f"- {refusal.text.en}", f"- {refusal.text.zh}", "",
            f"Sources: {_cite(pack, refusal.sources)}.", "",
        ]
    return "\n".join(lines)


def _rules(pack: RulePack) -> list[str]:
    lines = [
        "### Rules",
        "",
        "| id | rule | when | verdict | in force | sources |",
        "|---|---|---|---|---|---|",
    ]
    for rule in pack.rules:
        lines.append(_row(
            f"`{rule.id}`", _both(rule.title), describe(rule.when), _verdict(rule.verdict),
            rule.in_force.describe(), _cite(pack, rule.sources),
        ))
    lines.append("")
    notes = [rule for rule in pack.rules if rule.note]
    if notes:
        lines += ["Notes:", ""]
        lines += [f"- `{rule.id}`: {rule.note}" for rule in notes]
        lines.append("")
    return lines


def _conditions(pack: RulePack) -> list[str]:
    lines = [
        "### Conditions",
        "",
        "| id | condition | in force | sources |",
        "|---|---|---|---|",
    ]
    for condition in pack.conditions:
        lines.append(_row(
            f"`{condition.id}`", _both(condition.text),
            condition.in_force.describe(), _cite(pack, condition.sources),
        ))
    lines.append("")
    notes = [condition for condition in pack.conditions if condition.note]
    if notes:
        lines += ["Notes:", ""]
        lines += [f"- `{condition.id}`: {condition.note}" for condition in notes]
        lines.append("")
    return lines


def _verdict(verdict: Verdict) -> str:
    return f"**{verdict.value}**" if verdict is Verdict.FORBIDDEN else verdict.value


def _cite(pack: RulePack, urls: Sequence[str]) -> str:
    numbers = {source.url: number for number, source in enumerate(pack.sources, start=1)}
    return ", ".join(f"[{numbers[url]}]({url})" for url in urls)


def _both(text: Bilingual) -> str:
    return f"{text.en} ({text.zh})"


def _row(*cells: str) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|").replace("\n", " ") for cell in cells) + " |"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Print the rules page generated from the packs.")
    parser.add_argument("--write", metavar="PATH", type=Path, help="write it to PATH instead")
    args = parser.parse_args(argv)
    text = render_markdown()
    if args.write is None:
        sys.stdout.write(text)
    else:
        args.write.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
