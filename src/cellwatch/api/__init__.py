"""The REST API under ``/v1`` (FastAPI): public checks and registry reads, token writes.

- :mod:`.app`       ``create_app(settings)``: the app, its middleware and error handlers
- :mod:`.state`     per-worker services and the live registry snapshot
- :mod:`.routes`    thin routes: validate, call one core function, render
- :mod:`.schemas`   request (input) and response (public) schemas
- :mod:`.views`     item and listing answers built from the snapshot
- :mod:`.changes`   every write: access, conflicts, references, apply, audit
- :mod:`.access`    tokens, roles, and which records a role may write
- :mod:`.archives`  safe unpacking of uploaded bundle archives
- :mod:`.limits`    body size and rate limits (middleware)
- :mod:`.errors`    the one error shape, mapped from cellwatch's exceptions

Run it with ``cellwatch serve`` (or ``uvicorn --factory cellwatch.api.app:create_app``).
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    """``create_app`` on first use: importing the app imports the web pages, which import
    this package's schemas, so the package itself must not import the app."""
    if name == "create_app":
        from cellwatch.api.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
