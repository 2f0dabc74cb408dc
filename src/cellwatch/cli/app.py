"""The ``cellwatch`` command. Errors become one line and an exit code, here only.

Exit codes: 0 success; 1 a bundle or audit check found problems; 2 bad input (usage);
3 not found; 4 the database could not be reached or migrated.
"""

from __future__ import annotations

import logging
import sys
from typing import Annotated

import typer
from pydantic import ValidationError

from cellwatch import __version__
from cellwatch.cli import alerts, audit, browse, bundles, check, rules, serve, tokens
from cellwatch.cli import fieldops as fieldops_cli
from cellwatch.cli import impact as impact_cli
from cellwatch.cli import imports as imports_cli
from cellwatch.cli import labels as labels_cli
from cellwatch.cli import screen as screen_cli
from cellwatch.cli.context import begin
from cellwatch.cli.output import fail, validation_message
from cellwatch.errors import BundleError, CellwatchError, InputError, NotFound, StoreError

app = typer.Typer(
    name="cellwatch",
    help="An open registry and checker for lithium power banks.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
bundles.register(app)
check.register(app)
labels_cli.register(app)
screen_cli.register(app)
app.add_typer(audit.app, name="audit")
app.add_typer(rules.app, name="rules")
browse.register(app)
serve.register(app)
app.add_typer(tokens.app, name="tokens")
impact_cli.register(app)
imports_cli.register(app, certificates=browse.certificates_app)
alerts.register(app)
fieldops_cli.register(app)

EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_NOT_FOUND = 3
EXIT_STORE = 4


@app.callback()
def _root(
    ctx: typer.Context,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what happens.")] = False,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        typer.echo(f"cellwatch {__version__}")
        raise typer.Exit()
    ctx.call_on_close(begin().close)
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


# Each error kind's exit code, most specific first: the one place they are mapped.
_EXIT_CODES: tuple[tuple[type[CellwatchError], int], ...] = (
    (NotFound, EXIT_NOT_FOUND),
    (StoreError, EXIT_STORE),
    (InputError, EXIT_USAGE),
    (CellwatchError, EXIT_PROBLEMS),
)


def main() -> None:
    """Entry point: run the app and map cellwatch's errors to one line and an exit code.

    Usage errors (unknown option, bad value) are reported by Typer itself, exit code 2.
    """
    try:
        app()
    except CellwatchError as error:
        if isinstance(error, BundleError):
            for issue in error.issues:
                fail(str(issue))
        fail(str(error))
        sys.exit(next(code for kind, code in _EXIT_CODES if isinstance(error, kind)))
    except ValidationError as error:  # a command's values, as a record's model checks them
        fail(validation_message(error))
        sys.exit(EXIT_USAGE)
    except Exception as error:  # anything unforeseen: one line, details with -v
        fail(f"unexpected {type(error).__name__}: {error} (run with -v for details)")
        logging.getLogger(__name__).info("unexpected error", exc_info=True)
        sys.exit(EXIT_PROBLEMS)
