"""Checkpoint records over the API: tokens bound to a location, records, chains, reports."""

from __future__ import annotations

import datetime as dt

from tests.api.conftest import Api, TokenMaker, bearer

LOCATION = {"id": "pek-t3", "name": "Beijing Capital T3 security", "name_zh": "首都机场T3安检",
            "days_free": 7, "fee_per_day_cents": 1000, "max_days": 30,
            "not_storable": ["recalled", "damaged"]}


def test_a_checkpoint_records_at_its_location(api: Api, token: TokenMaker) -> None:
    regulator = bearer(token("regulator"))
    secret = token("checkpoint", name="pek-desk-1")
    desk = bearer(secret)
    assert api.post("/v1/checkpoint/locations", json=LOCATION, headers=desk).status_code == 403
    assert api.post("/v1/checkpoint/locations", json=LOCATION,
                    headers=regulator).status_code == 201
    first = {"kind": "refused", "model": "A1263", "serial": "AK9", "reason": "recalled"}
    unbound = api.post("/v1/checkpoint/records", json=first, headers=desk)
    assert unbound.status_code == 403 and "bound to no location" in unbound.text
    tokens = api.get("/v1/tokens", headers=bearer(token("admin"))).json()
    desk_id = next(t["id"] for t in tokens if t["name"] == "pek-desk-1")
    bound = api.post("/v1/checkpoint/locations/pek-t3/tokens", json={"token_id": desk_id},
                     headers=regulator)
    assert bound.status_code == 200
    refused = api.post("/v1/checkpoint/records", json=first, headers=desk)
    assert refused.status_code == 201, refused.text
    case = refused.json()
    store = {"kind": "stored", "case_id": case["id"]}
    not_storable = api.post("/v1/checkpoint/records", json=store, headers=desk)
    assert not_storable.status_code == 409
    assert not_storable.json()["error"]["code"] == "illegal_transition"
    given = api.post("/v1/checkpoint/records", json={"kind": "given_up", "case_id": case["id"]},
                     headers=desk)
    assert given.status_code == 201 and given.json()["open"] is True
    assert api.post("/v1/checkpoint/records", json=first, headers=regulator).status_code == 403
    chain = api.get("/v1/checkpoint/chain", params={"serial": "ak9"}, headers=desk).json()
    assert [s["kind"] for s in chain["results"][0]["steps"]] == ["refused", "given_up"]
    assert chain["results"][0]["steps"][0]["text"]["zh"] == "拒绝携带：召回产品"
    today = dt.datetime.now(dt.UTC).date().isoformat()
    report = api.get("/v1/checkpoint/locations/pek-t3/report", params={"date": today},
                     headers=desk)
    assert report.status_code == 200
    assert report.json()["refused_by_reason"] == {"recalled": 1}
    assert report.json()["open"]["awaiting_handover"] == [case["id"]]
    csv = api.get("/v1/checkpoint/locations/pek-t3/report",
                  params={"date": today, "format": "csv"}, headers=regulator)
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert "refused_by_reason,recalled,1" in csv.text
    other = {**LOCATION, "id": "sha-t1"}
    api.post("/v1/checkpoint/locations", json=other, headers=regulator)
    assert api.get("/v1/checkpoint/locations/sha-t1/report", headers=desk).status_code == 403
    assert api.get(f"/v1/checkpoint/cases/{case['id']}", headers=desk).status_code == 200
    assert api.get("/v1/checkpoint/chain", headers=desk).status_code == 422
