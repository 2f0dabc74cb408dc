"""The service itself: liveness, health, the audit log, and tokens (admin)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from cellwatch import __version__
from cellwatch.api import errors
from cellwatch.api.access import Principal, require
from cellwatch.api.deps import ServicesDep
from cellwatch.api.schemas import (
    AuditEntryPublic,
    AuditVerification,
    Health,
    Listing,
    Ping,
    TokenCreate,
    TokenCreated,
    TokenPublic,
)
from cellwatch.errors import StoreError
from cellwatch.store import audit, registry_store
from cellwatch.store.tokens import Token, TokenRole, create_token, list_tokens, revoke_token

router = APIRouter(prefix="/v1", tags=["service"])

Auditor = Annotated[Principal, require(TokenRole.REGULATOR)]
Admin = Annotated[Principal, require(TokenRole.ADMIN)]
_AUTH = errors.responses(401, 403, 422, 503)


def _iso(at: dt.datetime | None) -> str | None:
    return None if at is None else at.isoformat().replace("+00:00", "Z")


@router.get("/ping", response_model=Ping, summary="Liveness: the process answers")
async def ping() -> JSONResponse:
    return JSONResponse({"pong": True})


@router.get("/health", response_model=Health, responses=errors.responses(503),
            summary="Readiness: version, registry version, database reachable (503 if not)")
def health(services: ServicesDep) -> JSONResponse:
    database = services.database
    try:
        with database.connect() as connection:
            state = registry_store.registry_state(connection)
    except StoreError as error:
        return errors.error_response(
            503, "database_unavailable", str(error),
            [{"version": __version__, "backend": database.dialect, "reachable": False}],
        )
    return JSONResponse({
        "status": "ok",
        "version": __version__,
        "registry_version": state.version,
        "last_updated": _iso(state.updated_at),
        "database": {"reachable": True, "backend": database.dialect},
    })


@router.get("/audit", response_model=Listing[AuditEntryPublic], responses=_AUTH,
            summary="The audit log, newest first (regulator or admin)")
def audit_log(
    principal: Auditor,
    services: ServicesDep,
    kind: Annotated[str | None, Query(max_length=50, description="e.g. recall.")] = None,
    key: Annotated[str | None, Query(max_length=500, description="A record's key.")] = None,
    limit: Annotated[int, Query(ge=0, le=1000)] = 100,
    skip: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> JSONResponse:
    with services.database.connect() as connection:
        found = audit.entries(connection, limit=limit, skip=skip, kind=kind, key=key)
        total = audit.count(connection, kind=kind, key=key)
        state = registry_store.registry_state(connection)
    return JSONResponse({
        "meta": {
            "total": total, "limit": limit, "skip": skip,
            "registry_version": state.version, "last_updated": _iso(state.updated_at),
        },
        "results": [
            {**dataclasses.asdict(entry), "at": _iso(entry.at)} for entry in found
        ],
    })


@router.get("/audit/verify", response_model=AuditVerification, responses=_AUTH,
            summary="Verify the audit log's hash chain (regulator or admin)")
def audit_verify(principal: Auditor, services: ServicesDep) -> JSONResponse:
    with services.database.connect() as connection:
        report = audit.verify(connection)
    return JSONResponse({"ok": report.ok, "entries": report.entries, "problems": report.problems})


def _token(token: Token) -> dict[str, Any]:
    return {**token.public(), "state": token.state()}


@router.get("/tokens", response_model=list[TokenPublic], responses=_AUTH,
            summary="Every token, without secrets (admin)")
def tokens(principal: Admin, services: ServicesDep) -> JSONResponse:
    with services.database.connect() as connection:
        found = list_tokens(connection)
    return JSONResponse([_token(token) for token in found])


@router.post("/tokens", status_code=201, response_model=TokenCreated,
             responses=errors.responses(401, 403, 404, 422, 503),
             summary="Create a token; its secret is in this answer only (admin)")
def create(request: TokenCreate, principal: Admin, services: ServicesDep) -> JSONResponse:
    expires = (
        dt.datetime.now(dt.UTC) + dt.timedelta(days=request.expires_in_days)
        if request.expires_in_days else None
    )
    with services.database.unit_of_work(principal.actor) as uow:
        token, secret = create_token(
            uow, request.role, name=request.name, company=request.company, expires_at=expires
        )
    services.registry.invalidate()
    return JSONResponse({**_token(token), "secret": secret}, status_code=201)


@router.delete("/tokens/{token_id}", response_model=TokenPublic,
               responses=errors.responses(401, 403, 404, 503),
               summary="Revoke a token from now on (admin)")
def revoke(token_id: int, principal: Admin, services: ServicesDep) -> JSONResponse:
    with services.database.unit_of_work(principal.actor) as uow:
        token = revoke_token(uow, token_id)
    services.registry.invalidate()
    return JSONResponse(_token(token))
