"""Checks that span records: every reference must point at something that exists.

A reference may point into the same bundle or into the registry already stored, so a
bundle can add one batch to a model loaded last year.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from cellwatch.bundles.layout import BY_KIND
from cellwatch.domain.certificates import Certificate, StatusChange
from cellwatch.domain.companies import Company
from cellwatch.domain.incidents import Incident
from cellwatch.domain.names import model_key
from cellwatch.domain.products import Batch, CellLot, ProductKind, ProductModel
from cellwatch.domain.recalls import Recall
from cellwatch.domain.records import Record
from cellwatch.domain.registry import ReferenceKeys, RegistryData
from cellwatch.errors import BundleIssue

_Known = ReferenceKeys


def check_references(
    bundle: RegistryData, stored: RegistryData | ReferenceKeys | None = None
) -> list[BundleIssue]:
    """Every broken reference in ``bundle``, resolved against itself and ``stored``."""
    known = ReferenceKeys()
    if isinstance(stored, RegistryData):
        known.add(stored)
    elif stored is not None:
        known = stored
    known.add(bundle)
    issues: list[BundleIssue] = []
    for kind, records in bundle.items():
        filename = BY_KIND[kind].filename
        for index, record in enumerate(records, start=1):
            where = f"record {index} ({record.key_text()})"
            for field_name, message in _problems(kind, record, known):
                issues.append(BundleIssue(filename, where, field_name, message))
    return issues


def _missing(what: str, value: str) -> str:
    return f"no {what} {value!r} in the bundle or the registry"


def _problems(kind: str, record: Record, known: _Known) -> Iterable[tuple[str, str]]:
    for source in getattr(record, "sources", ()):
        if source not in known.sources:
            yield "sources", _missing("source", source)
    yield from _CHECKS.get(kind, _no_checks)(record, known)


def _no_checks(record: Record, known: _Known) -> Iterable[tuple[str, str]]:
    return ()


def _company(known: _Known, name: str, value: str | None) -> Iterable[tuple[str, str]]:
    if value is not None and value not in known.companies:
        yield name, _missing("company", value)


def _product(
    known: _Known, brand: str, model: str, name: str = "model"
) -> Iterable[tuple[str, str]]:
    if brand in known.companies and (brand, model_key(model)) not in known.products:
        yield name, _missing("product", f"{brand}/{model}")


def _companies(record: Company, known: _Known) -> Iterable[tuple[str, str]]:
    for i, link in enumerate(record.links):
        if link.to == record.id:
            yield f"links[{i}].to", "a company cannot link to itself"
        yield from _company(known, f"links[{i}].to", link.to)


def _products(record: ProductModel, known: _Known) -> Iterable[tuple[str, str]]:
    yield from _company(known, "brand", record.brand)
    for number in record.certificates:
        if number not in known.certificates:
            yield "certificates", _missing("certificate", number)


def _cell_lots(record: CellLot, known: _Known) -> Iterable[tuple[str, str]]:
    yield from _company(known, "cell_maker", record.cell_maker)
    yield from _company(known, "factory", record.factory)


def _batches(record: Batch, known: _Known) -> Iterable[tuple[str, str]]:
    brand, model = record.brand, record.model
    yield from _company(known, "brand", brand)
    yield from _product(known, brand, model)
    yield from _company(known, "cell_maker", record.cell_maker)
    lot = record.cell_lot
    if lot is not None:
        if lot not in known.cell_lots:
            yield "cell_lot", _missing("cell lot", lot)
        elif record.cell_maker not in (None, known.cell_lots[lot]):
            yield "cell_maker", f"the cell lot {lot!r} is made by {known.cell_lots[lot]!r}"


def _certificates(record: Certificate, known: _Known) -> Iterable[tuple[str, str]]:
    holder = record.holder
    yield from _company(known, "holder", holder)
    yield from _company(known, "factory", record.factory)
    if record.product_kind is ProductKind.POWER_BANK:
        for model in record.models:
            yield from _product(known, holder, model, "models")


def _certificate_status(record: StatusChange, known: _Known) -> Iterable[tuple[str, str]]:
    number = record.number
    if number not in known.certificates:
        yield "number", _missing("certificate", number)


def _recalls(record: Recall, known: _Known) -> Iterable[tuple[str, str]]:
    issuer = record.issuer
    yield from _company(known, "issuer", issuer)
    for i, entry in enumerate(record.scope):
        brand = entry.brand or issuer
        yield from _company(known, f"scope[{i}].brand", entry.brand)
        yield from _product(known, brand, entry.model, f"scope[{i}].model")
    for i, revision in enumerate(record.revisions):
        for source in revision.sources:
            if source not in known.sources:
                yield f"revisions[{i}].sources", _missing("source", source)


def _incidents(record: Incident, known: _Known) -> Iterable[tuple[str, str]]:
    yield from _company(known, "brand", record.brand)


_CHECKS: dict[str, Callable[[Any, _Known], Iterable[tuple[str, str]]]] = dict(
    {
        "companies": _companies,
        "products": _products,
        "cell_lots": _cell_lots,
        "batches": _batches,
        "certificates": _certificates,
        "certificate_status": _certificate_status,
        "recalls": _recalls,
        "incidents": _incidents,
    }
)
