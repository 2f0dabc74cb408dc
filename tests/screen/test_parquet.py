"""Joining Parquet parts: every reader sees the rows of the parts, in order, as one file."""

from __future__ import annotations

import errno
import itertools
import os
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cellwatch.screen import parquet
from cellwatch.screen.output import PARQUET

#: Columns of many kinds, some repeated (dictionaries, Bloom filters), some missing.
ROWS = """
    SELECT i AS n, 'brand-' || (i % 7) AS brand, CASE WHEN i % 5 = 0 THEN NULL
           ELSE 'serial ' || i END AS serial, i % 3 = 0 AS flag, i / 7 AS ratio,
           DATE '2025-01-01' + (i % 400)::INTEGER AS produced, [i, i + 1] AS pair,
           {'k': i % 4, 'v': '值' || i} AS item
    FROM range(?, ?) t(i)
"""


def write(con: duckdb.DuckDBPyConnection, path: Path, lo: int, hi: int,
          group_rows: int = 1000) -> Path:
    con.execute(
        f"COPY ({ROWS.replace('?', str(lo), 1).replace('?', str(hi), 1)}) TO '{path}' "
        f"({PARQUET}, ROW_GROUP_SIZE {group_rows}, KV_METADATA {{source: 'cellwatch test'}})"
    )
    return path


def parts(tmp_path: Path, cuts: list[int], group_rows: int = 1000) -> list[Path]:
    con = duckdb.connect()
    return [
        write(con, tmp_path / f"part-{n}.parquet", lo, hi, group_rows)
        for n, (lo, hi) in enumerate(itertools.pairwise(cuts))
    ]


def test_the_footer_is_written_back_as_it_was_read(tmp_path: Path) -> None:
    path = write(duckdb.connect(), tmp_path / "one.parquet", 0, 5000)
    footer = parquet.read_footer(path)
    data = path.read_bytes()[footer.start:-8]
    assert parquet.encode(parquet.decode(data)) == data
    written = tmp_path / "arrow.parquet"  # another writer's footer, with its own fields
    pq.write_table(pa.table({"a": [1, None, 3], "b": ["x", "y", None]}), written)
    footer = parquet.read_footer(written)
    data = written.read_bytes()[footer.start:-8]
    assert parquet.encode(parquet.decode(data)) == data


def test_joined_parts_read_as_the_whole_by_duckdb_and_arrow(tmp_path: Path) -> None:
    cuts = [0, 2500, 2500, 7001, 9000]  # one part is empty
    first, *others = parts(tmp_path, cuts)
    whole = write(duckdb.connect(), tmp_path / "whole.parquet", 0, 9000)
    groups = [pq.ParquetFile(p).metadata.num_row_groups for p in (first, *others)]
    assert groups[0] > 1 and groups[2] > 1 and groups[1] == 0
    parquet.join(first, others)

    joined = pq.read_table(first)
    assert joined.equals(pq.read_table(whole))
    assert joined.column("n").to_pylist() == list(range(9000))
    metadata = pq.ParquetFile(first).metadata
    assert metadata.num_rows == 9000
    assert metadata.num_row_groups == sum(groups)  # every part's groups, as they were
    assert metadata.metadata[b"source"] == b"cellwatch test"
    con = duckdb.connect()
    assert con.execute(
        f"SELECT count(*) FROM (SELECT * FROM '{first}' EXCEPT ALL SELECT * FROM '{whole}')"
    ).fetchone() == (0,)
    # the statistics and Bloom filters of the later parts are found where they moved
    for brand, serial in (("brand-3", "serial 8998"), ("brand-9", "serial 1")):
        query = f"SELECT count(*), sum(n) FROM '{{}}' WHERE brand = '{brand}' OR serial = '{serial}'"
        assert con.execute(query.format(first)).fetchone() == con.execute(
            query.format(whole)).fetchone()
    assert con.execute(f"SELECT n FROM '{first}' WHERE n BETWEEN 8001 AND 8002").fetchall() == [
        (8001,), (8002,)]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cuts=st.lists(st.integers(min_value=0, max_value=3000), min_size=1, max_size=5),
    group_rows=st.sampled_from([64, 700, 2048]),
)
def test_any_cut_into_parts_joins_back_to_the_whole(
    tmp_path_factory: pytest.TempPathFactory, cuts: list[int], group_rows: int
) -> None:
    folder = tmp_path_factory.mktemp("parts")
    bounds = [0, *sorted(cuts), 3000]
    first, *others = parts(folder, bounds, group_rows)
    parquet.join(first, others)
    joined = pq.read_table(first)
    assert joined.column("n").to_pylist() == list(range(3000))
    assert joined.equals(pq.read_table(write(duckdb.connect(), folder / "w.parquet", 0, 3000)))


def test_parts_that_cannot_be_joined_leave_the_first_as_it_was(tmp_path: Path) -> None:
    first, second = parts(tmp_path, [0, 10, 20])
    before = first.read_bytes()
    other_schema = tmp_path / "other.parquet"
    duckdb.connect().execute(f"COPY (SELECT 1 AS n) TO '{other_schema}' ({PARQUET})")
    with pytest.raises(parquet.NotJoinable, match="schema"):
        parquet.join(first, [second, other_schema])
    not_parquet = tmp_path / "text.parquet"
    not_parquet.write_text("brand,model\nacme,PB-100\n")
    with pytest.raises(parquet.NotJoinable, match="not a Parquet file"):
        parquet.join(first, [not_parquet])
    with pytest.raises(parquet.NotJoinable, match="too short"):
        parquet.join(first, [tmp_path / "part-1.parquet", _empty(tmp_path)])
    encrypted = tmp_path / "encrypted.parquet"  # its footer is encrypted too ("PARE")
    con = duckdb.connect()
    con.execute("SET force_mbedtls_unsafe = 'true'")  # a test file: any cipher will do
    con.execute("PRAGMA add_parquet_key('key128', '0123456789112345')")
    con.execute(f"COPY (SELECT * FROM '{second}') TO '{encrypted}' "
                "(ENCRYPTION_CONFIG {footer_key: 'key128'})")
    with pytest.raises(parquet.NotJoinable, match="not a Parquet file"):
        parquet.join(first, [encrypted])
    indexed = tmp_path / "indexed.parquet"  # page indexes hold byte offsets of their own
    pq.write_table(pq.read_table(second), indexed, write_page_index=True)
    same = tmp_path / "same.parquet"
    pq.write_table(pq.read_table(second), same)
    with pytest.raises(parquet.NotJoinable, match="page index"):
        parquet.join(same, [indexed])
    assert first.read_bytes() == before


def _empty(folder: Path) -> Path:
    path = folder / "empty.parquet"
    path.write_bytes(b"PAR1")
    return path


def test_csv_parts_are_appended(tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text('n,text\n1,"two\nlines"\n', encoding="utf-8")
    second.write_text("2,二\n", encoding="utf-8")
    parquet.append(first, [second])
    assert first.read_text(encoding="utf-8") == 'n,text\n1,"two\nlines"\n2,二\n'


@pytest.mark.parametrize("kernel", ["copies", "refuses", "absent"])
def test_parts_are_copied_by_the_kernel_or_else_in_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kernel: str
) -> None:
    if kernel == "refuses":  # another file system, an old kernel
        def refuse(*args: object) -> int:
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        monkeypatch.setattr(os, "copy_file_range", refuse, raising=False)
    elif kernel == "absent":  # not Linux
        monkeypatch.delattr(os, "copy_file_range", raising=False)
    first, *others = parts(tmp_path, [0, 1500, 3000, 4500])
    parquet.join(first, others)
    assert pq.read_table(first).column("n").to_pylist() == list(range(4500))
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_bytes(b"n\n1\n")
    b.write_bytes(b"2\n3\n")
    parquet.append(a, [b, b])
    assert a.read_bytes() == b"n\n1\n2\n3\n2\n3\n"
