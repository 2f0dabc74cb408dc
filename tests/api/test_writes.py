"""Writes: create, conflicts, revisions with If-Match, validation, references, audit."""

from __future__ import annotations

from typing import Any

import pytest

from cellwatch.store import audit
from cellwatch.store.db import Database
from tests.api import payloads
from tests.api.conftest import Api, TokenMaker, bearer


@pytest.fixture
def regulator(token: TokenMaker) -> dict[str, str]:
    return bearer(token("regulator", name="samr-desk"))


@pytest.mark.parametrize(("path", "body", "location"), [
    ("/v1/sources", payloads.source(), None),
    ("/v1/companies", payloads.company(), "/v1/companies/newco"),
    ("/v1/products", payloads.product(), "/v1/models/anker/A9999"),
    ("/v1/batches", payloads.batch(), "/v1/models/anker/A1263"),
    ("/v1/certificates", payloads.certificate(), "/v1/certificates/2025010914999999"),
    ("/v1/incidents", payloads.incident(), "/v1/incidents/fire-2026-01"),
    ("/v1/recalls", payloads.recall(), "/v1/recalls/anker-2026-01"),
])
def test_create_then_read_then_409_on_the_same_key(
    api: Api, regulator: dict[str, str], path: str, body: dict[str, Any], location: str | None
) -> None:
    created = api.post(path, json=body, headers=regulator)
    assert created.status_code == 201, created.text
    result = created.json()
    assert result["action"] == "inserted" and result["registry_version"] >= 2
    assert created.headers["etag"] == f'"{result["digest"]}"'
    if location:
        assert created.headers["location"] == location
        assert api.get(location).status_code == 200  # read your write at once
    again = api.post(path, json=body, headers=regulator)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "exists"
    assert again.json()["error"]["details"] == [{"kind": result["kind"], "key": result["key"]}]


def test_a_created_recall_changes_the_check(api: Api, regulator: dict[str, str]) -> None:
    assert api.post("/v1/products", json=payloads.product(), headers=regulator).status_code == 201
    unit = {"brand": "anker", "model": "A9999", "batch": "X1", "date": "2026-02-01"}
    assert api.get("/v1/check", params=unit).json()["recall"]["status"] == "not_recalled"
    recall = payloads.recall(scope=[{"model": "A9999", "batches": ["X1"]}])
    assert api.post("/v1/recalls", json=recall, headers=regulator).status_code == 201
    after = api.get("/v1/check", params=unit).json()
    assert after["recall"]["status"] == "recalled"
    assert "anker-2026-01" in [r["id"] for r in after["recall"]["recalls"]]


def test_a_status_change_is_recorded_and_409_when_repeated(
    api: Api, regulator: dict[str, str]
) -> None:
    assert api.post("/v1/certificates", json=payloads.certificate(),
                    headers=regulator).status_code == 201
    change = {"status": "suspended", "date": "2026-01-05", "reason": "spot check",
              "sources": [payloads.SOURCE]}
    path = "/v1/certificates/2025010914999999/status"
    assert api.post(path, json=change, headers=regulator).status_code == 201
    item = api.get("/v1/certificates/2025010914999999", params={"date": "2026-02-01"}).json()
    assert item["status"]["status"] == "suspended"
    assert api.post(path, json=change, headers=regulator).status_code == 409
    unknown = api.post("/v1/certificates/0000/status", json=change, headers=regulator)
    assert unknown.status_code == 422
    assert unknown.json()["error"]["details"][0]["field"] == "number"


def _editable(api: Api, recall_id: str) -> tuple[dict[str, Any], str]:
    got = api.get(f"/v1/recalls/{recall_id}")
    body = {k: v for k, v in got.json().items()
            if k not in ("digest", "source_records", "history")}
    return body, got.headers["etag"]


def test_revise_a_recall_keeps_the_old_version(api: Api, token: TokenMaker) -> None:
    anker = bearer(token("brand", "anker", name="anker-editor"))
    assert api.post("/v1/recalls", json=payloads.recall(), headers=anker).status_code == 201
    recall, etag = _editable(api, "anker-2026-01")
    recall["scope"] = [{"model": "A1263", "batches": ["X1", "X2"]}]
    recall["revisions"] = [{"date": "2026-02-01", "summary": {"en": "Widened to X2"}}]
    revised = api.put("/v1/recalls/anker-2026-01", json=recall, headers=anker | {"If-Match": etag})
    assert revised.status_code == 200, revised.text
    assert revised.json()["action"] == "updated"
    item = api.get("/v1/recalls/anker-2026-01").json()
    assert item["scope"][0]["batches"] == ["X1", "X2"]
    first, second = item["history"]
    assert first["record"]["scope"][0]["batches"] == ["X1"]
    assert f'"{first["digest"]}"' == etag
    assert second["digest"] == item["digest"] == revised.json()["digest"]
    assert second["actor"].endswith(":anker-editor") and second["action"] == "update"


def test_two_editors_cannot_overwrite_each_other(api: Api, regulator: dict[str, str]) -> None:
    recall, etag = _editable(api, "cn-romoss-2025-06")
    first = recall | {"note": "edited by the first"}
    second = recall | {"note": "edited by the second"}
    assert api.put("/v1/recalls/cn-romoss-2025-06", json=first,
                   headers=regulator | {"If-Match": etag}).status_code == 200
    stale = api.put("/v1/recalls/cn-romoss-2025-06", json=second,
                    headers=regulator | {"If-Match": etag})
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert error["code"] == "stale_revision"
    current = api.get("/v1/recalls/cn-romoss-2025-06")
    assert error["details"][0]["stored_digest"] == current.json()["digest"]
    assert current.json()["note"] == "edited by the first"
    retried = api.put("/v1/recalls/cn-romoss-2025-06", json=second,
                      headers=regulator | {"If-Match": current.headers["etag"]})
    assert retried.status_code == 200


def test_a_revision_needs_if_match_an_existing_recall_and_the_path_id(
    api: Api, regulator: dict[str, str]
) -> None:
    recall, etag = _editable(api, "cn-romoss-2025-06")
    missing = api.put("/v1/recalls/cn-romoss-2025-06", json=recall, headers=regulator)
    assert missing.status_code == 428
    assert missing.json()["error"]["code"] == "revision_required"
    other = api.put("/v1/recalls/another-id", json=recall, headers=regulator | {"If-Match": etag})
    assert other.status_code == 422
    unknown = api.put("/v1/recalls/nope", json=recall | {"id": "nope"},
                      headers=regulator | {"If-Match": etag})
    assert unknown.status_code == 404


def test_a_bad_body_lists_every_problem(api: Api, regulator: dict[str, str]) -> None:
    bad = payloads.recall(id="Not A Slug", announced="2025-13", sources=[], units=-1,
                          colour="red")
    del bad["issuer"]
    got = api.post("/v1/recalls", json=bad, headers=regulator)
    assert got.status_code == 422
    fields = {tuple(d["loc"][1:]) for d in got.json()["error"]["details"]}
    assert fields == {("id",), ("announced",), ("sources",), ("units",), ("colour",),
                      ("issuer",)}
    not_json = api.post("/v1/recalls", content=b"{not json", headers=regulator |
                        {"Content-Type": "application/json"})
    assert not_json.status_code == 422


def test_broken_references_are_listed_and_change_nothing(
    api: Api, demo: Database, regulator: dict[str, str]
) -> None:
    version = api.get("/v1/health").json()["registry_version"]
    bad = payloads.recall(issuer="no-such-company", sources=["no-such-source"],
                          scope=[{"model": "A1263", "brand": "anker"}])
    got = api.post("/v1/recalls", json=bad, headers=regulator)
    assert got.status_code == 422
    error = got.json()["error"]
    assert error["code"] == "invalid_bundle"
    assert {d["field"] for d in error["details"]} == {"issuer", "sources"}
    assert api.get("/v1/health").json()["registry_version"] == version


def test_api_writes_are_audited_with_the_token_and_verify(
    api: Api, demo: Database, token: TokenMaker
) -> None:
    regulator = token("regulator", name="samr-desk")
    api.post("/v1/incidents", json=payloads.incident(), headers=bearer(regulator))
    with demo.connect() as connection:
        (entry,) = audit.entries(connection, limit=1, kind="incident", key="fire-2026-01")
    assert entry.actor.startswith("token:") and entry.actor.endswith(":samr-desk")
    log = api.get("/v1/audit", params={"kind": "incident", "key": "fire-2026-01"},
                  headers=bearer(regulator)).json()
    assert log["meta"]["total"] == 1
    assert log["results"][0]["actor"] == entry.actor
    assert log["results"][0]["after"]["id"] == "fire-2026-01"
    tokens = api.get("/v1/audit", params={"kind": "token"}, headers=bearer(regulator)).json()
    assert tokens["meta"]["total"] >= 1
    assert all("token_hash" not in (e["after"] or {}) for e in tokens["results"])
    verified = api.get("/v1/audit/verify", headers=bearer(regulator)).json()
    assert verified["ok"] is True and verified["problems"] == []
    assert verified["entries"] > 100
    page = api.get("/v1/audit", params={"limit": 5, "skip": 1}, headers=bearer(regulator)).json()
    assert len(page["results"]) == 5 and page["meta"]["total"] == verified["entries"]
