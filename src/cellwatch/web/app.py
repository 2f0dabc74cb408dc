"""The pages as one router, and the static files they use.

``create_app`` (:mod:`cellwatch.api.app`) includes :data:`router`, so ``cellwatch serve``
answers pages at ``/`` and the API at ``/v1`` from one process. Static files are served
from the package (``cellwatch/web/static``) by name, with a long cache lifetime: their URLs
carry a hash of their content (:func:`cellwatch.web.pages.static_url`).
"""

from __future__ import annotations

import re
from importlib import resources

from fastapi import APIRouter
from starlette.responses import Response

from cellwatch.web import (
    certificates,
    check,
    checkpoints,
    claims,
    companies,
    dashboard,
    impact,
    incidents,
    models,
    recalls,
    screening,
    session,
    signals,
)
from cellwatch.web.pages import immutable

router = APIRouter(include_in_schema=False)
for _module in (check, recalls, companies, models, certificates, impact, dashboard, signals,
                claims, session, checkpoints, incidents, screening):
    router.include_router(_module.pages.router)

_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,60}\.(css|js|svg|png|ico)$")
_TYPES = {
    "css": "text/css; charset=utf-8",
    "js": "text/javascript; charset=utf-8",
    "svg": "image/svg+xml",
    "png": "image/png",
    "ico": "image/x-icon",
}


@router.get("/static/{name}")
def static(name: str) -> Response:
    """One file of ``cellwatch/web/static`` (404 for any other name)."""
    match = _NAME.match(name)
    folder = resources.files("cellwatch.web").joinpath("static")
    target = folder.joinpath(name)
    if match is None or not target.is_file():
        return Response("not found", status_code=404, media_type="text/plain")
    return immutable(target.read_bytes(), _TYPES[match.group(1)])
