"""Tokens and roles: who may write what (every boundary), and who is refused."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from cellwatch.store.db import Database
from cellwatch.store.tokens import TokenRole, create_token
from tests.api import payloads
from tests.api.conftest import Api, TokenMaker, bearer


def test_a_write_without_a_token_is_401(api: Api) -> None:
    got = api.post("/v1/recalls", json=payloads.recall())
    assert got.status_code == 401
    assert got.json()["error"]["code"] == "unauthenticated"
    assert got.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer cw_not-a-real-token", "Bearer nonsense",
                                    "Basic dXNlcjpwYXNz"])
def test_an_unknown_token_is_401(api: Api, header: str) -> None:
    got = api.post("/v1/recalls", json=payloads.recall(), headers={"Authorization": header})
    assert got.status_code == 401


def test_an_expired_token_is_401(api: Api, demo: Database, token: TokenMaker) -> None:
    secret = token("regulator", expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1))
    assert api.get("/v1/audit/verify", headers=bearer(secret)).status_code == 200
    with demo.unit_of_work("test") as uow:  # an expiry cannot be set in the past: age it
        uow.connection.exec_driver_sql("UPDATE api_tokens SET expires_at = created_at")
    got = api.get("/v1/audit/verify", headers=bearer(secret))
    assert got.status_code == 401
    assert got.json()["error"]["message"] == "the bearer token is expired"


def test_a_revoked_token_is_401(api: Api, token: TokenMaker) -> None:
    admin = token("admin")
    regulator = token("regulator", name="soon-revoked")
    assert api.post("/v1/incidents", json=payloads.incident(),
                    headers=bearer(regulator)).status_code == 201
    listed = api.get("/v1/tokens", headers=bearer(admin)).json()
    (found,) = [t for t in listed if t["name"] == "soon-revoked"]
    revoked = api.delete(f"/v1/tokens/{found['id']}", headers=bearer(admin))
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    got = api.post("/v1/incidents", json=payloads.incident(id="fire-2"), headers=bearer(regulator))
    assert got.status_code == 401
    assert got.json()["error"]["message"] == "the bearer token is revoked"


def test_a_brand_writes_its_own_recalls_products_and_batches(api: Api, token: TokenMaker) -> None:
    anker = bearer(token("brand", "anker"))
    assert api.post("/v1/sources", json=payloads.source(), headers=anker).status_code == 201
    assert api.post("/v1/products", json=payloads.product(), headers=anker).status_code == 201
    assert api.post("/v1/batches", json=payloads.batch(), headers=anker).status_code == 201
    created = api.post("/v1/recalls", json=payloads.recall(sources=["anker-notice-2026"]),
                       headers=anker)
    assert created.status_code == 201, created.text


def test_a_brand_cannot_touch_another_brands_records(api: Api, token: TokenMaker) -> None:
    anker = bearer(token("brand", "anker"))
    cases = [
        ("/v1/recalls", payloads.recall(id="romoss-x", issuer="romoss",
                                        scope=[{"model": "PAC20-272"}])),
        ("/v1/recalls", payloads.recall(scope=[{"model": "PAC20-272", "brand": "romoss"}])),
        ("/v1/products", payloads.product(brand="romoss")),
        ("/v1/batches", payloads.batch(brand="romoss", model="PAC20-272")),
    ]
    for path, body in cases:
        got = api.post(path, json=body, headers=anker)
        assert got.status_code == 403, (path, got.text)
        assert got.json()["error"]["code"] == "forbidden"
        assert "romoss" in got.json()["error"]["message"]


def test_a_brand_cannot_revise_another_brands_recall(api: Api, token: TokenMaker) -> None:
    anker = bearer(token("brand", "anker"))
    stored = api.get("/v1/recalls/cn-romoss-2025-06")
    recall = {k: v for k, v in stored.json().items()
              if k not in ("digest", "source_records", "history")}
    # even rewritten to name only anker, the stored recall is Romoss's
    recall |= {"issuer": "anker", "scope": [{"model": "A1263"}]}
    got = api.put("/v1/recalls/cn-romoss-2025-06", json=recall,
                  headers=anker | {"If-Match": stored.headers["etag"]})
    assert got.status_code == 403
    assert "names romoss" in got.json()["error"]["message"]


@pytest.mark.parametrize(("path", "body"), [
    ("/v1/companies", payloads.company()),
    ("/v1/certificates", payloads.certificate()),
    ("/v1/certificates/2025010914999999/status",
     {"status": "suspended", "date": "2026-01", "sources": [payloads.SOURCE]}),
    ("/v1/incidents", payloads.incident()),
])
def test_regulator_only_writes_are_refused_to_a_brand(
    api: Api, token: TokenMaker, path: str, body: dict[str, object]
) -> None:
    got = api.post(path, json=body, headers=bearer(token("brand", "anker")))
    assert got.status_code == 403


def test_a_brand_may_add_sources_but_not_change_them(api: Api, token: TokenMaker) -> None:
    anker = bearer(token("brand", "anker"))
    stored = api.get("/v1/recalls/cn-romoss-2025-06").json()["source_records"][0]
    changed = stored | {"title": "Something else"}
    got = api.post("/v1/bundles", content=_zip({"sources.yaml": _yaml([changed])}),
                   headers=anker)
    assert got.status_code == 403, got.text
    assert "may not change it" in got.json()["error"]["message"]


def test_a_checkpoint_token_writes_nothing(api: Api, token: TokenMaker) -> None:
    checkpoint = bearer(token("checkpoint"))
    assert api.post("/v1/recalls", json=payloads.recall(), headers=checkpoint).status_code == 403
    assert api.get("/v1/audit", headers=checkpoint).status_code == 403


#: What a screener token may do beyond the public endpoints: screen, and keep watches.
SCREENER_MAY = {
    ("POST", "/v1/screen"), ("GET", "/v1/screen"), ("GET", "/v1/screen/{job_id}"),
    ("DELETE", "/v1/screen/{job_id}"), ("POST", "/v1/screen/{job_id}/again"),
    ("GET", "/v1/screen/{job_id}/changes"),
    ("GET", "/v1/screen/{job_id}/result"), ("GET", "/v1/screen/{job_id}/errors"),
    ("POST", "/v1/watches"), ("GET", "/v1/watches"), ("DELETE", "/v1/watches/{watch_id}"),
    ("GET", "/v1/watches/{watch_id}/deliveries"),
}


def _token_routes(api: Api) -> list[tuple[str, str]]:
    """Every (method, path) of the API (its OpenAPI schema) that answers 401 without a
    token."""
    found = []
    for path, operations in api.get("/openapi.json").json()["paths"].items():
        for method in operations:
            url = re.sub(r"\{[^}]+\}", "1", path)
            if api.request(method.upper(), url).status_code == 401:
                found.append((method.upper(), path))
    return found


def test_a_screener_token_screens_and_watches_and_nothing_else(
    api: Api, token: TokenMaker
) -> None:
    """Every endpoint that needs a token refuses a screener's but those it may use (its
    screens are run in tests/screen/test_api.py)."""
    screener = bearer(token("screener"))
    routes = _token_routes(api)
    assert set(routes) >= SCREENER_MAY and len(routes) > len(SCREENER_MAY) + 20
    for method, path in routes:
        got = api.request(method, re.sub(r"\{[^}]+\}", "1", path), headers=screener)
        if (method, path) in SCREENER_MAY:
            assert got.status_code not in (401, 403), (method, path, got.text)
        else:
            assert got.status_code == 403, (method, path, got.text)
            assert "screener" in got.json()["error"]["message"]
    made = api.post("/v1/watches", headers=screener, json={
        "name": "stock", "url": "https://example.org/hook", "brands": ["Anker"]})
    assert made.status_code == 201, made.text


def test_a_regulator_writes_any_recall_and_reads_the_audit_log(
    api: Api, token: TokenMaker
) -> None:
    regulator = bearer(token("regulator"))
    created = api.post("/v1/recalls", json=payloads.recall(id="romoss-2026", issuer="romoss",
                       scope=[{"model": "PAC20-272"}]), headers=regulator)
    assert created.status_code == 201
    assert api.post("/v1/companies", json=payloads.company(), headers=regulator).status_code == 201
    assert api.get("/v1/audit", headers=regulator).status_code == 200
    assert api.get("/v1/tokens", headers=regulator).status_code == 403


def test_an_admin_may_do_everything(api: Api, token: TokenMaker) -> None:
    admin = bearer(token("admin"))
    assert api.post("/v1/recalls", json=payloads.recall(), headers=admin).status_code == 201
    assert api.post("/v1/incidents", json=payloads.incident(), headers=admin).status_code == 201
    made = api.post("/v1/tokens", json={"role": "brand", "name": "romoss-web",
                                        "company": "romoss", "expires_in_days": 30},
                    headers=admin)
    assert made.status_code == 201
    secret = made.json()["secret"]
    assert secret.startswith("cw_") and made.json()["state"] == "active"
    listed = api.get("/v1/tokens", headers=admin).json()
    assert all("secret" not in t for t in listed)
    romoss = bearer(secret)
    assert api.post("/v1/products", json=payloads.product(brand="romoss"),
                    headers=romoss).status_code == 201
    unknown = api.post("/v1/tokens", json={"role": "brand", "name": "x", "company": "nobody"},
                       headers=admin)
    assert unknown.status_code == 404
    no_company = api.post("/v1/tokens", json={"role": "brand", "name": "x"}, headers=admin)
    assert no_company.status_code == 422
    assert api.delete("/v1/tokens/99999", headers=admin).status_code == 404


def test_tokens_are_stored_only_hashed(demo: Database) -> None:
    with demo.unit_of_work("test") as uow:
        token, secret = create_token(uow, TokenRole.ADMIN, name="root")
    with demo.connect() as connection:
        rows = connection.exec_driver_sql("SELECT * FROM api_tokens").all()
    assert secret not in repr(rows)
    assert token.actor == f"token:{token.id}:root"


def _zip(files: dict[str, str]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _yaml(records: list[dict[str, object]]) -> str:
    import yaml

    return str(yaml.safe_dump(records, allow_unicode=True))
