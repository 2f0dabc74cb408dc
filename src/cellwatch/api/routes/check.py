"""``/v1/check``: one unit (query or JSON) or up to 1,000 (batch) → the check's result.

The answer is exactly what ``cellwatch check --json`` prints
(:meth:`~cellwatch.check.CheckResult.as_json`), judged against the worker's snapshot.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool

from cellwatch.api import errors
from cellwatch.api.deps import SnapshotDep, snapshot
from cellwatch.api.schemas import (
    MAX_BATCH,
    BatchCheckRequest,
    BatchCheckResponse,
    CheckQuery,
    CheckRequest,
)
from cellwatch.api.state import Snapshot
from cellwatch.check import CheckResult, Device, Trip, check
from cellwatch.domain.registry import Registry
from cellwatch.errors import TooLarge

router = APIRouter(prefix="/v1/check", tags=["check"], responses=errors.responses(422, 429, 503))


def _query_parameters() -> list[dict[str, Any]]:
    """The OpenAPI description of :class:`CheckQuery`'s fields as query parameters."""
    schema = CheckQuery.model_json_schema(ref_template="#/components/schemas/{model}")
    return [
        {
            "name": name,
            "in": "query",
            "required": False,
            "description": field.pop("description", ""),
            "schema": field,
        }
        for name, field in schema["properties"].items()
    ]


@router.get(
    "", response_model=CheckResult, summary="Check one unit (query parameters)",
    openapi_extra={"parameters": _query_parameters()},
)
async def check_query(request: Request) -> Response:
    """Is this power bank recalled, certified, and may it go on this trip?

    Every fact is optional; the more the unit tells, the surer the answer.
    """
    # validated by the model itself: FastAPI's own handling of a query model costs more
    # than the check (see benchmarks/http.py)
    try:
        query = CheckQuery.model_validate(dict(request.query_params))
    except ValidationError as error:
        raise _located(error, "query") from None
    device, trip = _inputs(query, "query")
    return _answer(await snapshot(request), device, trip)


@router.post("", response_model=CheckResult, summary="Check one unit (JSON)")
async def check_body(request: CheckRequest, snapshot: SnapshotDep) -> Response:
    """The same check, with the facts as a JSON object (``rules`` may be a list)."""
    device, trip = _inputs(request, "body")
    return _answer(snapshot, device, trip)


_RESULT: TypeAdapter[CheckResult] = TypeAdapter(CheckResult)


def _answer(snapshot: Snapshot, device: Device, trip: Trip) -> Response:
    """``check(…).as_json()`` as JSON text (serialised in one step by pydantic-core),
    remembered for the snapshot: the same question gets the same answer until it moves."""
    body = snapshot.answer(
        (device, trip), lambda: _RESULT.dump_json(check(device, trip, snapshot.registry))
    )
    return Response(body, media_type="application/json")


@router.post(
    "/batch",
    response_model=BatchCheckResponse,
    summary=f"Check up to {MAX_BATCH} units",
    responses=errors.responses(413),
)
async def check_batch(request: BatchCheckRequest, snapshot: SnapshotDep) -> JSONResponse:
    """Check many units against one registry snapshot; results come in the order given."""
    if len(request.items) > MAX_BATCH:
        raise TooLarge(f"a batch of {len(request.items)} units", MAX_BATCH)
    inputs = _all_inputs(request.items)  # every unit is valid before any is checked
    results = await run_in_threadpool(_check_all, inputs, snapshot.registry)
    return JSONResponse({
        "meta": {"count": len(results), "registry_version": snapshot.version},
        "results": results,
    })


def _inputs(facts: CheckQuery | CheckRequest, *where: str | int) -> tuple[Device, Trip]:
    """The check's inputs; a value the schema lets through but the check refuses (a 30th of
    February) is a 422 naming where it was, as a schema violation is."""
    try:
        return facts.inputs()
    except ValidationError as error:
        raise _located(error, *where) from None


def _located(error: ValidationError, *where: str | int) -> RequestValidationError:
    return RequestValidationError([
        {**e, "loc": (*where, *e["loc"])} for e in error.errors(include_url=False)
    ])


def _all_inputs(items: list[CheckRequest]) -> list[tuple[Device, Trip]]:
    inputs: list[tuple[Device, Trip]] = []
    problems: list[Any] = []
    for index, item in enumerate(items):
        try:
            inputs.append(_inputs(item, "body", "items", index))
        except RequestValidationError as error:
            problems.extend(error.errors())
    if problems:
        raise RequestValidationError(problems)
    return inputs


def _check_all(inputs: list[tuple[Device, Trip]], registry: Registry) -> list[dict[str, Any]]:
    return [check(device, trip, registry).as_json() for device, trip in inputs]
