"""Generate ``docs/cli.md`` from the command tree, so the page never drifts from the code.

    python -m cellwatch.cli.docs            # print
    python -m cellwatch.cli.docs --write docs/cli.md
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import Any

import typer
from typer.testing import CliRunner

from cellwatch.cli.app import app

_ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb", "_TYPER_FORCE_DISABLE_TERMINAL": "1"}


def _paths(command: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield prefix
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        if not getattr(sub, "hidden", False):
            yield from _paths(sub, (*prefix, name))


def render_markdown() -> str:
    runner = CliRunner()
    root = typer.main.get_command(app)
    parts = [
        "# Command line\n",
        "Generated from the code by `python -m cellwatch.cli.docs`; do not edit by hand.\n",
        "Exit codes: 0 success (any verdict of `check`); 1 a bundle or the audit log has "
        "problems; 2 bad input; 3 not found; 4 the database could not be reached or migrated.\n",
        "Listings print as tables. In a terminal too narrow for a table's columns (an "
        "80-column one, often) they print each row as a record, a line per column, so that "
        "ids and dates are never cut short. For scripts, `--json`.\n",
    ]
    for path in _paths(root):
        result = runner.invoke(app, [*path, "--help"], env=_ENV, prog_name="cellwatch")
        text = "\n".join(line.rstrip() for line in result.output.strip().splitlines())
        parts.append(f"## `cellwatch {' '.join(path)}`\n" if path else "## `cellwatch`\n")
        parts.append(f"```text\n{text}\n```\n")
    return "\n".join(parts)


def main(argv: list[str]) -> None:
    text = render_markdown()
    if len(argv) == 2 and argv[0] == "--write":
        with open(argv[1], "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    os.environ.update(_ENV)
    main(sys.argv[1:])
