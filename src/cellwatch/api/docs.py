"""The interactive API docs at ``/docs``: Swagger UI 5, served from the installed
``swagger-ui-bundle-v2`` package, so that nothing is loaded from the internet (FastAPI's
own ``/docs`` loads it from a CDN, and shows a blank page on a machine without one).

ReDoc, which FastAPI also serves from a CDN, is not offered.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import swagger_ui_bundle
from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.responses import HTMLResponse, Response

from cellwatch.web.pages import immutable, static_url, version_of

router = APIRouter(include_in_schema=False)

#: The files of Swagger UI the page loads, and their media types.
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
}


@cache
def _asset(name: str) -> bytes:
    return (Path(swagger_ui_bundle.swagger_ui_path) / name).read_bytes()


@cache
def _url(name: str) -> str:
    return f"/docs/assets/{name}?v={version_of(_asset(name))}"


@router.get("/docs")
def docs() -> HTMLResponse:
    """Swagger UI on ``/openapi.json``; "Authorize" takes a bearer token."""
    return get_swagger_ui_html(
        openapi_url="/openapi.json", title="cellwatch API",
        swagger_js_url=_url("swagger-ui-bundle.js"), swagger_css_url=_url("swagger-ui.css"),
        swagger_favicon_url=static_url("icon.svg"),
    )


@router.get("/docs/assets/{name}")
def asset(name: str) -> Response:
    """One of :data:`ASSETS` (404 for any other name); cached for a year, as its URL
    changes with its content."""
    if name not in ASSETS:
        return Response("not found", status_code=404, media_type="text/plain")
    return immutable(_asset(name), ASSETS[name])
