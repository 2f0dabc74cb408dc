"""``cellwatch read-label``: facts, the check command built from them, and clear errors."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from cellwatch.labels.synthetic import SyntheticLabel
from tests.cli.conftest import Cli


def test_read_label_json_then_the_check_line_it_prints(
    cli: Cli, tmp_path: Path, recalled_label: SyntheticLabel
) -> None:
    cli("load", "--demo")
    photo = tmp_path / "label.png"
    photo.write_bytes(recalled_label.image)

    reading = cli("read-label", str(photo), "--json")
    assert reading.code == 0, reading.err
    body = reading.json()
    assert set(body) == {"facts", "lines", "image", "seconds", "notes"}
    facts = {field: fact["value"] for field, fact in body["facts"].items()}
    assert facts["brand"] == "romoss"
    assert facts["model"] == "PAC20-272" and facts["batch"] == "C14-P6"
    assert facts["capacity_mah"] == recalled_label.facts["capacity_mah"]
    assert "ccc_mark" not in facts  # not read: unknown, never "absent"

    human = cli("read-label", str(photo))
    assert human.code == 0, human.err
    assert "read off the label" in human.out and "PAC20-272" in human.out
    assert "A photo never proves that a mark is absent" in human.out
    line = next(text for text in human.out.splitlines() if text.startswith("cellwatch check"))
    assert "--rated" not in line and "--ccc-mark" not in line
    checked = cli(*shlex.split(line)[1:], "--json")
    assert checked.code == 0, checked.err
    assert checked.json()["recall"]["status"] == "recalled"

    chinese = cli("read-label", str(photo), "--lang", "zh")
    assert "标签读数" in chinese.out and "照片不能证明标志不存在" in chinese.out


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        (b"%PDF-1.7", 2, "not a photo cellwatch can read"),
        (b"", 2, "the photo is empty"),
        (None, 2, "no such file"),
    ],
)
def test_read_label_bad_input_is_one_line(
    cli: Cli, tmp_path: Path, content: bytes | None, code: int, message: str
) -> None:
    photo = tmp_path / "photo.jpg"
    if content is not None:
        photo.write_bytes(content)
    result = cli("read-label", str(photo))
    assert result.code == code
    assert message in result.err and len(result.err.strip().splitlines()) <= 2
    assert result.out == ""


def test_read_label_refuses_a_photo_over_the_limit_unread(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CELLWATCH_MAX_PHOTO_BYTES", "1000")
    photo = tmp_path / "big.jpg"
    photo.write_bytes(b"\xff" * 5000)
    result = cli("read-label", str(photo))
    assert result.code == 1
    assert "larger than the limit of 1,000" in result.err
    folder = cli("read-label", str(tmp_path))
    assert folder.code == 2 and "is a folder" in folder.err
