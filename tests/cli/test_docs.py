import inspect
from collections.abc import Iterator
from pathlib import Path

import click
import typer

from cellwatch.cli.app import app
from cellwatch.cli.docs import render_markdown


def test_cli_docs_are_generated_from_the_code() -> None:
    page = Path(__file__).parents[2] / "docs" / "cli.md"
    assert page.read_text(encoding="utf-8") == render_markdown(), (
        "docs/cli.md is stale: run `python -m cellwatch.cli.docs --write docs/cli.md`"
    )


def _commands(group: click.Command, path: tuple[str, ...] = ()) -> Iterator[
        tuple[tuple[str, ...], click.Command]]:
    for name, command in getattr(group, "commands", {}).items():
        yield (*path, name), command
        yield from _commands(command, (*path, name))


def test_every_command_is_summed_up_in_one_plain_line() -> None:
    """The list of commands shows each one's first paragraph as its source breaks it."""
    for path, command in _commands(typer.main.get_command(app)):
        first = inspect.cleandoc(command.help or "").split("\n\n")[0]
        assert first, path
        assert "\n" not in first, f"{' '.join(path)}: the first paragraph spans lines"
        assert "``" not in first, f"{' '.join(path)}: reST markup in the help"
