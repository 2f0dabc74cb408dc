"""Folders to write into: checked before the work, made when missing, or a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from cellwatch.errors import InputError
from cellwatch.folders import check_folder, make_folder


def test_a_missing_folder_is_made_with_its_parents(tmp_path: Path) -> None:
    check_folder(tmp_path / "a" / "b")
    assert not (tmp_path / "a").exists()  # checking makes nothing
    assert make_folder(tmp_path / "a" / "b").is_dir()
    assert make_folder(tmp_path / "a" / "b").is_dir()  # again: nothing to do


@pytest.mark.parametrize("under", [(), ("sub",), ("sub", "deeper")])
def test_a_file_in_the_way_is_named(tmp_path: Path, under: tuple[str, ...]) -> None:
    file = tmp_path / "stock.csv"
    file.write_text("kept")
    for call in (check_folder, make_folder):
        with pytest.raises(InputError, match=r"stock\.csv: is a file, not a folder$"):
            call(file.joinpath(*under))
    assert file.read_text() == "kept"
