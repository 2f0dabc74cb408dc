"""The whole check on the shipped demo registry and on constructed registries."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cellwatch.bundles.reader import read_bundle
from cellwatch.check import CheckResult, Device, Trip, check
from cellwatch.domain.registry import Registry, RegistryData
from cellwatch.ingest import demo_bundle
from cellwatch.rules.facts import RecallStatus, Verdict
from tests import factories as f

AFTER = dt.date(2026, 1, 15)  # after every recall in the demo registry was announced


@cache
def demo() -> Registry:
    data, issues = read_bundle(demo_bundle())
    assert issues == []
    return Registry(data, 1)


def run(rules: str = "cn-caac", date: dt.date = AFTER, registry: Registry | None = None,
        **device: Any) -> CheckResult:
    return check(Device(**device), Trip(rules=rules, date=date), registry or demo())


@pytest.mark.parametrize(
    ("device", "status", "recalls", "missing"),
    [
        ({"brand": "romoss", "model": "PAC20-272", "batch": "C14-P6"}, "recalled", ["cn-romoss-2025-06"], []),
        ({"brand": "罗马仕", "model": "pac20 272", "batch": "c14p6"}, "recalled", ["cn-romoss-2025-06"], []),
        ({"brand": "ROMOSS", "model": "PAC20-272", "batch": "C14-P8"}, "not_recalled", [], []),
        ({"brand": "romoss", "model": "PAC20-272"}, "possibly_recalled", [], ["batch", "produced"]),
        ({"brand": "romoss", "model": "PLT20A-152", "produced": "2023-09"}, "recalled", ["cn-romoss-2025-06"], []),
        ({"brand": "baseus", "model": "BS-30KP365", "serial": "BS30KP2209001A"}, "not_recalled", [], []),
        ({"brand": "倍思", "model": "BS-30KP365", "serial": "BS30KP2209001D"}, "recalled",
         ["cn-baseus-2025-04", "us-cpsc-baseus-bs-30kp365-2025-05"], []),
        ({"brand": "belkin", "model": "BPD005", "serial": "57V12345678901"}, "recalled", ["us-cpsc-belkin-bpd005-2024-12"], []),
        ({"brand": "belkin", "model": "BPD005", "serial": "58V12345678901"}, "not_recalled", [], []),
        ({"brand": "iniu", "model": "BI-B41", "serial": "2108000H21X93"}, "recalled", ["us-cpsc-iniu-bi-b41-2025-12"], []),
        ({"model": "PB2030MI", "produced": "2024-08-15"}, "recalled", ["cn-xiaomi-2025-08"], []),
        ({"model": "PB2030MI", "produced": "2024-09"}, "possibly_recalled", [], ["produced"]),
        ({"model": "PB2030MI", "produced": "2024-10-01"}, "not_recalled", [], []),
        ({"brand": "anker", "model": "PowerCore 10000", "produced": "2018-05"}, "recalled", ["us-cpsc-anker-a1263-2025-06"], []),
        ({"brand": "acme", "model": "ZZZ-1"}, "unknown_model", [], []),
    ],
)
def test_demo_recall_cases(device: dict[str, Any], status: str, recalls: list[str],
                           missing: list[str]) -> None:
    result = run(**device)
    assert result.recall.status.value == status
    assert set(recalls) <= {r.id for r in result.recall.recalls}
    assert list(result.recall.missing) == missing


def test_recalled_unit_is_forbidden_with_reason_and_actions() -> None:
    result = run(brand="romoss", model="PAC20-272", batch="C14-P6", energy_wh=74, ccc_mark="present")
    assert result.verdict is Verdict.FORBIDDEN
    assert "cn-caac.recalled" in {r.rule_id for r in result.reasons}
    codes = [a.code for a in result.actions]
    assert codes[:2] == ["stop_using", "claim_remedy"] and "dispose_safely" in codes
    assert all(a.text.en and a.text.zh for a in result.actions)


@pytest.mark.parametrize(("rules", "wh", "where"), [
    ("cn-caac", 74, ("Airports in China provide places to give up or temporarily store",
                     "中国机场设有放弃或暂存被拒充电宝的场所")),
    ("icao,cn-caac", 74, ("Airports in China provide", "中国机场设有")),
    ("icao", 74, None), ("us-faa", 74, None), ("emirates", 74, None),
    ("cn-rail", 120, None),  # rail refuses over 100 Wh, not a recalled unit
])
def test_a_refused_unit_is_told_where_to_leave_it_only_where_a_source_says(
        rules: str, wh: float, where: tuple[str, str] | None) -> None:
    result = run(rules=rules, brand="romoss", model="PAC20-272", batch="C14-P6", energy_wh=wh,
                 ccc_mark="present")
    assert result.verdict is Verdict.FORBIDDEN
    [refused] = [a for a in result.actions if a.code == "not_on_this_trip"]
    assert refused.text.en.startswith("Do not take it on this trip.")
    assert refused.text.get("zh").startswith("请勿在本次行程中携带。")
    if where is None:  # no source tells what is done with a refused unit there
        assert (refused.text.en, refused.text.zh) == (
            "Do not take it on this trip.", "请勿在本次行程中携带。")
    else:
        assert where[0] in refused.text.en and where[1] in refused.text.get("zh")
        assert refused.text.en.count("Airports in China") == 1


def test_recalls_not_yet_announced_do_not_count() -> None:
    before = run(date=dt.date(2025, 6, 15), brand="romoss", model="PAC20-272", batch="C14-P6")
    assert before.recall.status is RecallStatus.NOT_RECALLED
    on_the_day = run(date=dt.date(2025, 6, 16), brand="romoss", model="PAC20-272", batch="C14-P6")
    assert on_the_day.recall.status is RecallStatus.RECALLED


def test_possibly_recalled_asks_for_the_missing_fact() -> None:
    result = run(brand="romoss", model="PAC20-272", energy_wh=74, ccc_mark="present")
    assert result.verdict is Verdict.NEEDS_INFO
    assert result.recall.hints and all(h.zh for h in result.recall.hints)
    assert "read_label" in [a.code for a in result.actions]


def test_unknown_model_fires_no_recall_rule_and_says_so() -> None:
    result = run(brand="acme", model="ZZZ-1", energy_wh=50, ccc_mark="present")
    assert result.verdict is Verdict.ALLOWED
    assert "unknown_model" in {a.code for a in result.advisories}
    assert not any("recall" in r.rule_id for r in result.reasons)


def test_certificate_from_the_registry_and_supplier_advisory() -> None:
    suspended = run(brand="xiaomi", model="PB2022ZM", energy_wh=74, ccc_mark="present")
    assert suspended.certificate.status.value == "suspended"
    assert suspended.verdict is Verdict.FORBIDDEN
    supplied = run(brand="romoss", model="PAC20-392", batch="M22-Q7")
    found = [a for a in supplied.advisories if a.code == "cell_supplier_certificate_invalid"]
    assert found and found[0].details["cell_maker"] == "amprius-wuxi"
    assert run(brand="romoss", model="PAC20-392", batch="M22-Q7", date=dt.date(2025, 6, 9)).advisories == ()


@pytest.mark.parametrize(
    ("device", "wh", "method", "advisory"),
    [
        ({"energy_wh": 74}, 74.0, "marked", None),
        ({"capacity_mah": 20000, "voltage_v": 3.85}, 77.0, "computed", None),
        ({"capacity_mah": 20000}, 74.0, "assumed_voltage", "assumed_voltage"),
        ({"capacity_mah": 20000, "voltage_v": 5}, 74.0, "assumed_voltage", "usb_voltage_given"),
        ({"brand": "baseus", "model": "BS-30KP365"}, 111.0, "assumed_voltage", "assumed_voltage"),
        ({}, None, "unknown", None),
    ],
)
def test_energy(device: dict[str, Any], wh: float | None, method: str, advisory: str | None) -> None:
    result = run(**device)
    assert (result.energy.wh, result.energy.method.value) == (wh, method)
    if advisory:
        assert advisory in {a.code for a in result.advisories}


def test_folded_serial_match_is_reported() -> None:
    plain = run(brand="iniu", model="BI-B41", serial="2108000H21X93")
    assert "serial_matched_after_folding" not in {a.code for a in plain.advisories}
    result = run(brand="iniu", model="BI-B41", serial="2108-000H2I-X93")
    assert result.recall.status is RecallStatus.RECALLED
    assert "serial_matched_after_folding" in {a.code for a in result.advisories}


def test_printed_certificate_number() -> None:
    registry = Registry(RegistryData(
        sources=(f.source(),), companies=(f.company(),),
        products=(f.product(), f.product(model="OTHER")),
        certificates=(f.certificate(models=["PB-100"]),),
        certificate_status=(f.status_change(status="revoked", date="2025-07-01"),),
    ))
    valid = run(registry=registry, date=dt.date(2025, 6, 1), brand="acme", model="PB-100",
                ccc_certificate="2024 0109 1400 0001")
    assert valid.certificate.status.value == "valid"
    revoked = run(registry=registry, brand="acme", model="PB-100", ccc_certificate=f.CERTIFICATE)
    assert revoked.certificate.status.value == "revoked"
    assert run(registry=registry, brand="acme", model="OTHER",
               ccc_certificate=f.CERTIFICATE).certificate.status.value == "mismatch"
    unknown = run(registry=registry, brand="acme", model="PB-100", ccc_certificate="2024010914999999")
    assert unknown.certificate.status.value == "unknown_certificate"
    assert run(registry=registry, brand="acme", model="OTHER").certificate.status.value == "none"


def test_renamed_cell_maker_advisory_follows_the_rename() -> None:
    registry = Registry(RegistryData(
        sources=(f.source(),),
        companies=(f.company(), f.company(id="oldcells", name="Old Cells",
                                          links=[{"type": "renamed_to", "to": "newcells"}]),
                   f.company(id="newcells", name="New Cells")),
        products=(f.product(),),
        batches=(f.batch(cell_maker="newcells"),),
        certificates=(f.certificate(number="2023010915000009", holder="oldcells", product_kind="cell"),),
        certificate_status=(f.status_change(number="2023010915000009", status="suspended",
                                            date="2025-06-10"),),
    ))
    result = run(registry=registry, brand="acme", model="PB-100")
    assert "cell_supplier_certificate_invalid" in {a.code for a in result.advisories}


def test_every_text_is_bilingual() -> None:
    result = run(rules="cn-caac,icao", brand="romoss", model="PAC20-272", capacity_mah=20000, voltage_v=5)
    texts = [result.verdict_text, result.energy.explanation, *result.recall.hints,
             *(r.title for r in result.reasons), *(r.reason for r in result.reasons),
             *(a.message for a in result.advisories), *(a.text for a in result.actions),
             *(c.text for c in result.conditions)]
    assert texts and all(t.en and t.zh for t in texts)


@settings(max_examples=200, deadline=None)
@given(
    model=st.sampled_from(["PAC20-272", "PAC20-392", "PLT20A-152"]),
    batch=st.sampled_from(["C14-P6", "M22-Q7", "M20-Q1", "X99-Z9"]),
    produced=st.sampled_from([None, "2023-06", "2023-07-01", "2024-01", "2024-07-15", "2022-01"]),
)
def test_adding_a_fact_never_turns_a_non_match_into_a_recall(model: str, batch: str,
                                                             produced: str | None) -> None:
    """More facts can decide an undecided unit either way, but never un-fail a failed one."""
    without = run(brand="romoss", model=model, produced=produced)
    with_batch = run(brand="romoss", model=model, produced=produced, batch=batch)
    if without.recall.status is RecallStatus.NOT_RECALLED:
        assert with_batch.recall.status is RecallStatus.NOT_RECALLED
    if with_batch.recall.status is RecallStatus.RECALLED:
        assert without.recall.status is not RecallStatus.NOT_RECALLED


@settings(max_examples=100, deadline=None)
@given(st.floats(min_value=1, max_value=300), st.floats(min_value=0, max_value=200))
def test_more_energy_never_less_severe_through_the_whole_check(wh: float, more: float) -> None:
    order = {v: v.severity for v in Verdict}
    low = run(rules="cn-caac,icao", brand="romoss", model="PAC20-272", batch="X", energy_wh=wh,
              ccc_mark="present")
    high = run(rules="cn-caac,icao", brand="romoss", model="PAC20-272", batch="X",
               energy_wh=min(wh + more, 10_000), ccc_mark="present")
    assert order[high.verdict] >= order[low.verdict]


_VARIED = [
    {"brand": "romoss", "model": "PAC20-272", "batch": "C14-P6"},
    {"brand": "罗马仕", "model": "pac20 272"},
    {"brand": "ROMOSS", "model": "PAC20-272", "batch": "C14-P8", "capacity_mah": 20000},
    {"model": "PAC20-272", "voltage_v": 5, "ccc_certificate": "2099010000000000"},
    {"brand": "acme", "model": "PAC20-272", "energy_wh": 74},
    {"brand": "倍思", "model": "BS-30KP365", "serial": "BS30KP22O9OO1D"},
    {"model": "PB2030MI", "produced": "2024-09", "capacity_mah": 20000, "voltage_v": 3.85},
    {"brand": "acme", "model": "ZZZ-1", "voltage_v": 9},
]
_DATES = [dt.date(2024, 1, 1), dt.date(2025, 7, 1), AFTER]


@settings(max_examples=30, deadline=None)
@given(st.permutations([(d, day) for d in range(len(_VARIED)) for day in _DATES]))
def test_a_result_does_not_depend_on_the_checks_before_it(order: list[tuple[int, dt.date]]) -> None:
    """The check remembers a model's facts between checks: checking the same units in any
    order, on a fresh snapshot, gives the same results as one by one on fresh snapshots."""
    data = demo().data
    shared = Registry(data, 1)
    alone = {
        (d, day): run(rules="cn-caac,icao", date=day, registry=Registry(data, 1), **_VARIED[d])
        for d, day in order
    }
    for d, day in order:
        assert run(rules="cn-caac,icao", date=day, registry=shared, **_VARIED[d]) == alone[(d, day)]


def test_results_are_the_same_when_the_check_forgets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each memory is cleared when full: with room for a single entry, results stay equal."""
    from cellwatch import memo

    devices = [Device(**device) for device in _VARIED]
    trip = Trip(rules="cn-caac,icao", date=AFTER)
    expected = [check(device, trip, Registry(demo().data, 1)) for device in devices]
    monkeypatch.setattr(memo.keep, "__defaults__", (1,))
    tiny = Registry(demo().data, 1)
    for _ in range(2):
        assert [check(device, trip, tiny) for device in devices] == expected


@pytest.mark.parametrize("model", ["PAC20-272", "pac20 272", "PowerCore 10000", "ZZZ-1", "A 1263"])
def test_known_nowhere_agrees_with_identify(model: str) -> None:
    """What the screen uses to skip a model under every brand says what ``identify`` says."""
    from cellwatch.check.identify import identify, known_nowhere

    alone = identify(demo(), None, model)
    assert known_nowhere(demo(), model) == (alone.product is None and not alone.ambiguous)
    if known_nowhere(demo(), model):
        assert identify(demo(), "romoss", model).product is None
