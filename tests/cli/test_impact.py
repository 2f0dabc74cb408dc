"""``cellwatch impact`` on the demo registry, on every backend."""

from __future__ import annotations

from typing import Any

from tests.cli.conftest import Cli


def _models(report: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(m["brand"], m["model"]): m for m in report["models"]}


def test_amprius_reaches_romoss_anker_and_xiaomi(cli: Cli) -> None:
    assert cli("load", "--demo").code == 0
    result = cli("impact", "--company", "APEX (Wuxi)", "--date", "2025-09-01", "--json")
    assert result.code == 0, result.err
    report = result.json()
    assert report["start"]["company"] == "amprius-wuxi"
    models = _models(report)
    assert set(models) == {("romoss", "PAC20-392"), ("anker", "A1681"), ("xiaomi", "PB2030MI")}
    romoss = models[("romoss", "PAC20-392")]
    assert romoss["exposed"]["batches"] == 8 and romoss["recalled"]["batches"] == 8
    assert romoss["recalled_by"] == ["cn-romoss-2025-06"]
    assert romoss["exposed"]["units"] == {"known": 0, "unknown_batches": 8}
    assert models[("anker", "A1681")]["recalled_by"] == ["cn-anker-2025-06"]
    assert models[("xiaomi", "PB2030MI")]["recalled_by"] == ["cn-xiaomi-2025-08"]
    m22 = next(b for b in romoss["batches"] if b["batch"] == "M22-Q7")
    assert [s["text"]["en"] for s in m22["path"]] == [
        "APEX (Wuxi) = Amprius (Wuxi) Co., Ltd.", "cell lot amprius-wuxi-cells-v1",
        "ROMOSS PAC20-392 batch M22-Q7",
    ]
    assert [s["text"]["zh"] for s in m22["path"]][1:] == [
        "电芯批次 amprius-wuxi-cells-v1", "罗马仕 PAC20-392 批次 M22-Q7"
    ]
    assert report["totals"]["not_recalled"]["batches"] == 0
    certificates = report["certificates"]
    assert certificates["cell_certificates_invalid"] is True
    assert certificates["suspended_since"] == "2025-06-10"


def test_before_xiaomi_recalled_the_gap_shows(cli: Cli) -> None:
    cli("load", "--demo")
    report = cli("impact", "--company", "安普瑞斯(无锡)有限公司", "--date", "2025-07-01",
                 "--json").json()
    xiaomi = _models(report)[("xiaomi", "PB2030MI")]
    assert xiaomi["not_recalled"] == {"batches": 1, "units": {"known": 146891,
                                                              "unknown_batches": 0}}
    assert report["models"][0]["model"] == "PB2030MI"  # the gap comes first
    text = cli("impact", "--company", "Amprius Wuxi", "--date", "2025-07-01")
    assert text.code == 0 and "PB2030MI" in text.out and "146,891" in text.out
    assert "cell lot amprius-wuxi-cells-v1" in text.out
    zh = cli("impact", "--cell-lot", "amprius-wuxi-126280-v2", "--date", "2025-07-01",
             "--lang", "zh")
    assert zh.code == 0 and "尚未召回" in zh.out and "小米" in zh.out


def test_what_if_and_errors(cli: Cli) -> None:
    cli("load", "--demo")
    report = cli("impact", "--certificate", "amprius-wuxi-cells-ccc", "--date", "2025-05-01",
                 "--what-if-suspended-from", "2025-01-01", "--json").json()
    assert report["certificates"]["what_if_suspended_from"] == "2025-01-01"
    assert report["certificates"]["certificates"][0]["what_if"] is True
    assert report["totals"]["exposed"]["batches"] == 10
    assert cli("impact", "--company", "nobody at all").code == 3
    assert cli("impact").code == 2
    assert cli("impact", "--company", "romoss", "--cell-lot", "x").code == 2
    assert cli("impact", "--company", "romoss", "--date", "July").code == 2
