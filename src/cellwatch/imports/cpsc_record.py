"""One CPSC recall object (the recalls API's JSON) → the fields of a cellwatch recall.

:class:`CpscRecall` reads the API's shape (unknown keys ignored, ``null`` lists empty);
:func:`recall_fields` maps it, with :mod:`cellwatch.imports.cpsc_text` reading the prose
and :mod:`cellwatch.imports.cpsc_scope` the serial and batch rules:

=========================================  ===========================================
CPSC                                       cellwatch recall
=========================================  ===========================================
RecallNumber                               id ``us-cpsc-<number>``
RecallDate                                 announced
Title / Hazards / Remedies                 title / hazard / claim (English)
RemedyOptions (and Remedies)               remedies (refund, replacement, …)
Products[].NumberOfUnits                   units, units_approximate
Injuries[].Name                            incidents, injuries
Products[].Model, "model number(s) …"      scope models (else the product name)
Description: serial / batch sentences      scope constraints, marked for confirmation
Retailers / Description "from … through"   sold
ConsumerContact                            contacts
Description, firms, retailers              note
=========================================  ===========================================
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from cellwatch.domain.names import model_key
from cellwatch.imports import cpsc_scope, cpsc_text

AUTHORITY = "CPSC"
PUBLISHER = "U.S. Consumer Product Safety Commission"
NAME_FOR_MODEL = (
    "the CPSC notice gives no model number; the product name stands for the model / "
    "CPSC公告未给出型号，以产品名称代替型号"
)


class _In(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _nulls(cls, value: Any, info: Any) -> Any:
        if value is None and cls.model_fields[info.field_name].default == []:
            return []
        return value


class Named(_In):
    Name: str | None = None


class Product(_In):
    Name: str | None = None
    Description: str | None = None
    Model: str | None = None
    Type: str | None = None
    CategoryID: str | None = None
    NumberOfUnits: str | None = None


class Hazard(_In):
    Name: str | None = None
    HazardType: str | None = None


class Option(_In):
    Option: str | None = None


class Country(_In):
    Country: str | None = None


class CpscRecall(_In):
    """A recall as the CPSC recalls API returns it (only the fields cellwatch reads)."""

    RecallID: int | None = None
    RecallNumber: str
    RecallDate: dt.datetime
    Title: str
    Description: str | None = None
    URL: str
    ConsumerContact: str | None = None
    LastPublishDate: dt.datetime | None = None
    Products: list[Product] = []
    Injuries: list[Named] = []
    Manufacturers: list[Named] = []
    Retailers: list[Named] = []
    Importers: list[Named] = []
    Distributors: list[Named] = []
    ManufacturerCountries: list[Country] = []
    Hazards: list[Hazard] = []
    Remedies: list[Named] = []
    RemedyOptions: list[Option] = []

    @field_validator("RecallNumber", mode="before")
    @classmethod
    def _number(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value

    @property
    def recall_id(self) -> str:
        return f"us-cpsc-{slug(self.RecallNumber)}"

    @property
    def source_id(self) -> str:
        return f"cpsc-{slug(self.RecallNumber)}"

    @property
    def published(self) -> dt.date:
        """The notice version: LastPublishDate, else RecallDate."""
        return (self.LastPublishDate or self.RecallDate).date()

    def texts(self) -> list[str]:
        return [self.Title, *(t for p in self.Products for t in (p.Name, p.Type) if t)]

    def power_bank_products(self) -> list[Product]:
        """The products that are power banks; all of them when only the title says so."""
        if not cpsc_text.is_power_bank(*self.texts()):
            return []
        named = [p for p in self.Products
                 if cpsc_text.is_power_bank(p.Name or "", p.Type or "", p.Description or "")]
        return named or list(self.Products)

    def firms(self) -> list[tuple[str, cpsc_text.Firm]]:
        """(role, firm) for manufacturers, importers and distributors, in that order."""
        return [
            (role, cpsc_text.parse_firm(firm.Name))
            for role, firms in (("manufacturer", self.Manufacturers),
                                ("importer", self.Importers),
                                ("distributor", self.Distributors))
            for firm in firms if firm.Name
        ]


def slug(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.lower())) or "x"


def _join(items: list[Named] | list[Hazard]) -> str:
    return " ".join(item.Name for item in items if item.Name)


def scope_models(record: CpscRecall, products: list[Product]) -> list[tuple[str, Product | None]]:
    """(model, the product it came from) — from Model fields, then prose, then names."""
    found: dict[str, tuple[str, Product | None]] = {}
    for product in products:
        codes = cpsc_text.parse_models(product.Model) or cpsc_text.models_in_text(
            product.Description or "")
        for code in codes:
            found.setdefault(model_key(code), (code, product))
    if not found:
        for code in cpsc_text.models_in_text(record.Description or ""):
            found.setdefault(model_key(code), (code, products[0] if len(products) == 1 else None))
    return list(found.values())


def _entries(record: CpscRecall, products: list[Product]) -> list[dict[str, Any]]:
    models = scope_models(record, products)
    if not models:
        return [{"model": p.Name, "note": NAME_FOR_MODEL} for p in products if p.Name][:10]
    per_product: dict[int, int] = {}
    for _, product in models:
        if product is not None:
            per_product[id(product)] = per_product.get(id(product), 0) + 1
    reading = cpsc_scope.read_rules(record.Description or "", tuple(m for m, _ in models))
    entries = []
    for model, product in models:
        entry: dict[str, Any] = {"model": model}
        if product is not None and per_product[id(product)] == 1:
            units, _ = cpsc_text.parse_units(product.NumberOfUnits)
            if units is not None:
                entry["units"] = units
        rules = [r for r in reading.rules if not r.models or model in r.models]
        if rules:
            entry["serial_patterns"] = list(dict.fromkeys(p for r in rules for p in r.patterns))
            entry["serial_ranges"] = [{"from": a, "to": b} for r in rules for a, b in r.ranges]
            entry["batches"] = list(dict.fromkeys(b for r in rules for b in r.batches))
            entry["note"] = cpsc_scope.confirm_note(
                [r.sentence for r in rules] + list(reading.caveats))
        elif reading.unread:
            entry["note"] = cpsc_scope.model_wide_note(list(reading.unread))
        entries.append({k: v for k, v in entry.items() if v not in ([], None)})
    return entries


def recall_fields(record: CpscRecall, issuer: str, products: list[Product]) -> dict[str, Any]:
    """The recall's fields (without revisions and sources) for ``model_validate``."""
    counts = [cpsc_text.parse_units(p.NumberOfUnits) for p in products]
    known = [units for units, _ in counts if units is not None]
    injuries_text = _join(record.Injuries)
    sold = None
    for text in [*(r.Name or "" for r in record.Retailers), record.Description or ""]:
        sold = sold or cpsc_text.parse_sold(text)
    options = [o.Option for o in record.RemedyOptions if o.Option]
    values: dict[str, Any] = {
        "id": record.recall_id, "issuer": issuer, "authority": AUTHORITY, "market": "US",
        "announced": record.RecallDate.date(), "title": {"en": record.Title},
        "hazard": {"en": _join(record.Hazards)} if _join(record.Hazards) else None,
        "remedies": cpsc_text.parse_remedies(options or [_join(record.Remedies)]),
        "claim": {"en": _join(record.Remedies)} if _join(record.Remedies) else None,
        "units": sum(known) if known else None,
        "units_approximate": bool(known) and (
            any(approx for _, approx in counts) or len(known) < len(counts)),
        "incidents": cpsc_text.parse_incidents(injuries_text),
        "injuries": cpsc_text.parse_injuries(injuries_text),
        "sold": [{"from": sold[0], "to": sold[1]}] if sold else [],
        "contacts": [record.ConsumerContact] if record.ConsumerContact else [],
        "scope": _entries(record, products),
        "note": _note(record),
    }
    return {k: v for k, v in values.items() if v is not None}


def _note(record: CpscRecall) -> str:
    parts = [f"CPSC recall {record.RecallNumber}"
             + (f" (RecallID {record.RecallID})." if record.RecallID else ".")]
    if record.Description:
        parts.append(f"Description: {record.Description}")
    for role, firms in (("Manufactured by", record.Manufacturers),
                        ("Imported by", record.Importers),
                        ("Distributed by", record.Distributors),
                        ("Sold at", record.Retailers)):
        if _join(firms):
            parts.append(f"{role}: {'; '.join(f.Name for f in firms if f.Name)}.")
    if _join(record.Injuries):
        parts.append(f"Incidents: {_join(record.Injuries)}")
    return " ".join(parts)
