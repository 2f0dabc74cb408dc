"""The change feed over HTTP (JSON and Atom) and watches: made, listed, removed, by whom."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest

from cellwatch.store import audit
from cellwatch.store.db import Database
from tests.api import payloads
from tests.api.conftest import Api, TokenMaker, bearer

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def regulator(token: TokenMaker) -> dict[str, str]:
    return bearer(token("regulator", name="samr-desk"))


def test_the_demo_load_emitted_the_registry_history_as_events(api: Api) -> None:
    page = api.get("/v1/events", params={"limit": 1000}).json()
    types = {e["type"] for e in page["events"]}
    assert types == {"recall.published", "certificate.status_changed", "incident.reported"}
    assert page["next"] == page["events"][-1]["id"]
    romoss = api.get("/v1/events", params={"brand": "罗马仕", "type": "recall.published"}).json()
    assert romoss["events"] and all("romoss" in e["subjects"]["brand"]
                                    for e in romoss["events"])


def test_a_new_recall_then_its_revision_appear_after_the_cursor(
    api: Api, regulator: dict[str, str]
) -> None:
    cursor = api.get("/v1/events", params={"limit": 1000}).json()["next"]
    assert api.post("/v1/recalls", json=payloads.recall(), headers=regulator).status_code == 201
    created = api.get("/v1/recalls/anker-2026-01")
    revised = payloads.recall(units=500)
    answer = api.put("/v1/recalls/anker-2026-01", json=revised,
                     headers={**regulator, "If-Match": created.headers["etag"]})
    assert answer.status_code == 200, answer.text
    page = api.get("/v1/events", params={"since": cursor}).json()
    assert [(e["type"], e["key"]) for e in page["events"]] == [
        ("recall.published", "anker-2026-01"), ("recall.revised", "anker-2026-01"),
    ]
    assert page["events"][1]["record"]["units"] == 500
    assert page["events"][0]["actor"].endswith(":samr-desk")  # the token that wrote it
    by_model = api.get("/v1/events", params={"since": cursor, "model": "anker/A-1263"}).json()
    assert len(by_model["events"]) == 2


def test_filters_refuse_unknown_names(api: Api) -> None:
    answer = api.get("/v1/events", params={"brand": "no-such-brand"})
    assert answer.status_code == 422
    assert "no brand 'no-such-brand'" in answer.json()["error"]["message"]


def test_the_atom_feed_is_valid_xml_newest_first_in_either_language(api: Api) -> None:
    answer = api.get("/v1/feed.atom", params={"company": "romoss", "limit": 5})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(answer.content)
    entries = feed.findall(f"{ATOM}entry")
    assert 0 < len(entries) <= 5
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert all(e.findtext(f"{ATOM}id", "").startswith("urn:uuid:") for e in entries)
    chinese = ET.fromstring(api.get("/v1/feed.atom", params={"lang": "zh", "limit": 3}).content)
    assert any("召回" in (e.findtext(f"{ATOM}title") or "") or "证书" in
               (e.findtext(f"{ATOM}title") or "") or "事件" in (e.findtext(f"{ATOM}title") or "")
               for e in chinese.findall(f"{ATOM}entry"))


def test_watches_need_a_token_and_belong_to_their_maker(
    api: Api, token: TokenMaker, demo: Database
) -> None:
    body = {"name": "romoss desk", "url": "https://example.org/hook", "brands": ["Romoss"],
            "companies": ["APEX (Wuxi)"], "units": [{"brand": "romoss", "model": "PAC20-272",
                                                     "batch": "C14-P6", "label": "shelf 3"}]}
    assert api.post("/v1/watches", json=body).status_code == 401
    brand = bearer(token("brand", "romoss", name="romoss-qa"))
    other = bearer(token("regulator", name="someone-else"))
    made = api.post("/v1/watches", json=body, headers=brand)
    assert made.status_code == 201, made.text
    watch_id, secret = made.json()["id"], made.json()["secret"]
    assert secret.startswith("whsec_")
    [listed] = api.get("/v1/watches", headers=brand).json()
    assert listed["id"] == watch_id and listed["units"] == 1
    assert listed["brands"] == ["romoss"] and listed["companies"]
    assert "secret" not in listed
    assert api.get("/v1/watches", headers=other).json() == []
    assert api.get(f"/v1/watches/{watch_id}/deliveries", headers=other).status_code == 404
    assert api.delete(f"/v1/watches/{watch_id}", headers=other).status_code == 404
    assert api.get(f"/v1/watches/{watch_id}/deliveries", headers=brand).json() == []
    assert api.delete(f"/v1/watches/{watch_id}", headers=brand).status_code == 204
    assert api.get("/v1/watches", headers=brand).json() == []
    with demo.connect() as connection:
        logged = [(e.kind, e.action) for e in audit.entries(connection, kind="watch")]
        assert audit.verify(connection).ok
        assert all(secret not in str(e.after) for e in audit.entries(connection, kind="watch"))
    assert sorted(logged) == [("watch", "delete"), ("watch", "insert")]


@pytest.mark.parametrize(("body", "message"), [
    ({"url": "ftp://example.org/x", "brands": ["romoss"]}, "http:// or https://"),
    ({"url": "https://example.org/x"}, "at least one"),
    ({"url": "https://example.org/x", "models": ["PAC20-272"]}, "brand/model"),
    ({"url": "https://example.org/x", "units": [{"brand": "romoss", "model": "X",
                                                 "produced": "2024-13"}]}, "produced"),
])
def test_bad_watches_are_refused_and_nothing_is_stored(
    api: Api, token: TokenMaker, body: dict[str, object], message: str
) -> None:
    headers = bearer(token("regulator"))
    answer = api.post("/v1/watches", json=body, headers=headers)
    assert answer.status_code == 422
    assert message in answer.text
    assert api.get("/v1/watches", headers=headers).json() == []
