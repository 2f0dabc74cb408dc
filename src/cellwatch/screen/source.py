"""Reading an inventory into DuckDB: CSV (UTF-8 or GB18030), Parquet or Excel.

Whatever the format, the input becomes one DuckDB relation, ``raw``: a ``cw_line`` column
(where a person finds the row: the line of a CSV file, the row of a sheet, the row
number of a Parquet file counting its header as row 1) and every input column as text.

- **CSV** (``.csv``, ``.tsv``, ``.txt``): DuckDB reads UTF-8 only, so the file is first
  read through once: UTF-8 (with or without a byte-order mark) goes to DuckDB as it is;
  otherwise it is transcoded line by line to UTF-8, each line decoded as UTF-8 when it is
  valid UTF-8 and as GB18030 (Chinese systems' encoding, a superset of GBK and GB2312)
  otherwise, so that files pasted together from both kinds of system read right. A line
  that is neither is reported as a bad row. DuckDB reads the file while Python checks
  it, so a UTF-8 file is read once. The delimiter is detected. Records DuckDB
  cannot parse (too many fields) are bad rows with their line numbers; line numbers assume
  no line break inside a quoted field. The records are read once and written, as text,
  to a Parquet file in the screen's folder (:data:`PARQUET`), which is then read as a
  Parquet input is (below; :attr:`Loaded.parquet`): later steps read only the columns they
  need, and a Parquet output copies its column chunks. When blank or unreadable lines
  have to be counted in, ``raw`` is a numbered copy of its records instead.
- **Parquet**: read by DuckDB where it lies (``raw`` is a view); every column as text,
  and, in ``typed``, as its own type (for a Parquet output).
- **Excel** (``.xlsx``, ``.xlsm``, ``.xls``) and **OpenDocument** (``.ods``): the first
  worksheet, read by calamine in a process of its own whose memory is capped, and written
  to a Parquet file that becomes ``raw`` (:mod:`.sheet`); the first non-empty row is the
  header; dates become ``YYYY-MM-DD``.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from pathlib import Path

import duckdb

from cellwatch.errors import InputError
from cellwatch.screen.sheet import Sheet, SheetError, read_header, read_sheet

log = logging.getLogger(__name__)

_CHUNK = 16 * 1024 * 1024
#: A line break followed by a blank line (matches overlap: three blank lines are three)
_BLANK = re.compile(rb"\n(?=(\r?\n))")


#: The input line of a Parquet file's first row: its header counts as row 1, as a CSV
#: file's does.
FIRST_PARQUET_LINE = 2
#: The column DuckDB adds for a row's number in its Parquet file
ROW_NUMBER = "file_row_number"
#: How the screen writes Parquet (its output, and a CSV input's records): zstd at level 1,
#: and format version 2 pages (delta encodings), which DuckDB writes faster and smaller
#: than version 1 (about 15 % and 7 % for the 10M-row benchmark); level 1 writes about
#: 10 % faster than zstd's default level 3 and, for these columns, no larger. Arrow,
#: pandas, polars, Spark 3 and DuckDB read them.
PARQUET = "FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, PARQUET_VERSION V2"


#: :attr:`Loaded.lines` of a ``raw`` table stored in line order (DuckDB skips the blocks
#: whose lines all lie outside the range)
IN_ORDER = "(SELECT * FROM raw WHERE cw_line >= {lo} AND cw_line < {hi})"


def lines_sql(template: str, lines: tuple[int, int]) -> str:
    """:attr:`Loaded.lines` for input lines ``lo <= line < hi``."""
    return template.replace("{lo}", str(int(lines[0]))).replace("{hi}", str(int(lines[1])))


class Kind(StrEnum):
    CSV = "csv"
    PARQUET = "parquet"
    EXCEL = "excel"


_SUFFIXES = {
    ".csv": Kind.CSV, ".tsv": Kind.CSV, ".txt": Kind.CSV,
    ".parquet": Kind.PARQUET, ".pq": Kind.PARQUET,
    ".xlsx": Kind.EXCEL, ".xlsm": Kind.EXCEL, ".xls": Kind.EXCEL, ".ods": Kind.EXCEL,
}


def kind_of(path: Path) -> Kind:
    """The input's format, by its extension."""
    found = _SUFFIXES.get(path.suffix.lower())
    if found is None:
        raise InputError(
            f"{path.name}: unknown kind of file {path.suffix or '(no extension)'!r}; "
            "give a .csv, .tsv, .parquet, .xlsx, .xls or .ods file"
        )
    return found


def _kind_for(path: Path, sheet: str | None) -> Kind:
    """:func:`kind_of`, refusing a sheet asked of a file that has none."""
    kind = kind_of(path)
    if sheet is not None and kind is not Kind.EXCEL:
        raise InputError(f"{path.name}: only a workbook (.xlsx, .xlsm, .xls, .ods) has "
                         f"sheets, not a {kind.value} file")
    return kind


@dataclass(frozen=True)
class BadLine:
    """A row that could not be read at all (not a record, not decodable)."""

    line: int
    message: str


@dataclass
class Loaded:
    """What :func:`load` put in ``raw``."""

    kind: Kind
    columns: list[str]
    rows: int
    encoding: str | None = None
    bad: list[BadLine] = field(default_factory=list)
    #: SQL for the rows of input lines ``{lo} <= line < {hi}`` (a template), where cutting
    #: them reads only those rows: ``raw`` is then stored in line order
    lines: str | None = None
    #: The Parquet file ``raw`` reads, its n-th row on line n + 1: a Parquet input, or a
    #: CSV input's records (a Parquet output copies its column chunks)
    parquet: Path | None = None
    #: The worksheet read, for a workbook
    sheet: Sheet | None = None

    def others(self) -> str:
        """For a message about the input: a workbook's other sheets (:meth:`Sheet.others`)."""
        return self.sheet.others() if self.sheet is not None else ""


def quote(name: str) -> str:
    """A DuckDB identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A DuckDB string literal."""
    return "'" + text.replace("'", "''") + "'"


def load(
    con: duckdb.DuckDBPyConnection, path: Path, workdir: Path, sheet: str | None = None
) -> Loaded:
    """Read ``path`` (of a workbook, its worksheet ``sheet``: by name or number, the first
    when ``None``) into ``raw``; raise :class:`InputError` when it cannot be read."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise InputError(f"{path.name} is empty")
    kind = _kind_for(path, sheet)
    loaders: dict[Kind, Callable[[duckdb.DuckDBPyConnection, Path, Path], Loaded]] = {
        Kind.CSV: _csv, Kind.PARQUET: _parquet, Kind.EXCEL: partial(_excel, sheet=sheet),
    }
    loaded = loaders[kind](con, path, workdir)
    if loaded.rows == 0 and not loaded.bad:
        raise InputError(f"{path.name} has a header but no rows{loaded.others()}")
    log.info("read %s rows of %s (%s, %s)", loaded.rows, path.name, kind, loaded.encoding)
    return loaded


# -- CSV -------------------------------------------------------------------------------


@dataclass
class _Scan:
    encoding: str
    blank_lines: set[int]
    bad: list[BadLine]
    path: Path


def _scan_utf8(path: Path) -> _Scan | None:
    """Read the file through once: ``None`` when it is not UTF-8, else its blank lines."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    blank: set[int] = set()  # where each blank line's line break is, in bytes
    offset = 0
    last = b""
    with path.open("rb") as stream:
        head = stream.read(3)
        stream.seek(0)
        while chunk := stream.read(_CHUNK):
            # ASCII is UTF-8 (when no multi-byte character is left open before it), and
            # checking for it is several times cheaper than decoding
            if not chunk.isascii() or decoder.getstate()[0]:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    return None
            data = last + chunk  # the last bytes before: a blank line across chunks
            blank.update(offset - len(last) + m.start(1) for m in _BLANK.finditer(data))
            offset += len(chunk)
            last = chunk[-2:]
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return None
    encoding = "utf-8-sig" if head == b"\xef\xbb\xbf" else "utf-8"
    return _Scan(encoding, _line_numbers(path, sorted(blank)), [], path)


def _line_numbers(path: Path, offsets: list[int]) -> set[int]:
    """The lines on which these byte ``offsets`` (in order) of the file lie. Most files
    have no blank line: they are not read again to count lines."""
    found: set[int] = set()
    if not offsets:
        return found
    newlines, start, at = 0, 0, 0
    with path.open("rb") as stream:
        while at < len(offsets) and (chunk := stream.read(_CHUNK)):
            end = start + len(chunk)
            while at < len(offsets) and offsets[at] < end:
                found.add(newlines + chunk.count(b"\n", 0, offsets[at] - start) + 1)
                at += 1
            newlines += chunk.count(b"\n")
            start = end
    return found


def _transcode(path: Path, workdir: Path) -> _Scan:
    """Write a UTF-8 copy of a file in GB18030 (or mixed with UTF-8 line by line)."""
    target = workdir / "input.utf8.csv"
    blank: set[int] = set()
    bad: list[BadLine] = []
    kinds: set[str] = set()
    with path.open("rb") as source, target.open("w", encoding="utf-8", newline="") as out:
        for number, raw in enumerate(source, start=1):
            try:
                text = raw.decode("utf-8")
                if not raw.isascii():
                    kinds.add("utf-8")
            except UnicodeDecodeError:
                try:
                    text = raw.decode("gb18030")
                    kinds.add("gb18030")
                except UnicodeDecodeError:
                    text = raw.decode("gb18030", errors="replace")
                    bad.append(BadLine(number, "the line is neither UTF-8 nor GB18030 text"))
            if number == 1:
                text = text.removeprefix("\ufeff")
            if text in ("\n", "\r\n"):
                blank.add(number)
            out.write(text)
    encoding = "mixed utf-8 and gb18030" if len(kinds) > 1 else "gb18030"
    if bad and len(bad) == number_of_lines(target):
        raise InputError(f"{path.name} is not a text file (neither UTF-8 nor GB18030)")
    return _Scan(encoding, blank, bad, target)


def number_of_lines(path: Path) -> int:
    count = 0
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            count += chunk.count(b"\n")
    return count


def _csv(con: duckdb.DuckDBPyConnection, path: Path, workdir: Path) -> Loaded:
    with path.open("rb") as stream:
        if b"\x00" in stream.read(64 * 1024):
            raise InputError(f"{path.name} is not a text file (it holds NUL bytes)")
    # DuckDB reads the file while Python checks that it is UTF-8 (on another core): most
    # files are, and then the records are read once; otherwise they are read again from
    # a UTF-8 copy
    records = workdir / "input.records.parquet"
    with ThreadPoolExecutor(max_workers=1) as pool:
        scanning = pool.submit(_scan_utf8, path)
        failure = _read_records(con, path, records)
        scan = scanning.result()
    if scan is None:
        con.execute("DROP TABLE IF EXISTS csv_rejects")
        con.execute("DROP TABLE IF EXISTS csv_scans")
        scan = _transcode(path, workdir)
        failure = _read_records(con, scan.path, records)
    if failure is not None:
        raise InputError(f"cannot read {path.name} as CSV: {failure}")
    rejects = con.execute(
        "SELECT line, min(error_message) FROM csv_rejects GROUP BY line ORDER BY line"
    ).fetchall()
    bad = [*scan.bad, *(BadLine(int(line), f"not a valid CSV record: {m}") for line, m in rejects)]
    bad.sort(key=lambda b: b.line)
    skipped = [n for n in sorted(scan.blank_lines | {int(line) for line, _ in rejects}) if n >= 2]
    if not skipped:  # the n-th record is on line n + 1, as a Parquet file's n-th row
        columns = _parquet_views(con, records)
        return Loaded(Kind.CSV, columns, _count(con), scan.encoding, bad, parquet=records)
    con.execute(f"CREATE TABLE csv_rows AS SELECT * FROM read_parquet({literal(str(records))})")
    columns = [row[0] for row in con.execute("DESCRIBE csv_rows").fetchall()]
    in_line_order = _number_lines(con, columns, skipped)
    return Loaded(Kind.CSV, columns, _count(con), scan.encoding, bad, in_line_order)


def _read_records(con: duckdb.DuckDBPyConnection, path: Path, records: Path) -> str | None:
    """The records of ``path``, as text, in the Parquet file ``records``, and those DuckDB
    rejected; why it could not, if it could not. Written in row groups of DuckDB's own
    size, one per 122,880 records."""
    try:
        con.execute(
            f"COPY (SELECT * FROM read_csv({literal(str(path))}, header = true, "
            "all_varchar = true, store_rejects = true, rejects_table = 'csv_rejects', "
            "rejects_scan = 'csv_scans', auto_detect = true, sample_size = 20480)) "
            f"TO {literal(str(records))} ({PARQUET})"
        )
    except duckdb.Error as error:
        return _first_line(error)
    return None


def _number_lines(con: duckdb.DuckDBPyConnection, columns: list[str], skipped: list[int]) -> str:
    """``raw`` from ``csv_rows``: the n-th record is on the n-th line not ``skipped`` (from
    2), the line numbers worked out once into a copy stored in line order; how to cut lines
    from it (:attr:`Loaded.lines`)."""
    selected = ", ".join(quote(c) for c in columns)
    # before the j-th skipped line (0-based) come line - 2 - j records
    gaps = [line - 2 - j for j, line in enumerate(skipped)]
    con.execute(
        "CREATE TEMP TABLE line_gaps AS SELECT gap, max(k) AS k FROM "
        "(SELECT unnest(?::BIGINT[]) AS gap, unnest(?::BIGINT[]) AS k) GROUP BY gap",
        [gaps, list(range(1, len(gaps) + 1))],
    )
    con.execute(
        f"CREATE TABLE raw AS SELECT r.rowid + 2 + coalesce(g.k, 0) AS cw_line, {selected} "
        "FROM (SELECT rowid, * FROM csv_rows) r ASOF LEFT JOIN line_gaps g ON r.rowid >= g.gap "
        "ORDER BY cw_line"
    )
    con.execute("DROP TABLE csv_rows")
    return IN_ORDER


# -- Parquet ---------------------------------------------------------------------------


def _parquet(con: duckdb.DuckDBPyConnection, path: Path, workdir: Path) -> Loaded:
    try:
        columns = _parquet_views(con, path)
    except duckdb.Error as error:
        raise InputError(f"cannot read {path.name} as Parquet: {_first_line(error)}") from None
    return Loaded(Kind.PARQUET, columns, _count(con), parquet=path)


def _parquet_views(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    """``raw`` (every column as text) and ``typed`` (as its own type), views of the Parquet
    file ``path``, not copies: each query reads only the columns it needs. Its columns.

    A file with a column named as DuckDB's row number of a file (``file_row_number``) is
    read into a table first, and its rows numbered in it."""
    described = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
    columns = [row[0] for row in described]
    casts = ", ".join(f"CAST({quote(c)} AS VARCHAR) AS {quote(c)}" for c in columns)
    if ROW_NUMBER in (c.lower() for c in columns):
        con.execute(
            f"CREATE TABLE parquet_rows AS SELECT * FROM read_parquet({literal(str(path))})")
        rows, line = "FROM parquet_rows", f"rowid + {FIRST_PARQUET_LINE} AS cw_line"
    else:
        rows = f"FROM read_parquet({literal(str(path))}, {ROW_NUMBER} = true)"
        line = f"{ROW_NUMBER} + {FIRST_PARQUET_LINE} AS cw_line"
    con.execute(f"CREATE VIEW raw AS SELECT {line}, {casts} {rows}")
    typed = ", ".join(quote(c) for c in columns)
    con.execute(f"CREATE VIEW typed AS SELECT {line}, {typed} {rows}")
    return columns


# -- Excel -----------------------------------------------------------------------------


def _excel(
    con: duckdb.DuckDBPyConnection, path: Path, workdir: Path, sheet: str | None
) -> Loaded:
    target = workdir / "input.sheet.parquet"
    try:
        read = read_sheet(path, target, sheet)
    except SheetError as error:
        raise InputError(str(error)) from None
    log.info("read the sheet %r of %s: %s rows, in a process that held %.0f MB",
             read.name, path.name, read.rows, read.peak_mb)
    columns = _header(read.header)
    named = ", ".join(f"c{i} AS {quote(c)}" for i, c in enumerate(columns))
    con.execute(f"CREATE TABLE raw AS SELECT cw_line, {named} "
                f"FROM read_parquet({literal(str(target))})")
    target.unlink()
    return Loaded(Kind.EXCEL, columns, read.rows, lines=IN_ORDER, sheet=read)


def _header(cells: list[str | None]) -> list[str]:
    names: list[str] = []
    for i, cell in enumerate(cells, start=1):
        name = (cell or "").strip() or f"column{i}"
        base, n = name, 1
        while name in names:
            n += 1
            name = f"{base}_{n}"
        names.append(name)
    return names


def _count(con: duckdb.DuckDBPyConnection) -> int:
    found = con.execute("SELECT count(*) FROM raw").fetchone()
    return int(found[0]) if found else 0


def _first_line(error: Exception) -> str:
    lines = [line for line in str(error).strip().splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


# -- the header only ---------------------------------------------------------------------

_SAMPLE = 256 * 1024


def declared_rows(path: Path) -> int | None:
    """The rows a Parquet file's footer declares, read without its rows (``None`` for
    other kinds: their size bounds them)."""
    if kind_of(path) is not Kind.PARQUET:
        return None
    con = duckdb.connect()
    try:
        found = con.execute(
            "SELECT sum(num_rows) FROM parquet_file_metadata(?)", [str(path)]
        ).fetchone()
    except duckdb.Error as error:
        raise InputError(f"cannot read {path.name} as Parquet: {_first_line(error)}") from None
    finally:
        con.close()
    return int(found[0]) if found and found[0] is not None else 0


def read_start(
    path: Path, workdir: Path, sheet: str | None = None
) -> tuple[list[str], str]:
    """The input's column names, read from its start only (to refuse a file at once), and,
    for a workbook, its other sheets for a message (:meth:`Sheet.others`; else "")."""
    kind = _kind_for(path, sheet)
    if path.stat().st_size == 0:
        raise InputError(f"{path.name} is empty")
    if kind is Kind.EXCEL:
        try:
            found = read_header(path, sheet)
        except SheetError as error:
            raise InputError(str(error)) from None
        return _header(found.header), found.others()
    return _read_columns(path, kind, workdir), ""


def _read_columns(path: Path, kind: Kind, workdir: Path) -> list[str]:
    con = duckdb.connect()
    try:
        if kind is Kind.PARQUET:
            try:
                described = con.execute(
                    "DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]
                ).fetchall()
            except duckdb.Error as error:
                raise InputError(
                    f"cannot read {path.name} as Parquet: {_first_line(error)}"
                ) from None
            return [row[0] for row in described]
        with path.open("rb") as stream:
            sample = stream.read(_SAMPLE)
        if len(sample) == _SAMPLE and b"\n" in sample:
            sample = sample[: sample.rindex(b"\n") + 1]
        try:
            text = sample.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = sample.decode("gb18030", errors="replace")
        head = workdir / "header.csv"
        head.write_text(text, encoding="utf-8")
        try:
            described = con.execute(
                "DESCRIBE SELECT * FROM read_csv(?, header = true, all_varchar = true, "
                "ignore_errors = true)", [str(head)]
            ).fetchall()
        except duckdb.Error as error:
            raise InputError(f"cannot read {path.name} as CSV: {_first_line(error)}") from None
        return [row[0] for row in described]
    finally:
        con.close()
