"""``/v1/check``: GET, POST and batch answer exactly what ``check()`` answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cellwatch.check import Device, Trip, check
from cellwatch.domain.registry import Registry
from cellwatch.store import registry_store
from cellwatch.store.db import Database
from tests.api.conftest import Api

UNITS: list[dict[str, Any]] = [
    {"brand": "罗马仕", "model": "PAC20-272", "batch": "C14-P6", "energy_wh": 74,
     "ccc_mark": "present"},
    {"brand": "romoss", "model": "PAC20-272"},
    {"brand": "baseus", "model": "BS-30KP365", "serial": "2310ABCDA", "rules": "icao"},
    {"brand": "anker", "model": "A1263", "capacity_mah": 10000, "voltage": 3.7,
     "rules": "us-faa", "baggage": "checked", "count": 2},
    {"model": "nothing-like-it", "produced": "2024-05"},
    {},
]


def _expected(database: Database, unit: dict[str, Any]) -> dict[str, Any]:
    with database.connect() as connection:
        registry = Registry(registry_store.read(connection),
                            registry_store.registry_version(connection))
    facts = dict(unit)
    rules = facts.pop("rules", "cn-caac")
    trip = {key: facts.pop(key) for key in ("baggage", "count") if key in facts}
    if "voltage" in facts:
        facts["voltage_v"] = facts.pop("voltage")
    return check(
        Device(**facts), Trip(rules=rules, date=dt.date(2025, 7, 1), **trip), registry
    ).as_json()


@pytest.mark.parametrize("unit", UNITS)
def test_get_and_post_answer_what_check_answers(api: Api, demo: Database,
                                                unit: dict[str, Any]) -> None:
    expected = _expected(demo, unit)
    query = {key: str(value) for key, value in unit.items()} | {"date": "2025-07-01"}
    got = api.get("/v1/check", params=query)
    assert got.status_code == 200, got.text
    assert got.json() == expected
    posted = api.post("/v1/check", json=unit | {"date": "2025-07-01"})
    assert posted.status_code == 200, posted.text
    assert posted.json() == expected


def test_the_verdicts_of_the_readme(api: Api) -> None:
    found = api.get("/v1/check", params={
        "brand": "罗马仕", "model": "PAC20-272", "batch": "C14-P6", "date": "2025-07-01"})
    assert found.json()["verdict"] == "forbidden"
    assert [r["id"] for r in found.json()["recall"]["recalls"]] == ["cn-romoss-2025-06"]
    unknown_batch = api.get("/v1/check", params={"brand": "romoss", "model": "PAC20-272",
                                                 "date": "2025-07-01"})
    assert unknown_batch.json()["verdict"] == "needs_info"
    assert unknown_batch.json()["recall"]["missing"]


def test_post_takes_rules_as_a_list(api: Api) -> None:
    got = api.post("/v1/check", json={"brand": "anker", "rules": ["icao", "emirates"]})
    assert got.status_code == 200
    assert got.json()["rules"] == ["icao", "emirates"]


def test_batch_answers_each_unit_in_order(api: Api, demo: Database) -> None:
    items = [unit | {"date": "2025-07-01"} for unit in UNITS]
    got = api.post("/v1/check/batch", json={"items": items})
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["meta"]["count"] == len(UNITS)
    assert body["results"] == [_expected(demo, unit) for unit in UNITS]


def test_a_batch_of_1000_is_checked_and_1001_is_too_large(api: Api) -> None:
    unit = {"brand": "romoss", "model": "PAC20-272", "batch": "C14-P6"}
    ok = api.post("/v1/check/batch", json={"items": [unit] * 1000})
    assert ok.status_code == 200
    assert len(ok.json()["results"]) == 1000
    too_many = api.post("/v1/check/batch", json={"items": [unit] * 1001})
    assert too_many.status_code == 413
    assert too_many.json()["error"]["code"] == "too_large"
    assert too_many.json()["error"]["details"] == [{"what": "a batch of 1001 units", "limit": 1000}]


def test_every_invalid_value_is_listed(api: Api) -> None:
    got = api.get("/v1/check", params={
        "capacity_mah": "-5", "count": "0", "ccc_mark": "maybe", "produced": "last year",
        "date": "2025-13-01", "colour": "red",
    })
    assert got.status_code == 422
    error = got.json()["error"]
    assert error["code"] == "invalid_request"
    fields = {tuple(d["loc"]) for d in error["details"]}
    assert fields == {
        ("query", "capacity_mah"), ("query", "count"), ("query", "ccc_mark"),
        ("query", "produced"), ("query", "date"), ("query", "colour"),
    }
    assert all(d["message"] and d["type"] for d in error["details"])


def test_a_date_that_is_no_date_and_an_unknown_pack_are_422(api: Api) -> None:
    got = api.post("/v1/check", json={"produced": "2025-02-30"})
    assert got.status_code == 422
    assert "produced" in got.json()["error"]["details"][0]["loc"]
    pack = api.get("/v1/check", params={"rules": "no-such-pack"})
    assert pack.status_code == 422
    assert pack.json()["error"]["code"] == "invalid_input"
    assert "no-such-pack" in pack.json()["error"]["message"]


def test_batch_names_the_unit_that_is_invalid(api: Api) -> None:
    got = api.post("/v1/check/batch", json={"items": [{}, {"produced": "2025-02-30"}]})
    assert got.status_code == 422
    assert got.json()["error"]["details"][0]["loc"][:3] == ["body", "items", 1]
    empty = api.post("/v1/check/batch", json={"items": []})
    assert empty.status_code == 422
