"""The shape of a bundle: one file per record kind, its columns or keys, in order.

This is the single description the reader, the writer and the docs share. Columns only
grow: a new optional column never changes the meaning of an old bundle.
"""

from __future__ import annotations

from dataclasses import dataclass

from cellwatch.domain.certificates import Certificate, StatusChange
from cellwatch.domain.companies import Company
from cellwatch.domain.incidents import Incident
from cellwatch.domain.products import Batch, CellLot, ProductModel
from cellwatch.domain.recalls import Recall
from cellwatch.domain.records import Record
from cellwatch.domain.sources import Source


@dataclass(frozen=True)
class FileLayout:
    kind: str  # the RegistryData field
    filename: str
    record: type[Record]
    fields: tuple[str, ...]  # CSV columns, or YAML keys in the order they are written
    list_fields: frozenset[str] = frozenset()  # CSV cells holding ';'-separated lists
    bool_fields: frozenset[str] = frozenset()

    @property
    def is_csv(self) -> bool:
        return self.filename.endswith(".csv")


LIST_SEPARATOR = ";"

LAYOUTS: tuple[FileLayout, ...] = (
    FileLayout(
        "sources", "sources.yaml", Source,
        ("id", "title", "publisher", "url", "published", "language"),
    ),
    FileLayout(
        "companies", "companies.yaml", Company,
        ("id", "name", "names", "aliases", "roles", "country", "identifiers", "links",
         "note", "sources"),
    ),
    FileLayout(
        "products", "products.csv", ProductModel,
        ("brand", "model", "names", "kind", "capacity_mah", "voltage_v", "energy_wh",
         "output_w", "certificates", "sources"),
        list_fields=frozenset({"names", "certificates", "sources"}),
    ),
    FileLayout(
        "cell_lots", "cell_lots.csv", CellLot,
        ("lot", "cell_maker", "factory", "cell_model", "produced_from", "produced_to",
         "note", "sources"),
        list_fields=frozenset({"sources"}),
    ),
    FileLayout(
        "batches", "batches.csv", Batch,
        ("brand", "model", "batch", "produced_from", "produced_to", "serial_from",
         "serial_to", "units", "cell_maker", "cell_lot", "note", "sources"),
        list_fields=frozenset({"sources"}),
    ),
    FileLayout(
        "certificates", "certificates.csv", Certificate,
        ("number", "scheme", "holder", "factory", "product_kind", "models", "standards",
         "issued", "expires", "number_published", "note", "sources"),
        list_fields=frozenset({"models", "standards", "sources"}),
        bool_fields=frozenset({"number_published"}),
    ),
    FileLayout(
        "certificate_status", "certificate_status.csv", StatusChange,
        ("number", "status", "date", "reason", "reason_zh", "sources"),
        list_fields=frozenset({"sources"}),
    ),
    FileLayout(
        "recalls", "recalls.yaml", Recall,
        ("id", "kind", "issuer", "authority", "market", "announced", "title", "hazard",
         "cause", "remedies", "claim", "units", "units_approximate", "incidents",
         "injuries", "sold", "contacts", "revisions", "scope", "note", "sources"),
    ),
    FileLayout(
        "incidents", "incidents.csv", Incident,
        ("id", "date", "mode", "place", "flight", "brand", "model", "serial", "batch",
         "severity", "injuries", "damage", "description", "sources"),
        list_fields=frozenset({"sources"}),
    ),
)

BY_KIND = {layout.kind: layout for layout in LAYOUTS}
BY_FILENAME = {layout.filename: layout for layout in LAYOUTS}
