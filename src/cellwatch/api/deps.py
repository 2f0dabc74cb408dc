"""The values routes ask for: the app's services and the current registry snapshot."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from cellwatch.api.state import Services, Snapshot


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


async def snapshot(request: Request) -> Snapshot:
    """The registry snapshot, refreshed if the registry moved (no I/O while fresh)."""
    return await services(request).registry.current_async()


ServicesDep = Annotated[Services, Depends(services)]
SnapshotDep = Annotated[Snapshot, Depends(snapshot)]
