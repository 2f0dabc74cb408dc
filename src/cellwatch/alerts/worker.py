"""The alert worker: fan events out to watches, deliver them to webhooks, retry, give up.

One round (:meth:`Worker.run_once`):

1. **fan out**: match the events each watch has not seen yet against it (over the current
   registry snapshot) and queue a delivery for each match;
2. **deliver**: claim due deliveries (a lease, so that a worker that dies mid-delivery
   only delays them), POST each to its watch's URL, signed (:mod:`.signing`), and record
   the outcome: delivered on any 2xx answer; otherwise retried after
   ``webhook_backoff_seconds × 2^(attempt-1)`` (at most a day) until
   ``webhook_attempts`` attempts, then failed with the last error kept for its owner.

Delivery is *at least once*: a receiver that answered 2xx after a worker died and before
the worker recorded it sees the event again. Every delivery carries the event's id
(``X-Cellwatch-Event``) for the receiver to drop repeats.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any

import httpx

from cellwatch import __version__
from cellwatch.alerts import signing
from cellwatch.alerts.watches import Watch, match
from cellwatch.settings import Settings
from cellwatch.snapshot import Snapshots
from cellwatch.store import watches as queue
from cellwatch.store.db import Database
from cellwatch.store.events import StoredEvent

log = logging.getLogger(__name__)

#: The longest wait between two attempts.
MAX_BACKOFF = dt.timedelta(days=1)
#: Deliveries claimed per round, and how long a claim lasts beyond the webhook timeout.
CLAIM_BATCH = 50
LEASE_MARGIN = dt.timedelta(seconds=60)


@dataclass
class RoundReport:
    """What one round did."""

    queued: int = 0
    delivered: int = 0
    retried: int = 0
    failed: int = 0

    @property
    def busy(self) -> bool:
        return bool(self.queued or self.delivered or self.retried or self.failed)


class Worker:
    """Delivers alerts from one database; several may run at once (PostgreSQL)."""

    def __init__(
        self,
        database: Database,
        settings: Settings,
        *,
        name: str | None = None,
        client: httpx.Client | None = None,
    ) -> None:
        self.database = database
        self.settings = settings
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"
        self.snapshots = Snapshots(database, refresh_seconds=0)
        self._client = client or httpx.Client(
            timeout=settings.webhook_timeout, follow_redirects=False,
            headers={"User-Agent": f"cellwatch/{__version__} (webhook)"},
        )
        self._lease = dt.timedelta(seconds=settings.webhook_timeout) + LEASE_MARGIN

    def close(self) -> None:
        self._client.close()

    def run_once(self) -> RoundReport:
        """Fan out new events, then deliver what is due."""
        report = RoundReport()
        registry = self.snapshots.current()

        def matcher(watch: Watch, event: StoredEvent) -> list[dict[str, Any]]:
            return match(watch, event, registry)

        started = dt.datetime.now(dt.UTC)
        with self.database.queue_transaction() as connection:
            report.queued = queue.fan_out(connection, matcher, started)
        while True:  # what was due when the round started; retries wait for a later round
            with self.database.queue_transaction() as connection:
                claimed = queue.claim(connection, self.name, started, self._lease, CLAIM_BATCH)
            if not claimed:
                return report
            for delivery in claimed:
                self._deliver(delivery, report)

    def run(self, stop: threading.Event) -> None:
        """Rounds until ``stop`` is set, resting ``worker_poll_seconds`` when idle."""
        log.info("alert worker %s started", self.name)
        while not stop.is_set():
            try:
                busy = self.run_once().busy
            except Exception:  # keep the worker alive; the next round tries again
                log.exception("alert worker round failed")
                busy = False
            if not busy:
                stop.wait(self.settings.worker_poll_seconds)
        log.info("alert worker %s stopped", self.name)

    def _deliver(self, delivery: queue.Claimed, report: RoundReport) -> None:
        body = json.dumps(
            payload(delivery), ensure_ascii=False, sort_keys=True, separators=(",", ":")
        ).encode()
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-Cellwatch-Event": delivery.event.event_id,
            "X-Cellwatch-Event-Type": delivery.event.type.value,
            "X-Cellwatch-Delivery": str(delivery.id),
            "X-Cellwatch-Attempt": str(delivery.attempt),
            "X-Cellwatch-Timestamp": str(timestamp),
            "X-Cellwatch-Signature": signing.sign(delivery.secret, timestamp, body),
        }
        status: int | None = None
        error: str | None = None
        try:
            answer = self._client.post(delivery.url, content=body, headers=headers)
            status = answer.status_code
            if not answer.is_success:
                error = f"the webhook answered HTTP {status}"
        except httpx.HTTPError as problem:
            error = f"{type(problem).__name__}: {problem}" if str(problem) else type(
                problem).__name__
        retry_at = None
        if error is not None and delivery.attempt < self.settings.webhook_attempts:
            retry_at = dt.datetime.now(dt.UTC) + backoff(
                self.settings.webhook_backoff_seconds, delivery.attempt
            )
        with self.database.queue_transaction() as connection:
            outcome = queue.finish(
                connection, delivery, self.name, status_code=status, error=error, retry_at=retry_at
            )
        if outcome == queue.DELIVERED:
            report.delivered += 1
        elif outcome == queue.PENDING:
            report.retried += 1
            log.info("delivery %s to %s failed (%s); retry at %s", delivery.id, delivery.url,
                     error, retry_at)
        elif outcome == queue.FAILED:
            report.failed += 1
            log.warning("delivery %s to %s failed for good after %s attempts: %s",
                        delivery.id, delivery.url, delivery.attempt, error)


def backoff(base_seconds: float, attempt: int) -> dt.timedelta:
    """The wait after failed attempt ``attempt`` (1, 2, …): doubling, at most a day."""
    return min(dt.timedelta(seconds=base_seconds * 2 ** (attempt - 1)), MAX_BACKOFF)


def payload(delivery: queue.Claimed) -> dict[str, Any]:
    """The JSON a webhook receives: the event, and why it concerns the watch."""
    return {
        "event": delivery.event.as_json(),
        "watch": {"id": delivery.watch_id, "name": delivery.watch_name},
        "matched": delivery.matched,
        "delivery": {"id": delivery.id, "attempt": delivery.attempt},
    }
