"""Signals and incident intake over the API."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api, TokenMaker, bearer

REPORT: dict[str, Any] = {
    "date": "2025-07-04", "mode": "air", "flight": "MU5101", "brand": "Anker",
    "model": "A1263", "severity": "smoke", "sources": ["cpsc-anker-a1263-2025"],
}


def test_signals_are_public_and_show_the_demo_incidents(api: Api) -> None:
    response = api.get("/v1/signals", params={"as_of": "2025-12-01"})
    assert response.status_code == 200
    body = response.json()
    assert {"hx115-2025-03-20", "bx391-2025-01-28"} <= {i["id"] for i in body["incidents"]}
    assert body["method"]["thresholds"] == {"prr": 2.0, "chi2": 4.0, "n": 3}
    assert body["inspection"][0]["reasons"][0]["text"]["zh"]
    later = api.get("/v1/signals", params={"since": "2025-06-01"}).json()
    assert "hx115-2025-03-20" not in {i["id"] for i in later["incidents"]}
    assert api.get("/v1/signals", params={"since": "June"}).status_code == 422


def test_intake_roles_and_duplicates(api: Api, token: TokenMaker) -> None:
    regulator, checkpoint = bearer(token("regulator")), bearer(token("checkpoint"))
    assert api.post("/v1/incident-reports", json=REPORT).status_code == 401
    brand = bearer(token("brand", "anker"))
    assert api.post("/v1/incident-reports", json=REPORT, headers=brand).status_code == 403
    stored = api.post("/v1/incident-reports", json=REPORT, headers=checkpoint)
    assert stored.status_code == 201, stored.text
    assert stored.headers["Location"] == "/v1/incidents/mu5101-2025-07-04"
    assert api.get("/v1/incidents/mu5101-2025-07-04").status_code == 200
    held = api.post("/v1/incident-reports", json=REPORT | {"injuries": 1}, headers=regulator)
    assert held.status_code == 202 and held.json()["status"] == "held"
    assert api.get("/v1/incident-reports", headers=checkpoint).status_code == 403
    pending = api.get("/v1/incident-reports", headers=regulator).json()
    assert pending["meta"]["total"] == 1
    report_id = pending["results"][0]["id"]
    merged = api.post(f"/v1/incident-reports/{report_id}/merge", json={}, headers=regulator)
    assert merged.status_code == 200 and merged.json()["incident"]["injuries"] == 1
    assert api.get("/v1/incidents/mu5101-2025-07-04").json()["injuries"] == 1
    again = api.post(f"/v1/incident-reports/{report_id}/reject", json={}, headers=regulator)
    assert again.status_code == 409
    wrong = api.post(f"/v1/incident-reports/{report_id}/destroy", json={}, headers=regulator)
    assert wrong.status_code == 422
    bad = api.post("/v1/incident-reports", json=REPORT | {"brand": "Nobody"},
                   headers=regulator)
    assert bad.status_code == 422 and "not in the registry" in bad.json()["error"]["message"]
