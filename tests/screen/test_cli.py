"""``cellwatch screen`` and ``cellwatch synth inventory`` through the real entry point."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from cellwatch.check import advice
from cellwatch.check.words import ADVISORY_WORDS
from cellwatch.screen.run import STAGES
from cellwatch.screen.sheet import read_header
from cellwatch.screen.words import STAGE_WORDS
from tests.cli.conftest import Cli
from tests.screen.inventory import read_rows


def _stock(folder: Path) -> Path:
    path = folder / "stock.csv"
    path.write_text(
        "品牌,型号,批次\nromoss,PAC20-272,C14-P6\nanker,A1263,\nnobody,X1,\nromoss,PAC20-272,,x\n",
        encoding="gb18030",
    )
    return path


def test_screen_prints_a_summary_and_writes_next_to_the_input(cli: Cli, tmp_path: Path) -> None:
    assert cli("load", "--demo").code == 0
    done = cli("screen", str(_stock(tmp_path)), "--date", "2025-07-01")
    assert done.code == 0, done.err
    assert "possibly recalled (possibly_recalled)" in done.out
    assert "1 bad row(s)" in done.out and "gb18030" in done.out
    rows = read_rows(tmp_path / "stock.screened.csv")
    assert [r["recall_status"] for r in rows] == ["recalled", "possibly_recalled", "unknown_model"]
    errors = read_rows(tmp_path / "stock.screened.errors.csv")
    assert [e["line"] for e in errors] == ["5"]


@pytest.mark.parametrize(("lang", "present", "absent"), [
    ("en", ["screened 3 of 4 rows as of 2025-07-01", "recall status", "possibly recalled",
            "model not in the registry", "1 bad row(s)", "rows/s"],
     ["召回状态", "已筛查"]),
    ("zh", ["已筛查 4 行中的 3 行，截至 2025-07-01", "召回状态", "已召回 (recalled)",
            "可能在召回范围内 (possibly_recalled)", "型号未收录", "数量", "1 行无法筛查",
            "每秒"],
     ["recall status", "units", "bad row", "rows/s", "as of"]),
])
def test_screen_summary_speaks_one_language(cli: Cli, tmp_path: Path, lang: str,
                                            present: list[str], absent: list[str]) -> None:
    """Every heading and status word of the summary is in the chosen language; the codes
    the output file holds stay beside the words."""
    assert cli("load", "--demo").code == 0
    done = cli("screen", str(_stock(tmp_path)), "--date", "2025-07-01", "--lang", lang)
    assert done.code == 0, done.err
    text = " ".join(done.out.split())
    for words in present:
        assert words in text, words
    for words in absent:
        assert words not in text, words
    assert cli("screen", str(_stock(tmp_path)), "--lang", "fr").code == 2


def test_every_advisory_and_stage_has_words() -> None:
    """The summary names every advisory the check can give, and the progress every stage
    of the screen, in both languages."""
    assert set(STAGE_WORDS) == {*STAGES, "done"}
    codes = set(re.findall(r'AdvisoryOut\(\s*code="(\w+)"', inspect.getsource(advice)))
    assert len(codes) >= 7
    assert codes == set(ADVISORY_WORDS)
    assert all(en and zh for en, zh in ADVISORY_WORDS.values())


def test_screen_json_and_map(cli: Cli, tmp_path: Path) -> None:
    assert cli("load", "--demo").code == 0
    path = tmp_path / "s.csv"
    path.write_text("Marke,Artikel\nanker,A1263\n", encoding="utf-8")
    done = cli("screen", str(path), "--map", "Marke=brand", "--map", "Artikel=model",
               "-o", str(tmp_path / "out.parquet"), "--date", "2025-07-01", "--json")
    assert done.code == 0, done.err
    summary = done.json()
    assert summary["statuses"]["possibly_recalled"] == 1
    assert summary["columns"] == {"brand": "Marke", "model": "Artikel"}
    assert summary["output"].endswith("out.parquet")


def test_screen_a_workbooks_sheet(cli: Cli, tmp_path: Path) -> None:
    from tests.screen.test_api import _workbook

    assert cli("load", "--demo").code == 0
    path = tmp_path / "stock.xlsx"
    path.write_bytes(_workbook())
    done = cli("screen", str(path), "--sheet", "清单", "--date", "2025-07-01", "--json")
    assert done.code == 0, done.err
    assert (done.json()["sheet"], done.json()["screened"]) == ("清单", 2)
    shown = cli("screen", str(path), "--sheet", "2", "--date", "2025-07-01", "--lang", "zh")
    assert shown.code == 0 and "excel, 工作表 清单" in " ".join(shown.out.split())
    wrong = cli("screen", str(path), "--sheet", "库存")
    assert wrong.code == 2 and "has no sheet '库存'; its sheets: '说明', '清单'" in wrong.err


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "stock.only.csv, 2 row(s) that are recalled (recalled) or possibly recalled "
           "(possibly_recalled)"),
    ("zh", "结果文件：{folder}/stock.only.csv，仅含 已召回 (recalled)或可能在召回范围内 "
           "(possibly_recalled) 的 2 行"),
])
def test_screen_only_the_rows_of_some_codes(cli: Cli, tmp_path: Path, lang: str,
                                            said: str) -> None:
    assert cli("load", "--demo").code == 0
    output = tmp_path / "stock.only.csv"
    done = cli("screen", str(_stock(tmp_path)), "--date", "2025-07-01", "-o", str(output),
               "--only", "recalled", "--only", "POSSIBLY_RECALLED", "--lang", lang)
    assert done.code == 0, done.err
    assert said.format(folder=tmp_path) in " ".join(done.out.split()).replace(
        f"{tmp_path}/ ", f"{tmp_path}/")
    assert [r["recall_status"] for r in read_rows(output)] == ["recalled", "possibly_recalled"]
    answer = cli("screen", str(_stock(tmp_path)), "--date", "2025-07-01", "-o", str(output),
                 "--only", "unknown_model", "--json").json()
    assert (answer["only"], answer["output_rows"], answer["screened"]) == (
        ["unknown_model"], 1, 3)
    wrong = cli("screen", str(_stock(tmp_path)), "--only", "recalled,stolen")
    assert wrong.code == 2 and "--only: unknown code(s) 'stolen'" in wrong.err


def test_bad_input_is_one_line_and_exit_2(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("colour\nred\n", encoding="utf-8")
    done = cli("screen", str(path))
    assert done.code == 2
    assert "no column for model among: 'colour'" in done.err
    assert cli("screen", str(path), "--date", "July").code == 2
    assert cli("screen", str(tmp_path / "missing.csv")).code == 2


def test_an_output_under_a_file_is_refused_before_the_screen(cli: Cli, tmp_path: Path) -> None:
    assert cli("load", "--demo").code == 0
    (tmp_path / "shop").mkdir()
    stock = _stock(tmp_path / "shop")
    done = cli("screen", str(stock), "-o", str(stock / "out" / "screened.csv"))
    assert (done.code, done.err.strip()) == (2, f"error: {stock}: is a file, not a folder")
    made = cli("synth", "inventory", "--rows", "5", "-o", str(stock / "inventory.csv"))
    assert (made.code, made.err.strip()) == (2, f"error: {stock}: is a file, not a folder")
    assert [p.name for p in stock.parent.iterdir()] == ["stock.csv"]  # nothing written
    deeper = cli("screen", str(stock), "-o", str(tmp_path / "new" / "folder" / "out.csv"))
    assert deeper.code == 0, deeper.err
    assert sorted(p.name for p in (tmp_path / "new" / "folder").iterdir()) == [
        "out.csv", "out.errors.csv"]


def test_synth_inventory_is_labelled_and_screens(cli: Cli, tmp_path: Path) -> None:
    assert cli("load", "--demo").code == 0
    out = tmp_path / "inv.csv"
    done = cli("synth", "inventory", "--rows", "500", "-o", str(out))
    assert done.code == 0, done.err
    rows = read_rows(out)
    assert len(rows) == 500
    assert {r["synthetic"] for r in rows} == {
        "SYNTHETIC - generated by cellwatch, not a real inventory"}
    again = tmp_path / "again.csv"
    cli("synth", "inventory", "--rows", "500", "-o", str(again))
    assert again.read_bytes() == out.read_bytes()  # the same seed, the same rows
    screened = cli("screen", str(out), "--json").json()
    assert screened["rows"] == 500 and screened["statuses"]["unknown_model"] > 0
    demo = cli("synth", "inventory", "--rows", "50", "--registry", "demo",
               "-o", str(tmp_path / "d.parquet"))
    assert demo.code == 0 and len(read_rows(tmp_path / "d.parquet")) == 50
    assert cli("synth", "inventory", "--rows", "5", "--registry", "nope").code == 2


def test_synth_inventory_writes_a_workbook_that_screens_as_its_csv(
    cli: Cli, tmp_path: Path
) -> None:
    """The same rows as the CSV, as Excel stores a sheet (shared strings): openpyxl reads
    its header, calamine its rows, and the screen answers them as it answers the CSV."""
    assert cli("load", "--demo").code == 0
    for name in ("inv.csv", "inv.xlsx"):
        done = cli("synth", "inventory", "--rows", "300", "-o", str(tmp_path / name))
        assert done.code == 0, done.err
    assert read_header(tmp_path / "inv.xlsx").header == [
        "synthetic", "brand", "model", "serial", "batch", "produced"]
    screened = {name: cli("screen", str(tmp_path / name), "--date", "2025-07-01",
                          "-o", str(tmp_path / f"{name}.out.csv"), "--json").json()
                for name in ("inv.csv", "inv.xlsx")}
    assert screened["inv.xlsx"]["sheet"] == "synthetic inventory"
    assert screened["inv.xlsx"]["statuses"] == screened["inv.csv"]["statuses"]
    assert read_rows(tmp_path / "inv.xlsx.out.csv") == read_rows(tmp_path / "inv.csv.out.csv")
    too_many = cli("synth", "inventory", "--rows", "1048576", "-o", str(tmp_path / "x.xlsx"))
    assert too_many.code == 2 and "at most 1,048,575 rows" in too_many.err
