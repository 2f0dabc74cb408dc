"""``cellwatch serve``: the REST API on uvicorn, on the configured database."""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from cellwatch.cli.context import current
from cellwatch.cli.output import console

log = logging.getLogger(__name__)

APP = "cellwatch.api.app:create_app"


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0: every interface).")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Worker processes (each keeps its own snapshot).")
    ] = 1,
    proxy_headers: Annotated[
        bool,
        typer.Option(help="Trust X-Forwarded-For from --forwarded-allow-ips (behind a proxy)."),
    ] = False,
    forwarded_allow_ips: Annotated[
        str, typer.Option(help="Proxies whose X-Forwarded-* headers are trusted.")
    ] = "127.0.0.1",
    log_level: Annotated[str, typer.Option(help="uvicorn's log level.")] = "info",
) -> None:
    """Serve the REST API (OpenAPI at /openapi.json, interactive docs at /docs).

    Settings come from CELLWATCH_* environment variables (every worker reads the same);
    the database is migrated before the workers start.
    """
    import uvicorn

    context = current()
    database = context.database  # opens and migrates: fails here, not in every worker
    url = database.url
    database.dispose()
    where = f"http://{'127.0.0.1' if host == '0.0.0.0' else host}:{port}"
    console.print(f"cellwatch pages on {where}/ — API on {where}/v1 — docs {where}/docs "
                  f"— database {url}")
    console.print(f"{workers} worker(s); stop with Ctrl+C", highlight=False)
    uvicorn.run(
        APP,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=proxy_headers,
        forwarded_allow_ips=forwarded_allow_ips,
        log_level=log_level,
        server_header=False,
    )
