"""``cellwatch certificates import-snapshot`` and ``cellwatch import cpsc``, on every backend."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Cli

FIXTURES = Path(__file__).parents[1] / "imports" / "fixtures"

SNAPSHOT = (FIXTURES / "cqc_snapshot.csv").read_text(encoding="utf-8")


def test_snapshot_dry_run_then_import_then_again(cli: Cli, tmp_path: Path) -> None:
    assert cli("load", "--demo").code == 0
    path = tmp_path / "cqc.csv"
    path.write_bytes(SNAPSHOT.encode("gb18030"))
    dry = cli("certificates", "import-snapshot", str(path), "--dry-run", "--json")
    assert dry.code == 0, dry.err
    value = dry.json()
    assert value["dry_run"] is True and value["encoding"] == "gb18030"
    assert value["counts"] == {"new": 2, "changed": 0, "unchanged": 0}
    assert [r["holder"] for r in value["rows"]] == ["amprius-wuxi", "xiaomi"]
    assert value["changes"]["certificate_status"]["inserted"] == 2
    shown = cli("certificates", "show", "2025010915000101", "--json")
    assert shown.code == 3  # the dry run changed nothing
    done = cli("certificates", "import-snapshot", str(path), "--source-url",
               "https://www.cqc.com.cn/lookup?q=1")
    assert done.code == 0 and "2 new" in done.out and "changed 5 record(s)" in done.out
    again = cli("certificates", "import-snapshot", str(path), "--json").json()
    assert again["counts"] == {"new": 0, "changed": 0, "unchanged": 2}
    assert all(v["inserted"] == v["updated"] == 0 for v in again["changes"].values())


def test_snapshot_bad_rows_exit_1_with_lines(cli: Cli, tmp_path: Path) -> None:
    cli("load", "--demo")
    path = tmp_path / "bad.csv"
    path.write_text(SNAPSHOT + "2025010914000103,Nobody,移动电源,X1,有效,2025-06-14\n",
                    encoding="utf-8")
    result = cli("certificates", "import-snapshot", str(path))
    assert result.code == 1
    assert "bad.csv: line 4 [holder]" in result.err and "nothing was changed" in result.err
    assert cli("certificates", "show", "2025010915000101").code == 3


def test_import_cpsc(cli: Cli) -> None:
    cli("load", "--demo")
    result = cli("import", "cpsc", str(FIXTURES / "cpsc_recalls.json"), "--json")
    assert result.code == 0, result.err
    value = result.json()
    assert (value["kept"], value["skipped"]) == (7, 2)
    assert value["counts"]["new"] == 2 and value["counts"]["known"] == 5
    assert cli("recalls", "show", "us-cpsc-26050", "--json").json()["issuer"] == "voltgo"
    text = cli("import", "cpsc", str(FIXTURES / "cpsc_revised.json"))
    assert text.code == 0 and "known" in text.out and "changed 0 record(s)" in text.out
    missing = cli("import", "cpsc", str(FIXTURES / "nothing.json"))
    assert missing.code == 1 and "is not a file" in missing.err
