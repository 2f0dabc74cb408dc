"""Screening an Excel inventory: a full sheet (Excel's most, 1,048,575 rows below the
header) against the synthetic large registry, next to calamine merely reading the sheet,
and the memory of the process that reads it.

Writes a labelled synthetic inventory (`cellwatch synth inventory`) as a workbook the way
Excel stores one (every text once, in the shared strings, cells naming them), then:

1. the sheet read alone (:func:`cellwatch.screen.sheet.read_sheet`): the child process
   that reads the sheet and writes its rows to Parquet, its time and peak memory;
2. the screen: :func:`cellwatch.screen.screen` on the workbook, output to Parquet, its
   stages, and this process's peak memory;
3. the bare read: calamine loading the sheet and handing over every row, in this process.

    .venv/bin/python benchmarks/sheet.py [--rows 1048575]
        [--models N --batches N --certificates N --recalls N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import sys
import tempfile
import zipfile
from html import escape
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).parent))

from _common import Timer, peak_rss_mb, warm, write_results
from cellwatch.domain.registry import Registry
from cellwatch.screen import ScreenOptions, screen
from cellwatch.screen.sheet import read_sheet
from cellwatch.synth.inventory import write_inventory
from cellwatch.synth.registry import Size, generate

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_PARTS = {
    "[Content_Types].xml": (
        f'<Types xmlns="{_PACKAGE}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'),
    "_rels/.rels": (
        f'<Relationships xmlns="{_PACKAGE}/relationships"><Relationship Id="rId1" '
        f'Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheets>'
        '<sheet name="inventory" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{_PACKAGE}/relationships">'
        f'<Relationship Id="rId1" Type="{_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
        '</Relationships>'),
}


def write_workbook(parquet: Path, path: Path) -> None:
    """The rows of ``parquet`` as the first sheet of the workbook ``path``, its texts
    shared as Excel shares them."""
    shared: dict[str, int] = {}
    con = duckdb.connect()
    cursor = con.execute(f"SELECT * FROM read_parquet('{parquet}')")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for name, xml in _PARTS.items():
            book.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>' + xml)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}">'
                        '<sheetData>'.encode())
            number = 1
            header = [d[0] for d in cursor.description]
            for rows in iter(lambda: cursor.fetchmany(100_000), []):
                lines = []
                for values in [header, *rows] if number == 1 else rows:
                    cells = "".join(
                        f'<c t="s"><v>{shared.setdefault(v, len(shared))}</v></c>'
                        if v else "<c/>" for v in values)
                    lines.append(f'<row r="{number}">{cells}</row>')
                    number += 1
                sheet.write("".join(lines).encode())
            sheet.write(b"</sheetData></worksheet>")
        with book.open("xl/sharedStrings.xml", "w", force_zip64=True) as strings:
            strings.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}" '
                          f'uniqueCount="{len(shared)}">'.encode())
            strings.write("".join(f"<si><t>{escape(text, quote=False)}</t></si>"
                                  for text in shared).encode())
            strings.write(b"</sst>")
    con.close()


def bare_read(path: Path) -> tuple[int, float]:
    """calamine loading the first sheet and handing over every row."""
    from python_calamine import CalamineWorkbook

    with Timer() as timer:
        book = CalamineWorkbook.from_path(str(path))
        rows = sum(1 for _ in book.get_sheet_by_index(0).iter_rows())
        book.close()
    return rows, timer.seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_048_575)
    parser.add_argument("--models", type=int, default=100_000)
    parser.add_argument("--batches", type=int, default=1_000_000)
    parser.add_argument("--certificates", type=int, default=100_000)
    parser.add_argument("--recalls", type=int, default=2_000)
    args = parser.parse_args()

    size = Size(models=args.models, batches=args.batches, certificates=args.certificates,
                recalls=args.recalls)
    data = generate(size)
    with tempfile.TemporaryDirectory(prefix="cellwatch-bench-") as folder:
        workbook = Path(folder) / "inventory.xlsx"
        with Timer() as writing:
            write_inventory(data, args.rows, Path(folder) / "inventory.parquet")
            write_workbook(Path(folder) / "inventory.parquet", workbook)
        file_mb = workbook.stat().st_size / 2**20
        with Timer() as reading:
            sheet = read_sheet(workbook, Path(folder) / "sheet.parquet")

        registry = Registry(data, 1)
        warm(registry)
        gc.collect()
        gc.freeze()  # as the CLI and an API worker do with a large snapshot
        summary = screen(workbook, registry, ScreenOptions(
            date=dt.date(2025, 7, 1), output=Path(folder) / "out.parquet"))
        screen_mb = peak_rss_mb()
        rows, bare_seconds = bare_read(workbook)
    assert sheet.rows == summary.rows == args.rows == rows - 1, (sheet.rows, summary.rows)
    write_results("sheet", {
        "synthetic_large_registry": True,
        "registry": data.counts(),
        "inventory": {"rows": args.rows, "format": "xlsx (shared strings)",
                      "mb": round(file_mb), "write_seconds": round(writing.seconds, 1)},
        "bare_read_seconds": round(bare_seconds, 2),
        "sheet_read_seconds": round(reading.seconds, 2),
        "sheet_reader_peak_rss_mb": round(sheet.peak_mb),
        "screen_seconds": round(summary.seconds, 2),
        "screen_rows_per_second": round(summary.rows / summary.seconds),
        "screen_over_bare_read": round(summary.seconds / bare_seconds, 2),
        "screen_stages_seconds": {k: round(v, 2) for k, v in summary.stages.items()},
        "statuses": summary.statuses,
        "process_peak_rss_mb": round(screen_mb),
    })


if __name__ == "__main__":
    main()
