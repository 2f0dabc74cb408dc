"""``--only``: the output keeps the rows whose recall status, certificate status or an
advisory code is one of the codes given, and is otherwise the output written whole."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import pytest

from cellwatch.errors import InputError
from cellwatch.screen.selection import CODES, kept_sql, parse_only
from tests.screen.inventory import split, write_csv, write_parquet, write_workbook
from tests.screen.test_screen import CASES, HEADER, run

#: The cases with a bad row (a serial longer than the check takes) among them
ROWS = [c[0] for c in CASES[:5]] + [("acme", "PB-100", "9" * 101, None, None)] + [
    c[0] for c in CASES[5:]]


def _write(tmp_path: Path, kind: str) -> Path:
    if kind == "csv":
        return write_csv(tmp_path / "stock.csv", HEADER, ROWS)
    if kind == "parquet":
        return write_parquet(tmp_path / "stock.parquet", HEADER, ROWS)
    path = tmp_path / "stock.xlsx"
    write_workbook(path, {"stock": [HEADER, *ROWS]})
    return path


def _kept(row: dict[str, Any], only: tuple[str, ...]) -> bool:
    return (row["recall_status"] in only or row["certificate_status"] in only
            or any(code in only for code in split(row["advisory_codes"])))


SELECTIONS = [
    ("recalled",),
    ("recalled", "possibly_recalled"),
    ("suspended",),
    ("cell_supplier_certificate_invalid", "brand_not_in_registry"),
    ("possibly_recalled", "suspended", "unknown_model", "assumed_voltage"),
    ("revoked",),  # no row: an output with the columns and no rows
]


@pytest.mark.parametrize(("kind", "output", "parts"), [
    ("csv", "csv", False), ("csv", "parquet", True), ("parquet", "parquet", False),
    ("parquet", "csv", True), ("xlsx", "parquet", False), ("xlsx", "csv", True),
])
def test_only_keeps_the_rows_of_the_codes_and_nothing_else(
    tmp_path: Path, kind: str, output: str, parts: bool
) -> None:
    path = _write(tmp_path, kind)
    split_up: dict[str, Any] = {"threads": 3, "part_rows": 1} if parts else {}
    full, every = run(path, tmp_path, output=tmp_path / f"all.{output}", **split_up)
    assert full.bad_rows == 1 and full.output_rows == len(every) == len(CASES)
    assert full.only == []
    for only in SELECTIONS:
        summary, rows = run(path, tmp_path, output=tmp_path / f"only.{output}", only=only,
                            **split_up)
        expected = [row for row in every if _kept(row, only)]
        assert rows == expected, only
        assert summary.output_rows == len(rows)
        assert summary.only == list(parse_only(only))  # in the catalogue's order
        # the summary and the errors file still count and list every row
        assert (summary.statuses, summary.certificates, summary.advisories) == (
            full.statuses, full.certificates, full.advisories)
        assert Path(summary.errors).read_bytes() == Path(full.errors).read_bytes()
    assert run(path, tmp_path, output=tmp_path / f"none.{output}", only=("revoked",))[1] == []


def test_a_parquet_input_keeps_its_column_types(tmp_path: Path) -> None:
    path = tmp_path / "typed.parquet"
    duckdb.sql(
        "COPY (SELECT * FROM (VALUES ('acme', 'PB-100', 3, DATE '2023-07-01'), "
        "('acme', 'PB-300', 4, NULL)) t(brand, model, shelf, produced)) "
        f"TO '{path}' (FORMAT parquet)"
    )
    summary, _ = run(path, tmp_path, output=tmp_path / "out.parquet", only=("recalled",))
    found = duckdb.sql(f"SELECT shelf, produced, recall_status FROM '{summary.output}'")
    assert found.fetchall() == [(3, dt.date(2023, 7, 1), "recalled")]
    assert [str(t) for t in found.types[:2]] == ["INTEGER", "DATE"]


def test_the_codes_are_read_as_people_type_them() -> None:
    assert parse_only([" Recalled ,SUSPENDED", "recalled", "", "possibly_recalled,"]) == (
        "recalled", "possibly_recalled", "suspended")
    assert parse_only([]) == () and kept_sql(()) is None
    assert parse_only([",".join(CODES)]) == CODES
    with pytest.raises(InputError) as raised:
        parse_only(["recalled,recaled", "valid", "bogus"])
    assert "unknown code(s) 'bogus', 'recaled'" in str(raised.value)
    assert "cell_supplier_certificate_invalid" in str(raised.value)


def test_an_unknown_code_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "stock.csv", HEADER, ROWS)
    with pytest.raises(InputError, match="unknown code"):
        run(path, tmp_path, only=("recalled", "stolen"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["stock.csv"]
