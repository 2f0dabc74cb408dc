"""The output of a Parquet input, written beside the input's own column chunks: the same
rows as the output written whole, the input's row groups and types, its chunks as they
were."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cellwatch.screen import output, parquet
from cellwatch.screen.judge import ADDED
from tests.screen.inventory import write_parquet
from tests.screen.test_screen import CASES, HEADER, assert_cases, run

TOO_LONG = "9" * 101
#: CASES with refused rows: a bad date in row group 1 (rows 4-7 at 4 rows a group), and
#: all of row group 3 (rows 12-15) too long
ROWS: list[tuple[str | None, ...]] = [c[0] for c in CASES]
ROWS = [*ROWS[:5], ("acme", "PB-100", None, None, "2023-13"), *ROWS[5:11],
        *[("acme", "PB-100", TOO_LONG, None, None)] * 4, *ROWS[11:]]


@pytest.fixture
def stitched(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record each stitched output's row groups."""
    written: list[int] = []
    real = parquet.stitch

    def stitch(path: Path, schema: Any, groups: list[list[parquet.Side]]) -> None:
        real(path, schema, groups)
        written.append(len(groups))

    monkeypatch.setattr(parquet, "stitch", stitch)
    return written


def _refuse(*args: Any) -> None:
    raise parquet.NotJoinable("refused by the test")


def _whole(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The output written whole (in parts, one part for a small input)."""
    with monkeypatch.context() as patch:
        patch.setattr(output.parquet, "stitch", _refuse)
        _, rows = run(path, tmp_path, output=tmp_path / "whole.parquet")
    return rows


def test_the_output_beside_the_input_is_the_output_written_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stitched: list[int]
) -> None:
    """Four rows a row group; refused rows in two of them (one refused whole): each
    clean row group keeps the input's chunks, the one with a refused row is written
    whole without it, the one of only refused rows is left out."""
    path = write_parquet(tmp_path / "stock.parquet", HEADER, ROWS, row_group_size=4)
    assert parquet.row_counts(parquet.read_footer(path)) == [4, 4, 4, 4, 4, 1]
    summary, rows = run(path, tmp_path, output=tmp_path / "out.parquet")
    assert stitched == [5]
    assert_cases(rows)
    assert (summary.screened, summary.bad_rows) == (len(CASES), 5)
    assert parquet.row_counts(parquet.read_footer(Path(summary.output))) == [4, 3, 4, 4, 1]
    assert rows == _whole(path, tmp_path, monkeypatch)
    assert pq.read_table(summary.output).to_pylist() == rows  # a second reader agrees


def test_the_input_chunks_are_copied_as_they_are(tmp_path: Path, stitched: list[int]) -> None:
    path = write_parquet(tmp_path / "stock.parquet", HEADER, [*ROWS[:5], *ROWS[6:9]],
                         row_group_size=4)
    summary, _ = run(path, tmp_path, output=tmp_path / "out.parquet")
    assert stitched == [2]
    before, after = pq.ParquetFile(path).metadata, pq.ParquetFile(summary.output).metadata
    assert after.num_columns == before.num_columns + len(ADDED)
    data, out = path.read_bytes(), Path(summary.output).read_bytes()
    for n, column in [(0, 0), (0, 2), (1, 4)]:
        old, new = before.row_group(n).column(column), after.row_group(n).column(column)
        size = old.total_compressed_size
        assert new.total_compressed_size == size
        assert (new.statistics, new.encodings) == (old.statistics, old.encodings)
        start = lambda c: min(o for o in (c.dictionary_page_offset, c.data_page_offset)  # noqa: E731
                              if o is not None)
        assert out[start(new):start(new) + size] == data[start(old):start(old) + size]


def test_the_input_types_stay_and_arrow_files_stitch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stitched: list[int]
) -> None:
    """An input written by Arrow (pandas' writer), with a page index, its own schema in
    the key-value metadata, a date column, a number column, and a refused row: the output
    keeps each column's type, whichever way it is written, and Arrow reads it."""
    table = pa.table({
        "brand": ["acme", "acme", "acme", None, "acme", "acme"],
        "model": ["PB-100", "PB-100", "PB-100", "PB-300", "PB-100", "PB-100"],
        "serial": ["AA0150", TOO_LONG, None, None, "AA0100", "ZZ"],
        "produced": [dt.date(2023, 6, 6), None, None, None, None, dt.date(2024, 1, 1)],
        "count": pa.array([1, 2, 3, 4, 5, 6], pa.int64()),
    })
    path = tmp_path / "stock.parquet"
    pq.write_table(table, path, row_group_size=2, write_page_index=True)
    summary, rows = run(path, tmp_path, output=tmp_path / "out.parquet")
    assert stitched == [3]
    assert (summary.screened, summary.bad_rows) == (5, 1)
    assert [r["recall_status"] for r in rows] == [
        "recalled", "possibly_recalled", "not_recalled", "recalled", "not_recalled"]
    assert rows[0]["produced"] == dt.date(2023, 6, 6) and rows[0]["count"] == 1
    assert rows == _whole(path, tmp_path, monkeypatch)
    read = pq.read_table(summary.output)
    assert read.schema.field("produced").type == pa.date32()
    assert read.schema.field("count").type == pa.int64()
    assert read.column("input_line").to_pylist() == [2, 4, 5, 6, 7]
    assert b"ARROW:schema" not in (pq.ParquetFile(summary.output).metadata.metadata or {})


def test_a_csv_output_of_a_parquet_input_is_text(tmp_path: Path) -> None:
    table = pa.table({"brand": ["acme"], "model": ["PB-100"], "serial": ["AA0150"],
                      "count": pa.array([7], pa.int64())})
    path = tmp_path / "stock.parquet"
    pq.write_table(table, path)
    _, rows = run(path, tmp_path, output=tmp_path / "out.csv")
    assert rows[0]["count"] == "7" and rows[0]["recall_status"] == "recalled"


def test_an_input_with_a_column_the_screen_adds_is_written_in_parts(
    tmp_path: Path, stitched: list[int]
) -> None:
    """A screened file screened again: its own screen columns are not carried, so its
    chunks cannot be; the output is written as a CSV input's is."""
    path = write_parquet(tmp_path / "stock.parquet", (*HEADER, "recall_status"),
                         [(*r, "old") for r in ROWS[:8]], row_group_size=4)
    _, rows = run(path, tmp_path, output=tmp_path / "out.parquet")
    assert stitched == [] and "old" not in {r["recall_status"] for r in rows}
    assert len(rows) == 7


def test_an_input_of_only_refused_rows_is_written_otherwise(
    tmp_path: Path, stitched: list[int], caplog: pytest.LogCaptureFixture
) -> None:
    path = write_parquet(tmp_path / "stock.parquet", HEADER,
                         [("acme", "PB-100", TOO_LONG, None, None)] * 3, row_group_size=2)
    with caplog.at_level(logging.INFO):
        summary, rows = run(path, tmp_path, output=tmp_path / "out.parquet")
    assert rows == [] and summary.bad_rows == 3 and stitched == []
    assert "every row group has refused rows" in caplog.text


def test_stitch_refuses_sides_that_do_not_pair(tmp_path: Path) -> None:
    con = duckdb.connect()
    for name, rows in (("a", 4), ("b", 3)):
        con.execute(f"COPY (SELECT range AS {name} FROM range({rows})) TO "
                    f"'{tmp_path / name}.parquet' (FORMAT parquet)")
    a, b = (tmp_path / "a.parquet", tmp_path / "b.parquet")
    fa, fb = parquet.read_footer(a), parquet.read_footer(b)
    out = tmp_path / "out.parquet"
    with pytest.raises(parquet.NotJoinable, match="different numbers of rows"):
        parquet.stitch(out, [fa, fb], [[parquet.Side(a, fa, 0), parquet.Side(b, fb, 0)]])
    with pytest.raises(parquet.NotJoinable, match="one schema"):
        parquet.stitch(out, [fa, fb], [[parquet.Side(a, fa, 0)]])
    with pytest.raises(parquet.NotJoinable, match="no row groups"):
        parquet.stitch(out, [fa], [])


def test_a_duckdb_input_with_a_required_column_stitches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stitched: list[int]
) -> None:
    """As the benchmark's inventory: written by DuckDB in row groups of 2,048 rows, with a
    column that is never missing (so required) and columns that are optional but have no
    missing value; a refused row in the second row group. That row group, written whole,
    has the input's schema."""
    rows = [c[0] for c in CASES] * 300
    rows[3000] = ("acme", "PB-100", None, None, "2023-13")
    columns = [[row[i] for row in rows] for i in range(len(HEADER))]
    path = tmp_path / "stock.parquet"
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT 'SYNTHETIC' AS label, " + ", ".join(
        f'unnest(?::VARCHAR[]) AS "{name}"' for name in HEADER), columns)
    maybe = ", ".join(f'CASE WHEN "{name}" = \'?\' THEN NULL ELSE "{name}" END AS "{name}"'
                      for name in HEADER)  # optional, though the model is never missing
    con.execute(f"COPY (SELECT label, {maybe} FROM t) TO '{path}' "
                "(FORMAT parquet, ROW_GROUP_SIZE 2048)")
    schema = pq.ParquetFile(path).schema_arrow
    assert not schema.field("label").nullable and schema.field("型号").nullable
    assert parquet.row_counts(parquet.read_footer(path)) == [2048, 2048, 704]
    summary, screened = run(path, tmp_path, output=tmp_path / "out.parquet")
    assert stitched == [3] and summary.bad_rows == 1
    assert parquet.row_counts(parquet.read_footer(Path(summary.output))) == [2048, 2047, 704]
    assert screened == _whole(path, tmp_path, monkeypatch)
    assert screened[3000]["label"] == "SYNTHETIC" and screened[3000]["input_line"] == 3003


def test_an_input_of_many_small_row_groups_is_written_in_parts(
    tmp_path: Path, stitched: list[int], caplog: pytest.LogCaptureFixture
) -> None:
    """Each row group beside the input costs a ``COPY`` of its own: 24 row groups of two
    rows are written as a CSV input's output is (16 would still be written beside)."""
    path = write_parquet(tmp_path / "stock.parquet", HEADER, [c[0] for c in CASES] * 3,
                         row_group_size=2)
    with caplog.at_level(logging.INFO):
        _, rows = run(path, tmp_path, output=tmp_path / "out.parquet")
    assert stitched == [] and len(rows) == 3 * len(CASES)
    assert "its 24 row groups are small (under 10,000 rows on average)" in caplog.text


@pytest.mark.parametrize("group_lines", [4, output.GROUP_LINES])
def test_a_csv_inputs_columns_written_ahead_pair_with_the_screens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stitched: list[int], group_lines: int
) -> None:
    """A CSV input's columns are written while the check's Python runs, the screen's
    beside them afterwards: in row groups of ``GROUP_LINES`` input lines (here also 4, so
    that one range holds only refused and blank lines), the same rows and values as the
    output written in parts."""
    monkeypatch.setattr(output, "GROUP_LINES", group_lines)
    lines = [",".join(v or "" for v in row) for row in ROWS]
    lines[12:12] = ["", ""]  # lines 14 and 15 blank: with the four too long, lines 14-17
    path = tmp_path / "stock.csv"
    path.write_text(",".join(HEADER) + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    summary, rows = run(path, tmp_path, output=tmp_path / "out.parquet")
    assert stitched == [1 if group_lines > 100 else 5]
    assert_cases(rows)
    assert (summary.screened, summary.bad_rows) == (len(CASES), 5)
    with monkeypatch.context() as patch:
        patch.setattr(output.parquet, "stitch", _refuse)
        _, whole = run(path, tmp_path, output=tmp_path / "whole.parquet")
    assert rows == whole
    schema = pq.read_schema(summary.output)
    assert schema.names == [*HEADER, *ADDED] and all(f.nullable for f in schema)


def test_an_excel_inputs_columns_are_written_ahead_too(
    tmp_path: Path, stitched: list[int]
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(HEADER))
    for row in ROWS:
        sheet.append(list(row))
    book.save(tmp_path / "stock.xlsx")
    summary, rows = run(tmp_path / "stock.xlsx", tmp_path, output=tmp_path / "out.parquet")
    assert stitched == [1] and summary.bad_rows == 5
    assert_cases(rows)


def test_columns_written_ahead_that_do_not_pair_are_written_in_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Were DuckDB to cut a range into row groups otherwise on the two sides, the output
    is written in parts instead, not stitched out of step. (A CSV input's columns are
    written ahead when it has a blank line to count in; else they are its records' file.)"""
    real = output.judge.added_sql
    monkeypatch.setattr(output.judge, "added_sql", lambda lines, optional: real(
        lines, optional).replace("WHERE NOT s.bad", "WHERE NOT s.bad AND s.cw_line <> 3"))
    path = tmp_path / "stock.csv"
    path.write_text(",".join(HEADER) + "\n" + "\n".join(
        ",".join(v or "" for v in row) for row in ROWS[:4]) + "\n\n", encoding="utf-8")
    with caplog.at_level(logging.INFO):
        _, rows = run(path, tmp_path, output=tmp_path / "out.parquet")
    assert "input lines 2-5 were written as [4] and [3] rows" in caplog.text
    assert len(rows) == 4


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_larger_outputs_beside_the_input_keep_its_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stitched: list[int], suffix: str
) -> None:
    """150,000 rows (two ranges of lines, two row groups) on two threads, with refused
    rows in both: DuckDB reads a range of lines on both threads, and leaving out refused
    rows is a join; every row's columns still stay with the row (the same file as written
    in parts)."""
    rows = [c[0] for c in CASES] * 9_375
    for line in (130_001, 130_003, 149_000):
        rows[line - 2] = ("acme", "PB-100", None, None, "2023-13")
    path = tmp_path / f"stock{suffix}"
    if suffix == ".csv":
        path.write_text(",".join(HEADER) + "\n" + "\n".join(
            ",".join(v or "" for v in row) for row in rows) + "\n", encoding="utf-8")
    else:
        con = duckdb.connect()
        con.execute("CREATE TABLE t AS SELECT " + ", ".join(
            f'unnest(?::VARCHAR[]) AS "{name}"' for name in HEADER),
            [[row[i] for row in rows] for i in range(len(HEADER))])
        con.execute(f"COPY t TO '{path}' (FORMAT parquet)")
    summary, screened = run(path, tmp_path, output=tmp_path / "out.parquet", threads=2)
    assert stitched and summary.bad_rows == 3
    with monkeypatch.context() as patch:
        patch.setattr(output.parquet, "stitch", _refuse)
        _, whole = run(path, tmp_path, output=tmp_path / "whole.parquet", threads=2)
    assert screened == whole
    assert [r["input_line"] for r in screened[129_998:130_001]] == [130_000, 130_002, 130_004]


def test_a_stitch_refused_halfway_leaves_nothing_of_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A column chunk refused after others were copied: the output written in parts
    replaces what was half written."""
    real, moved = parquet._move, []

    def move(out: Any, path: Path, chunk: Any) -> Any:
        moved.append(path)
        if len(moved) == 20:
            raise parquet.NotJoinable("a column chunk is kept in another file, or encrypted")
        return real(out, path, chunk)

    monkeypatch.setattr(parquet, "_move", move)
    path = write_parquet(tmp_path / "stock.parquet", HEADER, ROWS, row_group_size=4)
    with caplog.at_level(logging.INFO):
        summary, rows = run(path, tmp_path, output=tmp_path / "out.parquet")
    assert len(moved) == 20 and "kept in another file, or encrypted" in caplog.text
    assert_cases(rows)
    assert pq.read_table(summary.output).num_rows == len(CASES)


def test_a_nested_input_column_is_kept_as_it_is(tmp_path: Path, stitched: list[int]) -> None:
    """A struct and a list column (screened as their text): the schema's root counts
    columns, not their nested fields, and Arrow reads them back as they were."""
    table = pa.table({
        "brand": ["acme", "acme"], "model": ["PB-100", "PB-200"], "serial": ["AA0150", None],
        "where": pa.array([{"shop": "T1", "shelf": 3}, None],
                          pa.struct([("shop", pa.string()), ("shelf", pa.int32())])),
        "tags": pa.array([["a", "b"], []], pa.list_(pa.string())),
    })
    path = tmp_path / "stock.parquet"
    pq.write_table(table, path)
    summary, rows = run(path, tmp_path, output=tmp_path / "out.parquet")
    assert stitched == [1]
    assert [r["recall_status"] for r in rows] == ["recalled", "not_recalled"]
    read = pq.read_table(summary.output)
    assert read.schema.names == [*table.schema.names, *ADDED]
    assert read.select(table.schema.names).equals(table)
