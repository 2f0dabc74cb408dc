"""Listings read in a terminal of any width: ids and dates are never cut short."""

from __future__ import annotations

import re

import pytest
from rich.console import Console

from cellwatch.cli.output import table_of
from tests.cli.conftest import Cli


def _render(width: int) -> str:
    table = table_of("id", "announced", "issuer", "units", keep=("id", "announced"),
                     counts=("units",), title="recalls")
    table.add_row("cn-romoss-2025-06", "2025-06-16", "Shenzhen Romoss Technology Co., Ltd.",
                  "491,745")
    table.add_row("cn-xiaomi-2025-08", "2025-08-29", "", "146,891")
    console = Console(width=width, record=True)
    console.print(table)
    return console.export_text()


def test_a_wide_terminal_gets_a_table() -> None:
    text = _render(120)
    assert "┃ id " in text
    assert re.search(r"│ cn-romoss-2025-06 +│ 2025-06-16 │ Shenzhen Romoss Technology Co., Ltd\. │ "
                     r"491,745 │", text)


def test_a_narrow_terminal_gets_a_record_per_row_with_nothing_cut_short() -> None:
    text = _render(40)
    lines = [line.rstrip() for line in text.splitlines()]
    assert lines[0] == "recalls"
    assert lines[1].startswith("1 ─")
    assert "id         cn-romoss-2025-06" in lines
    assert "announced  2025-06-16" in lines
    assert "units      491,745" in lines
    assert lines.index("id         cn-xiaomi-2025-08") > lines.index("units      491,745")
    assert "…" not in text
    assert all(len(line) <= 40 for line in lines)
    second = lines[lines.index("id         cn-xiaomi-2025-08") - 1:]
    assert not any(line.startswith("issuer") for line in second)  # an empty value is left out


def test_a_column_of_free_text_wraps_beside_whole_ids() -> None:
    text = _render(64)
    assert "│ cn-romoss-2025-06 │ 2025-06-16 │" in text
    assert "┃ id " in text
    assert "…" not in text


@pytest.mark.parametrize(("command", "values"), [
    (("recalls", "list"), ("cn-anker-2025-06", "2025-06-20", "712,964")),
    (("incidents", "list"), ("dalian-nanjing-2025-08-28", "2025-08-28")),
    (("rules", "list"), ("cn-caac", "us-faa")),
    (("impact", "--company", "APEX (Wuxi)", "--date", "2025-07-01"),
     ("PAC20-392", "cn-romoss-2025-06", "cn-anker-2025-06")),
    (("signals", "--as-of", "2025-12-01"),
     ("dalian-nanjing-2025-08-28", "us-cpsc-anker-a1642-2024-10")),
    (("signals", "--as-of", "2025-12-01", "--lang", "zh"),  # Chinese: no spaces to wrap at
     ("dalian-nanjing-2025-08-28", "计入方式", "仅计入总数：报告未写明品牌或型号")),
    (("check", "--brand", "anker", "--model", "A1681", "--date", "2025-07-01", "--lang", "zh"),
     ("cn-caac.ccc-mark-unknown", "请查看标签上的3C（CCC）标识。")),
    (("rules", "show", "cn-caac", "--lang", "zh"),
     ("checked-baggage", "switch-off", "有开关的充电宝")),  # and, below, nothing cut
])
def test_listings_in_an_80_column_terminal_show_every_id_whole(
        cli: Cli, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...],
        values: tuple[str, ...]) -> None:
    assert cli("load", "--demo").code == 0
    monkeypatch.setenv("COLUMNS", "80")
    done = cli(*command)
    assert done.code == 0, done.err
    # Chinese folds anywhere in a table's cell: read the cells' lines joined
    joined = re.sub(r" *\n *", "", done.out.replace("│", ""))
    for value in values:
        if value.isascii():  # an id, whole: not a part of a longer one
            assert re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", done.out), value
        else:
            assert value in joined, value
    assert "…" not in done.out
    # a source's URL is printed whole on its line, so that it can be copied
    assert all(len(line) <= 80 for line in done.out.splitlines()
               if not line.startswith("source: "))
