"""``cellwatch signals`` and ``cellwatch incidents`` through the real entry point."""

from __future__ import annotations

from cellwatch.store.db import Database
from tests.cli.conftest import Cli
from tests.field import load_demo


def test_signals_show_the_demo_incidents(cli: Cli, database: Database) -> None:
    load_demo(database)
    done = cli("signals", "--as-of", "2025-12-01", "--json")
    assert done.code == 0, done.err
    ids = {item["id"] for item in done.json()["incidents"]}
    assert "hx115-2025-03-20" in ids and len(ids) == 7
    table = cli("signals", "--as-of", "2025-12-01", "--lang", "zh")
    assert table.code == 0 and "hx115-2025-03-20" in table.out and "检查优先名单" in table.out
    assert cli("signals", "--since", "yesterday").code == 2


def test_incident_report_duplicates_and_merge(cli: Cli, database: Database) -> None:
    load_demo(database)
    args = ("incidents", "report", "--date", "2025-07-04", "--mode", "air", "--flight",
            "MU5101", "--brand", "Anker", "--model", "A1263", "--severity", "smoke",
            "--source", "cpsc-anker-a1263-2025")
    first = cli(*args, "--json")
    assert first.code == 0, first.err
    assert first.json()["status"] == "stored"
    held = cli(*args, "--injuries", "2", "--json")
    assert held.json()["status"] == "held"
    report_id = held.json()["held"]["id"]
    listed = cli("incidents", "duplicates", "--json")
    assert listed.json()["total"] == 1
    merged = cli("incidents", "merge", str(report_id), "--note", "same event")
    assert merged.code == 0 and "merged" in merged.out
    assert cli("incidents", "merge", str(report_id)).code == 1  # decided already
    assert cli("incidents", "reject", "999").code == 3
    found = cli("incidents", "list", "--search", "mu5101", "--json").json()
    assert found["total"] == 1 and found["results"][0]["injuries"] == 2
    unknown = cli("incidents", "report", "--date", "2025-07-04", "--mode", "air",
                  "--brand", "Nobody", "--source", "cpsc-anker-a1263-2025")
    assert unknown.code == 2 and "not in the registry" in unknown.err
