"""Reading a worksheet of a workbook (Excel ``.xlsx``, ``.xlsm``, ``.xls``, or
OpenDocument ``.ods``) into a Parquet file of text, in a process of its own whose memory
is capped. The worksheet is the first, or the one asked for by name or number
(:func:`pick`).

The sheet is read by calamine (python-calamine, in Rust), about ten times as fast as
openpyxl, which read it before (200k rows: 1.9 s against 21 s). calamine holds the whole
sheet, and holds it dense: every cell of the rectangle from the first used cell to the
last. A workbook of two cells, ``A1`` and ``XFD1048576``, a few kilobytes, would ask for
hundreds of gigabytes; a shared string of 32,767 characters is copied into every cell
that names it. So the sheet is read by a child process (this file, run as a script) whose
address space is capped at :data:`MAX_SHEET_MEMORY`: a workbook that needs more is
refused with a clear message, and the screen, or the API worker that runs it, goes on.

The child writes ``cw_line`` (the sheet's row number) and one text column per header
cell, ``c0``, ``c1``, …, for every row with a value, to a Parquet file, and prints one
line of JSON: the sheet's name, the header's cells, the count of rows, the workbook's
worksheets and the most memory it held, or why it could not. The first
row with a value is the header; dates become ``YYYY-MM-DD``, whole numbers lose their
``.0``, and blank cells are missing.

The child imports only the standard library, NumPy, DuckDB and calamine, and is run
with ``-P``: its folder, which holds modules named like some of theirs, is not put on
its path (the environment's paths are kept, so it finds the packages its parent does).
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import json
import signal
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Most memory (address space) the child that reads a sheet may take. A sheet of a
#: million rows and six columns takes about 0.4 GB.
MAX_SHEET_MEMORY = 4 * 1024**3
#: Longest the child may take (a full sheet of a million rows takes 10-15 s). Within the
#: expansion bound below, an upload of hundreds of megabytes may still unzip to tens of
#: gigabytes of XML: with no cells to fill the memory, hours of parsing.
MAX_SHEET_SECONDS = 600
#: Most an Excel file's parts may unzip to, as a multiple of the file's own size (workbooks
#: compress their XML about 5-15 times), or ``_EXCEL_FLOOR`` bytes for small files. A file
#: that claims more is refused before it is parsed: a "zip bomb" of a few megabytes would
#: otherwise hold the screen (and an API worker) for hours.
MAX_EXCEL_EXPANSION = 100
_EXCEL_FLOOR = 64 * 1024 * 1024
#: The kinds of workbook openpyxl reads (a header is read by it, streaming)
_OPENPYXL = (".xlsx", ".xlsm")
#: Rows the child hands DuckDB at a time
_CHUNK = 50_000
#: The child's exit code for a sheet it could not read (its JSON says why)
_UNREADABLE = 2


@dataclass(frozen=True)
class Sheet:
    """A worksheet as read: its name, the header's cells (``c0``, ``c1``, … in the file
    the child writes), the count of rows below it with a value (0 when only the header
    was read, :func:`read_header`), and the most memory the child held (MiB)."""

    name: str
    header: list[str | None]
    rows: int
    peak_mb: float = 0.0
    #: Every worksheet's name, in the workbook's order
    sheets: tuple[str, ...] = ()

    def others(self) -> str:
        """For a message about this sheet: the workbook's other worksheets, if it has any,
        and how to choose one ("" when it has none)."""
        if len(self.sheets) < 2:
            return ""
        return (f" (read its sheet {self.name!r}; it has "
                + ", ".join(repr(n) for n in self.sheets)
                + ": choose one by name or number)")


class SheetError(Exception):
    """The sheet could not be read: ``message`` says why, for the person who gave it."""


def read_sheet(
    path: Path, target: Path, sheet: str | None = None, memory: int = MAX_SHEET_MEMORY,
    seconds: float = MAX_SHEET_SECONDS,
) -> Sheet:
    """Write a sheet of the workbook ``path`` (:func:`pick`) to the Parquet file ``target``
    (see the module's docstring); raise :class:`SheetError` when it cannot be read."""
    _check_workbook(path)
    which = "its first sheet" if sheet is None else f"its sheet {sheet!r}"
    try:
        done = subprocess.run(
            [sys.executable, "-P", __file__, str(path), str(target), str(memory),
             *([] if sheet is None else [sheet])],
            capture_output=True, text=True, check=False, timeout=seconds,
        )
    except subprocess.TimeoutExpired:  # the child is killed
        raise SheetError(f"{path.name}: reading {which} took more than {seconds:g} s: save "
                         "the sheet as CSV and screen that") from None
    answer = _answer(done.stdout)
    if done.returncode == 0 and "header" in answer:
        return Sheet(answer["sheet"], answer["header"], int(answer["rows"]),
                     float(answer["peak_mb"]), tuple(answer["sheets"]))
    if done.returncode == _UNREADABLE and "error" in answer:
        raise SheetError(answer["error"])
    # Rust aborts when an allocation fails; the kernel kills a process it runs out for
    killed = done.returncode in (-signal.SIGABRT, -signal.SIGKILL)
    if answer.get("memory") or "memory allocation" in done.stderr or killed:
        raise SheetError(
            f"{path.name}: reading {which} needs more than {memory / 1024**3:.0f} GB of "
            "memory (its cells span a very large area, or repeat very long texts): save "
            "the sheet as CSV and screen that"
        )
    raise SheetError(f"cannot read {path.name} as {what(path)}: "
                     f"{_last_line(done.stderr) or f'exit code {done.returncode}'}")


def read_header(path: Path, sheet: str | None = None) -> Sheet:
    """The sheet (:func:`pick`) with the cells of its first row with a value (and no
    count of rows), to refuse a file before it is queued: read by openpyxl, which streams
    the sheet, so that a large sheet is not read whole; by the child, reading it whole,
    where openpyxl cannot read the workbook (it fails on some that calamine reads, a chart
    sheet's, say)."""
    from openpyxl import load_workbook

    _check_workbook(path)
    try:
        if path.suffix.lower() not in _OPENPYXL:
            raise ValueError(f"openpyxl does not read {path.suffix}")
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises zip, XML and key errors alike
        with tempfile.TemporaryDirectory(prefix="cellwatch-sheet-") as folder:
            return read_sheet(path, Path(folder) / "sheet.parquet", sheet)
    try:
        names = [w.title for w in book.worksheets]
        name = pick(names, sheet, path)
        for values in book[name].iter_rows(values_only=True):
            cells = [cell(v) for v in values]
            if any(c is not None for c in cells):
                return Sheet(name, cells, 0, sheets=tuple(names))
    finally:
        book.close()
    raise SheetError(_empty(path, sheet, name))


def pick(names: list[str], wanted: str | None, path: Path) -> str:
    """The worksheet to read, of ``names`` (the workbook's, in its order): the first when
    none is ``wanted``; else the one of that name (exactly, else ignoring case and
    surrounding spaces), else, for a number, the n-th (1 for the first)."""
    if not names:
        raise SheetError(f"{path.name} has no worksheet")
    if wanted is None:
        return names[0]
    if wanted in names:
        return wanted
    for name in names:
        if name.strip().casefold() == wanted.strip().casefold():
            return name
    if wanted.strip().isdigit() and 1 <= int(wanted) <= len(names):
        return names[int(wanted) - 1]
    raise SheetError(f"{path.name} has no sheet {wanted!r}; its sheets: "
                     + ", ".join(repr(n) for n in names))


def _empty(path: Path, wanted: str | None, name: str) -> str:
    if wanted is None:
        return f"{path.name}: the first sheet is empty"
    return f"{path.name}: the sheet {name!r} is empty"


def _answer(stdout: str) -> dict[str, Any]:
    try:
        found = json.loads(stdout.strip().splitlines()[-1]) if stdout.strip() else {}
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


#: How a workbook's file begins: a zip (``.xlsx``, ``.xlsm``, ``.ods``) or an OLE2
#: compound file (``.xls``, Excel 97-2003)
_ZIP, _OLE2 = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def what(path: Path) -> str:
    """What kind of workbook ``path`` names, for messages."""
    return ("an OpenDocument spreadsheet" if path.suffix.lower() == ".ods"
            else "an Excel workbook")


def _check_workbook(path: Path) -> None:
    """Refuse a file that is no workbook (a web page or text that a system saved as
    ``.xls``, as some do), and a zipped one whose parts unzip to more than
    :data:`MAX_EXCEL_EXPANSION` times its size (the sizes its zip directory declares,
    which calamine's zip reader, like Python's, holds each part to)."""
    with path.open("rb") as stream:
        start = stream.read(len(_OLE2))
    if start == _OLE2:
        return
    if not start.startswith(_ZIP):
        if start.lstrip().startswith(b"<"):
            raise SheetError(f"{path.name} is a web page, not {what(path)}: open it in a "
                             "spreadsheet and save it as .xlsx, or save it as CSV")
        if b"\0" not in start:
            raise SheetError(f"{path.name} is a text file, not {what(path)}: give it the "
                             "name .csv (or .tsv, tab-separated) and screen that")
    try:
        with zipfile.ZipFile(path) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as error:
        raise SheetError(f"cannot read {path.name} as {what(path)}: {error}") from None
    limit = max(path.stat().st_size * MAX_EXCEL_EXPANSION, _EXCEL_FLOOR)
    if unzipped > limit:
        raise SheetError(
            f"{path.name} unzips to {unzipped:,} bytes, more than {MAX_EXCEL_EXPANSION} times "
            "its size: not read (save it as CSV, or as a workbook again)"
        )


# -- the child --------------------------------------------------------------------------


def cell(value: Any) -> str | None:
    """A cell's value as text: dates as ``YYYY-MM-DD`` (with the time when it has one),
    whole numbers without ``.0``, blank as missing."""
    if type(value) is str:
        return value if value.strip() else None
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if value is None:
        return None
    text = str(value)
    return text if text.strip() else None


def texts(values: Sequence[Any]) -> list[str | None]:
    """:func:`cell` of each value; quick for a column of text alone, as most are."""
    if set(map(type, values)) <= {str}:
        return [v if v.strip() else None for v in values]
    return [cell(v) for v in values]


def _write(path: Path, target: Path, wanted: str | None) -> Sheet:
    """Write the rows with a value of a worksheet (:func:`pick`), below its header, to
    ``target``,
    a chunk of rows at a time: each column's cells made text at once, and handed to
    DuckDB as arrays (a NumPy array of Python strings, which DuckDB reads in bulk)."""
    import duckdb
    import numpy as np
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    book = CalamineWorkbook.from_path(str(path))
    try:
        names = [m.name for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
        name = pick(names, wanted, path)
        sheet = book.get_sheet_by_name(name)
        # calamine's rows begin at the sheet's first row, but at its first used column
        skipped = sheet.start[1] if sheet.start else 0
        rows = enumerate(sheet.iter_rows(), start=1)
        header: list[str | None] = []
        for _, values in rows:
            header = [*(None for _ in range(skipped)), *texts(values)]
            if any(c is not None for c in header):
                break
        else:
            raise SheetError(_empty(path, wanted, name))
        con = duckdb.connect(config={"threads": 1})
        try:
            columns = [f"c{i}" for i in range(len(header))]
            con.execute("CREATE TABLE sheet (cw_line BIGINT, "
                        + ", ".join(f"{c} VARCHAR" for c in columns) + ")")
            count = 0
            while chunk := list(itertools.islice(rows, _CHUNK)):
                lines = np.fromiter((n for n, _ in chunk), dtype=np.int64, count=len(chunk))
                cells = [texts(column) for column in zip(*(v for _, v in chunk), strict=True)]
                kept = np.fromiter(map(any, zip(*cells, strict=True)), dtype=bool,
                                   count=len(chunk))
                empty = np.full(int(kept.sum()), None, dtype=object)
                con.register("chunk", {"cw_line": lines[kept], **dict(zip(columns, [
                    *[empty] * skipped,
                    *(np.array(column, dtype=object)[kept] for column in cells),
                ], strict=True))})
                con.execute("INSERT INTO sheet SELECT * FROM chunk")
                con.unregister("chunk")
                count += int(kept.sum())
            quoted = str(target).replace("'", "''")
            con.execute(f"COPY sheet TO '{quoted}' "
                        "(FORMAT parquet)")
        finally:
            con.close()
    finally:
        book.close()
    return Sheet(name, header, count, sheets=tuple(names))


def _main(argv: list[str]) -> int:
    import resource

    path, target, memory = Path(argv[0]), Path(argv[1]), int(argv[2])
    wanted = argv[3] if len(argv) > 3 else None
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    gc.disable()  # a million rows' lists would have it scan them over and over; none are cycles
    try:
        sheet = _write(path, target, wanted)
    except SheetError as error:
        return _say({"error": str(error)}, _UNREADABLE)
    except Exception as error:  # calamine raises its own errors, zip and XML ones alike
        if isinstance(error, MemoryError) or "OutOfMemory" in type(error).__name__:
            return _say({"memory": True}, 1)
        return _say({"error": f"cannot read {path.name} as {what(path)}: {error}"},
                    _UNREADABLE)
    return _say({"sheet": sheet.name, "header": sheet.header, "rows": sheet.rows,
                 "sheets": sheet.sheets, "peak_mb": _peak_mb()}, 0)


def _peak_mb() -> float:
    """The most memory this process has held (Linux's ``VmHWM``, in MiB; 0 elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _say(answer: dict[str, Any], code: int) -> int:
    """Tell the parent ``answer`` (one line of JSON on standard output); return ``code``."""
    sys.stdout.write(json.dumps(answer) + "\n")
    return code


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
