"""Writing inventories for the screen's tests, and reading its output back."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

COLUMNS = ("brand", "model", "serial", "batch", "produced", "certificate")


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]],
              encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_parquet(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]],
                  row_group_size: int | None = None) -> Path:
    """Written by DuckDB, or by Arrow in row groups of ``row_group_size`` rows (DuckDB
    writes no row group under 2,048 rows)."""
    if row_group_size:
        table = pa.table({name: pa.array([row[i] for row in rows], pa.string())
                          for i, name in enumerate(header)})
        pq.write_table(table, path, row_group_size=row_group_size)
        return path
    con = duckdb.connect()
    try:
        columns = [[row[i] for row in rows] for i in range(len(header))]
        selected = ", ".join(
            f'unnest(?::VARCHAR[]) AS "{name}"' for name in header
        )
        con.execute(f"CREATE TABLE t AS SELECT {selected}", columns)
        con.execute(f"COPY t TO '{path}' (FORMAT parquet)")
    finally:
        con.close()
    return path


def write_workbook(target: Path | BinaryIO, sheets: dict[str, Sequence[Sequence[Any]]]) -> None:
    """An ``.xlsx`` workbook with these sheets, in this order, each of these rows."""
    from openpyxl import Workbook

    book = Workbook()
    for n, (name, rows) in enumerate(sheets.items()):
        sheet = book.active if n == 0 else book.create_sheet(name)
        assert sheet is not None
        sheet.title = name
        for row in rows:
            sheet.append(list(row))
    book.save(target)


def read_rows(path: Path) -> list[dict[str, Any]]:
    """The rows of a CSV or Parquet output, as dictionaries (empty CSV cells as None)."""
    if path.suffix == ".parquet":
        con = duckdb.connect()
        try:
            result = con.execute(f"SELECT * FROM read_parquet('{path}')")
            names = [d[0] for d in result.description]
            return [dict(zip(names, row, strict=True)) for row in result.fetchall()]
        finally:
            con.close()
    with path.open(encoding="utf-8", newline="") as stream:
        return [{k: (v if v != "" else None) for k, v in row.items()}
                for row in csv.DictReader(stream)]


def split(value: str | None) -> list[str]:
    return value.split(";") if value else []
