"""Writing the screen's output file: every good row of the input with the screen's columns,
in the input's order, as CSV or Parquet (by the output's extension).

Four ways, fastest first:

- **Beside the input's own column chunks** (:func:`write_beside`), when the output is
  Parquet and the input was read from a Parquet file (a Parquet input, or a CSV input's
  records, :attr:`~cellwatch.screen.source.Loaded.parquet`): the output's row groups are
  the input's, and each holds the input's column chunks, copied byte for byte
  (:func:`.parquet.stitch`), and the screen's columns, which are all that is written. A
  row group with a row the screen refuses (it goes to the errors file) is written whole
  instead, its good rows only. Parquet output keeps the input's column types whichever
  way it is written.
- **Beside the input's columns written ahead** (:func:`write_input_columns` while the
  check's Python runs, :func:`write_beside_input_columns` once every row is judged), for
  an Excel input (or a CSV input with blank or unreadable lines to count in) and a
  Parquet output: in row groups of :data:`GROUP_LINES` input lines.
- **In parts** (:func:`write`): cut into ranges of input lines, one per DuckDB thread,
  each written by its own ``COPY`` and then joined (:func:`.parquet.join`, or appended
  for CSV): DuckDB writes the positional join of the input and ``results`` on one core.
- **Whole**, in one ``COPY``: a small output, or parts that cannot be joined.

The first two raise :class:`.parquet.NotJoinable` where they cannot be used; the caller
then writes in parts.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import duckdb

from cellwatch.errors import InputError
from cellwatch.screen import judge, parquet
from cellwatch.screen.source import FIRST_PARQUET_LINE, PARQUET, lines_sql, literal

log = logging.getLogger(__name__)

_OUTPUT_KINDS = {".csv": "csv", ".parquet": "parquet"}
#: Beside the input, each row group's columns are one ``COPY`` of their own, which costs
#: about 2 ms beyond its rows: an input of more than this many row groups of under
#: ``_MIN_GROUP_ROWS`` rows on average is written in parts instead (10M rows in 1,000-row
#: groups would spend 20 s on it, where the parts take 5 s).
_FEW_GROUPS, _MIN_GROUP_ROWS = 16, 10_000
_THREADS = "SELECT current_setting('threads')"


def output_kind(path: Path) -> str:
    found = _OUTPUT_KINDS.get(path.suffix.lower())
    if found is None:
        raise InputError(f"output {path.name}: write a .csv or a .parquet file")
    return found


def write(
    con: duckdb.DuckDBPyConnection, columns: list[str], output: Path, kind: str,
    workdir: Path, part_rows: int, source: str = "raw", kept: str | None = None,
) -> None:
    """The output: in parts of input lines, one per core, each on its own cursor, then
    joined into ``output`` (Parquet: the parts' row groups, :func:`parquet.join`; CSV: the
    parts' lines, the header only in the first). DuckDB writes the positional join of
    ``source`` (the input: ``raw``, or ``typed``) and ``results`` on one core, so one
    ``COPY`` leaves the others idle. Only the rows that meet ``kept``, when it is given
    (:func:`judge.screened_sql`)."""
    parts = _parts(con, part_rows)
    if parts:
        paths = [output, *(workdir / f"part-{n}.{kind}" for n in range(1, len(parts)))]
        _on_cursors(con, [
            partial(_copy, rows=judge.screened_sql(columns, lines, source, kept), output=path,
                    kind=kind, header=n == 0)
            for n, (lines, path) in enumerate(zip(parts, paths, strict=True))
        ], len(parts))
        if kind == "csv":
            parquet.append(output, paths[1:])
            return
        try:
            parquet.join(output, paths[1:])
            return
        except parquet.NotJoinable as reason:
            log.warning("the output's parts cannot be joined (%s): writing it whole", reason)
    _copy(con, judge.screened_sql(columns, None, source, kept), output, kind, header=True)


def _parts(con: duckdb.DuckDBPyConnection, part_rows: int) -> list[tuple[int, int]]:
    """Ranges of input lines ``[lo, hi)`` that cut ``results`` into about equal parts, one
    per DuckDB thread, none under ``part_rows`` rows; none when the output is one part."""
    found = con.execute(
        "SELECT count(*), min(cw_line), max(cw_line), current_setting('threads') FROM results"
    ).fetchone()
    assert found is not None
    rows, first, last, threads = found
    count = min(int(threads), rows // max(part_rows, 1))
    if count < 2:
        return []
    span = last + 1 - first
    return list(itertools.pairwise(first + span * n // count for n in range(count + 1)))


def _copy(
    con: duckdb.DuckDBPyConnection, rows: str, output: Path, kind: str, header: bool,
    extra: str = "",
) -> None:
    options = PARQUET if kind == "parquet" else f"FORMAT csv, HEADER {str(header).lower()}"
    con.execute(f"COPY ({rows}) TO {literal(str(output))} ({options}{extra})")


#: Work for a cursor of its own
Task = Callable[[duckdb.DuckDBPyConnection], None]


def _on_cursors(con: duckdb.DuckDBPyConnection, tasks: list[Task], workers: int) -> None:
    """Run each task on a cursor of its own, ``workers`` at a time; raise the first
    error."""
    with ThreadPoolExecutor(max_workers=max(workers, 1)) as pool:
        def run(task: Task) -> None:
            cursor = con.cursor()
            try:
                task(cursor)
            finally:
                cursor.close()

        for future in [pool.submit(run, task) for task in tasks]:
            future.result()


@dataclass(frozen=True)
class _Group:
    """Row group ``index`` of the input: its input lines ``[lo, hi)``, and how many of its
    rows the screen refused."""

    index: int
    lo: int
    hi: int
    bad: int


def write_beside(
    con: duckdb.DuckDBPyConnection, source: Path, columns: list[str], output: Path,
    workdir: Path,
) -> None:
    """The Parquet output of a Parquet input, its row groups the input's: each holds the
    input's column chunks as they are beside the screen's columns, or, for a row group
    with refused rows, its good rows written whole. Raise :class:`parquet.NotJoinable`
    when it cannot be written so (the input's schema is not as DuckDB writes it, say);
    ``output`` is then half written, and the caller writes it another way."""
    footer = parquet.read_footer(source)
    counts = parquet.row_counts(footer)
    if len(counts) > _FEW_GROUPS and sum(counts) < _MIN_GROUP_ROWS * len(counts):
        raise parquet.NotJoinable(f"its {len(counts)} row groups are small (under "
                                  f"{_MIN_GROUP_ROWS:,} rows on average)")
    groups = _groups(con, counts)
    # every column as the input has it, and the screen's as optional, whichever way its
    # row group is written (DuckDB writes a column it knows has no missing value as required)
    optional = {*parquet.optional_columns(footer), *judge.ADDED}
    tasks: list[Task] = []
    sides: list[tuple[_Group, Path]] = []
    for group in groups:
        part = workdir / f"group-{group.index}.parquet"
        if group.bad == 0:  # only the screen's columns: the input's are copied
            rows = judge.added_sql((group.lo, group.hi), optional)
        elif group.bad < group.hi - group.lo:
            rows = judge.row_group_sql(columns, (group.lo, group.hi), optional)
        else:
            continue  # every row refused: no row group
        tasks.append(partial(_copy, rows=rows, output=part, kind="parquet", header=True,
                             extra=_one_group(group.hi - group.lo)))
        sides.append((group, part))
    _on_cursors(con, tasks, scalar(con, _THREADS))
    stitched: list[list[parquet.Side]] = []
    schema: list[parquet.Footer] = [footer]
    for group, part in sides:
        written = parquet.read_footer(part)
        expected = group.hi - group.lo - group.bad
        if parquet.row_counts(written) != [expected]:
            raise parquet.NotJoinable(f"row group {group.index} was written as "
                                      f"{parquet.row_counts(written)} rows, not {expected}")
        if group.bad:
            stitched.append([parquet.Side(part, written, 0)])
        else:
            if len(schema) == 1:
                schema.append(written)
            stitched.append([parquet.Side(source, footer, group.index),
                             parquet.Side(part, written, 0)])
    if len(schema) == 1:
        raise parquet.NotJoinable("every row group has refused rows")
    parquet.stitch(output, schema, stitched)


#: Input lines per row group of an output whose input columns are written ahead
#: (:func:`write_input_columns`): DuckDB's own row group size.
GROUP_LINES = 122_880


@dataclass(frozen=True)
class InputColumns:
    """The input's columns of its good rows, written ahead of the screen's: one file of one
    row group per range of ``GROUP_LINES`` input lines."""

    parts: list[tuple[tuple[int, int], Path]]


def write_input_columns(
    con: duckdb.DuckDBPyConnection, columns: list[str], cut: str, workdir: Path
) -> InputColumns:
    """The input's columns (of an input not read from a Parquet file, Excel or CSV with
    lines to count in, for a Parquet output; ``cut`` cuts its lines,
    :attr:`~cellwatch.screen.source.Loaded.lines`), written while the check's Python
    answers the spellings: they need only ``raw`` and ``bad``, and the Python leaves
    a core idle. The screen's columns go beside them later
    (:func:`write_beside_input_columns`)."""
    found = con.execute("SELECT min(cw_line), max(cw_line) FROM raw").fetchone()
    first, last = found if found and found[0] is not None else (0, -1)
    ranges = [(lo, min(lo + GROUP_LINES, last + 1)) for lo in range(first, last + 1, GROUP_LINES)]
    refused = _refused(con, ranges)
    parts: list[tuple[tuple[int, int], Path]] = []
    for n, lines in enumerate(ranges):
        part = workdir / f"input-{n}.parquet"
        _copy(con, judge.input_sql(columns, lines_sql(cut, lines), n in refused), part,
              "parquet", header=True, extra=_one_group(GROUP_LINES))
        parts.append((lines, part))
    return InputColumns(parts)


def write_beside_input_columns(
    con: duckdb.DuckDBPyConnection, written: InputColumns, output: Path, workdir: Path
) -> None:
    """The Parquet output of an input not read from a Parquet file: each row group of the
    input's columns (:func:`write_input_columns`) with the screen's columns of the same
    rows beside it. Raise :class:`parquet.NotJoinable` when the two do not pair
    (``output`` is then half written, and the caller writes it another way)."""
    added = [workdir / f"added-{n}.parquet" for n in range(len(written.parts))]
    _on_cursors(con, [
        partial(_copy, rows=judge.added_sql(lines, judge.ADDED), output=part,
                kind="parquet", header=True, extra=_one_group(GROUP_LINES))
        for (lines, _), part in zip(written.parts, added, strict=True)
    ], scalar(con, _THREADS))
    schema: list[parquet.Footer] = []
    stitched: list[list[parquet.Side]] = []
    for (lines, left), right in zip(written.parts, added, strict=True):
        sides = [parquet.read_footer(left), parquet.read_footer(right)]
        counts = [parquet.row_counts(side) for side in sides]
        if counts[0] != counts[1] or len(counts[0]) > 1:
            raise parquet.NotJoinable(f"input lines {lines[0]}-{lines[1] - 1} were written "
                                      f"as {counts[0]} and {counts[1]} rows")
        if counts[0]:
            schema = schema or sides
            stitched.append([parquet.Side(left, sides[0], 0), parquet.Side(right, sides[1], 0)])
    if not stitched:
        raise parquet.NotJoinable("every row is refused")
    parquet.stitch(output, schema, stitched)


def _one_group(rows: int) -> str:
    """``COPY`` options that write up to ``rows`` rows as one row group. With the size at
    the rows, DuckDB was seen to cut a range of a CSV input where a block of its table
    ends (122,880 rows as 105,435 and 17,445); beyond them it does not. The row counts are
    checked before stitching all the same."""
    return f", ROW_GROUP_SIZE {2 * max(rows, 1)}"


def _groups(con: duckdb.DuckDBPyConnection, counts: list[int]) -> list[_Group]:
    """The input's row groups with rows, with their lines and refused rows."""
    starts = list(itertools.accumulate(counts, initial=FIRST_PARQUET_LINE))
    bounds = [(n, lo, hi) for n, (lo, hi) in enumerate(itertools.pairwise(starts)) if hi > lo]
    refused = _refused(con, [(lo, hi) for _, lo, hi in bounds])
    return [_Group(n, lo, hi, refused.get(i, 0)) for i, (n, lo, hi) in enumerate(bounds)]


def _refused(con: duckdb.DuckDBPyConnection, ranges: list[tuple[int, int]]) -> dict[int, int]:
    """How many refused rows (``bad``) each range of input lines holds, by its index, for
    those that hold some."""
    return dict(con.execute(
        "SELECT g.n, count(*) FROM (SELECT unnest(?::BIGINT[]) AS n, "
        "unnest(?::BIGINT[]) AS lo, unnest(?::BIGINT[]) AS hi) g "
        "JOIN bad b ON b.cw_line >= g.lo AND b.cw_line < g.hi GROUP BY g.n",
        [list(range(len(ranges))), [lo for lo, _ in ranges], [hi for _, hi in ranges]],
    ).fetchall())


def scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    """The one number ``sql`` answers (0 for no row)."""
    found = con.execute(sql).fetchone()
    return int(found[0]) if found else 0
