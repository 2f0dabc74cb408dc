"""Certificate snapshots against a stored registry, on every backend."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cellwatch.domain.registry import RegistryData
from cellwatch.errors import ImportRejected
from cellwatch.imports.plan import write_plan
from cellwatch.imports.snapshot import Action, SnapshotPlan, plan_snapshot
from cellwatch.imports.snapshot_csv import read_snapshot
from cellwatch.snapshot import Snapshots
from cellwatch.store.db import Database
from tests import factories as f
from tests.imports.conftest import store, stored

CHINESE = """证书编号,持证人,产品名称,型号,证书状态,状态日期,发证日期,有效期至,发证机构
2024010914000001,爱克米,移动电源,PB-100,有效,2025-06-01,2024-01-10,2029-01-09,CQC
2023010915000001,Cell Co.,锂离子电池,18650A,暂停,2025-06-10,2023-03-01,,CQC
2025010914000007,Acme,移动电源,PB-300、PB-400,暂停,2025/6/20,2025-01-05,2030-01-04,CQC
2025010915000008,电芯科技有限公司,电芯,,有效,2025年6月1日,2025-02-01,,CQC
"""


def _base() -> RegistryData:
    return RegistryData(
        sources=(f.source(),),
        companies=(
            f.company(names={"zh": "爱克米"}, roles=["brand"]),
            f.company(id="cellco", name="Cell Co", names={"zh": "电芯科技有限公司"},
                      roles=["cell_maker"]),
        ),
        products=(f.product(),),
        certificates=(
            f.certificate(issued="2024-01-10", models=["PB-100"]),
            f.certificate(number="2023010915000001", holder="cellco", product_kind="cell",
                          issued="2023-03-01"),
        ),
    )


def _write(tmp_path: Path, text: str, name: str = "cqc-2025-06.csv",
           encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _import(database: Database, path: Path, *, dry_run: bool = False,
            create: bool = False) -> SnapshotPlan:
    snapshot = read_snapshot(path)
    written = write_plan(
        database, Snapshots(database).current,
        lambda registry: plan_snapshot(registry, snapshot, create_companies=create),
        "test", dry_run=dry_run,
    )
    return written.plan


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_new_changed_unchanged_with_chinese_headers(
    database: Database, tmp_path: Path, encoding: str
) -> None:
    store(database, _base())
    plan = _import(database, _write(tmp_path, CHINESE, encoding=encoding))
    assert plan.encoding == ("gb18030" if encoding == "gb18030" else "utf-8")
    assert [(r.line, r.action) for r in plan.rows] == [
        (2, Action.UNCHANGED), (3, Action.CHANGED), (4, Action.NEW), (5, Action.NEW)
    ]
    assert plan.ignored_columns == ("发证机构",)
    registry = stored(database)
    day = dt.date(2025, 6, 30)
    assert registry.certificate_status("2023010915000001", day).value == "suspended"
    assert registry.certificate_status("2025010914000007", day).value == "suspended"
    assert registry.certificate_status("2025010915000008", day).value == "valid"
    assert registry.certificate_status("2023010915000001", dt.date(2025, 6, 9)).value == "valid"
    new = registry.certificates["2025010914000007"]
    assert (new.holder, new.models, new.product_kind.value) == (
        "acme", ("PB-300", "PB-400"), "power_bank")
    assert registry.product("acme", "PB-400") is not None
    assert plan.models_created == ("acme/PB-300", "acme/PB-400")
    source = next(s for s in registry.data.sources if s.id == plan.source)
    assert source.id == "certificate-snapshot-cqc-2025-06-2025-06-20"
    assert (source.title, source.url) == ("Certificate snapshot cqc-2025-06.csv",
                                          "file:cqc-2025-06.csv")
    change = registry.status_changes["2023010915000001"][0]
    assert change.sources == (source.id,) and "cqc-2025-06.csv" in (change.reason_zh or "")


def test_reimport_changes_nothing(database: Database, tmp_path: Path) -> None:
    store(database, _base())
    path = _write(tmp_path, CHINESE)
    _import(database, path)
    version = stored(database).version
    again = _import(database, path)
    assert {r.action for r in again.rows} == {Action.UNCHANGED}
    assert len(again.data) == 0 and stored(database).version == version


def test_english_headers_and_words(database: Database, tmp_path: Path) -> None:
    store(database, _base())
    text = ("Number,Holder,Product,Models,Status,Status_Date\n"
            "2023010915000001,cellco,cells,,Revoked,2025-07-01\n"
            "2024010914000001,ACME,power bank,PB-100,valid,2025-07-01\n")
    plan = _import(database, _write(tmp_path, text))
    assert [r.action for r in plan.rows] == [Action.CHANGED, Action.UNCHANGED]
    assert stored(database).certificate_status("2023010915000001",
                                               dt.date(2025, 7, 2)).value == "revoked"


def test_bad_rows_are_rejected_with_line_numbers_and_nothing_applied(
    database: Database, tmp_path: Path
) -> None:
    store(database, _base())
    version = stored(database).version
    text = CHINESE + (
        "2025010914000009,Nobody Ltd,移动电源,PB-1,有效,2025-06-01,,\n"   # line 6: unknown holder
        "2025010914000010,Acme,移动电源,PB-1,停用,2025-06-01,,\n"         # line 7: status word
        "2025010914000011,Acme,移动电源,PB-1,有效,2025-13-01,,\n"         # line 8: date
        "123,Acme,移动电源,PB-1,有效,2025-06-01,,\n"                     # line 9: not a CCC number
        "2025010914000007,Acme,移动电源,PB-300,有效,2025-06-01,,\n"        # line 10: listed twice
    ).replace(",,\n", ",,,CQC\n")
    with pytest.raises(ImportRejected) as caught:
        _import(database, _write(tmp_path, text))
    where = [(issue.location, issue.field) for issue in caught.value.issues]
    assert ("line 7", "status") in where and ("line 8", "status_date") in where
    assert ("line 6", "holder") in where and ("line 9", "number") in where
    assert ("line 10", "number") in where
    assert "nothing was changed" in str(caught.value)
    registry = stored(database)
    assert registry.version == version and len(registry.data.certificates) == 2


def test_unknown_holder_created_on_request(database: Database, tmp_path: Path) -> None:
    store(database, _base())
    text = "证书编号,持证人,产品名称,证书状态,状态日期\n2025010915000012,新能电池有限公司,电芯,撤销,2025-08-01\n"
    plan = _import(database, _write(tmp_path, text), create=True)
    assert len(plan.companies_created) == 1
    registry = stored(database)
    company = registry.companies[plan.companies_created[0]]
    assert company.names == {"zh": "新能电池有限公司"} and company.roles[0].value == "cell_maker"
    assert registry.certificate_status("2025010915000012", dt.date(2025, 8, 2)).value == "revoked"


def test_dry_run_shows_the_diff_and_changes_nothing(database: Database, tmp_path: Path) -> None:
    store(database, _base())
    version = stored(database).version
    plan = _import(database, _write(tmp_path, CHINESE), dry_run=True)
    assert [plan.count(a) for a in Action] == [2, 1, 1]
    registry = stored(database)
    assert registry.version == version and "2025010914000007" not in registry.certificates


def test_empty_and_headerless_files(tmp_path: Path) -> None:
    assert read_snapshot(_write(tmp_path, "")).issues[0].message == "is empty"
    missing = read_snapshot(_write(tmp_path, "证书编号,型号\n1,2\n"))
    assert missing.issues[0].location == "line 1" and "missing column" in missing.issues[0].message
