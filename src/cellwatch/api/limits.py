"""Request limits, as ASGI middleware: body size (413) and a per-client rate limit (429).

- :class:`BodyLimit` refuses a body larger than its limit before reading it: at once when
  ``Content-Length`` says so, else as soon as the bytes received pass the limit (chunked
  uploads). Bundle uploads, label photos, recall claims with photos and inventories to
  screen have their own, larger limits.
- :class:`RateLimit` is a token bucket per client IP for the public endpoints (reads,
  checks, label photos and recall claims): ``rate`` requests per second refill it, up to
  ``burst``. Each worker process keeps its own buckets. Behind a proxy, run uvicorn with
  ``--proxy-headers`` so that the client IP is the caller's.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Mapping

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cellwatch.api.errors import error_response

log = logging.getLogger(__name__)

BUNDLE_PATH = "/v1/bundles"
PHOTO_PATH = "/v1/read-label"
CLAIM_PATH = "/v1/claims"
SCREEN_PATH = "/v1/screen"
#: Posts anyone may make: label photos, recall claims, and the pages' claim form and sign-in.
PUBLIC_POSTS = frozenset({PHOTO_PATH, CLAIM_PATH, "/claim", "/signin"})
#: What a multipart form adds around its files (boundaries, part headers, small fields):
#: an upload path's body limit is its file limit plus this.
FORM_OVERHEAD = 64 * 1024


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes; ``bundle_limit`` for bundle uploads and,
    for the exact paths ``by_path`` names (label photos, claims, inventories), its limit."""

    def __init__(
        self, app: ASGIApp, limit: int, bundle_limit: int,
        by_path: Mapping[str, int] | None = None,
        page: PageAnswer | None = None,
    ) -> None:
        self.app = app
        self.limit = limit
        self.bundle_limit = bundle_limit
        self.by_path = dict(by_path or {})
        self.page = page  # the answer to a web page's form (not under /v1) that is too large

    def _refusal(self, scope: Scope, limit: int, message: str | None = None) -> Response:
        page = _page(self.page, scope, limit)
        if page is not None:
            return page
        if message is not None:
            return error_response(413, "too_large", message)
        return error_response(
            413, "too_large", f"the request body is larger than the limit of {limit:,} bytes",
            [{"what": "request body", "limit": limit}],
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        limit = self.bundle_limit if path.startswith(BUNDLE_PATH) else self.limit
        limit = self.by_path.get(path, limit)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await self._refusal(scope, limit)(scope, receive, send)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise StarletteHTTPException(
                        413, f"the request body is larger than the limit of {limit:,} bytes"
                    )
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except StarletteHTTPException as error:  # raised outside a route's error handling
            if started or error.status_code != 413:
                raise
            await self._refusal(scope, limit, str(error.detail))(scope, receive, send)


#: A web page answering a refusal (a limit in bytes, or seconds to wait) in the visitor's
#: language, for paths outside the API.
PageAnswer = Callable[[Scope, int], Response]


def _page(page: PageAnswer | None, scope: Scope, value: int) -> Response | None:
    """The page's answer for a path outside ``/v1`` when the app serves pages; ``None`` for
    the API, which answers its JSON error."""
    if page is None or scope["path"].startswith("/v1"):
        return None
    return page(scope, value)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def is_public(scope: Scope) -> bool:
    """Reads, checks, label photos and recall claims (and the pages' claim form and
    sign-in) are public (and rate-limited); probes and writes are not."""
    path: str = scope["path"]
    if path in ("/v1/ping", "/v1/health"):
        return False
    method: str = scope["method"]
    return method in ("GET", "HEAD") or (
        method == "POST" and (path.startswith("/v1/check") or path in PUBLIC_POSTS)
    )


class RateLimit:
    """A token bucket per client IP over the requests ``applies(scope)`` selects."""

    MAX_CLIENTS = 10_000

    def __init__(
        self,
        app: ASGIApp,
        rate: float,
        burst: int,
        applies: Callable[[Scope], bool] = is_public,
        clock: Callable[[], float] = time.monotonic,
        page: PageAnswer | None = None,
    ) -> None:
        self.app = app
        self.page = page  # the answer to a web page (not under /v1): seconds to wait
        self.rate = rate
        self.burst = float(burst)
        self.applies = applies
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # client → (tokens, at)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.applies(scope):
            wait = self.take(_client(scope))
            if wait > 0:
                seconds = max(1, math.ceil(wait))
                response = self._refusal(scope, seconds)
                response.headers["Retry-After"] = str(seconds)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _refusal(self, scope: Scope, seconds: int) -> Response:
        page = _page(self.page, scope, seconds)
        if page is not None:
            return page
        return error_response(
            429, "rate_limited", f"too many requests from this address; try again in {seconds} s",
            [{"retry_after": seconds, "rate_per_second": self.rate, "burst": int(self.burst)}],
        )

    def take(self, client: str) -> float:
        """Take one token for ``client``: 0 when allowed, else seconds until one is there."""
        now = self.clock()
        tokens, at = self._buckets.get(client, (self.burst, now))
        tokens = min(self.burst, tokens + (now - at) * self.rate)
        if tokens >= 1:
            self._buckets[client] = (tokens - 1, now)
            if len(self._buckets) > self.MAX_CLIENTS:
                self._forget_idle(now)
            return 0.0
        self._buckets[client] = (tokens, now)
        return (1 - tokens) / self.rate

    def _forget_idle(self, now: float) -> None:
        """Drop clients whose bucket has filled up again: they are as if never seen."""
        full_after = self.burst / self.rate
        self._buckets = {
            client: (tokens, at)
            for client, (tokens, at) in self._buckets.items()
            if now - at < full_after
        }
        log.debug("rate limiter tracks %s clients", len(self._buckets))


def _client(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"
