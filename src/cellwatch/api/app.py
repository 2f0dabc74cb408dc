"""The app factory: ``create_app(settings) -> FastAPI``.

uvicorn calls it once per worker process (``cellwatch.api.app:create_app`` with
``factory=True``), with no argument: the settings then come from ``CELLWATCH_*``
environment variables. Each app owns its database engine and registry snapshot.

Middleware, outermost first: CORS (only when ``cors_origins`` is set), the rate limit on
public endpoints (unless ``rate_limit_per_second`` is 0), the body size limit.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.concurrency import run_in_threadpool

from cellwatch import __version__
from cellwatch.api import docs as api_docs
from cellwatch.api import errors
from cellwatch.api.limits import (
    CLAIM_PATH,
    FORM_OVERHEAD,
    PHOTO_PATH,
    SCREEN_PATH,
    BodyLimit,
    RateLimit,
)
from cellwatch.api.routes import (
    alerts,
    check,
    checkpoints,
    claims,
    impact,
    incidents,
    labels,
    registry,
    screen,
    signals,
    system,
    writes,
)
from cellwatch.api.state import Services
from cellwatch.errors import StoreError
from cellwatch.settings import Settings
from cellwatch.store.db import Database
from cellwatch.web import router as web_pages
from cellwatch.web.pages import too_large_page, too_many_page

log = logging.getLogger(__name__)

DESCRIPTION = """\
An open registry and checker for lithium power banks: recalls with their batch and serial
scopes, 3C certificates and their status history, the supply chain, incidents, and the
carriage rules of airlines, railways and couriers.

Reads and checks are public. Writes need a bearer token (`cellwatch tokens create`).
Every error is `{"error": {"code", "message", "details"}}`. See `docs/api.md`.
"""


def create_app(settings: Settings | None = None, *, database: Database | None = None) -> FastAPI:
    """The API for ``settings`` (default: from the environment).

    ``database`` lets a caller share an open :class:`Database` (tests); otherwise the app
    opens its own from ``settings.database_url`` and migrates it at start-up.
    """
    settings = settings or Settings()
    services = Services.build(settings, database)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            await run_in_threadpool(services.database.migrate)
        except StoreError as error:  # keep serving: /v1/health answers 503 until it is back
            log.error("the database is not ready: %s", error)
        log.info("cellwatch API %s on %s", __version__, services.database.url)
        yield
        services.close()

    app = FastAPI(
        title="cellwatch",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        separate_input_output_schemas=False,
        docs_url=None,  # served from the package instead: api/docs.py
        redoc_url=None,
    )
    app.state.services = services
    errors.install(app)
    for module in (check, registry, impact, labels, writes, alerts, signals, incidents,
                   claims, checkpoints, screen, system):
        app.include_router(module.router)
    app.include_router(api_docs.router)
    app.include_router(web_pages)  # the pages at /, after the API

    claim_limit = settings.max_claim_photos * settings.max_claim_photo_bytes + FORM_OVERHEAD
    app.add_middleware(
        BodyLimit, limit=settings.max_body_bytes, bundle_limit=settings.max_bundle_bytes,
        by_path={
            PHOTO_PATH: settings.max_photo_bytes + FORM_OVERHEAD,
            CLAIM_PATH: claim_limit,
            "/claim": claim_limit,  # the claim form page posts the same fields and photos
            SCREEN_PATH: settings.max_screen_upload_bytes + FORM_OVERHEAD,
            "/screen": settings.max_screen_upload_bytes + FORM_OVERHEAD,  # the screen page
        },
        page=too_large_page,
    )
    if settings.rate_limit_per_second > 0:
        app.add_middleware(
            RateLimit, rate=settings.rate_limit_per_second, burst=settings.rate_limit_burst,
            page=too_many_page,
        )
    origins = [origin.strip() for origin in settings.cors_origins.split(",") if origin.strip()]
    if origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "If-Match"],
            expose_headers=["ETag", "Location", "Retry-After"],
            max_age=600,
        )
    return app
