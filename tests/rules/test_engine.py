from __future__ import annotations

import json

import pytest

from cellwatch.errors import InputError
from cellwatch.rules.engine import evaluate, format_number, get_pack, get_packs, load_packs
from cellwatch.rules.facts import Verdict
from tests.rules.factories import facts, run


def test_load_packs_is_cached() -> None:
    assert load_packs() is load_packs()


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        ("cn-caac", ["cn-caac"]),
        ("emirates", ["icao", "emirates"]),
        ("icao,emirates", ["icao", "emirates"]),
        (" icao , EMIRATES ,", ["icao", "emirates"]),
        (["emirates", "icao", "etihad"], ["icao", "emirates", "etihad"]),
        ("american,southwest", ["us-faa", "american", "southwest"]),
        (("cn-rail", "cn-caac"), ["cn-rail", "cn-caac"]),
    ],
)
def test_get_packs_adds_includes_once(names: str | list[str], expected: list[str]) -> None:
    assert [pack.id for pack in get_packs(names)] == expected


@pytest.mark.parametrize("names", ["icao,nope", "caac", ["icao", "faa"]])
def test_unknown_pack_names_the_known_ones(names: str | list[str]) -> None:
    with pytest.raises(InputError, match="unknown rule pack") as error:
        get_packs(names)
    assert "cn-caac" in str(error.value) and "us-faa" in str(error.value)


@pytest.mark.parametrize("names", ["", " , ", []])
def test_no_pack(names: str | list[str]) -> None:
    with pytest.raises(InputError, match="no rule pack given"):
        get_packs(names)


def test_get_pack_does_not_add_includes() -> None:
    assert get_pack("Emirates").id == "emirates"
    with pytest.raises(InputError):
        get_pack("emirates-airline")


def test_nothing_fires_without_packs() -> None:
    result = evaluate([], facts())
    assert result.verdict is Verdict.ALLOWED
    assert result.fired == () and result.conditions == () and result.packs == ()


def test_fired_rule_explains_itself() -> None:
    result = run("icao", "2025-07-01", energy_wh=150.0, count=3)
    assert result.verdict is Verdict.FORBIDDEN
    first = result.fired[0]
    assert first.rule_id == "icao.100-to-160-wh-more-than-two"
    assert first.pack == "icao"
    assert first.verdict is Verdict.FORBIDDEN
    assert first.reason.en.startswith("3 power banks of 150 Wh:")
    assert (first.reason.zh or "").startswith("携带3个150 Wh的充电宝")
    assert first.title.en == "More than two power banks of 100–160 Wh"
    assert first.evidence == {"energy_wh": 150.0, "count": 3}
    assert first.sources and all(url.startswith("http") for url in first.sources)


def test_fired_rules_most_severe_first() -> None:
    result = run("cn-caac,icao", "2025-07-01", energy_wh=150.0, count=3, ccc_mark="unknown")
    severities = [rule.verdict.severity for rule in result.fired]
    assert severities == sorted(severities, reverse=True)
    assert {rule.verdict for rule in result.fired} == {
        Verdict.FORBIDDEN, Verdict.NEEDS_INFO, Verdict.CONDITIONAL
    }


def test_reason_without_placeholders_is_the_rule_text() -> None:
    result = run("icao", baggage="checked")
    rule = load_packs()["icao"].rules[0]
    assert result.fired[0].reason is rule.reason


def test_rules_not_in_force_are_ignored() -> None:
    assert run("icao", "2026-03-26", count=3).fired == ()
    assert run("icao", "2026-03-27", count=3).verdict is Verdict.FORBIDDEN


def test_unknown_model_fires_no_recall_rule() -> None:
    every = ",".join(load_packs())
    result = run(every, "2026-06-01", recall="unknown_model")
    assert not any("recall" in rule.rule_id for rule in result.fired)


def test_evaluation_as_dict_is_json() -> None:
    result = run("emirates", "2025-10-01", energy_wh=120.0)
    data = json.loads(json.dumps(result.as_dict(), ensure_ascii=False))
    assert data["verdict"] == "forbidden"
    assert data["packs"] == ["icao", "emirates"]
    assert data["fired"][0]["rule_id"] == "emirates.100-wh-or-more"
    assert data["fired"][0]["reason"]["zh"].startswith("该充电宝额定能量为120 Wh")
    assert data["conditions"] == []
    allowed = run("hk-cad", "2026-06-01").as_dict()
    assert allowed["conditions"][0].keys() == {"pack", "condition_id", "text", "sources"}


@pytest.mark.parametrize(
    ("value", "text"),
    [(100.0, "100"), (100.01, "100.01"), (100.004, "100.004"), (99.9, "99.9"),
     (27000 * 3.7 / 1000, "99.9"), (0.0, "0"), (1234.5678, "1234.57")],
)
def test_format_number(value: float, text: str) -> None:
    assert format_number(value) == text


def test_unknown_energy_in_a_reason() -> None:
    # no shipped rule quotes an unknown energy, but a filled text never shows "None"
    from cellwatch.rules.engine import fill
    from cellwatch.rules.packs import Bilingual

    text = fill(Bilingual(en="At {energy_wh} Wh", zh="能量{energy_wh} Wh"), facts(energy_wh=None))
    assert (text.en, text.zh) == ("At unknown Wh", "能量未知 Wh")
