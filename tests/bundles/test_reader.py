"""Every kind of bundle error is found, located and reported, all at once."""

from pathlib import Path

import pytest

from cellwatch.bundles.checks import check_references
from cellwatch.bundles.layout import LAYOUTS
from cellwatch.bundles.reader import read_bundle

GOOD = {
    "sources.yaml": "- id: src\n  title: A notice\n  url: https://example.org/n\n",
    "companies.yaml": (
        "- id: romoss\n  name: Romoss\n  names: {zh: 罗马仕}\n  roles: [brand]\n  sources: [src]\n"
    ),
    "products.csv": (
        "brand,model,names,kind,capacity_mah,voltage_v,energy_wh,output_w,certificates,sources\n"
        "romoss,PAC20-272,,power_bank,20000,3.7,74,,,src\n"
    ),
    "recalls.yaml": (
        "- id: r1\n  issuer: romoss\n  authority: SAMR\n  market: CN\n  announced: 2025-06-16\n"
        "  scope:\n  - model: PAC20-272\n    batches: [C14-P6]\n  sources: [src]\n"
    ),
}


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def problems(folder: Path) -> list[str]:
    data, issues = read_bundle(folder)
    issues += check_references(data)
    return [str(issue) for issue in issues]


def test_good_bundle_reads_clean(tmp_path: Path) -> None:
    data, issues = read_bundle(write(tmp_path, GOOD))
    assert issues == []
    assert check_references(data) == []
    assert data.counts()["recalls"] == 1
    assert data.recalls[0].scope[0].batches == ("C14-P6",)


def test_empty_folder_is_an_empty_bundle(tmp_path: Path) -> None:
    data, issues = read_bundle(tmp_path)
    assert issues == [] and len(data) == 0


def test_not_a_folder(tmp_path: Path) -> None:
    assert problems(tmp_path / "missing") == [f"{tmp_path / 'missing'}: is not a folder"]


@pytest.mark.parametrize(
    ("file", "text", "expected"),
    [
        ("products.csv", "brand,model,kind,sources,colour\n", "products.csv: line 1: unknown column(s) colour"),
        ("products.csv", "brand,model,kind,sources\nromoss,X,power_bank\n", "products.csv: line 2: has 3 cells, the header has 4"),
        ("products.csv", "brand,model,kind,sources\nromoss,X,toaster,src\n", "products.csv: line 2 [kind]: Input should be 'power_bank' or 'cell'"),
        ("products.csv", "brand,model,kind,capacity_mah,sources\nromoss,X,power_bank,\"20,000\",src\n", "products.csv: line 2 [capacity_mah]: Input should be a valid integer"),
        ("products.csv", "brand,model,kind,sources\nromoss,X,power_bank,\n", "products.csv: line 2 [sources]: Field required"),
        ("products.csv", "brand,model,kind,sources\nRomoss Ltd,X,power_bank,src\n", "products.csv: line 2 [brand]: String should match pattern"),
        ("batches.csv", "brand,model,batch,produced_from,sources\nromoss,PAC20-272,B1,2023-13,src\n", "batches.csv: line 2 [produced_from]: '2023-13' is not a date"),
        ("batches.csv", "brand,model,batch,produced_from,produced_to,sources\nromoss,PAC20-272,B1,2024-02,2024-01,src\n", "the window ends (2024-01) before it starts (2024-02)"),
        ("batches.csv", "brand,model,batch,serial_from,sources\nromoss,PAC20-272,B1,A1,src\n", "serial_from and serial_to go together"),
        ("certificates.csv", "number,scheme,holder,product_kind,sources\n123,CCC,romoss,power_bank,src\n", "CCC number '123' must have 16 digits"),
        ("certificates.csv", "number,scheme,holder,product_kind,sources\n2025010915000001,CCC,romoss,power_bank,src\n", "is for cell, not power_bank"),
        ("certificates.csv", "number,scheme,holder,product_kind,number_published,sources\nx-unpublished,CCC,romoss,cell,false,src\n", "needs a note"),
        ("certificates.csv", "number,scheme,holder,product_kind,number_published,sources\n2025010914000001,CCC,romoss,power_bank,maybe,src\n", "[number_published]: Input should be a valid boolean"),
        ("certificate_status.csv", "number,status,date,sources\nN1,frozen,2025-06-10,src\n", "[status]: Input should be 'valid', 'suspended', 'revoked', 'cancelled' or 'expired'"),
        ("incidents.csv", "id,date,mode,sources\ni1,2025-01-28,plane,src\n", "incidents.csv: line 2 (id=i1) [mode]"),
        ("recalls.yaml", "- id: r2\n  issuer: romoss\n  authority: SAMR\n  market: CN\n  announced: 2025-06-16\n  scope:\n  - model: PAC20-272\n    serial_patterns: ['*[0-9D']\n  sources: [src]\n", "recalls.yaml: record 1 (id=r2) [scope[0].serial_patterns]: pattern '*[0-9D': '[' at position 2 is never closed"),
        ("recalls.yaml", "- id: r2\n  issuer: romoss\n  authority: SAMR\n  market: CN\n  announced: 2025-06-16\n  scope: []\n  sources: [src]\n", "[scope]: a recall needs at least one scope entry"),
        ("recalls.yaml", "- id: r2\n  issuer: romoss\n  authority: SAMR\n  market: CN\n  announced: 2025-06-16\n  scope: [{model: X, colour: red}]\n  sources: [src]\n", "[scope[0].colour]: Extra inputs are not permitted"),
        ("recalls.yaml", "- id: r2\n  issuer: romoss\n  scope: [{model: X, produced: [{from: 2024-02, to: 2023-01}]}]\n", "window ends (2023-01) before it starts (2024-02)"),
        ("recalls.yaml", "- id: r2\n  issuer: [romoss\n", "recalls.yaml: line 3: invalid YAML"),
        ("recalls.yaml", "id: r2\n", "recalls.yaml: must be a list of records"),
        ("recalls.yaml", "- just text\n", "recalls.yaml: record 1: is not a mapping"),
        ("sources.yaml", "- id: src\n  title: A notice\n  url: https://example.org/n\n- id: src\n  title: Again\n  url: https://example.org/m\n", "sources.yaml: record 2 (id=src): duplicate of record 1 (id=src)"),
        ("products.csv", "brand,model,kind,sources\nromoss,PAC20-272,power_bank,src\nromoss,pac20 272,power_bank,src\n", "products.csv: line 3: duplicate of line 2 (key romoss/PAC20272)"),
        ("notes.csv", "a,b\n", "notes.csv: unknown file"),
    ],
)
def test_each_error_is_located(tmp_path: Path, file: str, text: str, expected: str) -> None:
    found = problems(write(tmp_path, {**GOOD, file: text}))
    assert any(expected in line for line in found), found


@pytest.mark.parametrize(
    ("file", "text", "expected"),
    [
        ("products.csv", "brand,model,kind,sources\nanker,A1263,power_bank,src\n", "[brand]: no company 'anker'"),
        ("products.csv", "brand,model,kind,certificates,sources\nromoss,X,power_bank,N9,src\n", "[certificates]: no certificate 'N9'"),
        ("batches.csv", "brand,model,batch,sources\nromoss,PAC99,B1,src\n", "[model]: no product 'romoss/PAC99'"),
        ("batches.csv", "brand,model,batch,cell_lot,sources\nromoss,PAC20-272,B1,L9,src\n", "[cell_lot]: no cell lot 'L9'"),
        ("batches.csv", "brand,model,batch,sources\nromoss,PAC20-272,B1,nowhere\n", "[sources]: no source 'nowhere'"),
        ("certificate_status.csv", "number,status,date,sources\nN1,暂停,2025-06-10,src\n", "[number]: no certificate 'N1'"),
        ("recalls.yaml", "- id: r2\n  issuer: romoss\n  authority: SAMR\n  market: CN\n  announced: 2025-06-16\n  scope: [{model: PAC99}]\n  sources: [src]\n", "[scope[0].model]: no product 'romoss/PAC99'"),
        ("companies.yaml", "- id: romoss\n  name: Romoss\n  links: [{type: renamed_to, to: romoss}]\n  sources: [src]\n", "a company cannot link to itself"),
        ("companies.yaml", "- id: romoss\n  name: Romoss\n  links: [{type: subsidiary_of, to: ghost}]\n  sources: [src]\n", "[links[0].to]: no company 'ghost'"),
    ],
)
def test_broken_references_are_found(tmp_path: Path, file: str, text: str, expected: str) -> None:
    found = problems(write(tmp_path, {**GOOD, file: text}))
    assert any(expected in line for line in found), found


def test_every_error_is_reported_not_only_the_first(tmp_path: Path) -> None:
    files = {
        **GOOD,
        "products.csv": "brand,model,kind,sources\nromoss,A,toaster,src\nromoss,B,power_bank,\n",
        "incidents.csv": "id,date,mode,sources\nBad Id,2025-13-01,air,src\n",
    }
    found = problems(write(tmp_path, files))
    assert len(found) >= 5, found  # kind, sources, id, date, and the recall's now-missing model


def test_chinese_status_words_are_accepted(tmp_path: Path) -> None:
    files = {
        **GOOD,
        "certificates.csv": "number,scheme,holder,product_kind,sources\n2023010914000001,CCC,romoss,power_bank,src\n",
        "certificate_status.csv": "number,status,date,sources\n2023010914000001,暂停,2025-06-20,src\n2023010914000001,撤销,2025-07,src\n",
    }
    data, issues = read_bundle(write(tmp_path, files))
    assert issues == []
    assert [s.status.value for s in data.certificate_status] == ["suspended", "revoked"]


def test_byte_order_mark_is_tolerated_and_other_encodings_refused(tmp_path: Path) -> None:
    (tmp_path / "sources.yaml").write_bytes("\ufeff".encode() + GOOD["sources.yaml"].encode())
    (tmp_path / "companies.yaml").write_bytes("- id: a\n  name: 罗马仕\n".encode("gb18030"))
    found = problems(tmp_path)
    assert len(found) == 1
    assert found[0].startswith("companies.yaml: is not UTF-8 (byte ")


def test_layout_columns_are_fields_of_the_records() -> None:
    for layout in LAYOUTS:
        fields = {info.alias or name for name, info in layout.record.model_fields.items()}
        assert set(layout.fields) == fields, layout.filename
