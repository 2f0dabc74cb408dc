"""The API in-process (httpx over ASGI) on every backend, with tokens of every role.

Tests are plain functions: :class:`Api` runs the async client on an event loop of its own
(an anyio blocking portal), as Starlette's test client does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any

import anyio.from_thread
import httpx
import pytest
from fastapi import FastAPI

from cellwatch.api import create_app
from cellwatch.ingest import demo_bundle, load_bundle
from cellwatch.settings import Settings
from cellwatch.store.db import Database
from cellwatch.store.tokens import TokenRole, create_token
from tests.cli.conftest import cli  # noqa: F401 (the CLI fixture, for test_cli)


class Api:
    """A synchronous face of ``httpx.AsyncClient(transport=ASGITransport(app))``."""

    def __init__(self, app: FastAPI, client: tuple[str, int] = ("127.0.0.1", 50000)) -> None:
        self.app = app
        self.client_address = client

    def __enter__(self) -> Api:
        self._portal_context = anyio.from_thread.start_blocking_portal("asyncio")
        self._portal = self._portal_context.__enter__()
        transport = httpx.ASGITransport(app=self.app, client=self.client_address)
        self._client = httpx.AsyncClient(transport=transport, base_url="http://testserver")
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._portal.call(self._client.aclose)
        self._portal_context.__exit__(kind, error, trace)

    def request(self, method: str, url: str, **options: Any) -> httpx.Response:
        response: httpx.Response = self._portal.call(
            partial(self._client.request, method, url, **options)
        )
        return response

    def get(self, url: str, **options: Any) -> httpx.Response:
        return self.request("GET", url, **options)

    def post(self, url: str, **options: Any) -> httpx.Response:
        return self.request("POST", url, **options)

    def put(self, url: str, **options: Any) -> httpx.Response:
        return self.request("PUT", url, **options)

    def delete(self, url: str, **options: Any) -> httpx.Response:
        return self.request("DELETE", url, **options)


def settings_for(url: str, **overrides: Any) -> Settings:
    """Settings for tests: no rate limit, the registry version asked on every request."""
    values: dict[str, Any] = {
        "database_url": url, "rate_limit_per_second": 0, "refresh_seconds": 0,
        "database_timeout": 10,
    }
    return Settings(**(values | overrides))


@pytest.fixture
def demo(database: Database) -> Database:
    """The test database with the demo registry loaded."""
    load_bundle(database, demo_bundle(), "test")
    return database


@pytest.fixture
def make_api(database_url: str, tmp_path: Path) -> Iterator[Callable[..., Api]]:
    """Build an :class:`Api` on a database with settings overridden (closed after the test,
    its screening worker stopped: a request for a job starts one). Screening jobs go to a
    folder of the test's own."""
    opened: list[Api] = []

    def build(database: Database, **overrides: Any) -> Api:
        values = {"jobs_dir": tmp_path / "jobs"} | overrides
        app = create_app(settings_for(database_url, **values), database=database)
        api = Api(app).__enter__()
        opened.append(api)
        return api

    yield build
    for api in opened:
        worker = getattr(api.app.state, "screen_worker", None)
        if worker is not None:
            worker.stop()
        api.__exit__(None, None, None)


@pytest.fixture
def api(demo: Database, make_api: Callable[..., Api]) -> Api:
    """The API on the demo registry."""
    return make_api(demo)


TokenMaker = Callable[..., str]


@pytest.fixture
def token(demo: Database) -> TokenMaker:
    """Create a token; return the ``Authorization`` header value."""

    def make(
        role: str, company: str | None = None, *, name: str | None = None,
        expires_at: dt.datetime | None = None,
    ) -> str:
        with demo.unit_of_work("test-admin") as uow:
            _, secret = create_token(
                uow, TokenRole(role), name=name or f"{role}-{company or 'any'}",
                company=company, expires_at=expires_at,
            )
        return secret

    return make


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}
