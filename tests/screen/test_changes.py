"""What changed between two screens of the same input: the rows whose answers differ,
side by side, and nothing else."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cellwatch.screen.changes import COMPARED, compare
from tests.screen.inventory import read_rows, write_csv
from tests.screen.test_screen import CASES, HEADER, run

#: acme-2026 (every PB-300) is announced on 2026-01-10: screened before and after it
BEFORE, AFTER = dt.date(2025, 7, 1), dt.date(2026, 1, 10)
#: The input lines of CASES' PB-300 units (the header is line 1)
PB_300 = [n + 2 for n, case in enumerate(CASES) if "300" in (case[0][1] or "")]


def _screens(tmp_path: Path, kind: str, **options: object) -> tuple[Path, Path]:
    path = write_csv(tmp_path / "stock.csv", HEADER, [c[0] for c in CASES])
    earlier, _ = run(path, tmp_path, output=tmp_path / f"earlier.{kind}", date=BEFORE,
                     **options)
    later, _ = run(path, tmp_path, output=tmp_path / f"later.{kind}", date=AFTER, **options)
    return Path(earlier.output), Path(later.output)


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_only_the_rows_whose_answers_changed_side_by_side(tmp_path: Path, kind: str) -> None:
    earlier, later = _screens(tmp_path, kind)
    found = compare(earlier, later, tmp_path / "changes.csv")
    rows = read_rows(tmp_path / "changes.csv")
    assert len(PB_300) == 3
    assert [int(r["input_line"]) for r in rows] == PB_300
    assert {(r["change"], r["earlier_recall_status"], r["recall_status"], r["recall_ids"],
             r["resolved_model"]) for r in rows} == {
        ("changed", "not_recalled", "recalled", "acme-2026", "PB-300")}
    assert list(rows[0]) == ["input_line", "change", "resolved_brand", "resolved_model",
                             *(f"{side}{c}" for c in COMPARED for side in ("earlier_", ""))]
    assert (found.rows, found.changed, found.new, found.gone, found.newly_recalled) == (
        3, 3, 0, 0, 3)
    same = compare(later, later, tmp_path / "same.csv")
    assert same.rows == 0 and read_rows(tmp_path / "same.csv") == []


def test_rows_that_enter_or_leave_the_selection(tmp_path: Path) -> None:
    earlier, later = _screens(tmp_path, "csv", only=("recalled",))
    found = compare(earlier, later, tmp_path / "changes.csv")
    rows = read_rows(tmp_path / "changes.csv")
    assert [(int(r["input_line"]), r["change"], r["earlier_recall_status"],
             r["recall_status"]) for r in rows] == [
        (line, "new", None, "recalled") for line in PB_300]
    assert (found.new, found.newly_recalled) == (3, 3)
    back = compare(later, earlier, tmp_path / "back.csv")
    assert (back.gone, back.newly_recalled) == (3, 0)
    assert {r["change"] for r in read_rows(tmp_path / "back.csv")} == {"gone"}
    assert [r["resolved_model"] for r in read_rows(tmp_path / "back.csv")] == ["PB-300"] * 3


def test_a_file_that_is_no_screens_output_is_a_value_error(tmp_path: Path) -> None:
    earlier, _ = _screens(tmp_path, "csv")
    other = write_csv(tmp_path / "other.csv", ("a", "b"), [("1", "2")])
    with pytest.raises(ValueError, match=r"cannot compare earlier\.csv with other\.csv"):
        compare(earlier, other, tmp_path / "changes.csv")
