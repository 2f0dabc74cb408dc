"""Screening an Excel inventory: a full sheet (Excel's most, 1,048,575 rows below the
header) against the synthetic large registry, next to calamine merely reading the sheet,
and the memory of the process that reads it.

Writes a labelled synthetic inventory as a workbook the way Excel stores one, every text
once in the shared strings (`cellwatch synth inventory -o FILE.xlsx`), then:

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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _common import Timer, add_size_arguments, peak_rss_mb, size_of, warm, write_results
from cellwatch.domain.registry import Registry
from cellwatch.screen import ScreenOptions, screen
from cellwatch.screen.sheet import read_sheet
from cellwatch.synth.inventory import write_inventory
from cellwatch.synth.registry import generate


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
    add_size_arguments(parser)
    args = parser.parse_args()

    size = size_of(args)
    data = generate(size)
    with tempfile.TemporaryDirectory(prefix="cellwatch-bench-") as folder:
        workbook = Path(folder) / "inventory.xlsx"
        with Timer() as writing:
            write_inventory(data, args.rows, workbook)
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
