from pathlib import Path

from cellwatch.cli.docs import render_markdown


def test_cli_docs_are_generated_from_the_code() -> None:
    page = Path(__file__).parents[2] / "docs" / "cli.md"
    assert page.read_text(encoding="utf-8") == render_markdown(), (
        "docs/cli.md is stale: run `python -m cellwatch.cli.docs --write docs/cli.md`"
    )
