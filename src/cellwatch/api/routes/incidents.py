"""Incident intake: report an incident (stored, or held back as a likely duplicate), and a
regulator's decisions on held reports (merge, keep separate, reject)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from cellwatch.api import errors
from cellwatch.api.access import Principal, require
from cellwatch.api.deps import ServicesDep, SnapshotDep
from cellwatch.fieldops import incidents as ops
from cellwatch.incidents.intake import IncidentReport
from cellwatch.store.incident_reports import HeldState
from cellwatch.store.tokens import TokenRole

router = APIRouter(
    prefix="/v1", tags=["incidents"], responses=errors.responses(401, 403, 409, 422, 503)
)

Reporter = Annotated[Principal, require(TokenRole.REGULATOR, TokenRole.CHECKPOINT)]
Regulator = Annotated[Principal, require(TokenRole.REGULATOR)]


class Choice(StrEnum):
    MERGE = "merge"
    SEPARATE = "separate"
    REJECT = "reject"


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(None, max_length=2000, description="Why, for the record.")


@router.post(
    "/incident-reports", status_code=201, response_model=dict[str, Any],
    summary="Report an incident (202 when held back as a likely duplicate)",
    responses={202: {"description": "Held back as a likely duplicate"}},
)
def report_incident(
    report: IncidentReport, principal: Reporter, services: ServicesDep, snapshot: SnapshotDep
) -> JSONResponse:
    """The device is resolved against the registry; the incident is written through the
    same checked write as every registry record. A report with the same flight and date,
    or the same unit serial and date, as a stored incident is held for a regulator."""
    try:
        intake = ops.report(services.database, snapshot.registry, report, principal.actor)
    finally:
        services.registry.invalidate()
    if intake.status == "held":
        return JSONResponse(intake.as_json(), status_code=202)
    return JSONResponse(intake.as_json(), status_code=201,
                        headers={"Location": f"/v1/incidents/{quote(intake.incident.id)}"})


@router.get("/incident-reports", response_model=dict[str, Any],
            summary="Reports held back as likely duplicates")
def list_held(
    principal: Regulator,
    services: ServicesDep,
    state: Annotated[HeldState | None, Query(description="pending by default.")] = (
        HeldState.PENDING
    ),
    limit: Annotated[int, Query(ge=0, le=1000)] = 20,
    skip: Annotated[int, Query(ge=0)] = 0,
) -> JSONResponse:
    found, total = ops.held(services.database, state=state, limit=limit, skip=skip)
    return JSONResponse({"meta": {"total": total, "limit": limit, "skip": skip},
                         "results": [held.as_json() for held in found]})


@router.get("/incident-reports/{report_id}", response_model=dict[str, Any],
            responses=errors.responses(404), summary="One held report")
def get_held(report_id: int, principal: Regulator, services: ServicesDep) -> JSONResponse:
    return JSONResponse(ops.held_report(services.database, report_id).as_json())


@router.post("/incident-reports/{report_id}/{decision}", response_model=dict[str, Any],
             responses=errors.responses(404),
             summary="Decide on a held report: merge, separate or reject")
async def decide(
    report_id: int,
    decision: Choice,
    body: Decision,
    principal: Regulator,
    services: ServicesDep,
) -> JSONResponse:
    """``merge`` folds it into the incident it resembles (gaps filled, sources joined);
    ``separate`` stores it as an incident of its own; ``reject`` discards it."""
    database, actor = services.database, principal.actor
    try:
        if decision is Choice.REJECT:
            held = await run_in_threadpool(ops.reject, database, report_id, actor,
                                           note=body.note)
            return JSONResponse(held.as_json())
        act = ops.merge if decision is Choice.MERGE else ops.keep_separate
        incident = await run_in_threadpool(act, database, report_id, actor, note=body.note)
    finally:
        services.registry.invalidate()
    return JSONResponse({"state": decision.value, "incident": incident.canonical()})
