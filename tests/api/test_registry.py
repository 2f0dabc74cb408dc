"""Registry reads: one listing convention for every kind, items with what belongs to them."""

from __future__ import annotations

import re

import pytest

from cellwatch.api import create_app
from cellwatch.store.db import Database
from tests.api.conftest import Api, settings_for

LISTINGS = [
    "/v1/recalls", "/v1/companies", "/v1/models", "/v1/certificates", "/v1/incidents",
    "/v1/rules",
]


@pytest.mark.parametrize("path", LISTINGS)
def test_every_listing_follows_one_convention(api: Api, path: str) -> None:
    first = api.get(path, params={"limit": 2})
    assert first.status_code == 200, first.text
    body = first.json()
    meta = body["meta"]
    assert {"total", "limit", "skip", "registry_version", "last_updated"} <= set(meta)
    assert (meta["limit"], meta["skip"]) == (2, 0)
    assert meta["registry_version"] >= 1 and meta["last_updated"].endswith("Z")
    assert len(body["results"]) == min(2, meta["total"])
    everything = api.get(path, params={"limit": 1000}).json()
    assert len(everything["results"]) == meta["total"]
    second = api.get(path, params={"limit": 2, "skip": 2}).json()
    assert second["results"] == everything["results"][2:4]
    assert second["meta"]["total"] == meta["total"]
    assert api.get(path, params={"limit": 0}).json()["results"] == []


@pytest.mark.parametrize("path", LISTINGS)
def test_limit_and_skip_are_bounded(api: Api, path: str) -> None:
    got = api.get(path, params={"limit": 1001, "skip": -1})
    assert got.status_code == 422
    assert {tuple(d["loc"]) for d in got.json()["error"]["details"]} == {
        ("query", "limit"), ("query", "skip")
    }


def test_recalls_filter_and_search(api: Api) -> None:
    china = api.get("/v1/recalls", params={"market": "CN", "limit": 100}).json()
    assert china["results"] and all(r["market"] == "CN" for r in china["results"])
    romoss = api.get("/v1/recalls", params={"brand": "罗马仕"}).json()
    assert "cn-romoss-2025-06" in [r["id"] for r in romoss["results"]]
    assert all(r["issuer"] == "romoss" for r in romoss["results"])
    by_model = api.get("/v1/recalls", params={"model": "pac20 272"}).json()
    assert "cn-romoss-2025-06" in [r["id"] for r in by_model["results"]]
    window = api.get("/v1/recalls", params={
        "announced_from": "2025-06-01", "announced_to": "2025-06-30", "limit": 100}).json()
    assert window["results"]
    # a notice dated only to the year or month may fall inside the window
    assert all(r["announced"].startswith("2025-06") or "2025-06".startswith(r["announced"])
               for r in window["results"])
    text = api.get("/v1/recalls", params={"search": "romoss"}).json()
    assert text["meta"]["total"] >= 1
    nobody = api.get("/v1/recalls", params={"brand": "no such brand"}).json()
    assert nobody["meta"]["total"] == 0 and nobody["results"] == []


def test_a_recall_with_its_sources_and_history(api: Api) -> None:
    got = api.get("/v1/recalls/cn-romoss-2025-06")
    assert got.status_code == 200
    recall = got.json()
    assert recall["id"] == "cn-romoss-2025-06"
    assert got.headers["etag"] == f'"{recall["digest"]}"'
    assert {s["id"] for s in recall["source_records"]} >= set(recall["sources"])
    assert all(s["url"] for s in recall["source_records"])
    (version,) = recall["history"]
    assert version["action"] == "insert" and version["actor"] == "test"
    assert version["digest"] == recall["digest"]
    assert version["record"]["id"] == "cn-romoss-2025-06"


def test_companies_resolve_any_name(api: Api) -> None:
    got = api.get("/v1/companies/APEX (Wuxi)")
    assert got.status_code == 200
    company = got.json()
    assert company["id"] == "amprius-wuxi"
    assert set(company) >= {"former_ids", "certificates", "models", "recalls", "source_records"}
    listed = api.get("/v1/companies", params={"role": "cell_maker", "limit": 100}).json()
    assert all("cell_maker" in c["roles"] for c in listed["results"])
    assert api.get("/v1/companies", params={"country": "cn"}).json()["meta"]["total"] > 0


def test_models_by_code_or_marketing_name(api: Api) -> None:
    by_code = api.get("/v1/models/anker/A1263")
    assert by_code.status_code == 200
    by_name = api.get("/v1/models/Anker/PowerCore 10000")
    assert by_name.json()["model"] == "A1263"
    assert by_code.json()["recalls"]
    romoss = api.get("/v1/models/romoss/PAC20-272").json()
    assert romoss["batches"] and all(b["brand"] == "romoss" for b in romoss["batches"])
    assert api.get("/v1/models", params={"brand": "anker", "kind": "power_bank"}).json()[
        "results"
    ]


def test_certificates_with_status_at_a_date(api: Api) -> None:
    listed = api.get("/v1/certificates", params={"date": "2025-07-01", "limit": 100}).json()
    assert listed["meta"]["date"] == "2025-07-01"
    assert all("status" in c for c in listed["results"])
    suspended = api.get("/v1/certificates", params={
        "date": "2025-07-01", "status": "suspended", "limit": 100}).json()["results"]
    assert suspended
    number = suspended[0]["number"]
    item = api.get(f"/v1/certificates/{number}", params={"date": "2025-07-01"}).json()
    assert item["status"] == {"date": "2025-07-01", "status": "suspended"}
    assert item["history"] and item["history"][0]["number"] == number
    before = api.get(f"/v1/certificates/{number}", params={"date": "2020-01-01"}).json()
    assert before["status"]["status"] != "suspended"


def test_incidents(api: Api) -> None:
    listed = api.get("/v1/incidents", params={"mode": "air", "limit": 100}).json()
    assert listed["results"] and all(i["mode"] == "air" for i in listed["results"])
    dates = [i["date"] for i in listed["results"]]
    assert dates == sorted(dates, reverse=True)
    first = listed["results"][0]
    item = api.get(f"/v1/incidents/{first['id']}").json()
    assert item["id"] == first["id"] and item["source_records"]
    window = api.get("/v1/incidents", params={"date_from": "2099-01-01"}).json()
    assert window["meta"]["total"] == 0


def test_rule_packs(api: Api) -> None:
    air = api.get("/v1/rules", params={"mode": "air", "limit": 100}).json()
    assert "cn-caac" in [p["id"] for p in air["results"]]
    assert all(p["mode"] == "air" for p in air["results"])
    pack = api.get("/v1/rules/cn-caac").json()
    assert pack["id"] == "cn-caac"
    assert all("when_text" in rule for rule in pack["rules"])
    assert api.get("/v1/rules", params={"search": "emirates"}).json()["meta"]["total"] >= 1


@pytest.mark.parametrize("path", [
    "/v1/recalls/nope", "/v1/companies/nobody at all", "/v1/models/anker/ZZZ-999",
    "/v1/certificates/0000", "/v1/incidents/nope", "/v1/rules/nope",
])
def test_unknown_items_are_404_in_the_error_shape(api: Api, path: str) -> None:
    got = api.get(path)
    assert got.status_code == 404
    error = got.json()["error"]
    assert error["code"] == "not_found" and error["message"] and error["details"] == []


def test_unknown_paths_and_methods_answer_in_the_error_shape(api: Api) -> None:
    missing = api.get("/v1/no/such/thing")
    assert missing.status_code == 404
    assert missing.json() == {"error": {
        "code": "not_found", "message": "no such endpoint: GET /v1/no/such/thing",
        "details": []}}
    wrong = api.delete("/v1/recalls")
    assert wrong.status_code == 405
    assert wrong.json()["error"]["code"] == "method_not_allowed"


def test_health_and_ping(api: Api) -> None:
    health = api.get("/v1/health").json()
    assert health["status"] == "ok" and health["database"]["reachable"] is True
    assert health["registry_version"] >= 1 and health["version"]
    assert api.get("/v1/ping").json() == {"pong": True}


def test_health_is_503_when_the_database_is_unreachable() -> None:
    url = "postgresql+psycopg://cw@127.0.0.1:1/nowhere"
    app = create_app(settings_for(url), database=Database(url, timeout=1))
    with Api(app) as api:
        got = api.get("/v1/health")
        assert got.status_code == 503
        assert got.json()["error"]["code"] == "database_unavailable"
        assert api.get("/v1/check", params={"brand": "anker"}).status_code == 503
        assert api.get("/v1/ping").status_code == 200


def test_the_openapi_document_and_docs_are_published(api: Api) -> None:
    document = api.get("/openapi.json").json()
    assert {"/v1/check", "/v1/recalls", "/v1/recalls/{recall_id}", "/v1/bundles",
            "/v1/health", "/v1/audit"} <= set(document["paths"])
    page = api.get("/docs")
    assert page.status_code == 200
    assets = re.findall(r'(?:src|href)="(/docs/assets/[^"]+)"', page.text)
    assert sorted(a.split("?")[0] for a in assets) == [
        "/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css"]
    assert "cdn" not in page.text and "https://" not in page.text  # nothing from outside
    for url in assets:
        served = api.get(url)
        assert served.status_code == 200 and len(served.content) > 10_000
        assert "immutable" in served.headers["cache-control"]
    assert api.get("/docs/assets/index.html").status_code == 404  # only the two
    assert api.get("/redoc").status_code == 404  # ReDoc would load from a CDN
