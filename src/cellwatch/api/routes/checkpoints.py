"""Checkpoint records: a checkpoint token records the steps of a unit's case at the one
location it is bound to; the chain of a unit; a location's daily report (JSON or CSV).

A regulator (or an admin) defines locations with their storage policy, binds checkpoint
tokens to them (``cellwatch checkpoint bind`` does the same), and reads every location's
chains and reports; a checkpoint token reads only its own location's.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict
from starlette.concurrency import run_in_threadpool

from cellwatch.api import errors
from cellwatch.api.access import Principal, require
from cellwatch.api.deps import ServicesDep
from cellwatch.api.schemas import IsoDate
from cellwatch.checkpoints.policy import Location
from cellwatch.checkpoints.records import RecordRequest
from cellwatch.errors import Forbidden, InputError
from cellwatch.fieldops import checkpoints as ops
from cellwatch.store.db import Database
from cellwatch.store.tokens import TokenRole

router = APIRouter(
    prefix="/v1/checkpoint", tags=["checkpoints"],
    responses=errors.responses(401, 403, 422, 503),
)

Checkpoint = Annotated[Principal, require(TokenRole.CHECKPOINT)]
Reader = Annotated[Principal, require(TokenRole.CHECKPOINT, TokenRole.REGULATOR)]
Regulator = Annotated[Principal, require(TokenRole.REGULATOR)]


class Binding(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token_id: int


def _own_location(database: Database, principal: Principal) -> str | None:
    """The location a checkpoint token is bound to; ``None`` for a regulator or an admin."""
    if principal.role is TokenRole.CHECKPOINT:
        return ops.token_location(database, principal.token.id)
    return None


@router.post("/locations", status_code=201, response_model=dict[str, Any],
             responses=errors.responses(409), summary="Add a location and its storage policy")
def add_location(location: Location, principal: Regulator,
                 services: ServicesDep) -> JSONResponse:
    ops.add_location(services.database, location, principal.actor)
    return JSONResponse(location.model_dump(mode="json"), status_code=201)


@router.get("/locations", response_model=dict[str, Any], summary="Locations and policies")
def list_locations(principal: Reader, services: ServicesDep) -> JSONResponse:
    found = ops.locations(services.database)
    return JSONResponse({"results": [loc.model_dump(mode="json") for loc in found]})


@router.post("/locations/{location_id}/tokens", response_model=dict[str, Any],
             responses=errors.responses(404), summary="Bind a checkpoint token to a location")
def bind(location_id: str, binding: Binding, principal: Regulator,
         services: ServicesDep) -> JSONResponse:
    ops.bind_token(services.database, binding.token_id, location_id, principal.actor)
    return JSONResponse({"token_id": binding.token_id, "location": location_id})


@router.post("/records", status_code=201, response_model=dict[str, Any],
             responses=errors.responses(404, 409),
             summary="Record a step of a unit's case at the token's location")
async def record(request: RecordRequest, principal: Checkpoint,
                 services: ServicesDep) -> JSONResponse:
    """A new case (no ``case_id``) starts with passed, refused, given_up or stored; later
    steps follow the legal order (docs/checkpoints.md). Storing gives a receipt number, the
    retrieval deadline and the fee terms of the location's policy."""
    database = services.database
    location = await run_in_threadpool(ops.token_location, database, principal.token.id)
    case = await run_in_threadpool(ops.record, database, location, request, principal.actor)
    return JSONResponse(case.as_json(), status_code=201,
                        headers={"Location": f"/v1/checkpoint/cases/{case.id}"})


@router.get("/cases/{case_id}", response_model=dict[str, Any],
            responses=errors.responses(404), summary="One case and every step")
def get_case(case_id: int, principal: Reader, services: ServicesDep) -> JSONResponse:
    own = _own_location(services.database, principal)
    (case,) = ops.chain(services.database, case_id=case_id)
    if own is not None and case.location_id != own:
        raise Forbidden(f"case {case_id} belongs to another location")
    return JSONResponse(case.as_json())


@router.get("/chain", response_model=dict[str, Any],
            summary="Every case of a unit, by serial or receipt number")
def get_chain(
    principal: Reader,
    services: ServicesDep,
    serial: Annotated[str | None, Query(max_length=100)] = None,
    receipt: Annotated[str | None, Query(max_length=100)] = None,
) -> JSONResponse:
    if (serial is None) == (receipt is None):
        raise InputError("give exactly one of serial, receipt")
    own = _own_location(services.database, principal)
    cases = ops.chain(services.database, serial=serial, receipt=receipt, location_id=own)
    return JSONResponse({"results": [case.as_json() for case in cases]})


@router.get("/locations/{location_id}/report", responses=errors.responses(404),
            response_model=dict[str, Any], summary="A location's daily report (JSON or CSV)")
def daily_report(
    location_id: str,
    principal: Reader,
    services: ServicesDep,
    date: Annotated[IsoDate | None, Query(description="The UTC day (today).")] = None,
    format_: Annotated[str, Query(alias="format", pattern="^(json|csv)$")] = "json",
) -> Response:
    own = _own_location(services.database, principal)
    if own is not None and own != location_id:
        raise Forbidden(f"a token of {own} does not read the reports of {location_id}")
    report = ops.report(services.database, location_id, date or dt.datetime.now(dt.UTC).date())
    if format_ == "csv":
        name = f"{location_id}-{report.day.isoformat()}.csv"
        return Response(report.csv(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    return JSONResponse(report.as_json())
