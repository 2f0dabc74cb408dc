"""Screening a file: every status, encodings, Excel and Parquet, bad rows and bad files."""

from __future__ import annotations

import datetime as dt
import gc
import sys
import threading
import zipfile
from pathlib import Path
from typing import Any

import duckdb
import pytest
from openpyxl import Workbook

from cellwatch.domain.registry import Registry, RegistryData
from cellwatch.errors import InputError
from cellwatch.screen import ScreenOptions, Summary, parse_overrides, screen
from cellwatch.screen import run as run_module
from tests import factories as f
from tests.screen.inventory import read_rows, split, write_csv, write_parquet

DATE = dt.date(2025, 7, 1)
HEADER = ("品牌", "型号", "序列号", "批次", "生产日期")


def registry() -> Registry:
    data = RegistryData(
        sources=(f.source(),),
        companies=(
            f.company(names={"zh": "爱克米"}, aliases=["Acme Tech"]),
            f.company(id=f.CELL_MAKER, name="Cell Co", roles=["cell_maker"]),
        ),
        products=(
            f.product(), f.product(model="PB-200", capacity_mah=10000),
            f.product(model="PB-300", names=["PowerMax 300"]),
        ),
        batches=(
            f.batch(model="PB-200", batch="G1", cell_maker=f.CELL_MAKER),
            f.batch(model="PB-200", batch="G2"),
        ),
        certificates=(
            f.certificate(models=["PB-300"]),
            f.certificate(number="2024010915000009", holder=f.CELL_MAKER, product_kind="cell"),
        ),
        certificate_status=(
            f.status_change(date="2025-06-20"),
            f.status_change(number="2024010915000009", status="revoked", date="2025-01-01"),
        ),
        recalls=(
            f.recall(scope=[
                {"model": "PB-100", "batches": ["C14-P6"],
                 "produced": [{"from": "2023-06-05", "to": "2023-07-28"}]},
                {"model": "PB-100", "serial_ranges": [{"from": "AA0100", "to": "AA0199"}]},
                {"model": "PB-100", "serial_patterns": ["57V???????????"]},
            ]),
            f.recall(id="acme-2026", announced="2026-01-10", scope=[{"model": "PB-300"}]),
        ),
    )
    return Registry(data, 7)


#: (brand, model, serial, batch, produced) → status, recall ids, missing, certificate, advisories
CASES: list[tuple[tuple[str | None, ...], str, str, str, str, str]] = [
    (("acme", "PB-100", None, "c14 p6", None), "recalled", "acme-2025", "", "none", ""),
    (("爱克米", "pb100", "AA0150", None, None), "recalled", "acme-2025", "", "none", ""),
    (("Acme Tech", "PB-100", "AAO15O", None, None), "recalled", "acme-2025", "", "none",
     "serial_matched_after_folding"),
    (("ACME", "PB-100", "57V12345678901", None, None), "recalled", "acme-2025", "", "none", ""),
    (("acme", "PB-100", "aa-o1l0", None, None), "recalled", "acme-2025", "", "none",
     "serial_matched_after_folding"),
    (("acme", "PB-100", None, None, None), "possibly_recalled", "", "batch;serial;produced",
     "none", ""),
    (("acme", "PB-100", "XX1", None, "2023-07"), "possibly_recalled", "", "batch;produced",
     "none", ""),
    (("acme", "PB-100", "XX1", "C14-P7", None), "not_recalled", "", "", "none", ""),
    (("acme", "PB-100", None, None, "2023-07-01"), "recalled", "acme-2025", "", "none", ""),
    (("acme", "PB-200", None, None, None), "not_recalled", "", "", "none",
     "assumed_voltage;cell_supplier_certificate_invalid"),
    (("acme", "PB-200", None, "G2", None), "not_recalled", "", "", "none", "assumed_voltage"),
    (("acme", "PowerMax 300", None, None, None), "not_recalled", "", "", "suspended", ""),
    ((None, "PB-300", None, None, None), "not_recalled", "", "", "suspended", ""),
    (("nobody", "PB-300", None, None, None), "not_recalled", "", "", "suspended",
     "brand_not_in_registry"),
    (("acme", "ZZ-9", None, None, None), "unknown_model", "", "", "none", "unknown_model"),
    (("  ", "PB-100", " AA0150 ", None, None), "recalled", "acme-2025", "", "none", ""),
]


def run(path: Path, tmp_path: Path, **options: Any) -> tuple[Summary, list[dict[str, Any]]]:
    values: dict[str, Any] = {"date": DATE, "output": tmp_path / "out.csv"} | options
    summary = screen(path, registry(), ScreenOptions(**values))
    return summary, read_rows(Path(summary.output))


def assert_cases(rows: list[dict[str, Any]]) -> None:
    assert len(rows) == len(CASES)
    for row, (_, status, ids, missing, certificate, codes) in zip(rows, CASES, strict=True):
        assert (row["recall_status"], row["recall_ids"] or "", row["missing_facts"] or "",
                row["certificate_status"], row["advisory_codes"] or "") == (
            status, ids, missing, certificate, codes), row


def test_every_status_and_what_to_read_off(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "stock.csv", HEADER, [c[0] for c in CASES])
    summary, rows = run(path, tmp_path)
    assert_cases(rows)
    assert [int(r["input_line"]) for r in rows] == list(range(2, len(CASES) + 2))
    assert rows[1]["resolved_brand"] == "acme" and rows[1]["resolved_model"] == "PB-100"
    assert rows[1]["品牌"] == "爱克米"  # the input's columns as they were
    assert summary.statuses == {"recalled": 7, "possibly_recalled": 2, "not_recalled": 6,
                                "unknown_model": 1}
    assert summary.certificates == {"none": 13, "suspended": 3}
    assert summary.top_models[0] == ("acme/PB-100", 9)
    assert summary.registry_version == 7 and summary.bad_rows == 0


def test_a_recall_counts_only_from_its_announcement(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "stock.csv", HEADER, [("acme", "PB-300", None, None, None)])
    _, before = run(path, tmp_path)
    _, after = run(path, tmp_path, date=dt.date(2026, 1, 10))
    assert before[0]["recall_status"] == "not_recalled"
    assert (after[0]["recall_status"], after[0]["recall_ids"]) == ("recalled", "acme-2026")


def test_spellings_of_one_unit_get_one_answer_and_others_their_own(tmp_path: Path) -> None:
    """The facts are computed once per spelling key (brand's company, folded model code,
    certificate number): spellings people type alike answer alike, and spellings the
    check reads differently (a legal word apart or run together) keep their own answer."""
    spellings = [
        ("acme", "PB-100", "2024010914000001"), ("ACME", "pb 100", "2024 0109 1400 0001"),
        ("Acme Tech", " pb_100 ", None), ("爱克米", "Pb.100", None), (None, "PB - 100", None),
        ("acme", "PowerMax 300 Co", None), ("ACME", "powermax-300_co", None),
        ("acme", "POWERMAX300CO", None), ("nobody", "pb-100", None), ("someone", "PB100", None),
    ]
    path = write_csv(tmp_path / "stock.csv", ("brand", "model", "certificate"), spellings)
    _, rows = run(path, tmp_path)
    answers = [(r["resolved_brand"], r["resolved_model"], r["recall_status"],
                r["certificate_status"], r["advisory_codes"]) for r in rows]
    assert answers[:5] == [("acme", "PB-100", "possibly_recalled", "mismatch", None)] * 2 + [
        ("acme", "PB-100", "possibly_recalled", "none", None)] * 3
    assert answers[5] == answers[6] == ("acme", "PB-300", "not_recalled", "suspended", None)
    assert answers[7] == ("acme", None, "unknown_model", "none", "unknown_model")
    assert answers[8] == answers[9] == (
        "acme", "PB-100", "possibly_recalled", "none", "brand_not_in_registry")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_encodings(tmp_path: Path, encoding: str) -> None:
    path = write_csv(tmp_path / "stock.csv", HEADER, [c[0] for c in CASES], encoding)
    summary, rows = run(path, tmp_path)
    assert_cases(rows)
    assert summary.encoding == encoding
    assert rows[1]["品牌"] == "爱克米"


def test_a_file_pasted_from_utf8_and_gb18030_lines(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    lines = ["品牌,型号,批次\n", "爱克米,PB-100,C14-P6\n", "爱克米,PB-100,C14-P6\n"]
    path.write_bytes(lines[0].encode("utf-8") + lines[1].encode("gb18030")
                     + lines[2].encode("utf-8") + b"acme,PB-100,\xff\xfe\n")
    summary, rows = run(path, tmp_path)
    assert summary.encoding == "mixed utf-8 and gb18030"
    assert [(r["品牌"], r["recall_status"]) for r in rows] == [
        ("爱克米", "recalled"), ("爱克米", "recalled")]
    errors = read_rows(Path(summary.errors))
    assert [(e["line"], e["message"]) for e in errors] == [
        ("4", "the line is neither UTF-8 nor GB18030 text")]


def test_parquet_and_excel_inputs_and_parquet_output(tmp_path: Path) -> None:
    parquet = write_parquet(tmp_path / "stock.parquet", HEADER, [c[0] for c in CASES])
    summary, rows = run(parquet, tmp_path, output=tmp_path / "out.parquet")
    assert_cases(rows)
    assert summary.kind == "parquet"
    book = Workbook()
    sheet = book.active
    sheet.append([])  # empty rows above the header are skipped
    sheet.append(list(HEADER))
    for values, *_ in CASES:
        sheet.append(list(values))
    sheet.append(["acme", "PB-100", None, None, dt.datetime(2023, 7, 1)])
    book.save(tmp_path / "stock.xlsx")
    summary, rows = run(tmp_path / "stock.xlsx", tmp_path)
    assert_cases(rows[:-1])
    assert (rows[-1]["生产日期"], rows[-1]["recall_status"]) == ("2023-07-01", "recalled")
    assert summary.kind == "excel" and rows[-1]["input_line"] == str(len(CASES) + 3)


def test_bad_rows_go_to_the_errors_file_with_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "stock.csv"
    path.write_text(
        "brand,model,serial,produced\n"
        "acme,PB-100,AA0150,\n"
        "acme,PB-100,,2023-13\n"
        "\n"
        f"acme,PB-100,{'9' * 101},\n"
        "acme,PB-100,,2099-01\n"
        "acme,PB-100,x,y,z\n"
        f"{'a' * 101},PB-100,,\n"
        "acme,PB-100,AA0151,2023-07-01\n",
        encoding="utf-8",
    )
    summary, rows = run(path, tmp_path)
    assert [(r["input_line"], r["serial"]) for r in rows] == [("2", "AA0150"), ("9", "AA0151")]
    errors = [(e["line"], e["column"], e["message"]) for e in read_rows(Path(summary.errors))]
    assert errors == [
        ("3", "produced", "'2023-13' is not a date: month must be in 1..12"),
        ("5", "serial", "longer than 100 characters"),
        ("6", "produced", "the production date is in the future"),
        ("7", None, errors[3][2]),
        ("8", "brand", "longer than 100 characters"),
    ]
    assert errors[3][2].startswith("not a valid CSV record")
    assert (summary.rows, summary.screened, summary.bad_rows) == (7, 2, 5)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_blank_lines_one_after_another_each_count(tmp_path: Path, newline: str) -> None:
    """Three blank lines in a row are three lines: the rows after them keep their lines."""
    path = tmp_path / "stock.csv"
    lines = ["brand,model,produced", "acme,PB-100,", "", "", "", "acme,PB-100,2023-13",
             "acme,PB-100,2023-07"]
    path.write_bytes(newline.join(lines).encode() + newline.encode())
    summary, rows = run(path, tmp_path)
    assert [r["input_line"] for r in rows] == ["2", "7"]
    assert [e["line"] for e in read_rows(Path(summary.errors))] == ["6"]


@pytest.mark.parametrize(("suffix", "output"), [(".csv", "csv"), (".csv", "parquet"),
                                                  (".parquet", "parquet"), (".parquet", "csv")])
def test_a_column_named_as_duckdbs_row_number_is_an_input_column_like_any(
    tmp_path: Path, suffix: str, output: str
) -> None:
    """A column named ``file_row_number`` (DuckDB's name for a row's number in a Parquet
    file, which a CSV input's records are read into) keeps its values, and every row its
    line."""
    header = ["brand", "model", "File_Row_Number"]
    rows = [("acme", "PB-100", "7"), ("acme", "PB-100", None), ("acme", "PB-100", "9")]
    path = tmp_path / f"stock{suffix}"
    if suffix == ".csv":
        write_csv(path, header, rows)
    else:
        write_parquet(path, header, rows)
    summary, screened = run(path, tmp_path, output=tmp_path / f"out.{output}")
    assert summary.screened == 3
    assert [(str(r["input_line"]), r["File_Row_Number"]) for r in screened] == [
        ("2", "7"), ("3", None), ("4", "9")]
    assert {r["resolved_model"] for r in screened} == {"PB-100"}


def test_a_column_named_as_the_screens_line_number_is_refused(tmp_path: Path) -> None:
    """The screen's SQL keeps each row's line as ``cw_line``: an input column of that name
    would have its values replaced by line numbers, so the input is refused."""
    path = write_csv(tmp_path / "stock.csv", ["brand", "model", "CW_Line"],
                     [("acme", "PB-100", "7")])
    with pytest.raises(InputError, match=r"column named 'CW_Line'.*rename that column"):
        run(path, tmp_path)
    assert not list(tmp_path.glob("out*"))


def test_a_too_long_serial_or_batch_is_refused_once_per_column(tmp_path: Path) -> None:
    path = tmp_path / "stock.csv"
    padded = " " * 60 + "AA0152" + " " * 60  # too long only before it is stripped
    path.write_text(
        "brand,model,serial,batch\n"
        f"acme,PB-100,AA0150,{'B' * 101}\n"
        f"acme,PB-100,{'9' * 101},{'B' * 101}\n"
        f"acme,PB-100,\"{padded}\",\"{padded}\"\n"
        "acme,PB-100,AA0151,B1\n",
        encoding="utf-8",
    )
    summary, rows = run(path, tmp_path)
    assert [r["input_line"] for r in rows] == ["4", "5"]
    errors = [(e["line"], e["column"]) for e in read_rows(Path(summary.errors))]
    assert errors == [("2", "batch"), ("3", "batch"), ("3", "serial")]


def test_a_new_screen_of_an_old_output_replaces_its_columns(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "stock.csv", HEADER, [c[0] for c in CASES])
    first, _ = run(path, tmp_path, output=tmp_path / "first.csv")
    _, rows = run(Path(first.output), tmp_path, output=tmp_path / "second.csv")
    assert_cases(rows)
    assert list(rows[0]).count("recall_status") == 1


def test_map_and_default_output(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "stock.csv", ("Marke", "Typ"), [("acme", "PB-300")])
    with pytest.raises(InputError, match="no column for model"):
        screen(path, registry(), ScreenOptions(date=DATE))
    summary = screen(path, registry(), ScreenOptions(
        date=DATE, overrides=parse_overrides(["Typ=model", "Marke=brand"])))
    assert summary.output == str(tmp_path / "stock.screened.csv")
    assert summary.errors == str(tmp_path / "stock.screened.errors.csv")
    assert read_rows(Path(summary.output))[0]["certificate_status"] == "suspended"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "empty.csv is empty"),
        ("header.csv", b"brand,model\n", "header.csv has a header but no rows"),
        ("stock.parquet", b"not parquet at all", "cannot read stock.parquet as Parquet"),
        ("stock.xlsx", b"PK\x03\x04 broken", "cannot read stock.xlsx as an Excel workbook"),
        ("stock.pdf", b"%PDF", "stock.pdf: unknown kind of file '.pdf'"),
        ("binary.csv", bytes(range(256)) * 4, "binary.csv is not a text file"),
    ],
)
def test_unusable_files_are_clear_errors(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        screen(path, registry(), ScreenOptions(date=DATE, output=tmp_path / "out.csv"))
    assert str(caught.value).startswith(message)
    assert not (tmp_path / "out.csv").exists()


def test_the_output_kind_comes_from_its_extension(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "stock.csv", HEADER, [c[0] for c in CASES])
    with pytest.raises(InputError, match=r"write a \.csv or a \.parquet file"):
        run(path, tmp_path, output=tmp_path / "out.json")
    with pytest.raises(InputError, match="would overwrite the input"):
        run(path, tmp_path, output=path)


def test_an_empty_sheet_and_a_zip_that_is_no_workbook(tmp_path: Path) -> None:
    Workbook().save(tmp_path / "empty.xlsx")
    with pytest.raises(InputError, match="the first sheet is empty"):
        run(tmp_path / "empty.xlsx", tmp_path)
    with zipfile.ZipFile(tmp_path / "other.xlsx", "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match="as an Excel workbook"):
        run(tmp_path / "other.xlsx", tmp_path)
    (tmp_path / "text.xlsx").write_text("brand,model\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"text\.xlsx is a text file, not an Excel workbook"):
        run(tmp_path / "text.xlsx", tmp_path)


def test_a_workbook_that_unzips_to_far_more_than_its_size_is_refused(tmp_path: Path) -> None:
    """A zip bomb (70 MB of one byte in a 70 kB file) is refused before it is parsed; an
    ordinary workbook, compressed about ten times, is read."""
    book = Workbook()
    for row in [HEADER, *[c[0] for c in CASES] * 200]:
        book.active.append(list(row))
    book.save(tmp_path / "stock.xlsx")
    summary, _ = run(tmp_path / "stock.xlsx", tmp_path)
    assert summary.screened == len(CASES) * 200
    with zipfile.ZipFile(tmp_path / "bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 70_000_000)
    assert (tmp_path / "bomb.xlsx").stat().st_size < 200_000
    with pytest.raises(InputError, match=r"bomb.xlsx unzips to 70,000,008 bytes, more than 100"):
        run(tmp_path / "bomb.xlsx", tmp_path)


def test_progress_is_reported_for_every_stage(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "stock.csv", HEADER, [c[0] for c in CASES])
    seen: list[tuple[str, int, int]] = []
    screen(path, registry(), ScreenOptions(date=DATE, output=tmp_path / "o.csv"),
           lambda *step: seen.append(step))
    assert [s[0] for s in seen] == ["read", "map columns", "registry facts", "judge",
                                    "write", "summarise", "done"]
    assert seen[-1][1] == seen[-1][2]


def test_split_helper() -> None:
    assert split("a;b") == ["a", "b"] and split(None) == []


def test_a_write_that_fails_leaves_no_output_and_keeps_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The output and errors files are written under ``.part`` names and moved once both
    are complete: a failure while writing (a full disk) leaves neither half-written, and
    an earlier screen's files where they were."""
    path = write_csv(tmp_path / "stock.csv", HEADER, [c[0] for c in CASES])
    run(path, tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert {"out.csv", "out.errors.csv"} <= set(before)
    real = run_module._write

    def full_disk(*args: Any) -> None:
        real(*args)  # the part is written, then the disk fills
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(run_module, "_write", full_disk)
    with pytest.raises(OSError, match="No space left"):
        run(path, tmp_path, date=dt.date(2026, 1, 10))
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    monkeypatch.undo()
    _, again = run(path, tmp_path, date=dt.date(2026, 1, 10))
    assert len(again) == len(CASES) and not list(tmp_path.glob("*.part"))


def _refuse(*args: Any) -> None:
    raise run_module.parquet.NotJoinable("refused by the test")


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_the_output_written_in_parts_is_the_output_written_whole(
    tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large output is written in parts on every core and joined; with parts of one row
    the joined file holds the same rows, in order, as the file written whole. The input
    has bad and blank lines, so the parts are cut between lines that are not there."""
    lines = [",".join(v or "" for v in case[0]) for case in CASES]
    lines[3:3] = ["", "acme,PB-100,,2023-13"]
    path = tmp_path / "stock.csv"
    path.write_text("brand,model,serial,batch,produced\n" + "\n".join(lines) + "\n",
                    encoding="utf-8")
    # a CSV input's Parquet output is written beside its columns (test_output.py): here,
    # in parts, as when that is refused
    monkeypatch.setattr(run_module, "write_beside_input_columns", _refuse)
    whole, _ = run(path, tmp_path, output=tmp_path / f"whole.{kind}")
    joins: list[int] = []
    for name in ("join", "append"):
        real = getattr(run_module.parquet, name)
        monkeypatch.setattr(run_module.parquet, name,
                            lambda first, others, real=real: joins.append(len(others))
                            or real(first, others))
    parted, rows = run(path, tmp_path, output=tmp_path / f"parted.{kind}", threads=3,
                       part_rows=1)
    assert joins == [2]  # three parts
    assert_cases(rows)
    assert (parted.screened, parted.bad_rows) == (whole.screened, whole.bad_rows) == (
        len(CASES), 1)
    if kind == "csv":
        assert Path(parted.output).read_bytes() == Path(whole.output).read_bytes()
    else:
        assert read_rows(Path(parted.output)) == read_rows(Path(whole.output))
    assert Path(parted.errors).read_bytes() == Path(whole.errors).read_bytes()


def test_parts_that_cannot_be_joined_are_written_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def refuse(first: Path, others: list[Path]) -> None:
        raise run_module.parquet.NotJoinable("a column chunk has a page index")

    monkeypatch.setattr(run_module.parquet, "join", refuse)
    monkeypatch.setattr(run_module, "write_beside", _refuse)
    monkeypatch.setattr(run_module, "write_beside_input_columns", _refuse)
    path = write_csv(tmp_path / "stock.csv", HEADER, [c[0] for c in CASES])
    _, rows = run(path, tmp_path, output=tmp_path / "out.parquet", threads=2,
                        part_rows=1)
    assert_cases(rows)
    assert "cannot be joined (a column chunk has a page index): writing it whole" in caplog.text
    assert not list(tmp_path.glob("*.part"))


def test_a_screen_leaves_the_snapshots_memories_to_the_checks(tmp_path: Path) -> None:
    """A screen answers each spelling once and keeps its answers to itself: it does not
    fill the snapshot's memories (identification, a model's certificate finding) that
    the checks of a checkpoint on the same server live on."""
    from cellwatch.check.certificate import _with_product
    from cellwatch.check.identify import identify

    snapshot = registry()
    path = write_csv(tmp_path / "stock.csv", HEADER, [c[0] for c in CASES])
    screen(path, snapshot, ScreenOptions(date=DATE, output=tmp_path / "out.csv"))
    assert snapshot.memory(identify) == {} and snapshot.memory(_with_product) == {}


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_a_part_of_only_bad_rows_joins_too(tmp_path: Path, kind: str) -> None:
    """The first of three parts holds only refused rows: it adds no row (CSV: only the
    header) and the output is still the output written whole."""
    path = tmp_path / "stock.csv"
    path.write_text("brand,model,serial\n" + f"acme,PB-100,{'9' * 101}\n" * 6
                    + "acme,PB-100,AA0150\n" * 12, encoding="utf-8")
    whole, _ = run(path, tmp_path, output=tmp_path / f"whole.{kind}")
    parted, rows = run(path, tmp_path, output=tmp_path / f"parted.{kind}", threads=3,
                       part_rows=1)
    assert (parted.screened, parted.bad_rows) == (whole.screened, whole.bad_rows) == (12, 6)
    assert read_rows(Path(parted.output)) == read_rows(Path(whole.output))
    assert [int(r["input_line"]) for r in rows] == list(range(8, 20))


def test_the_sql_beside_the_checks_python_has_one_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the check's Python answers the spelling keys, DuckDB works beside it on one
    thread (the core the Python leaves idle) and Python hands the GIL over sooner; after
    it, DuckDB has the screen's threads and Python its switch interval again; Python's
    collector is paused meanwhile only. Its in-memory database is never checkpointed
    (compressed) on the way."""
    seen: dict[str, tuple[int, float]] = {}
    collecting: dict[str, bool] = {}
    thresholds: set[str] = set()

    def watched(step: str, work: Any) -> Any:
        def run_step(con: Any, *args: Any) -> Any:
            [(threads, threshold)] = con.execute(
                "SELECT current_setting('threads'), current_setting('checkpoint_threshold')"
            ).fetchall()
            seen[step] = (threads, sys.getswitchinterval())
            collecting[step] = gc.isenabled()
            thresholds.add(threshold)
            return work(con, *args)
        return run_step

    monkeypatch.setattr(run_module.facts, "load_unit_facts",
                        watched("answers", run_module.facts.load_unit_facts))
    monkeypatch.setattr(run_module.judge, "create_candidates",
                        watched("candidates", run_module.judge.create_candidates))
    path = write_csv(tmp_path / "stock.csv", HEADER, [c[0] for c in CASES])
    before = sys.getswitchinterval()
    summary = screen(path, registry(), ScreenOptions(date=DATE, output=tmp_path / "o.csv",
                                                     threads=3))
    assert seen["answers"] == (1, pytest.approx(run_module.SWITCH_SECONDS))
    assert seen["candidates"] == (3, before)
    assert sys.getswitchinterval() == before
    assert thresholds == {"931.3 GiB"}  # NO_CHECKPOINT, not DuckDB's 16 MiB
    assert collecting == {"answers": False, "candidates": True} and gc.isenabled()
    assert summary.screened == len(CASES)


@pytest.mark.parametrize("collecting", [True, False])
def test_screens_side_by_side_put_the_switch_interval_back_once_both_are_done(
    collecting: bool,
) -> None:
    """Two screens of one process overlapping (the first leaves while the second is still
    beside its Python): the interval stays short and the collector paused until the last
    one leaves, then both are as they were (a collector paused by the caller stays so)."""
    before = sys.getswitchinterval()
    if not collecting:
        gc.disable()
    try:
        first, second = run_module._PYTHON.entered(), run_module._PYTHON.entered()
        first.__enter__()
        second.__enter__()
        first.__exit__(None, None, None)
        assert sys.getswitchinterval() == pytest.approx(run_module.SWITCH_SECONDS)
        assert not gc.isenabled()
        second.__exit__(None, None, None)
        assert sys.getswitchinterval() == before
        assert gc.isenabled() is collecting
    finally:
        gc.enable()


def test_work_beside_runs_in_turn_and_stops_at_the_first_failure() -> None:
    """Works beside the body run in turn on one cursor; one that fails cancels those after
    it (they may need what it makes), and its error is raised when the body is left."""
    con = duckdb.connect()
    ran: list[str] = []

    def make(cursor: Any, name: str) -> str:
        cursor.execute(f"CREATE TABLE {name} AS SELECT 1 AS x")
        ran.append(name)
        return name

    def fail(cursor: Any) -> None:
        ran.append("fail")
        raise RuntimeError("the first work failed")

    with run_module._beside(con, (make, "a"), (make, "b")) as (a, b):
        assert (a.result(), b.result()) == ("a", "b")
    assert ran == ["a", "b"]
    ran.clear()
    with pytest.raises(RuntimeError, match="the first work failed"), \
            run_module._beside(con, (fail,), (make, "c")) as (_, later):
        pass
    assert ran == ["fail"] and later.cancelled()


def test_work_beside_not_started_when_the_body_fails() -> None:
    """A body that fails cancels the work beside it that has not started; what is running
    finishes before the body's error is raised."""
    con = duckdb.connect()
    started = threading.Event()
    release = threading.Event()
    ran: list[str] = []

    def first(cursor: Any) -> None:
        started.set()
        release.wait(5)
        ran.append("first")

    def second(cursor: Any) -> None:
        ran.append("second")

    with pytest.raises(ValueError, match="the body failed"), \
            run_module._beside(con, (first,), (second,)) as (_, later):
        started.wait(5)
        threading.Timer(0.2, release.set).start()  # the first finishes after the failure
        raise ValueError("the body failed")
    assert ran == ["first"] and later.cancelled()
