"""Claims over the API: public submission and follow-up, brand boundaries, contacts never
public, the CSV export, erasure, recall effectiveness."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api, TokenMaker, bearer
from tests.claims.test_evidence import jpeg_with_gps

EMAIL = "wang.fang@example.cn"
FORM = {"brand": "倍思", "model": "BS-30KP365", "serial": "BS30KP3659999D",
        "contact_name": "Wang Fang", "contact_email": EMAIL}


def submit(api: Api, photos: int = 1, **fields: Any) -> Any:
    files = [("photos", (f"p{i}.jpg", jpeg_with_gps(), "image/jpeg")) for i in range(photos)]
    return api.post("/v1/claims", data=FORM | fields, files=files or None)


@pytest.fixture
def submitted(api: Api) -> dict[str, Any]:
    response = submit(api)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_anyone_submits_and_follows_with_the_secret(api: Api, submitted: dict[str, Any]) -> None:
    claim = submitted["claim"]
    assert claim["state"] == "submitted" and claim["photos"] == 1
    assert EMAIL not in str(submitted)
    path = f"/v1/claims/{claim['id']}"
    followed = api.get(path, headers={"X-Claim-Secret": submitted["secret"]})
    assert followed.status_code == 200
    assert followed.json()["state_text"] == {"en": "Submitted; the brand will review it",
                                             "zh": "已提交，等待品牌审核"}
    assert EMAIL not in followed.text and "contact" not in followed.json()
    assert api.get(path, headers={"X-Claim-Secret": "wrong"}).status_code == 404
    assert api.get(path).status_code == 401


def test_brand_boundaries(api: Api, token: TokenMaker, submitted: dict[str, Any]) -> None:
    claim_id = submitted["claim"]["id"]
    baseus, anker = bearer(token("brand", "baseus")), bearer(token("brand", "anker"))
    regulator, checkpoint = bearer(token("regulator")), bearer(token("checkpoint"))
    mine = api.get(f"/v1/claims/{claim_id}", headers=baseus)
    assert mine.status_code == 200 and mine.json()["contact"]["email"] == EMAIL
    assert api.get(f"/v1/claims/{claim_id}", headers=regulator).json()["contact"]
    assert api.get(f"/v1/claims/{claim_id}", headers=anker).status_code == 403
    assert api.get(f"/v1/claims/{claim_id}", headers=checkpoint).status_code == 403
    assert api.get("/v1/claims", headers=anker).json()["meta"]["total"] == 0
    assert api.get("/v1/claims", headers=baseus).json()["meta"]["total"] == 1
    assert api.get("/v1/claims").status_code == 401
    move = {"to": "approved"}
    assert api.post(f"/v1/claims/{claim_id}/moves", json=move, headers=anker).status_code == 403
    assert api.get(f"/v1/claims/{claim_id}/photos/1", headers=anker).status_code == 403
    photo = api.get(f"/v1/claims/{claim_id}/photos/1", headers=baseus)
    assert photo.status_code == 200 and photo.headers["content-type"] == "image/jpeg"
    moved = api.post(f"/v1/claims/{claim_id}/moves", json=move, headers=baseus)
    assert moved.status_code == 200 and moved.json()["state"] == "approved"
    bad = api.post(f"/v1/claims/{claim_id}/moves", json={"to": "completed"}, headers=baseus)
    assert bad.status_code == 409 and bad.json()["error"]["code"] == "illegal_transition"
    no_reason = api.post(f"/v1/claims/{claim_id}/moves", json={"to": "rejected"},
                         headers=baseus)
    assert no_reason.status_code == 422


def test_contacts_never_leave_in_public_answers_or_exports(
    api: Api, token: TokenMaker, submitted: dict[str, Any]
) -> None:
    regulator = bearer(token("regulator"))
    export = api.get("/v1/claims.csv", headers=regulator)
    assert export.status_code == 200 and submitted["claim"]["id"] in export.text
    assert EMAIL not in export.text and "Wang Fang" not in export.text
    effect = api.get(f"/v1/recalls/{submitted['claim']['recall_id']}/effectiveness")
    assert effect.status_code == 200 and effect.json()["claims"] == 1
    assert EMAIL not in effect.text
    erased = api.delete(f"/v1/claims/{submitted['claim']['id']}/contact", headers=regulator)
    assert erased.status_code == 200 and erased.json()["contact"] is None
    assert erased.json()["photos"] == 0
    effect = api.get(f"/v1/recalls/{submitted['claim']['recall_id']}/effectiveness").json()
    assert effect["claims"] == 1  # the anonymous count stays


def test_refusals(api: Api, submitted: dict[str, Any]) -> None:
    outside = submit(api, serial="BS30KP3659999A")
    assert outside.status_code == 422
    error = outside.json()["error"]
    assert error["code"] == "not_eligible"
    assert all(d["en"] and d["zh"] for d in error["details"])
    again = submit(api)
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_claimed"
    too_many = submit(api, photos=6, serial="BS30KP3650001D")
    assert too_many.status_code == 413
    not_image = api.post("/v1/claims", data=FORM | {"serial": "BS30KP3650002D"},
                         files=[("photos", ("x.jpg", b"not an image", "image/jpeg"))])
    assert not_image.status_code == 422
    no_contact = api.post("/v1/claims", data=FORM | {"contact_email": "",
                                                     "serial": "BS30KP3650003D"})
    assert no_contact.status_code == 422
    assert no_contact.json()["error"]["code"] == "invalid_request"
