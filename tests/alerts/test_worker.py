"""The alert worker against a real webhook receiver on loopback: signed deliveries,
retries with backoff, failures kept visible, and no double delivery with two workers."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import sqlalchemy as sa

from cellwatch.alerts import signing
from cellwatch.alerts.worker import Worker, backoff
from cellwatch.domain.events import EventType
from cellwatch.domain.registry import RegistryData
from cellwatch.ingest import apply_checked
from cellwatch.settings import Settings
from cellwatch.store import watches as queue
from cellwatch.store.db import Database
from cellwatch.store.tables import deliveries
from cellwatch.store.watches import WatchSpec
from tests import factories as f

SECRET = "whsec_test"


class Receiver:
    """A webhook receiver: answers with the next planned status (200 when none is left)."""

    def __init__(self, plan: list[int] | None = None) -> None:
        self.plan = list(plan or [])
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.lock:
                    receiver.received.append((dict(self.headers.items()), body))
                    status = receiver.plan.pop(0) if receiver.plan else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, body in self.received]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    yield found
    found.close()


def _settings(database: Database, **values: Any) -> Settings:
    return Settings(database_url=database.url, webhook_backoff_seconds=0.001,
                    webhook_timeout=5, **values)


def _registry(database: Database) -> None:
    apply_checked(database, "t", RegistryData(
        sources=(f.source(),), companies=(f.company(),), products=(f.product(),),
    ))


def _watch(database: Database, url: str, **fields: Any) -> int:
    spec = WatchSpec(name="quality team", url=url, secret=SECRET,
                     subjects=frozenset({("brand", "acme")}), **fields)
    with database.unit_of_work("brand-acme") as uow:
        return queue.create(uow, spec)


def _recalls(database: Database, *ids: str) -> None:
    apply_checked(database, "t", RegistryData(recalls=tuple(f.recall(id=i) for i in ids)))


def _drain(worker: Worker, rounds: int = 200) -> None:
    """Rounds until no delivery waits (retries are due a few milliseconds later)."""
    for _ in range(rounds):
        worker.run_once()
        with worker.database.connect() as connection:
            waiting = connection.execute(
                sa.select(sa.func.count()).select_from(deliveries)
                .where(deliveries.c.status.in_(["pending", "sending"]))
            ).scalar_one()
        if not waiting:
            return
        time.sleep(0.005)
    raise AssertionError("deliveries still waiting")


def test_a_matching_event_is_delivered_signed(database: Database, receiver: Receiver) -> None:
    _registry(database)
    _recalls(database, "before-the-watch")
    watch_id = _watch(database, receiver.url)
    _recalls(database, "acme-2025")
    worker = Worker(database, _settings(database))
    try:
        report = worker.run_once()
    finally:
        worker.close()
    assert (report.queued, report.delivered) == (1, 1)
    [(headers, body)] = receiver.received
    assert signing.verify(SECRET, headers["X-Cellwatch-Signature"],
                          headers["X-Cellwatch-Timestamp"], body)
    assert not signing.verify("whsec_other", headers["X-Cellwatch-Signature"],
                              headers["X-Cellwatch-Timestamp"], body)
    assert not signing.verify(SECRET, headers["X-Cellwatch-Signature"],
                              headers["X-Cellwatch-Timestamp"], body + b" ")
    payload = json.loads(body)
    assert payload["event"]["type"] == EventType.RECALL_PUBLISHED
    assert payload["event"]["key"] == "acme-2025"
    assert headers["X-Cellwatch-Event"] == payload["event"]["event_id"]
    assert payload["watch"] == {"id": watch_id, "name": "quality team"}
    assert payload["matched"] == [{"watched": "brand", "value": "acme"}]
    with database.connect() as connection:
        [delivery] = queue.delivery_listing(connection, watch_id)
    assert (delivery["status"], delivery["attempts"], delivery["last_status"]) == (
        "delivered", 1, 200)


def test_a_failing_webhook_is_retried_with_backoff_until_it_answers(
    database: Database,
) -> None:
    receiver = Receiver(plan=[500, 503])
    try:
        _registry(database)
        watch_id = _watch(database, receiver.url)
        _recalls(database, "acme-2025")
        worker = Worker(database, _settings(database))
        first = worker.run_once()
        assert (first.queued, first.retried, first.delivered) == (1, 1, 0)
        with database.connect() as connection:
            [pending] = queue.delivery_listing(connection, watch_id)
        assert pending["status"] == "pending"
        assert pending["last_error"] == "the webhook answered HTTP 500"
        _drain(worker)
        worker.close()
    finally:
        receiver.close()
    with database.connect() as connection:
        [delivery] = queue.delivery_listing(connection, watch_id)
    assert (delivery["status"], delivery["attempts"]) == ("delivered", 3)
    ids = {headers["X-Cellwatch-Event"] for headers, _ in receiver.received}
    assert len(receiver.received) == 3 and len(ids) == 1  # one event id for the receiver
    assert [h["X-Cellwatch-Attempt"] for h, _ in receiver.received] == ["1", "2", "3"]


def test_a_delivery_fails_for_good_after_the_last_attempt(database: Database) -> None:
    _registry(database)
    watch_id = _watch(database, "http://127.0.0.1:9/nobody-listens")
    _recalls(database, "acme-2025")
    worker = Worker(database, _settings(database, webhook_attempts=3))
    _drain(worker)
    worker.close()
    with database.connect() as connection:
        [delivery] = queue.delivery_listing(connection, watch_id)
        stored = queue.get(connection, watch_id)
    assert (delivery["status"], delivery["attempts"]) == ("failed", 3)
    assert "ConnectError" in delivery["last_error"]
    assert stored.as_json()["deliveries"]["failed"] == 1


def test_a_removed_watch_hears_nothing_more(database: Database, receiver: Receiver) -> None:
    _registry(database)
    watch_id = _watch(database, receiver.url)
    with database.unit_of_work("brand-acme") as uow:
        queue.remove(uow, watch_id, lambda stored: True)
    _recalls(database, "acme-2025")
    worker = Worker(database, _settings(database))
    assert not worker.run_once().busy
    worker.close()
    assert receiver.received == []


def test_an_event_that_concerns_nobody_is_not_sent(database: Database, receiver: Receiver) -> None:
    _registry(database)
    spec = WatchSpec(name="other", url=receiver.url, secret=SECRET,
                     subjects=frozenset({("brand", "someone-else")}))
    with database.unit_of_work("x") as uow:
        queue.create(uow, spec)
    _recalls(database, "acme-2025")
    worker = Worker(database, _settings(database))
    assert worker.run_once().queued == 0
    worker.close()


def test_two_workers_deliver_each_event_once(database: Database, receiver: Receiver) -> None:
    _registry(database)
    watch_ids = [_watch(database, receiver.url) for _ in range(3)]
    _recalls(database, *(f"acme-{i:03d}" for i in range(40)))
    workers = [Worker(database, _settings(database), name=f"w{i}") for i in range(2)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def work(worker: Worker) -> None:
        try:
            barrier.wait()
            _drain(worker)
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for worker in workers:
        worker.close()
    assert errors == []
    sent = [(b["watch"]["id"], b["event"]["event_id"]) for b in receiver.bodies()]
    assert len(sent) == 3 * 40
    assert len(set(sent)) == len(sent)  # no (watch, event) twice
    assert {watch for watch, _ in sent} == set(watch_ids)


def test_backoff_doubles_and_is_capped_at_a_day() -> None:
    assert [backoff(30, n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert backoff(30, 40).total_seconds() == 86400
