"""Several API processes on one PostgreSQL database stay consistent.

Real servers (``cellwatch serve``) on loopback ports: a write through one is seen by a
check through another within the refresh interval (0.5 s) plus a snapshot rebuild. Runs on
PostgreSQL only (the shared-database deployment); skipped without it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from cellwatch.ingest import demo_bundle, load_bundle
from cellwatch.store.db import Database
from cellwatch.store.tokens import TokenRole, create_token
from tests.api import payloads

Server = Callable[..., str]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def shared(database: Database, database_url: str) -> tuple[Database, str]:
    if database.dialect != "postgresql":
        pytest.skip("workers share a PostgreSQL database (CELLWATCH_TEST_DATABASE_URL)")
    load_bundle(database, demo_bundle(), "test")
    return database, database_url


@pytest.fixture
def server(shared: tuple[Database, str], tmp_path: Path) -> Iterator[Server]:
    """Start ``cellwatch serve`` processes on free loopback ports; stop them afterwards."""
    _, url = shared
    started: list[subprocess.Popen[bytes]] = []
    env = os.environ | {
        "CELLWATCH_DATABASE_URL": url, "CELLWATCH_RATE_LIMIT_PER_SECOND": "0",
        "CELLWATCH_REFRESH_SECONDS": "0.5",
    }

    def start(workers: int = 1) -> str:
        port = _free_port()
        with (tmp_path / f"server-{port}.log").open("wb") as log:  # the child keeps its own
            process = subprocess.Popen(
                [sys.executable, "-m", "cellwatch", "serve", "--host", "127.0.0.1",
                 "--port", str(port), "--workers", str(workers), "--log-level", "warning"],
                env=env, stdout=log, stderr=subprocess.STDOUT,
            )
        started.append(process)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise AssertionError((tmp_path / f"server-{port}.log").read_text())
            try:
                if httpx.get(f"{base}/v1/ping", timeout=1).status_code == 200:
                    return base
            except httpx.TransportError:
                time.sleep(0.1)
        raise AssertionError(f"the server on port {port} did not start in 30 s")

    yield start
    for process in started:
        process.send_signal(signal.SIGINT)
    for process in started:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:  # pragma: no cover - a hung server
            process.kill()
            process.wait()
        assert process.returncode == 0, process.returncode


def _admin_secret(database: Database) -> str:
    with database.unit_of_work("test") as uow:
        _, secret = create_token(uow, TokenRole.REGULATOR, name="workers-test")
    return secret


def _seen_within(check: Callable[[], bool], seconds: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if check():
            return time.monotonic() - start
        time.sleep(0.05)
    raise AssertionError(f"not seen within {seconds} s")


def _recalled(base: str) -> Callable[[], bool]:
    params = {"brand": "anker", "model": "A9999", "batch": "X1", "date": "2026-02-01"}

    def check() -> bool:
        got = httpx.get(f"{base}/v1/check", params=params, timeout=5).json()
        return bool(got["recall"]["status"] == "recalled")

    return check


def test_a_write_through_one_server_is_seen_by_another(
    shared: tuple[Database, str], server: Server
) -> None:
    database, _ = shared
    first, second = server(), server()
    headers = {"Authorization": f"Bearer {_admin_secret(database)}"}
    assert not _recalled(second)()  # the second has its snapshot before the write
    made = httpx.post(f"{first}/v1/products", json=payloads.product(), headers=headers)
    assert made.status_code == 201, made.text
    recall = payloads.recall(scope=[{"model": "A9999", "batches": ["X1"]}])
    assert httpx.post(f"{first}/v1/recalls", json=recall, headers=headers).status_code == 201
    assert _recalled(first)()  # its own write: at once
    waited = _seen_within(_recalled(second), 2.0)
    assert waited < 2.0


def test_two_workers_of_one_server_agree_after_a_write(
    shared: tuple[Database, str], server: Server
) -> None:
    database, _ = shared
    base = server(workers=2)
    headers = {"Authorization": f"Bearer {_admin_secret(database)}"}
    assert httpx.post(f"{base}/v1/products", json=payloads.product(),
                      headers=headers).status_code == 201
    recall = payloads.recall(scope=[{"model": "A9999", "batches": ["X1"]}])
    assert httpx.post(f"{base}/v1/recalls", json=recall, headers=headers).status_code == 201
    time.sleep(1.5)
    # whichever worker answers (connections are spread over both), it has seen the write
    answers = [_recalled(base)() for _ in range(12)]
    assert all(answers)
