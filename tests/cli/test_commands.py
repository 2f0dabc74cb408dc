"""The command line as a user and a script meet it: output, JSON, exit codes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from cellwatch.ingest import demo_bundle
from tests.cli.conftest import Cli


def test_load_demo_then_again_changes_nothing(cli: Cli) -> None:
    first = cli("load", "--demo", "--json")
    assert first.code == 0, first.err
    assert first.json()["changes"]["recalls"]["inserted"] > 10
    again = cli("load", "--demo", "--json")
    assert again.json()["registry_version"] == first.json()["registry_version"]
    assert all(v["inserted"] == v["updated"] == 0 for v in again.json()["changes"].values())


def test_broken_bundle_lists_every_error_and_exits_1(cli: Cli, tmp_path: Path) -> None:
    broken = tmp_path / "b"
    shutil.copytree(demo_bundle(), broken)
    (broken / "incidents.csv").write_text(
        "id,date,mode,sources\nx1,2025-13-01,air,gmw-1304061709\nx2,2025-01-01,air,nowhere\n"
        "x3,2025-01-01,boat,gmw-1304061709\n",
        encoding="utf-8",
    )
    result = cli("load", str(broken))
    assert result.code == 1
    lines = [line for line in result.err.splitlines() if "incidents.csv" in line]
    assert len(lines) == 3, result.err  # a bad date, an unknown source, a bad mode
    assert "[date]" in lines[0] and "[sources]" in lines[2] and "[mode]" in lines[1]
    assert "nothing was changed" in result.err
    assert "Traceback" not in result.err
    assert cli("recalls", "list", "--json").json()["meta"]["total"] == 0


def test_usage_errors(cli: Cli, tmp_path: Path) -> None:
    neither = cli("load")
    assert neither.code == 2 and "give a bundle folder or --demo" in neither.err
    missing = cli("load", str(tmp_path / "nope"))
    assert missing.code == 1 and "is not a folder" in missing.err
    (tmp_path / "empty").mkdir()
    empty = cli("load", str(tmp_path / "empty"))  # an empty bundle, but likely a mistake
    assert empty.code == 0 and "changed 0 record(s)" in empty.out
    assert "empty holds none of a bundle's files (sources.yaml, " in empty.err


def test_export_and_reads(cli: Cli, tmp_path: Path) -> None:
    cli("load", "--demo")
    exported = cli("export", str(tmp_path / "out"), "--json")
    assert exported.code == 0 and exported.json()["records"]["recalls.yaml"] > 10
    file = tmp_path / "a-file"
    file.write_text("kept")
    refused = cli("export", str(file))
    assert refused.code == 2 and "a-file: is a file, not a folder" in refused.err
    under = cli("export", str(file / "bundle"))
    assert under.code == 2 and "a-file: is a file, not a folder" in under.err
    assert file.read_text() == "kept"
    listing = cli("recalls", "list", "--market", "CN", "--limit", "2", "--json").json()
    assert listing["meta"]["limit"] == 2 and listing["meta"]["total"] >= 6
    assert len(listing["results"]) == 2
    shown = cli("recalls", "show", "cn-romoss-2025-06", "--json").json()
    assert shown["scope"][0]["batches"][0] == "C14-P6"
    assert shown["sources"][0]["url"].startswith("http")
    assert cli("recalls", "show", "no-such").code == 3
    company = cli("companies", "show", "APEX (Wuxi)", "--json").json()
    assert company["id"] == "amprius-wuxi"
    certificates = cli("certificates", "list", "--holder", "amprius-wuxi", "--date", "2025-07-01",
                       "--json").json()
    assert {c["status"] for c in certificates["results"]} == {"suspended"}
    models = cli("models", "list", "--brand", "安克创新", "--json").json()
    assert models["meta"]["total"] >= 10
    assert cli("models", "show", "anker", "powercore 10000", "--json").json()["model"] == "A1263"
    text = cli("recalls", "list")
    assert text.code == 0 and "cn-romoss-2025-06" in text.out


def test_check_contract(cli: Cli) -> None:
    cli("load", "--demo")
    result = cli("check", "--brand", "罗马仕", "--model", "PAC20-272", "--batch", "C14-P6",
                 "--energy-wh", "74", "--ccc-mark", "present", "--date", "2025-07-01", "--json")
    assert result.code == 0, result.err
    answer = result.json()
    assert answer["verdict"] == "forbidden"
    assert (answer["device"]["brand"], answer["device"]["model"]) == ("romoss", "PAC20-272")
    assert answer["recall"]["status"] == "recalled"
    assert answer["recall"]["recalls"][0]["id"] == "cn-romoss-2025-06"
    assert answer["recall"]["missing"] == []
    assert answer["certificate"]["status"] in {"valid", "suspended", "none"}
    assert (answer["energy"]["wh"], answer["energy"]["method"]) == (74.0, "marked")
    assert {"rule_id", "verdict"} <= set(answer["reasons"][0])
    assert isinstance(answer["conditions"], list) and isinstance(answer["advisories"], list)
    assert answer["actions"][0]["code"] == "stop_using"
    panel = cli("check", "--brand", "romoss", "--model", "PAC20-272", "--lang", "zh")
    assert panel.code == 0 and "需要补充信息" in panel.out


@pytest.mark.parametrize(
    ("lang", "present", "absent"),
    [
        ("zh", ["召回: 可能在召回范围内", "批次号, 生产日期", "3C证书: 登记库中无证书", "能量:",
                "随身携带", "结论", "需补充信息"], ["recall:", "certificate:", "energy:", "rules:"]),
        ("en", ["recall: possibly recalled", "batch code, production date",
                "3C certificate: none in the registry", "carry-on", "needs more information"],
         ["召回", "结论"]),
    ],
)
def test_check_panel_speaks_one_language(cli: Cli, lang: str, present: list[str],
                                         absent: list[str]) -> None:
    """Every label and status word of the panel is in the chosen language."""
    cli("load", "--demo")
    panel = cli("check", "--brand", "romoss", "--model", "PAC20-272", "--date", "2025-07-01",
                "--lang", lang)
    assert panel.code == 0, panel.err
    text = " ".join(panel.out.split())  # the panel wraps and pads lines
    for words in present:
        assert " ".join(words.split()) in text, words
    for words in absent:
        assert words not in text, words


def test_check_bad_input_is_one_line_and_exit_2(cli: Cli) -> None:
    cli("load", "--demo")
    for args, needle in [
        (("--produced", "2025-13"), "--produced"),
        (("--rules", "nowhere-air"), "unknown rule pack 'nowhere-air'"),
        (("--count", "0"), "--count"),
        (("--date", "tomorrow"), "--date"),
        (("--lang", "fr"), "--lang"),
    ]:
        result = cli("check", "--model", "A1263", *args)
        assert result.code == 2, (args, result.err)
        assert needle in result.err, (args, result.err)
        assert "Traceback" not in result.err


def test_audit_verify_detects_tampering(cli: Cli, database_url: str) -> None:
    cli("load", "--demo")
    ok = cli("audit", "verify", "--json")
    assert ok.code == 0 and ok.json()["ok"] is True and ok.json()["entries"] > 100
    log = cli("audit", "log", "--limit", "3", "--json").json()
    assert len(log) == 3 and log[0]["seq"] > log[1]["seq"]
    engine = sa.create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM audit_log WHERE seq = 7"))
    engine.dispose()
    damaged = cli("audit", "verify")
    assert damaged.code == 1 and "7" in damaged.err


def test_rules_commands(cli: Cli) -> None:
    packs = cli("rules", "list", "--json").json()
    assert {"cn-caac", "icao", "cn-rail", "cn-courier", "emirates"} <= {p["id"] for p in packs}
    assert cli("rules", "show", "cn-caac").code == 0
