"""Write the registry as a bundle, byte for byte the same for the same registry.

Records are sorted by key, CSV columns and YAML keys follow :mod:`.layout`, numbers are
written in their shortest exact form, lines end in LF. Load → export → load → export
therefore gives identical files.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from cellwatch.bundles.layout import LAYOUTS, LIST_SEPARATOR, FileLayout
from cellwatch.domain.records import Record
from cellwatch.domain.registry import RegistryData
from cellwatch.folders import make_folder


def write_bundle(data: RegistryData, path: Path) -> dict[str, int]:
    """Write every file of the bundle into ``path`` (created if needed); return counts.

    A ``path`` that is a file, or a folder that cannot be made or written to, is an
    :class:`InputError` before anything is written."""
    make_folder(path)
    ordered = data.sorted()
    counts: dict[str, int] = {}
    for layout in LAYOUTS:
        records = ordered.of_kind(layout.kind)
        text = _csv_text(records, layout) if layout.is_csv else _yaml_text(records, layout)
        _write_atomically(path / layout.filename, text)
        counts[layout.filename] = len(records)
    return counts


def _write_atomically(file: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temporary, file)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(_cell(item) for item in value)
    return str(value)


def _csv_text(records: tuple[Record, ...], layout: FileLayout) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(layout.fields)
    for record in records:
        values = record.canonical()
        writer.writerow([_cell(values.get(name)) for name in layout.fields])
    return buffer.getvalue()


def _yaml_text(records: tuple[Record, ...], layout: FileLayout) -> str:
    if not records:
        return "[]\n"
    documents = []
    for record in records:
        values = record.canonical()
        documents.append({name: values[name] for name in layout.fields if name in values})
    text: str = yaml.safe_dump(
        documents, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )
    return text
