"""Records as table rows, and rows back as records.

A :class:`KindMap` says how one kind of record lies in its table: which columns hold its key,
which fields are partial dates (``x``, ``x_first``, ``x_last``) or bilingual texts (``x_en``,
``x_zh``), which columns are derived from the record (folded codes), and which field lives in
a child table (a company's links, a recall's scope). Every other field is a column of the
same name holding the field's canonical JSON value (a scalar, or a list or mapping in a
JSON column).

Rows are built from :meth:`Record.canonical`, the same plain values the digest is computed
over, so the record is serialised once for its row, its digest and its audit entry; and
records are rebuilt with ``model_validate``, so what comes out of the database is checked
exactly as what came in.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from pydantic.fields import FieldInfo

from cellwatch.domain.certificates import Certificate, StatusChange
from cellwatch.domain.companies import Company
from cellwatch.domain.dates import PartialDate
from cellwatch.domain.incidents import Incident
from cellwatch.domain.names import model_key
from cellwatch.domain.products import Batch, CellLot, ProductModel
from cellwatch.domain.recalls import Recall
from cellwatch.domain.records import Record
from cellwatch.domain.sources import Source
from cellwatch.store import tables
from cellwatch.store.audit import canonical_json, sha256_text


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """A record's canonical form, its canonical JSON text and its digest, computed once."""

    canonical: dict[str, Any]
    text: str
    digest: str


def fingerprint(record: Record) -> Fingerprint:
    """What :meth:`Record.digest` computes, keeping the intermediate values."""
    canonical = record.canonical()
    text = canonical_json(canonical)
    return Fingerprint(canonical, text, sha256_text(text))


@dataclass(frozen=True)
class ChildMap:
    """A list field of a record kept in a child table, one row per item with its position."""

    field: str
    table: sa.Table
    parent_column: str
    to_row: Callable[[dict[str, Any]], dict[str, Any]]
    from_row: Callable[[Mapping[Any, Any], RowReader], dict[str, Any]]

    def read_columns(self) -> list[str]:
        """The columns :attr:`from_row` reads (the folded code and day spans are not)."""
        skipped = ("model_key", "position")
        return [
            column.name
            for column in self.table.columns
            if column.name not in skipped and not column.name.endswith(("_first", "_last"))
        ]


@dataclass(frozen=True)
class KindMap:
    """How one kind of record maps to its table."""

    kind: str
    record_type: type[Record]
    table: sa.Table
    key_columns: tuple[str, ...]
    dates: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()
    #: folded codes stored for the key, computed from the record's key
    derived: Callable[[tuple[str, ...]], dict[str, Any]] | None = None
    child: ChildMap | None = None
    plain: tuple[str, ...] = field(init=False)
    defaults: dict[str, Any] = field(init=False)
    json_fields: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        special = {*self.dates, *self.texts, *([self.child.field] if self.child else [])}
        plain = tuple(name for name in self.record_type.model_fields if name not in special)
        defaults = {name: _json_default(self.record_type.model_fields[name]) for name in plain}
        json_fields = frozenset(
            name for name in plain if isinstance(self.table.c[name].type, sa.JSON)
        )
        object.__setattr__(self, "plain", plain)
        object.__setattr__(self, "defaults", defaults)
        object.__setattr__(self, "json_fields", json_fields)

    @property
    def kind_name(self) -> str:
        return self.record_type.kind_name

    def row(
        self, record: Record, fp: Fingerprint, key: tuple[str, ...] | None = None
    ) -> dict[str, Any]:
        """The table row of ``record`` (``key`` is ``record.key``, if already known)."""
        canonical = fp.canonical
        row = {name: canonical.get(name, default) for name, default in self.defaults.items()}
        for name in self.dates:
            value: PartialDate | None = getattr(record, name)
            row[name], row[f"{name}_first"], row[f"{name}_last"] = _span(value)
        for name in self.texts:
            text = canonical.get(name)
            row[f"{name}_en"] = text["en"] if text else None
            row[f"{name}_zh"] = text.get("zh") if text else None
        if self.derived is not None:
            row.update(self.derived(record.key if key is None else key))
        row["digest"] = fp.digest
        return row

    def child_rows(self, parent_key: str, fp: Fingerprint) -> list[dict[str, Any]]:
        """The child-table rows of a record (empty when it has no child table)."""
        if self.child is None:
            return []
        child = self.child
        return [
            {child.parent_column: parent_key, "position": position, **child.to_row(item)}
            for position, item in enumerate(fp.canonical.get(child.field, ()))
        ]

    def record(
        self,
        row: Mapping[Any, Any],
        children: Sequence[Mapping[Any, Any]] = (),
        reader: RowReader | None = None,
    ) -> Record:
        """Rebuild the record from its row (and its child rows, in position order).

        The row holds the columns of :meth:`read_columns`, JSON as text.
        """
        reader = reader or RowReader()
        values: dict[str, Any] = {}
        json_fields = self.json_fields
        for name in self.plain:
            value = row[name]
            if value is not None:
                values[name] = reader.json(value) if name in json_fields else value
        for name in self.dates:
            text = row[name]
            if text is not None:
                values[name] = reader.date(text)
        for name in self.texts:
            english = row[f"{name}_en"]
            if english is not None:
                chinese = row[f"{name}_zh"]
                values[name] = (
                    {"en": english} if chinese is None else {"en": english, "zh": chinese}
                )
        if self.child is not None:
            values[self.child.field] = [self.child.from_row(item, reader) for item in children]
        return self.record_type.model_validate(values)

    def read_columns(self) -> list[str]:
        """The columns :meth:`record` reads."""
        return [
            *self.plain,
            *self.dates,
            *(f"{name}_{lang}" for name in self.texts for lang in ("en", "zh")),
        ]

    def columns(self) -> list[str]:
        """Every column the mapping reads and writes, for coverage checks."""
        names = [*self.plain, "digest"]
        for name in self.dates:
            names += [name, f"{name}_first", f"{name}_last"]
        names += [f"{name}_{lang}" for name in self.texts for lang in ("en", "zh")]
        return names


class RowReader:
    """Decodes what is read as text, once per distinct value: JSON, and partial dates.

    Millions of rows repeat a few values (``["cpsc-2025"]``, ``2024-06``); a record is
    validated from them, so sharing one decoded value between rows is safe.
    """

    MAX_CACHED = 100_000
    MAX_CACHED_LENGTH = 256

    def __init__(self) -> None:
        self._json: dict[str, Any] = {}
        self._dates: dict[str, PartialDate] = {}

    def json(self, text: str) -> Any:
        value = self._json.get(text)
        if value is None:
            value = json.loads(text)
            if len(text) <= self.MAX_CACHED_LENGTH and len(self._json) < self.MAX_CACHED:
                self._json[text] = value
        return value

    def date(self, text: str) -> PartialDate:
        value = self._dates.get(text)
        if value is None:
            value = self._dates[text] = PartialDate.parse(text)
        return value


@lru_cache(maxsize=65536)
def _span(value: PartialDate | None) -> tuple[str | None, dt.date | None, dt.date | None]:
    """A partial date as stored: its text, first and last day (many records share one)."""
    if value is None:
        return None, None, None
    return value.isoformat(), value.first_day(), value.last_day()


def _json_default(info: FieldInfo) -> Any:
    """A field's default as the canonical form would hold it (the form omits defaults)."""
    if info.is_required():
        return None
    default = info.get_default(call_default_factory=True)
    if isinstance(default, Enum):
        return default.value
    if isinstance(default, tuple):
        return list(default)
    return default


# -- child tables ------------------------------------------------------------------------


def _link_row(item: dict[str, Any]) -> dict[str, Any]:
    since = item.get("since")
    text, first, last = _span(PartialDate.parse(since) if since else None)
    return {
        "type": item["type"],
        "to_id": item["to"],
        "since": text,
        "since_first": first,
        "since_last": last,
        "note": item.get("note"),
    }


def _link_value(row: Mapping[Any, Any], reader: RowReader) -> dict[str, Any]:
    value = {"type": row["type"], "to": row["to_id"], "since": row["since"], "note": row["note"]}
    return {name: item for name, item in value.items() if item is not None}


_SCOPE_LISTS = ("batches", "produced", "serials", "serial_ranges", "serial_patterns")


def _scope_row(item: dict[str, Any]) -> dict[str, Any]:
    row = {
        "brand": item.get("brand"),
        "model": item["model"],
        "model_key": model_key(item["model"]),
        "units": item.get("units"),
        "note": item.get("note"),
    }
    row.update({name: item.get(name, []) for name in _SCOPE_LISTS})
    return row


def _scope_value(row: Mapping[Any, Any], reader: RowReader) -> dict[str, Any]:
    value = {name: row[name] for name in ("brand", "model", "units", "note")}
    value.update((name, reader.json(row[name])) for name in _SCOPE_LISTS)
    return {name: item for name, item in value.items() if item is not None}


# -- the kinds ---------------------------------------------------------------------------


def _product_keys(key: tuple[str, ...]) -> dict[str, Any]:
    _, model = key  # (brand, model_key(model))
    return {"model_key": model}


def _batch_keys(key: tuple[str, ...]) -> dict[str, Any]:
    _, model, batch = key  # (brand, model_key(model), model_key(batch))
    return {"model_key": model, "batch_key": batch}


KINDS: dict[str, KindMap] = {
    kind.kind: kind
    for kind in (
        KindMap("sources", Source, tables.sources, ("id",), dates=("published",)),
        KindMap(
            "companies",
            Company,
            tables.companies,
            ("id",),
            child=ChildMap("links", tables.company_links, "company_id", _link_row, _link_value),
        ),
        KindMap(
            "products",
            ProductModel,
            tables.products,
            ("brand", "model_key"),
            derived=_product_keys,
        ),
        KindMap(
            "cell_lots",
            CellLot,
            tables.cell_lots,
            ("lot",),
            dates=("produced_from", "produced_to"),
        ),
        KindMap(
            "batches",
            Batch,
            tables.batches,
            ("brand", "model_key", "batch_key"),
            dates=("produced_from", "produced_to"),
            derived=_batch_keys,
        ),
        KindMap(
            "certificates",
            Certificate,
            tables.certificates,
            ("number",),
            dates=("issued", "expires"),
        ),
        KindMap(
            "certificate_status",
            StatusChange,
            tables.certificate_status,
            ("number", "date", "status"),
            dates=("date",),
        ),
        KindMap(
            "recalls",
            Recall,
            tables.recalls,
            ("id",),
            dates=("announced",),
            texts=("title", "hazard", "cause", "claim"),
            child=ChildMap("scope", tables.recall_scope, "recall_id", _scope_row, _scope_value),
        ),
        KindMap("incidents", Incident, tables.incidents, ("id",), dates=("date",)),
    )
}


def group_children(
    rows: Iterable[Mapping[Any, Any]], parent_column: str
) -> dict[str, list[Mapping[Any, Any]]]:
    """Child rows (in position order) by parent key."""
    grouped: dict[str, list[Mapping[Any, Any]]] = {}
    for row in rows:
        grouped.setdefault(row[parent_column], []).append(row)
    return grouped
