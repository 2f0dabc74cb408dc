"""Webhook signatures: HMAC-SHA256 over the timestamp and the exact body.

Each delivery carries::

    X-Cellwatch-Timestamp: 1763800000
    X-Cellwatch-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>

A receiver recomputes the HMAC with the watch's secret over the timestamp, a dot and the
raw body bytes, compares in constant time (:func:`verify` does), and refuses timestamps
too far from its clock, so that a captured delivery cannot be replayed later.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

PREFIX = "sha256="
#: How far a delivery's timestamp may be from the receiver's clock, by default.
TOLERANCE_SECONDS = 300


def new_secret() -> str:
    """A fresh random secret for a watch (shown once, when the watch is made)."""
    return "whsec_" + secrets.token_urlsafe(32)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``X-Cellwatch-Signature`` value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return PREFIX + mac.hexdigest()


def verify(
    secret: str,
    signature: str,
    timestamp: str,
    body: bytes,
    *,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> bool:
    """Whether ``signature`` is this secret's signature of ``body`` at a recent ``timestamp``."""
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - sent) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, sent, body), signature)
