"""``cellwatch checkpoint`` through the real entry point."""

from __future__ import annotations

import csv
import datetime as dt
import io

from cellwatch.store.db import Database
from tests.cli.conftest import Cli


def test_location_record_chain_report(cli: Cli, database: Database) -> None:
    added = cli("checkpoint", "location", "can-t2", "--name", "Guangzhou Baiyun T2",
                "--name-zh", "白云机场T2", "--days-free", "3", "--fee-per-day", "5",
                "--not-storable", "recalled")
    assert added.code == 0, added.err
    refused = cli("checkpoint", "record", "can-t2", "refused", "--serial", "SN-77",
                  "--reason", "no_ccc_mark", "--json")
    assert refused.code == 0, refused.err
    case = refused.json()["id"]
    stored = cli("checkpoint", "record", "can-t2", "stored", "--case", str(case), "--json")
    assert stored.code == 0
    assert stored.json()["steps"][-1]["receipt"].startswith("CAN-T2-")
    assert cli("checkpoint", "record", "can-t2", "handed_over", "--case", str(case),
               "--recycler", "X", "--licence", "L").code == 1  # not from stored
    chain = cli("checkpoint", "chain", "--serial", "sn77", "--lang", "zh")
    assert chain.code == 0 and "暂存" in chain.out
    today = dt.datetime.now(dt.UTC).date().isoformat()
    report = cli("checkpoint", "report", "can-t2", "--date", today, "--csv")
    rows = {(r["metric"], r["detail"]): r["value"]
            for r in csv.DictReader(io.StringIO(report.out))}
    assert rows[("refused_by_reason", "no_ccc_mark")] == "1"
    assert rows[("open_stored", "")] == "1"
    table = cli("checkpoint", "report", "can-t2", "--date", today)
    assert table.code == 0 and "Units checked" in table.out
    assert cli("checkpoint", "report", "nowhere").code == 3
    assert cli("checkpoint", "chain").code == 2


def test_values_a_record_refuses_are_one_line_and_exit_2(cli: Cli, database: Database) -> None:
    assert cli("checkpoint", "location", "can-t2", "--name", "Baiyun T2").code == 0
    unreasoned = cli("checkpoint", "record", "can-t2", "refused", "--model", "A1263")
    assert (unreasoned.code, unreasoned.err.strip()) == (2, "error: a refusal needs a reason")
    unnamed = cli("checkpoint", "location", "pvg-t2", "--name", "")
    assert unnamed.code == 2
    assert unnamed.err.strip() == "error: --name: String should have at least 1 character"
    assert cli("checkpoint", "report", "pvg-t2").code == 3  # nothing was added
