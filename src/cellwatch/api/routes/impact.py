"""``/v1/impact``: which brands, models, batches and units a cell maker, lot or certificate
reaches, and which of them are not yet recalled (the exposure gap).

The answer is :meth:`~cellwatch.impact.report.ImpactReport.as_json`, exactly what
``cellwatch impact --json`` prints.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from cellwatch.api import errors
from cellwatch.api.deps import SnapshotDep
from cellwatch.api.schemas import IsoDate
from cellwatch.impact import impact

router = APIRouter(prefix="/v1", tags=["impact"], responses=errors.responses(422, 429, 503))


@router.get(
    "/impact", response_model=dict[str, Any], responses=errors.responses(404),
    summary="Impact of a cell maker, cell lot or certificate over the supply graph",
)
def get_impact(
    snapshot: SnapshotDep,
    company: Annotated[
        str | None, Query(max_length=200, description="Company, by any name.")
    ] = None,
    cell_lot: Annotated[str | None, Query(max_length=200, description="Cell lot id.")] = None,
    certificate: Annotated[
        str | None, Query(max_length=200, description="Certificate number.")
    ] = None,
    date: Annotated[IsoDate | None, Query(description="As of this date (today).")] = None,
    what_if_suspended_from: Annotated[
        IsoDate | None, Query(description="Treat the company as suspended from this date.")
    ] = None,
) -> JSONResponse:
    """Give exactly one of ``company``, ``cell_lot`` or ``certificate``."""
    report = impact(
        snapshot.registry, company=company, cell_lot=cell_lot, certificate=certificate,
        date=date or dt.date.today(), what_if_suspended_from=what_if_suspended_from,
    )
    return JSONResponse(report.as_json())
