"""Limits: body size (413), rate limit (429, Retry-After), CORS only when configured."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable

from cellwatch.api.limits import FORM_OVERHEAD, RateLimit
from cellwatch.store.db import Database
from tests.api.conftest import Api, TokenMaker, bearer


def test_a_json_body_over_the_limit_is_413_before_it_is_read(
    demo: Database, make_api: Callable[..., Api]
) -> None:
    api = make_api(demo, max_body_bytes=2000)
    small = api.post("/v1/check", json={"brand": "anker"})
    assert small.status_code == 200
    body = json.dumps({"items": [{"brand": "anker"}] * 200}).encode()
    got = api.post("/v1/check/batch", content=body,
                   headers={"Content-Type": "application/json"})
    assert got.status_code == 413
    assert got.json()["error"] == {
        "code": "too_large", "message": "the request body is larger than the limit of 2,000 bytes",
        "details": [{"what": "request body", "limit": 2000}],
    }


def test_a_chunked_body_is_stopped_when_it_passes_the_limit(
    demo: Database, make_api: Callable[..., Api]
) -> None:
    api = make_api(demo, max_body_bytes=2000)
    read: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"items": ['
        for index in range(1000):
            read.append(index)
            yield b'{"brand": "anker"},'
        yield b'{}]}'

    got = api.post("/v1/check/batch", content=chunks(),
                   headers={"Content-Type": "application/json"})
    assert got.status_code == 413
    assert got.json()["error"]["code"] == "too_large"
    assert len(read) < 200  # stopped early, not read to the end


def test_a_claim_may_carry_its_photos_but_no_more(
    demo: Database, make_api: Callable[..., Api]
) -> None:
    api = make_api(demo, max_body_bytes=2000, max_claim_photos=2, max_claim_photo_bytes=10_000)
    limit = 2 * 10_000 + FORM_OVERHEAD
    fits = b"x" * 15_000  # over the JSON limit, within the claim's own
    got = api.post("/v1/claims", content=fits,
                   headers={"Content-Type": "multipart/form-data; boundary=b"})
    assert got.status_code != 413
    over = b"x" * (limit + 1)
    got = api.post("/v1/claims", content=over,
                   headers={"Content-Type": "multipart/form-data; boundary=b"})
    assert got.status_code == 413
    assert got.json()["error"]["details"] == [{"what": "request body", "limit": limit}]


def test_public_requests_are_rate_limited_per_client(
    demo: Database, make_api: Callable[..., Api], token: TokenMaker
) -> None:
    api = make_api(demo, rate_limit_per_second=0.01, rate_limit_burst=3)
    for _ in range(3):
        assert api.get("/v1/check", params={"brand": "anker"}).status_code == 200
    limited = api.get("/v1/recalls")
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1
    error = limited.json()["error"]
    assert error["code"] == "rate_limited" and error["details"][0]["burst"] == 3
    assert api.post("/v1/check", json={}).status_code == 429
    assert api.post("/v1/read-label", content=b"").status_code == 429
    assert api.post("/v1/claims", data={"model": "A1257"}).status_code == 429
    # probes and authenticated writes are not public reads: not limited
    assert api.get("/v1/health").status_code == 200
    assert api.get("/v1/ping").status_code == 200
    regulator = bearer(token("regulator"))
    assert api.get("/v1/audit/verify", headers=regulator).status_code == 429  # a GET: public path
    assert api.post("/v1/incidents", json={}, headers=regulator).status_code == 422


def test_the_token_bucket_refills_at_its_rate() -> None:
    now = [0.0]

    async def app(scope: object, receive: object, send: object) -> None:  # pragma: no cover
        raise AssertionError

    limiter = RateLimit(app, rate=2.0, burst=2, clock=lambda: now[0])
    assert limiter.take("a") == 0 and limiter.take("a") == 0
    assert limiter.take("a") == 0.5  # one token comes back after half a second
    assert limiter.take("b") == 0  # every client has its own bucket
    now[0] = 0.5
    assert limiter.take("a") == 0
    now[0] = 100.0
    limiter.MAX_CLIENTS = 1
    assert limiter.take("c") == 0
    assert list(limiter._buckets) == ["c"]  # idle full buckets are forgotten


def test_no_cors_unless_configured(demo: Database, make_api: Callable[..., Api]) -> None:
    origin = {"Origin": "https://checker.example"}
    plain = make_api(demo)
    got = plain.get("/v1/recalls", headers=origin)
    assert "access-control-allow-origin" not in got.headers
    configured = make_api(demo, cors_origins="https://checker.example, https://other.example")
    allowed = configured.get("/v1/recalls", headers=origin)
    assert allowed.headers["access-control-allow-origin"] == "https://checker.example"
    preflight = configured.request("OPTIONS", "/v1/recalls", headers=origin | {
        "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "If-Match"})
    assert preflight.status_code == 200
    stranger = configured.get("/v1/recalls", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in stranger.headers
