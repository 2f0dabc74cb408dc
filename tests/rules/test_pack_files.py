"""Every shipped pack file validates, and a typo in a pack fails loudly."""

from __future__ import annotations

import copy
import re
from importlib import resources
from typing import Any

import pytest
import yaml

from cellwatch.errors import RulePackError
from cellwatch.rules.engine import check_includes, load_packs
from cellwatch.rules.packs import Mode, RulePack, parse_pack

PACK_FILES = sorted(
    entry.name
    for entry in resources.files("cellwatch.rules").joinpath("packs").iterdir()
    if entry.name.endswith(".yaml")
)
EXPECTED = {
    "cn-caac", "icao", "us-faa", "cn-rail", "cn-courier", "emirates", "etihad", "hk-cad",
    "singapore-airlines", "kr-molit", "qantas", "lufthansa", "american", "southwest",
}
HAN = re.compile(r"[\u4e00-\u9fff]")


def _raw(name: str) -> dict[str, Any]:
    text = resources.files("cellwatch.rules").joinpath("packs", name).read_text("utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


def test_the_expected_packs_ship() -> None:
    assert set(load_packs()) == EXPECTED
    assert [f"{name}.yaml" for name in sorted(EXPECTED)] == PACK_FILES


@pytest.mark.parametrize("name", PACK_FILES)
def test_pack_file_validates(name: str) -> None:
    pack = parse_pack(_raw(name), name)
    assert f"{pack.id}.yaml" == name


@pytest.mark.parametrize("pack_id", sorted(load_packs()))
def test_every_text_is_bilingual_and_sourced(pack_id: str) -> None:
    pack = load_packs()[pack_id]
    for text in (pack.title, pack.applies_to):
        assert text.en and HAN.search(text.zh)
    for rule in pack.rules:
        for text in (rule.title, rule.reason):
            assert text.en and HAN.search(text.zh), rule.id
            assert not HAN.search(text.en), rule.id
        assert rule.sources and all(url.startswith(("http://", "https://")) for url in rule.sources)
    for condition in pack.conditions:
        assert condition.text.en and HAN.search(condition.text.zh)
        assert condition.sources


def test_every_air_pack_is_a_base_or_includes_one() -> None:
    packs = load_packs()
    for pack in packs.values():
        if pack.mode is Mode.AIR and not pack.includes:
            ids = {rule.id.split(".", 1)[1] for rule in pack.rules}
            assert {"checked-baggage", "recalled", "possibly-recalled", "energy-unknown"} <= ids


def _set(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    for key in path[:-1]:
        data = data[key]
    if value is _DELETE:
        del data[path[-1]]
    else:
        data[path[-1]] = value


_DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("rule",), [], "Extra inputs are not permitted"),
        (("mode",), "ship", "Input should be 'air', 'rail' or 'courier'"),
        (("rules", 0, "verdict"), "forbiden", "Input should be 'allowed'"),
        (("rules", 0, "when"), {"energy": {"gt": 1}}, "unknown fact 'energy'"),
        (("rules", 0, "when"), {"ccc_mark": "absnet"}, "absnet not one of"),
        (("rules", 0, "when"), {"energy_wh": {"gte": 1}}, "unknown comparison"),
        (("rules", 0, "when"), None, "'when' is required"),
        (("rules", 0, "when_"), {}, "Extra inputs are not permitted"),
        (("rules", 0, "in_force", "from"), "2025-13-01", "not a date"),
        (("rules", 0, "in_force", "from"), _DELETE, "Field required"),
        (("rules", 0, "in_force"), {"from": "2026-01-01", "to": "2025-01-01"}, "ends"),
        (("rules", 0, "title", "zh"), _DELETE, "Field required"),
        (("rules", 0, "title", "zh"), "checked baggage", "no Chinese characters"),
        (("rules", 0, "reason", "en"), "At {energy} Wh", "placeholder {energy}"),
        (("rules", 0, "reason", "en"), "At {energy_wh:.1f} Wh", "placeholder {energy_wh}"),
        (("rules", 0, "sources"), [], "at least 1 item"),
        (("rules", 0, "sources"), ["https://example.org/x"], "not in the pack's sources"),
        (("rules", 0, "sources"), ["example.org"], "not an http(s) URL"),
        (("rules", 0, "id"), "caac.checked-baggage", "must be 'cn-caac.'"),
        (("rules", 1, "id"), "cn-caac.checked-baggage", "used twice"),
        (("conditions", 0, "id"), "cn-caac.checked-baggage", "used twice"),
        (("sources", 0, "titel"), "x", "Extra inputs are not permitted"),
        (("includes",), ["cn-caac"], "cannot include itself"),
        (("on_refusal", "sources"), ["https://example.org/x"], "on_refusal: source"),
        (("on_refusal", "sources"), [], "at least 1 item"),
        (("on_refusal", "text", "zh"), _DELETE, "Field required"),
    ],
)
def test_a_typo_fails_loudly(path: tuple[Any, ...], value: Any, message: str) -> None:
    data = copy.deepcopy(_raw("cn-caac.yaml"))
    _set(data, path, value)
    with pytest.raises(RulePackError, match=re.escape(message)) as error:
        parse_pack(data, "cn-caac.yaml")
    assert "cn-caac.yaml" in str(error.value)


def test_a_pack_needs_a_rule_or_condition() -> None:
    data = _raw("hk-cad.yaml")
    data["conditions"] = []
    with pytest.raises(RulePackError, match="at least one rule or condition"):
        parse_pack(data, "hk-cad.yaml")


def _pack(pack_id: str, mode: str = "air", includes: tuple[str, ...] = ()) -> RulePack:
    data = _raw("hk-cad.yaml")
    data.update(id=pack_id, mode=mode, includes=list(includes))
    for condition in data["conditions"]:
        condition["id"] = condition["id"].replace("hk-cad.", f"{pack_id}.")
    return parse_pack(data, pack_id)


@pytest.mark.parametrize(
    ("packs", "message"),
    [
        ([_pack("a", includes=("b",))], "includes unknown pack 'b'"),
        ([_pack("a", includes=("b",)), _pack("b", mode="rail")], "of another mode"),
        ([_pack("a", includes=("b",)), _pack("b", includes=("a",))], "loop"),
    ],
)
def test_includes_are_checked(packs: list[RulePack], message: str) -> None:
    with pytest.raises(RulePackError, match=message):
        check_includes({pack.id: pack for pack in packs})
