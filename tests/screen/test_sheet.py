"""Reading an Excel sheet in a process of its own: values as text, where the rows are, and
workbooks that would take too much memory."""

from __future__ import annotations

import datetime as dt
import struct
import zipfile
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook, load_workbook

from cellwatch.errors import InputError
from cellwatch.screen import ScreenOptions, screen
from cellwatch.screen.sheet import MAX_SHEET_MEMORY, SheetError, read_header, read_sheet
from cellwatch.screen.source import read_start
from tests.screen.inventory import read_rows, write_workbook
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
    assert read_header(tmp_path / "stock.xlsx").header == read.header


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
    assert read_header(tmp_path / "stock.xlsx").header == ["brand", "model"]


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


def write_xls(path: Path, rows: list[list[object]]) -> Path:
    """An Excel 97-2003 workbook (what older Chinese ERP and government systems export)."""
    import xlwt  # type: ignore[import-untyped]

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("库存")
    day = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write(r, c, value, day)
            elif value is not None:
                sheet.write(r, c, value)
    book.save(str(path))
    return path


def write_ods(path: Path, rows: list[list[str | None]]) -> Path:
    """An OpenDocument spreadsheet (LibreOffice's, WPS's and Excel's "save as .ods")."""
    from odf.opendocument import OpenDocumentSpreadsheet  # type: ignore[import-untyped]
    from odf.table import Table, TableCell, TableRow  # type: ignore[import-untyped]
    from odf.text import P  # type: ignore[import-untyped]

    document = OpenDocumentSpreadsheet()
    table = Table(name="stock")
    for row in rows:
        line = TableRow()
        for value in row:
            cell = TableCell(valuetype="string") if value is not None else TableCell()
            if value is not None:
                cell.addElement(P(text=value))
            line.addElement(cell)
        table.addElement(line)
    document.spreadsheet.addElement(table)
    document.save(str(path))
    return path


def test_an_excel_97_workbook_and_an_opendocument_spreadsheet_are_screened(
    tmp_path: Path
) -> None:
    options = ScreenOptions(date=DATE, output=tmp_path / "out.csv")
    write_xls(tmp_path / "stock.xls", [
        ["品牌", "型号", "生产日期", "数量"],
        ["acme", "PB-100", dt.date(2023, 7, 1), 12],
        [None, None, None, None],
        ["爱克米", "PB-300", None, 1],
    ])
    summary = screen(tmp_path / "stock.xls", registry(), options)
    assert (summary.kind, summary.screened) == ("excel", 2)
    rows = read_rows(tmp_path / "out.csv")
    assert [(r["input_line"], r["生产日期"], r["数量"], r["recall_status"]) for r in rows] == [
        ("2", "2023-07-01", "12", "recalled"), ("4", None, "1", "not_recalled"),
    ]
    write_ods(tmp_path / "stock.ods", [
        ["brand", "model", "produced"], ["acme", "PB-100", "2023-07-01"], ["acme", "PB-200", None],
    ])
    summary = screen(tmp_path / "stock.ods", registry(), options)
    rows = read_rows(tmp_path / "out.csv")
    assert [(r["input_line"], r["recall_status"]) for r in rows] == [
        ("2", "recalled"), ("3", "not_recalled"),
    ]
    assert read_header(tmp_path / "stock.xls").header == ["品牌", "型号", "生产日期", "数量"]
    assert read_header(tmp_path / "stock.ods").header == ["brand", "model", "produced"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("stock.xls", b"<html><body><table><tr><td>brand</td></tr></table>",
         "stock.xls is a web page, not an Excel workbook: open it in a spreadsheet"),
        ("stock.xls", "品牌\t型号\nacme\tPB-100\n".encode("gb18030"),
         "stock.xls is a text file, not an Excel workbook: give it the name .csv"),
        ("stock.ods", b"brand,model\n", "stock.ods is a text file, not an OpenDocument"),
        ("stock.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500),
         "cannot read stock.xls as an Excel workbook"),
    ],
)
def test_a_file_named_as_a_workbook_that_is_none_says_what_it_is(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    """Some systems save a web page or tab-separated text as ``.xls``."""
    (tmp_path / name).write_bytes(content)
    with pytest.raises(InputError) as caught:
        screen(tmp_path / name, registry(), ScreenOptions(date=DATE, output=tmp_path / "o.csv"))
    assert str(caught.value).startswith(message)
    with pytest.raises(InputError) as caught:
        read_start(tmp_path / name, tmp_path)
    assert str(caught.value).startswith(message)


def two_sheets(path: Path) -> Path:
    """A workbook whose first sheet says how to fill in the second, as many do."""
    write_workbook(path, {
        "说明": [["请在“清单”表中填写"]],
        "清单": [["品牌", "型号", "生产日期"], ["acme", "PB-100", dt.date(2023, 7, 1)],
               ["acme", "PB-200", None]],
        "Empty": [],
    })
    return path


@pytest.mark.parametrize("wanted", ["清单", " 清单 ", "2"])
def test_a_sheet_is_chosen_by_name_or_number(tmp_path: Path, wanted: str) -> None:
    path = two_sheets(tmp_path / "stock.xlsx")
    read = read_sheet(path, tmp_path / "sheet.parquet", wanted)
    assert (read.name, read.header, read.rows) == ("清单", ["品牌", "型号", "生产日期"], 2)
    assert read_header(path, wanted).header == ["品牌", "型号", "生产日期"]
    summary = screen(path, registry(), ScreenOptions(date=DATE, output=tmp_path / "out.csv",
                                                     sheet=wanted))
    assert (summary.sheet, summary.screened) == ("清单", 2)
    assert [r["recall_status"] for r in read_rows(tmp_path / "out.csv")] == [
        "recalled", "not_recalled"]


def test_the_first_worksheet_is_the_default_and_is_named_in_the_summary(
    tmp_path: Path
) -> None:
    """A screen that finds no model column in the first sheet, or no rows, names the
    workbook's sheets, so that the person screening can choose the right one."""
    path = two_sheets(tmp_path / "stock.xlsx")
    assert read_sheet(path, tmp_path / "sheet.parquet").name == "说明"
    hint = "(read its sheet '说明'; it has '说明', '清单', 'Empty': choose one by name or number)"
    with pytest.raises(InputError) as caught:
        screen(path, registry(), ScreenOptions(date=DATE, output=tmp_path / "out.csv"))
    assert str(caught.value) == f"stock.xlsx has a header but no rows {hint}"
    book = load_workbook(path)
    book["说明"].append(["型号一栏必填"])
    book.save(path)
    with pytest.raises(InputError) as caught:
        screen(path, registry(), ScreenOptions(date=DATE, output=tmp_path / "out.csv"))
    assert str(caught.value).startswith("no column for model")
    assert str(caught.value).endswith(hint)


@pytest.mark.parametrize(("wanted", "message"), [
    ("stock", "stock.xlsx has no sheet 'stock'; its sheets: '说明', '清单', 'Empty'"),
    ("4", "stock.xlsx has no sheet '4'"),
    ("0", "stock.xlsx has no sheet '0'"),
    ("empty", "stock.xlsx: the sheet 'Empty' is empty"),
])
def test_a_sheet_the_workbook_does_not_have_is_named_with_those_it_has(
    tmp_path: Path, wanted: str, message: str
) -> None:
    path = two_sheets(tmp_path / "stock.xlsx")
    for read in (lambda: read_sheet(path, tmp_path / "sheet.parquet", wanted),
                 lambda: read_header(path, wanted)):
        with pytest.raises(SheetError) as caught:
            read()
        assert str(caught.value) == message or str(caught.value).startswith(message)
    with pytest.raises(InputError, match=message.split(";")[0]):
        screen(path, registry(), ScreenOptions(date=DATE, output=tmp_path / "out.csv",
                                               sheet=wanted))
    assert not (tmp_path / "out.csv").exists()


def test_a_sheet_asked_of_a_file_without_sheets_is_refused(tmp_path: Path) -> None:
    (tmp_path / "stock.csv").write_text("brand,model\nacme,PB-100\n", encoding="utf-8")
    message = r"stock\.csv: only a workbook \(\.xlsx, \.xlsm, \.xls, \.ods\) has sheets"
    with pytest.raises(InputError, match=message):
        screen(tmp_path / "stock.csv", registry(),
               ScreenOptions(date=DATE, output=tmp_path / "out.csv", sheet="1"))
    with pytest.raises(InputError, match=message):
        read_start(tmp_path / "stock.csv", tmp_path, "1")


def test_a_sheet_that_takes_too_long_to_read_is_refused(tmp_path: Path) -> None:
    """The reader is stopped after its time (600 s; here a hundredth of a second)."""
    write_workbook(tmp_path / "stock.xlsx", {"stock": [["brand", "model"], ["acme", "PB-100"]]})
    with pytest.raises(SheetError, match=r"stock\.xlsx: reading its first sheet took more than "
                                         r"0\.01 s: save the sheet as CSV"):
        read_sheet(tmp_path / "stock.xlsx", tmp_path / "sheet.parquet", seconds=0.01)
    assert read_sheet(tmp_path / "stock.xlsx", tmp_path / "sheet.parquet").rows == 1


def test_a_part_that_inflates_past_its_declared_size_is_refused(tmp_path: Path) -> None:
    """The expansion check reads the sizes the zip's directory declares; calamine holds
    each part to its size, so a workbook that lies about them is not read past it."""
    path = tmp_path / "liar.xlsx"
    write_workbook(path, {"s": [["brand", "model"], *[["acme", f"PB-{i}"] for i in range(500)]]})
    data = bytearray(path.read_bytes())
    part = zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml")
    struct.pack_into("<I", data, part.header_offset + 22, 100)  # the local header's size
    central = data.find(b"PK\x01\x02")
    while central != -1:  # and the central directory's
        length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46:central + 46 + length] == b"xl/worksheets/sheet1.xml":
            struct.pack_into("<I", data, central + 24, 100)
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))
    assert zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml").file_size == 100
    with pytest.raises(SheetError, match="larger than its declared uncompressed size"):
        read_sheet(path, tmp_path / "sheet.parquet")
