"""Signals: incidents per million units, disproportionality, the ranked inspection list.

Public and anonymous: it is computed from registry records only (docs/signals.md).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from cellwatch.api import errors
from cellwatch.api.deps import SnapshotDep
from cellwatch.api.schemas import IsoDate
from cellwatch.signals import remembered_signals

router = APIRouter(prefix="/v1", tags=["signals"], responses=errors.responses(422, 429, 503))


@router.get("/signals", summary="Incident signals and the ranked inspection list",
            response_model=dict[str, Any])
async def get_signals(
    snapshot: SnapshotDep,
    since: Annotated[IsoDate | None, Query(description="Only incidents from this date.")] = None,
    as_of: Annotated[
        IsoDate | None, Query(description="Certificate status at this date (today).")
    ] = None,
) -> JSONResponse:
    """Rates name their denominator; every inspection row explains its score in English
    and Chinese."""
    report = await run_in_threadpool(
        remembered_signals, snapshot.registry, since=since, as_of=as_of
    )
    return JSONResponse(report.as_json())
