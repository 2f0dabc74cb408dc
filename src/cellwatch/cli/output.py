"""How the CLI prints: Rich for people, JSON for scripts, one-line errors."""

from __future__ import annotations

import json
import sys
from collections.abc import Collection, Iterable
from typing import Any

from pydantic import ValidationError
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.markup import escape
from rich.rule import Rule
from rich.style import StyleType
from rich.table import Table
from rich.text import Text

console = Console(soft_wrap=False)
errors = Console(stderr=True)


def print_json(value: Any) -> None:
    """Write ``value`` as JSON on stdout (UTF-8, no Rich markup)."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str))
    sys.stdout.write("\n")


def fail(message: str) -> None:
    errors.print(f"[bold red]error:[/] {escape(message)}", highlight=False, markup=True)


class Listing(Table):
    """A table that reads in a terminal of any width.

    Where its columns fit, it is a table. In a terminal too narrow for them (an 80-column
    one, often) it prints each row as a record, a line per column, as psql's expanded
    display does, rather than cut ids and dates short.
    """

    def __init__(self, title: str | None = None, show_lines: bool = False) -> None:
        super().__init__(title=title, show_lines=show_lines)
        self.records: list[tuple[RenderableType | None, ...]] = []

    def add_row(self, *renderables: RenderableType | None, style: StyleType | None = None,
                end_section: bool = False) -> None:
        super().add_row(*renderables, style=style, end_section=end_section)
        self.records.append(renderables)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.__rich_measure__(console, options).minimum <= options.max_width:
            yield from super().__rich_console__(console, options)
            return
        if self.title:
            yield Text(str(self.title), style="italic")
        for index, record in enumerate(self.records):
            grid = Table.grid(padding=(0, 2))
            grid.add_column(style="bold", no_wrap=True)
            grid.add_column(overflow="fold")
            for column, value in zip(self.columns, record, strict=False):
                if value is not None and value != "":
                    grid.add_row(column.header, value)
            yield Rule(f"{index + 1}", align="left", style="dim")
            yield grid


def table_of(*columns: str, keep: Collection[str] = (), counts: Collection[str] = (),
             title: str | None = None, show_lines: bool = False) -> Listing:
    """A :class:`Listing` of ``columns``: the ``keep`` columns (ids, dates, codes) and the
    ``counts`` (numbers, right-aligned) are never wrapped; the free text beside them wraps
    at its spaces, and a run longer than its column (Chinese has no spaces) folds onto the
    next line rather than being cut short.
    """
    table = Listing(title=title, show_lines=show_lines)
    for column in columns:
        whole = column in keep or column in counts
        table.add_column(column, justify="right" if column in counts else "left",
                         no_wrap=whole, overflow="ellipsis" if whole else "fold")
    return table


def headings(lang: str, *pairs: tuple[str, str]) -> list[str]:
    """Each column's heading in ``lang`` (en or zh) from its (English, Chinese) pair."""
    return [zh if lang == "zh" else en for en, zh in pairs]


def marked(lines: Iterable[tuple[str, str]]) -> Table:
    """Lines of plain text, each behind its marker (Rich markup, e.g. ``[bold]→[/]``) with a
    hanging indent. Text wraps at its spaces; a run without one longer than the width
    (Chinese has no spaces to wrap at) folds onto the next line rather than being cut."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for marker, text in lines:
        grid.add_row(Text.from_markup(marker), Text(text))
    return grid


def validation_message(error: ValidationError) -> str:
    """One line naming every invalid field (the CLI option names, with ``-``)."""
    parts = []
    for detail in error.errors(include_url=False):
        field = ".".join(str(p) for p in detail["loc"]).replace("_", "-")
        message = detail["msg"].removeprefix("Value error, ")
        parts.append(f"--{field}: {message}" if field else message)
    return "; ".join(parts)


def page_meta(total: int, limit: int, skip: int, version: int) -> dict[str, Any]:
    return {"total": total, "limit": limit, "skip": skip, "registry_version": version}
