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

from cellwatch.api.app import create_app

__all__ = ["create_app"]
