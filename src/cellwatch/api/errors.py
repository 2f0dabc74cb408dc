"""Every error the API answers, in one shape, mapped from cellwatch's exceptions here only.

::

    {"error": {"code": "not_found", "message": "no recall 'x' in the registry", "details": []}}

``details`` is always a list: every validation problem (``loc``, ``message``, ``type``) for
422, every bundle problem (``file``, ``location``, ``field``, ``message``) for a bundle,
else facts about the error (``stored_digest`` of a stale revision, …) or nothing.

=====================================  ======  ========================
exception                              status  code
=====================================  ======  ========================
request or record validation           422     ``invalid_request``
``InputError``                         422     ``invalid_input``
``BundleError``                        422     ``invalid_bundle``
``Unauthenticated``                    401     ``unauthenticated``
``Forbidden``                          403     ``forbidden``
``NotFound`` (and unknown paths)       404     ``not_found``
(a method the path does not have)      405     ``method_not_allowed``
``RecordExists``                       409     ``exists``
``IllegalTransition``                  409     ``illegal_transition``
``AlreadyClaimed``                     409     ``already_claimed``
``JobNotReady``                         409     ``not_ready``
``NotEligible``                        422     ``not_eligible``
``StaleRevision``                      409     ``stale_revision``
``TooLarge``                           413     ``too_large``
``RevisionRequired``                   428     ``revision_required``
(rate limit)                           429     ``rate_limited``
``StoreError``                         503     ``database_unavailable``
anything else                          500     ``server_error``
=====================================  ======  ========================

One exception to the shape: a browser (``Accept: text/html``) asking ``GET`` for a path
that is neither a page nor under ``/v1`` gets the web pages' HTML 404 page.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from cellwatch.errors import (
    AlreadyClaimed,
    BundleError,
    CellwatchError,
    Forbidden,
    IllegalTransition,
    InputError,
    JobNotReady,
    NotEligible,
    NotFound,
    RecordExists,
    RevisionRequired,
    StaleRevision,
    StoreError,
    TooLarge,
    Unauthenticated,
)

log = logging.getLogger(__name__)


class ErrorBody(BaseModel):
    code: str = Field(description="A stable, machine-readable code, e.g. `not_found`.")
    message: str = Field(description="What went wrong, for a person.")
    details: list[dict[str, Any]] = Field(
        default_factory=list, description="Every problem found, or facts about the error."
    )


class ErrorResponse(BaseModel):
    """The body of every error response."""

    error: ErrorBody


#: cellwatch exception → (HTTP status, code); the first class that matches wins.
_MAPPING: Sequence[tuple[type[CellwatchError], int, str]] = (
    (BundleError, 422, "invalid_bundle"),
    (InputError, 422, "invalid_input"),
    (Unauthenticated, 401, "unauthenticated"),
    (Forbidden, 403, "forbidden"),
    (NotFound, 404, "not_found"),
    (RecordExists, 409, "exists"),
    (IllegalTransition, 409, "illegal_transition"),
    (AlreadyClaimed, 409, "already_claimed"),
    (JobNotReady, 409, "not_ready"),
    (NotEligible, 422, "not_eligible"),
    (StaleRevision, 409, "stale_revision"),
    (RevisionRequired, 428, "revision_required"),
    (TooLarge, 413, "too_large"),
    (StoreError, 503, "database_unavailable"),
)

_HTTP_CODES = {
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
}


def error_response(
    status: int,
    code: str,
    message: str,
    details: Sequence[Mapping[str, Any]] = (),
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """The one way an error is answered (handlers and middleware alike)."""
    body = {"error": {"code": code, "message": message, "details": [dict(d) for d in details]}}
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries documenting the error shape for these statuses."""
    return {
        status: {"model": ErrorResponse, "description": HTTPStatus(status).phrase}
        for status in statuses
    }


def validation_details(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """Every validation problem as ``{loc, message, type}`` (JSON values only)."""
    return [
        {
            "loc": [part if isinstance(part, int | str) else str(part) for part in e["loc"]],
            "message": str(e["msg"]).removeprefix("Value error, "),
            "type": str(e["type"]),
        }
        for e in errors
    ]


def _cellwatch(request: Request, error: Exception) -> JSONResponse:
    found = next(((s, c) for kind, s, c in _MAPPING if isinstance(error, kind)), None)
    if found is None:
        log.error("unmapped cellwatch error: %r", error)
        return error_response(500, "server_error", "the server failed to answer")
    status, code = found
    details: list[dict[str, Any]] = []
    headers: dict[str, str] = {}
    if isinstance(error, BundleError):
        details = [
            {"file": i.file, "location": i.location, "field": i.field, "message": i.message}
            for i in error.issues
        ]
    elif isinstance(error, StaleRevision):
        details = [{"kind": error.kind, "key": error.key, "stored_digest": error.stored_digest}]
        headers["ETag"] = f'"{error.stored_digest}"'
    elif isinstance(error, RecordExists | RevisionRequired):
        details = [{"kind": error.kind, "key": error.key}]
    elif isinstance(error, NotEligible):
        details = [{"en": en, "zh": zh} for en, zh in error.reasons]
    elif isinstance(error, IllegalTransition):
        details = [{"kind": error.kind, "key": error.key, "current": error.current,
                    "wanted": error.wanted}]
    elif isinstance(error, AlreadyClaimed):
        details = [{"recall_id": error.recall_id, "serial": error.serial}]
    elif isinstance(error, JobNotReady):
        details = [{"job_id": error.job_id, "status": error.status}]
    elif isinstance(error, TooLarge):
        details = [{"what": error.what, "limit": error.limit}]
    elif isinstance(error, Unauthenticated):
        headers["WWW-Authenticate"] = 'Bearer realm="cellwatch"'
    elif isinstance(error, StoreError):
        log.warning("database unavailable: %s", error)
    return error_response(status, code, str(error), details, headers)


def _request_validation(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    details = validation_details(error.errors())
    return error_response(
        422, "invalid_request", f"the request has {len(details)} invalid value(s)", details
    )


def _record_validation(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ValidationError)
    details = validation_details(error.errors(include_url=False))
    return error_response(
        422, "invalid_request", f"the request has {len(details)} invalid value(s)", details
    )


def _http(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)
    status = error.status_code
    if status == 400:  # FastAPI could not parse the body (not UTF-8, not the declared type)
        message = f"the request body is invalid: {error.detail}"
        return error_response(422, "invalid_request", message)
    code = _HTTP_CODES.get(status, "http_error")
    if status == 404 and error.detail == "Not Found" and _wants_page(request):
        from cellwatch.web.pages import not_found_page  # the pages' own 404 page

        return not_found_page(request)
    if status == 404 and error.detail == "Not Found":
        message = f"no such endpoint: {request.method} {request.url.path}"
    elif status == 405:
        message = f"{request.method} is not allowed on {request.url.path}"
    else:
        message = str(error.detail)
    headers = dict(error.headers or {})
    if status == 405:
        headers["Allow"] = ", ".join(_allowed_methods(request))
    return error_response(status, code, message, (), headers)


def _wants_page(request: Request) -> bool:
    """A browser asking for a page (not under ``/v1``) that does not exist."""
    return (
        request.method in ("GET", "HEAD")
        and not request.url.path.startswith("/v1")
        and "text/html" in request.headers.get("accept", "")
    )


def _allowed_methods(request: Request) -> list[str]:
    """Every method of every route on this path (Starlette names only the first route's)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches({**request.scope, "method": "GET"})
        if match is not Match.NONE:
            methods.update(getattr(route, "methods", None) or ())
    return sorted(methods)


def _unexpected(request: Request, error: Exception) -> JSONResponse:
    log.exception("unexpected error answering %s %s", request.method, request.url.path)
    return error_response(500, "server_error", "the server failed to answer; it is logged")


def install(app: FastAPI) -> None:
    """Register the handlers: from here on every error has the one shape."""
    app.add_exception_handler(CellwatchError, _cellwatch)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(ValidationError, _record_validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
