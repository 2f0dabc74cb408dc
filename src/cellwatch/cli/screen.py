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

from cellwatch.check.words import (
    ADVISORY_WORDS,
    CERTIFICATE_WORDS,
    RECALL_WORDS,
    word,
    word_or_code,
)
from cellwatch.cli.context import current
from cellwatch.cli.options import parse_date
from cellwatch.cli.output import console, print_json
from cellwatch.domain.registry import RegistryData
from cellwatch.errors import InputError
from cellwatch.screen import ScreenOptions, Summary, parse_overrides, screen
from cellwatch.screen.selection import kind_of_code, parse_only
from cellwatch.screen.words import STAGE_WORDS
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
                                               ".parquet, .xlsx/.xlsm/.xls or .ods.")],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o",
        help="Output .csv or .parquet (default: INPUT.screened.csv, or .parquet for Parquet).",
    )] = None,
    date: Annotated[str | None, typer.Option(
        help="Screen as of this date, YYYY-MM-DD (default today).")] = None,
    sheet: Annotated[str | None, typer.Option(
        help="A workbook's sheet to screen, by name or number (1 for the first; "
             "default: its first worksheet).")] = None,
    map_: Annotated[list[str] | None, typer.Option(
        "--map", help="COLUMN=FIELD, FIELD one of brand, model, serial, batch, produced, "
                      "certificate (repeat it).")] = None,
    only: Annotated[list[str] | None, typer.Option(
        help="Write only the rows whose recall status, certificate status or an advisory "
             "code is CODE (repeat it, or separate codes with commas), e.g. "
             "recalled,possibly_recalled,suspended,revoked; the summary counts every row.",
        metavar="CODE")] = None,
    threads: Annotated[int | None, typer.Option(
        min=1, max=256, help="DuckDB threads (default: every core).")] = None,
    memory_limit: Annotated[str, typer.Option(
        help="DuckDB's memory, e.g. 2GB or 500MB (it spills to disk beyond).")] = "2GB",
    lang: Annotated[str, typer.Option(help="Language of the summary: en or zh.")] = "en",
    json_: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Screen every unit of an inventory against every recall and certificate.

    The output is the input with the check's answers added to every row; rows the check
    would refuse are listed with their line numbers in OUTPUT.errors.csv.
    """
    if lang not in ("en", "zh"):
        raise InputError("--lang must be en or zh")
    options = ScreenOptions(
        date=parse_date(date, "--date") or dt.date.today(),
        overrides=parse_overrides(map_ or []), output=output, sheet=sheet,
        only=parse_only(only or []),
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
            description = word_or_code(STAGE_WORDS, stage, lang)
            bar.update(task, description=description, completed=step, total=steps)

        summary = screen(input, registry, options, progress)
    render(summary, lang)


#: The summary's words; the statuses, certificate states and advisories are the check's
#: own (:mod:`cellwatch.check.words`), each shown with the code the output file holds.
_LABELS = {
    "screened": ("screened {screened:,} of {rows:,} rows as of {date}",
                 "已筛查 {rows:,} 行中的 {screened:,} 行，截至 {date}"),
    "version": ("registry version {version}", "登记库版本 {version}"),
    "recall": ("recall status", "召回状态"),
    "certificate": ("3C certificate status", "3C证书状态"),
    "advisory": ("advisory", "提示"),
    "brands": ("top brands, recalled or possibly recalled",
               "召回或可能召回数量最多的品牌"),
    "models": ("top models, recalled or possibly recalled",
               "召回或可能召回数量最多的型号"),
    "brand": ("brand", "品牌"),
    "model": ("model", "型号"),
    "units": ("units", "数量"),
    "output": ("output: {path}", "结果文件：{path}"),
    "only": ("output: {path}, {count:,} row(s) that are {codes}",
             "结果文件：{path}，仅含 {codes} 的 {count:,} 行"),
    "or": (" or ", "或"),
    "bad": ("{count:,} bad row(s) in {path}", "{count:,} 行无法筛查，见 {path}"),
    "no_bad": ("no bad rows ({path})", "没有无法筛查的行（{path}）"),
    "speed": ("{seconds:.1f} s, {rate:,.0f} rows/s", "{seconds:.1f} 秒，每秒 {rate:,.0f} 行"),
    "sheet": ("sheet {name}", "工作表 {name}"),
}
_RECALL = {status.value: words for status, words in RECALL_WORDS.items()}
_CERTIFICATE = {state.value: words for state, words in CERTIFICATE_WORDS.items()}


def render(summary: Summary, lang: str = "en") -> None:
    """The summary as Rich tables, every word in ``lang`` (en or zh)."""
    def say(key: str, **values: object) -> str:
        return word(_LABELS, key, lang).format(**values)

    def named(words: dict[str, tuple[str, str]], code: str) -> str:
        found = word_or_code(words, code, lang)
        return found if found == code else f"{found} [dim]({code})[/]"

    console.print(
        f"[bold]{say('screened', screened=summary.screened, rows=summary.rows, date=summary.date)}"
        f"[/] ({say('version', version=summary.registry_version)})"
    )
    table = Table()
    table.add_column(say("recall"))
    table.add_column(say("units"), justify="right")
    for status, count in summary.statuses.items():
        table.add_row(f"[{_STATUS_COLOURS[status]}]{named(_RECALL, status)}[/]", f"{count:,}")
    console.print(table)
    for title, column, rows in (
        (None, "certificate", [(named(_CERTIFICATE, state), n)
                               for state, n in summary.certificates.items()]),
        (None, "advisory", [(named(ADVISORY_WORDS, code), n)
                            for code, n in summary.advisories.items()]),
        ("brands", "brand", summary.top_brands),
        ("models", "model", summary.top_models),
    ):
        if not rows:
            continue
        if title:
            console.print(f"[bold]{say(title)}[/]")
        part = Table()
        part.add_column(say(column))
        part.add_column(say("units"), justify="right")
        for name, count in rows:
            part.add_row(str(name), f"{count:,}")
        console.print(part)
    if summary.only:
        codes = say("or").join(_code_word(code, lang) for code in summary.only)
        console.print(say("only", path=summary.output, count=summary.output_rows, codes=codes),
                      highlight=False)
    else:
        console.print(say("output", path=summary.output), highlight=False)
    errors = (say("bad", count=summary.bad_rows, path=summary.errors) if summary.bad_rows
              else say("no_bad", path=summary.errors))
    console.print(errors, highlight=False)
    console.print(
        f"{say('speed', seconds=summary.seconds, rate=summary.rows_per_second)} "
        f"({summary.kind}{', ' + summary.encoding if summary.encoding else ''}"
        f"{', ' + say('sheet', name=summary.sheet) if summary.sheet else ''})",
        highlight=False,
    )


#: Each kind of code ``--only`` takes (:data:`selection.KINDS`): its words
_CODE_WORDS = {"recall": _RECALL, "certificate": _CERTIFICATE, "advisory": ADVISORY_WORDS}


def _code_word(code: str, lang: str) -> str:
    """An output code of ``--only`` in words, with the code."""
    return f"{word(_CODE_WORDS[kind_of_code(code)], code, lang)} ({code})"


_REGISTRIES = {"demo": Size.demo, "large": Size}


@synth_app.command("inventory")
def inventory_command(
    rows: Annotated[int, typer.Option(min=1, max=100_000_000, help="How many rows.")],
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="A .csv, .parquet or .xlsx file (a sheet holds at most "
                               "1,048,575 rows).")]
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
