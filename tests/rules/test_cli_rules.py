"""``cellwatch rules list`` and ``cellwatch rules show``, through the sub-app."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cellwatch.cli.rules import app
from cellwatch.errors import InputError

runner = CliRunner()


def test_list_json() -> None:
    result = runner.invoke(app, ["list", "--json"])
    assert result.exit_code == 0, result.output
    packs = {pack["id"]: pack for pack in json.loads(result.stdout)}
    assert len(packs) == 14
    assert packs["cn-caac"]["rules"] == 12
    assert packs["cn-caac"]["mode"] == "air"
    assert packs["cn-rail"]["applies_to"]["zh"] == "中国境内铁路旅客列车"
    assert packs["emirates"]["includes"] == ["icao"]


def test_list_table() -> None:
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0, result.output
    assert "cn-caac" in result.stdout and "singapore-airlines" in result.stdout


def test_show_table_in_both_languages() -> None:
    english = runner.invoke(app, ["show", "cn-caac"])
    assert english.exit_code == 0, english.output
    assert "no-ccc-mark" in english.stdout and "forbidden" in english.stdout
    chinese = runner.invoke(app, ["show", "cn-caac", "--lang", "zh"])
    assert chinese.exit_code == 0, chinese.output
    assert "禁止" in chinese.stdout and "无3C标识" in chinese.stdout


def test_show_json() -> None:
    result = runner.invoke(app, ["show", "icao", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    rule = next(r for r in data["rules"] if r["id"] == "icao.100-to-160-wh")
    assert rule["when"] == {"energy_wh": {"gt": 100, "le": 160}}
    assert rule["when_text"]["en"] == "energy > 100 Wh and ≤ 160 Wh"
    assert rule["in_force"] == {"from": None} or rule["in_force"] == {}
    spares = next(r for r in data["rules"] if r["id"] == "icao.more-than-20-spares")
    assert spares["in_force"]["to"] == "2026-03-26"


def test_show_unknown_pack_is_an_input_error() -> None:
    result = runner.invoke(app, ["show", "caac"])
    assert isinstance(result.exception, InputError)


def test_bad_language_is_a_usage_error() -> None:
    result = runner.invoke(app, ["show", "icao", "--lang", "fr"])
    assert result.exit_code == 2


@pytest.mark.parametrize("pack", ["southwest", "hk-cad", "cn-courier"])
def test_show_packs_with_only_rules_or_only_conditions(pack: str) -> None:
    assert runner.invoke(app, ["show", pack]).exit_code == 0
