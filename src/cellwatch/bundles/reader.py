"""Read a bundle folder into records, collecting every error with its place.

Reading never stops at the first problem: each file, row and field is tried, and every
problem is returned as a :class:`~cellwatch.errors.BundleIssue` naming file, line (CSV)
or record (YAML), and field.
"""

from __future__ import annotations

import contextlib
import csv
import io
import logging
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from cellwatch.bundles.layout import LAYOUTS, LIST_SEPARATOR, FileLayout
from cellwatch.domain.certificates import parse_status
from cellwatch.domain.records import Record
from cellwatch.domain.registry import RegistryData
from cellwatch.errors import BundleIssue

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 2 * 1024**3  # a bundle file larger than this is refused, not read
_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}


def read_bundle(path: Path) -> tuple[RegistryData, list[BundleIssue]]:
    """Read every known file of the bundle at ``path``; return records and problems."""
    issues: list[BundleIssue] = []
    if not path.is_dir():
        issues.append(BundleIssue(str(path), "", "", "is not a folder"))
        return RegistryData(), issues
    known = {layout.filename for layout in LAYOUTS}
    for entry in sorted(path.iterdir()):
        looks_like_data = entry.suffix in (".csv", ".yaml", ".yml")
        if entry.is_file() and looks_like_data and entry.name not in known:
            issues.append(BundleIssue(
                entry.name, "", "", f"unknown file; a bundle holds {', '.join(sorted(known))}"
            ))
    records: dict[str, tuple[Record, ...]] = {}
    for layout in LAYOUTS:
        file = path / layout.filename
        if not file.exists():
            continue
        if file.stat().st_size > MAX_FILE_BYTES:
            issues.append(BundleIssue(layout.filename, "", "", "file is larger than 2 GiB"))
            continue
        found, problems = _read_file(file, layout)
        records[layout.kind] = found
        issues.extend(problems)
        log.debug("read %s: %s records, %s problems", layout.filename, len(found), len(problems))
    return RegistryData.from_kinds(records), issues


def _read_file(file: Path, layout: FileLayout) -> tuple[tuple[Record, ...], list[BundleIssue]]:
    issues: list[BundleIssue] = []
    records: list[Record] = []
    first_seen: dict[tuple[str, ...], str] = {}
    try:
        rows = list(_csv_rows(file, layout) if layout.is_csv else _yaml_rows(file))
    except _FileProblem as problem:
        return (), [BundleIssue(layout.filename, problem.location, "", str(problem))]
    for location, raw in rows:
        if isinstance(raw, _FileProblem):
            issues.append(BundleIssue(layout.filename, location, "", str(raw)))
            continue
        try:
            record = layout.record.model_validate(_prepare(raw, layout))
        except ValidationError as error:
            issues.extend(_issues(layout.filename, _describe(location, raw), error))
            continue
        where = _describe(location, raw)
        if record.key in first_seen:
            issues.append(BundleIssue(
                layout.filename, where, "",
                f"duplicate of {first_seen[record.key]} (key {record.key_text()})",
            ))
            continue
        first_seen[record.key] = where
        records.append(record)
    return tuple(records), issues


class _FileProblem(ValueError):
    def __init__(self, message: str, location: str = "") -> None:
        super().__init__(message)
        self.location = location


def _read_text(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise _FileProblem(f"is not UTF-8 (byte {error.start}): save the file as UTF-8") from None


def _csv_rows(file: Path, layout: FileLayout) -> Iterator[tuple[str, Any]]:
    reader = csv.reader(io.StringIO(_read_text(file), newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as error:
        raise _FileProblem(f"unreadable header: {error}", "line 1") from None
    header = [name.strip() for name in header]
    unknown = [name for name in header if name not in layout.fields]
    if unknown:
        raise _FileProblem(
            f"unknown column(s) {', '.join(unknown)}; columns are {','.join(layout.fields)}",
            "line 1",
        )
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise _FileProblem(f"column(s) {', '.join(duplicated)} appear twice", "line 1")
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield f"line {start}", _FileProblem(f"malformed CSV: {error}")
            return
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            yield f"line {start}", _FileProblem(
                f"has {len(cells)} cells, the header has {len(header)}"
            )
            continue
        yield f"line {start}", dict(zip(header, cells, strict=True))


def _yaml_rows(file: Path) -> Iterator[tuple[str, Any]]:
    try:
        document = yaml.safe_load(_read_text(file))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        raise _FileProblem(f"invalid YAML: {problem}", where) from None
    if document is None:
        return
    if not isinstance(document, list):
        raise _FileProblem("must be a list of records (each starting with '- ')")
    for index, item in enumerate(document, start=1):
        if not isinstance(item, dict):
            yield f"record {index}", _FileProblem("is not a mapping of keys to values")
            continue
        yield f"record {index}", item


def _prepare(raw: Mapping[str, Any], layout: FileLayout) -> dict[str, Any]:
    """Turn a CSV row (all text) into field values; YAML values pass through."""
    if not layout.is_csv:
        values = dict(raw)
    else:
        values = {}
        for name, cell in raw.items():
            text = cell.strip()
            if not text:
                continue
            if name in layout.list_fields:
                values[name] = [item.strip() for item in text.split(LIST_SEPARATOR) if item.strip()]
            elif name in layout.bool_fields:
                values[name] = _bool(text)
            else:
                values[name] = text
    if layout.kind == "certificate_status" and isinstance(values.get("status"), str):
        # an unknown word is left for the model to reject with the list of allowed values
        with contextlib.suppress(ValueError):
            values["status"] = parse_status(values["status"])
    return values


def _bool(text: str) -> bool | str:
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    return text  # rejected by the model as "not a valid boolean"


def _describe(location: str, raw: object) -> str:
    if isinstance(raw, Mapping):
        for key in ("id", "number", "lot"):
            value = raw.get(key)
            if isinstance(value, str) and value.strip():
                return f"{location} ({key}={value.strip()})"
    return location


def _issues(filename: str, where: str, error: ValidationError) -> list[BundleIssue]:
    found = []
    for detail in error.errors(include_url=False):
        field = "".join(
            f"[{part}]" if isinstance(part, int) else (f".{part}" if i else str(part))
            for i, part in enumerate(detail["loc"])
        )
        message = detail["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, "):]
        found.append(BundleIssue(filename, where, field, message))
    return found
