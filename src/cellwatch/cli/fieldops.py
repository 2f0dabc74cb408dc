"""Field operations on the command line: ``signals``, ``incidents``, ``claims``,
``checkpoint``."""

from __future__ import annotations

import typer

from cellwatch.cli import checkpoints, claims, incidents, signals


def register(app: typer.Typer) -> None:
    signals.register(app)
    app.add_typer(incidents.app, name="incidents")
    app.add_typer(claims.app, name="claims")
    app.add_typer(checkpoints.app, name="checkpoint")
