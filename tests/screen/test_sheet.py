"""Reading an Excel sheet in a process of its own: values as text, where the rows are, and
workbooks that would take too much memory."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

from cellwatch.errors import InputError
from cellwatch.screen import ScreenOptions, screen
from cellwatch.screen.sheet import MAX_SHEET_MEMORY, SheetError, read_header, read_sheet
from tests.screen.inventory import read_rows
from tests.screen.test_screen import DATE, registry


def rows_of(path: Path) -> list[tuple[object, ...]]:
    return duckdb.sql(f"SELECT * FROM read_parquet('{path}') ORDER BY cw_line").fetchall()


def test_values_become_the_text_a_person_reads(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["brand", "n", "produced", "flag"])
    sheet.append(["acme", 12, dt.date(2024, 5, 1), True])
    sheet.append(["  ", 1.5, dt.datetime(2024, 5, 1, 13, 5), None])
    sheet.append([None, 1e20, dt.time(3, 4), "0012"])
    book.save(tmp_path / "stock.xlsx")
    read = read_sheet(tmp_path / "stock.xlsx", tmp_path / "sheet.parquet")
    assert read.header == ["brand", "n", "produced", "flag"] and read.rows == 3
    assert rows_of(tmp_path / "sheet.parquet") == [
        (2, "acme", "12", "2024-05-01", "True"),
        (3, None, "1.5", "2024-05-01 13:05:00", None),
        (4, None, "100000000000000000000", "03:04:00", "0012"),
    ]


def test_rows_keep_their_sheet_numbers_and_columns_their_places(tmp_path: Path) -> None:
    """A table that starts at C3, with an empty row inside it: rows are numbered as the
    sheet numbers them, and the columns left of the table are empty columns."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["C3"], sheet["D3"] = "brand", "model"
    sheet["C4"], sheet["D4"] = "acme", "PB-100"
    sheet["D6"] = "PB-300"
    book.save(tmp_path / "stock.xlsx")
    read = read_sheet(tmp_path / "stock.xlsx", tmp_path / "sheet.parquet")
    assert read.header == [None, None, "brand", "model"] and read.rows == 2
    assert rows_of(tmp_path / "sheet.parquet") == [
        (4, None, None, "acme", "PB-100"), (6, None, None, None, "PB-300"),
    ]
    assert read_header(tmp_path / "stock.xlsx") == read.header


def test_the_first_worksheet_is_read_not_a_chart_sheet(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["brand", "model"])
    sheet.append(["acme", "PB-100"])
    book.create_chartsheet("chart", 0)
    book.save(tmp_path / "stock.xlsx")
    read = read_sheet(tmp_path / "stock.xlsx", tmp_path / "sheet.parquet")
    assert (read.header, read.rows) == (["brand", "model"], 1)
    assert read_header(tmp_path / "stock.xlsx") == ["brand", "model"]


def test_a_sheet_spanning_a_vast_area_is_refused_and_the_screen_goes_on(
    tmp_path: Path
) -> None:
    """Two cells, A1 and the sheet's last, XFD1048576: a file of a few kilobytes whose
    rectangle holds 17 billion cells. The reader's process runs out of its memory, not
    the screen's."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["brand", "model"])
    sheet.append(["acme", "PB-100"])
    sheet["XFD1048576"] = "x"
    book.save(tmp_path / "vast.xlsx")
    assert (tmp_path / "vast.xlsx").stat().st_size < 20_000
    with pytest.raises(InputError, match=(
        f"vast.xlsx: reading its first sheet needs more than "
        f"{MAX_SHEET_MEMORY // 1024**3} GB of memory"
    )):
        screen(tmp_path / "vast.xlsx", registry(),
               ScreenOptions(date=DATE, output=tmp_path / "out.csv"))
    assert not (tmp_path / "out.csv").exists()
    # and this process screens the next workbook as ever
    del sheet["XFD1048576"]
    book.save(tmp_path / "stock.xlsx")
    summary = screen(tmp_path / "stock.xlsx", registry(),
                     ScreenOptions(date=DATE, output=tmp_path / "out.csv"))
    assert summary.screened == 1
    assert read_rows(tmp_path / "out.csv")[0]["recall_status"] == "possibly_recalled"


def test_the_memory_cap_is_the_readers(tmp_path: Path) -> None:
    """A sheet that fits in 4 GB but not in 256 MB: 100,000 rows of 100 columns."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["brand", "model"])
    sheet["CV100000"] = "x"
    book.save(tmp_path / "wide.xlsx")
    with pytest.raises(SheetError, match="needs more than 0 GB of memory"):
        read_sheet(tmp_path / "wide.xlsx", tmp_path / "sheet.parquet", memory=256 * 1024**2)
    assert read_sheet(tmp_path / "wide.xlsx", tmp_path / "sheet.parquet").rows == 1


def test_a_file_that_is_no_workbook_says_so(tmp_path: Path) -> None:
    (tmp_path / "stock.xlsx").write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(SheetError, match=r"cannot read stock\.xlsx as an Excel workbook"):
        read_sheet(tmp_path / "stock.xlsx", tmp_path / "sheet.parquet")
    with pytest.raises(SheetError, match=r"cannot read stock\.xlsx as an Excel workbook"):
        read_header(tmp_path / "stock.xlsx")
