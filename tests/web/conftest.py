"""Pages in-process on every backend (the API's fixtures), and a real server and browser.

Server-side tests use ``web`` (the app on the demo registry, on SQLite and PostgreSQL,
through httpx over ASGI). Browser tests use ``site`` (uvicorn on a free loopback port, in a
thread, on a SQLite file with the demo registry, one per module) and ``browser`` (Debian's
Chromium driven by Playwright; skipped, or failed under ``CELLWATCH_REQUIRE_BROWSER=1``,
when Chromium or the Noto CJK fonts are missing). Screenshots go to
``CELLWATCH_SCREENSHOTS`` when set, else to a temporary folder.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from cellwatch.api import create_app
from cellwatch.ingest import demo_bundle, load_bundle
from cellwatch.store.db import Database
from tests.api.conftest import Api, demo, make_api, settings_for, token  # noqa: F401 (fixtures)
from tests.conftest import CHROMIUM, CJK_FONT, need_system_file

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def web(demo: Database, make_api: Callable[..., Api]) -> Api:  # noqa: F811
    """The app (pages and API) on the demo registry, on each backend."""
    return make_api(demo)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class Site:
    """A running server: its base URL and the database it serves."""

    url: str
    database: Database


@contextmanager
def serve(folder: Path) -> Iterator[Site]:
    """A real uvicorn server on the demo registry (a SQLite file in ``folder``)."""
    url = f"sqlite:///{folder / 'registry.sqlite'}"
    database = Database(url, timeout=10)
    database.migrate()
    load_bundle(database, demo_bundle(), "test")
    app = create_app(settings_for(url, jobs_dir=folder / "jobs"), database=database)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                            lifespan="on", ws="none", http="h11")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-web-tests", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    yield Site(f"http://127.0.0.1:{port}", database)
    server.should_exit = True
    thread.join(timeout=10)
    database.dispose()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real uvicorn server on the demo registry (SQLite file); yields its base URL."""
    with serve(tmp_path_factory.mktemp("site")) as running:
        yield running.url


@pytest.fixture(scope="module")
def field_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Like ``site``, with its database at hand (to add locations and tokens)."""
    with serve(tmp_path_factory.mktemp("field-site")) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium under Playwright (Playwright's own browser download is not used)."""
    need_system_file(CHROMIUM, "chromium")
    need_system_file(CJK_FONT, "fonts-noto-cjk")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        found = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield found
        found.close()


@pytest.fixture
def page_at(browser: Any) -> Iterator[Callable[..., Any]]:
    """Open a page with a viewport (``PHONE`` or ``DESKTOP``) and a browser language."""
    contexts: list[Any] = []

    def open_page(viewport: dict[str, int] = DESKTOP, locale: str = "en-GB") -> Any:
        context = browser.new_context(viewport=viewport, locale=locale,
                                      device_scale_factor=1)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots are written: ``CELLWATCH_SCREENSHOTS`` or a temporary folder."""
    chosen = os.environ.get("CELLWATCH_SCREENSHOTS", "").strip()
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
