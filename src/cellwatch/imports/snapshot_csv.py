"""Read a certificate list as a certification body's lookup exports it (CSV).

Headers may be in English or Chinese (:data:`COLUMNS`); columns cellwatch does not use are
ignored and reported. The file may be UTF-8 (with or without BOM) or GB18030 (which
includes GBK and GB2312), detected by trying UTF-8 first. Dates may be written
``2025-06-10``, ``2025/6/10``, ``2025.06.10``, ``2025年6月10日``, or with a time after
them; status words are Chinese (有效 正常 暂停 撤销 注销 过期) or English.

Every row is read; every problem is reported with its line number.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from cellwatch.domain.certificates import CCC_CATEGORIES, CertificateStatus, parse_status
from cellwatch.domain.dates import PartialDate
from cellwatch.domain.products import ProductKind
from cellwatch.errors import BundleIssue

MAX_BYTES = 256 * 1024**2

#: Accepted header names per field (compared after folding case, width, ``_`` and ``-``).
COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("证书编号", "证书号", "number", "certificate", "certificate number",
               "certificate no"),
    "holder": ("持证人", "持证人名称", "证书持有人", "委托人", "委托人名称", "holder",
               "certificate holder", "applicant"),
    "factory": ("生产企业", "生产企业名称", "生产厂", "factory"),
    "product": ("产品名称", "产品", "product", "product name"),
    "models": ("型号", "产品型号", "型号规格", "规格型号", "models", "model"),
    "status": ("证书状态", "状态", "status"),
    "status_date": ("状态日期", "状态变更日期", "状态时间", "status date", "date"),
    "issued": ("发证日期", "颁证日期", "issued", "issue date"),
    "expires": ("有效期至", "证书有效期至", "有效截止日期", "expires", "expiry date",
                "valid until"),
    "scheme": ("认证类型", "scheme"),
}
REQUIRED = ("number", "holder", "status", "status_date")
_MODEL_SEPARATORS = re.compile(r"[;；,，、\n]+")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?)?(?:[ T].*)?$")
_POWER_BANK_WORDS = ("移动电源", "充电宝", "power bank", "portable charger")
_CELL_WORDS = ("电芯", "电池", "cell", "battery")


def _fold(header: str) -> str:
    text = unicodedata.normalize("NFKC", header).strip().casefold()
    return " ".join(text.replace("_", " ").replace("-", " ").split())


_BY_HEADER = {_fold(name): field for field, names in COLUMNS.items() for name in names}


@dataclass(frozen=True)
class SnapshotRow:
    """One certificate as the snapshot lists it."""

    line: int
    number: str
    holder: str
    status: CertificateStatus
    status_date: PartialDate
    product_kind: ProductKind
    scheme: str = "CCC"
    factory: str | None = None
    product: str | None = None
    models: tuple[str, ...] = ()
    issued: PartialDate | None = None
    expires: PartialDate | None = None


@dataclass(frozen=True)
class SnapshotFile:
    name: str
    encoding: str
    rows: tuple[SnapshotRow, ...]
    issues: tuple[BundleIssue, ...]
    ignored_columns: tuple[str, ...] = ()


def decode(raw: bytes) -> tuple[str, str]:
    """The text and its encoding: UTF-8 (BOM or not) if it decodes, else GB18030."""
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="strict"), "gb18030"


def parse_date(text: str) -> PartialDate:
    match = _DATE.match(unicodedata.normalize("NFKC", text).strip())
    if not match:
        raise ValueError(f"{text!r} is not a date (e.g. 2025-06-10 or 2025年6月10日)")
    year, month, day = match.groups()
    return PartialDate(int(year), int(month), int(day) if day else None)


def product_kind(number: str, product: str | None) -> ProductKind:
    """From the CCC category in the number (0914, 0915), else from the product name."""
    if re.fullmatch(r"\d{16}", number) and number[6:10] in CCC_CATEGORIES:
        return CCC_CATEGORIES[number[6:10]]
    words = (product or "").casefold()
    if any(word in words for word in _POWER_BANK_WORDS):
        return ProductKind.POWER_BANK
    if any(word in words for word in _CELL_WORDS):
        return ProductKind.CELL
    raise ValueError("cannot tell a power bank from cells: the number has no CCC category "
                     "0914/0915 and the product name says neither 移动电源 nor 电芯/电池")


def read_snapshot(path: Path) -> SnapshotFile:
    """Read every row of the snapshot at ``path``; problems come back, never raised."""
    name = path.name
    if not path.is_file():
        return SnapshotFile(name, "", (), (BundleIssue(name, "", "", "is not a file"),))
    if path.stat().st_size > MAX_BYTES:
        return SnapshotFile(name, "", (), (BundleIssue(name, "", "", "is larger than 256 MiB"),))
    text, encoding = decode(path.read_bytes())
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return SnapshotFile(name, encoding, (), (BundleIssue(name, "", "", "is empty"),))
    except csv.Error as error:
        return SnapshotFile(name, encoding, (), (BundleIssue(name, "line 1", "", str(error)),))
    fields = [_BY_HEADER.get(_fold(h)) for h in header]
    ignored = tuple(h.strip() for h, f in zip(header, fields, strict=True) if f is None)
    issues = _header_issues(name, fields)
    if issues:
        return SnapshotFile(name, encoding, (), tuple(issues), ignored)
    rows: list[SnapshotRow] = []
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            issues.append(BundleIssue(name, f"line {line}", "", f"malformed CSV: {error}"))
            break
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            issues.append(BundleIssue(name, f"line {line}", "",
                                      f"has {len(cells)} cells, the header has {len(header)}"))
            continue
        values = {f: c.strip() for f, c in zip(fields, cells, strict=True) if f and c.strip()}
        row, problems = _row(line, values)
        issues.extend(BundleIssue(name, f"line {line}", f, m) for f, m in problems)
        if row is not None:
            rows.append(row)
    return SnapshotFile(name, encoding, tuple(rows), tuple(issues), ignored)


def _header_issues(name: str, fields: list[str | None]) -> list[BundleIssue]:
    issues = []
    missing = [f for f in REQUIRED if f not in fields]
    if missing:
        accepted = "; ".join(f"{f}: {' / '.join(COLUMNS[f])}" for f in missing)
        issues.append(BundleIssue(name, "line 1", "", f"missing column(s) — {accepted}"))
    twice = sorted({f for f in fields if f and fields.count(f) > 1})
    if twice:
        issues.append(BundleIssue(name, "line 1", "", f"column(s) given twice: {', '.join(twice)}"))
    return issues


def _date_field(
    values: dict[str, str], field: str, problems: list[tuple[str, str]]
) -> PartialDate | None:
    if field not in values:
        return None
    try:
        return parse_date(values[field])
    except ValueError as error:
        problems.append((field, str(error)))
        return None


def _scheme(text: str | None) -> str:
    if text is None or "CCC" in text.upper() or "强制" in text:
        return "CCC"
    return text


def _row(line: int, values: dict[str, str]) -> tuple[SnapshotRow | None, list[tuple[str, str]]]:
    problems: list[tuple[str, str]] = [(f, "is empty") for f in REQUIRED if f not in values]
    status_date = _date_field(values, "status_date", problems)
    issued = _date_field(values, "issued", problems)
    expires = _date_field(values, "expires", problems)
    status: CertificateStatus | None = None
    if "status" in values:
        try:
            status = parse_status(values["status"])
        except ValueError:
            problems.append(("status", f"{values['status']!r} is not a status: 有效 正常 暂停 "
                             "撤销 注销 过期, or valid suspended revoked cancelled expired"))
    number = re.sub(r"\s+", "", values.get("number", ""))
    models = tuple(m.strip() for m in _MODEL_SEPARATORS.split(values.get("models", "")))
    models = tuple(m for m in models if m)
    kind: ProductKind | None = None
    try:
        kind = product_kind(number, values.get("product"))
    except ValueError as error:
        problems.append(("product", str(error)))
    if problems or status is None or status_date is None or kind is None:
        return None, problems
    return SnapshotRow(
        line=line, number=number, holder=values["holder"], status=status,
        status_date=status_date, product_kind=kind, scheme=_scheme(values.get("scheme")),
        factory=values.get("factory"), product=values.get("product"), models=models,
        issued=issued, expires=expires,
    ), []
