"""Hypothesis strategies that generate whole, consistent registries.

Every reference in a generated registry points at a generated record, so a generated
registry is a valid bundle: the property tests can load, export and compare it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from cellwatch.domain.certificates import Certificate, CertificateStatus, StatusChange
from cellwatch.domain.companies import Company, LinkType, Role
from cellwatch.domain.incidents import Incident, Mode, Severity
from cellwatch.domain.products import Batch, CellLot, ProductKind, ProductModel
from cellwatch.domain.recalls import Recall, Remedy
from cellwatch.domain.registry import RegistryData
from cellwatch.domain.sources import Source

_ALPHABET = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.,()/'\"&:#")
    + list("罗马仕安克创新小米倍思电芯召回有限公司")
)
text = st.text(_ALPHABET, min_size=1, max_size=24).map(str.strip).filter(bool)
code = st.text(st.sampled_from("ABCDEFGHJKMNPQRSTUVWXYZ0123456789-"), min_size=1, max_size=10).filter(
    lambda c: c.strip("-") != ""
)
slug = st.from_regex(r"[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,6}){0,2}", fullmatch=True)
day = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31))
partial = st.one_of(
    day.map(lambda d: d.isoformat()),
    day.map(lambda d: d.isoformat()[:7]),
    day.map(lambda d: str(d.year)),
)
bilingual = st.fixed_dictionaries({"en": text}, optional={"zh": text})
count = st.integers(min_value=0, max_value=5_000_000)


def _drop_none(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def _window(draw: st.DrawFn) -> dict[str, str]:
    start, end = sorted(draw(st.lists(day, min_size=2, max_size=2)))
    window = {"from": start.isoformat(), "to": end.isoformat()}
    if draw(st.booleans()):
        del window[draw(st.sampled_from(["from", "to"]))]
    return window


@st.composite
def registries(draw: st.DrawFn, max_size: int = 4) -> RegistryData:
    source_ids = draw(st.lists(slug, min_size=1, max_size=max_size, unique=True))
    sources = [
        Source.model_validate(_drop_none({
            "id": i, "title": draw(text), "url": f"https://example.org/{i}",
            "publisher": draw(_maybe(text)), "published": draw(_maybe(partial)),
            "language": draw(_maybe(st.sampled_from(["en", "zh"]))),
        }))
        for i in source_ids
    ]
    cites = st.lists(st.sampled_from(source_ids), min_size=1, max_size=3, unique=True)

    company_ids = draw(st.lists(slug, min_size=1, max_size=max_size, unique=True))
    companies = []
    for i in company_ids:
        others = [c for c in company_ids if c != i]
        links = draw(st.lists(st.fixed_dictionaries(
            {"type": st.sampled_from(list(LinkType)), "to": st.sampled_from(others)},
            optional={"since": partial, "note": text},
        ), max_size=2)) if others else []
        companies.append(Company.model_validate(_drop_none({
            "id": i, "name": draw(text), "names": draw(st.dictionaries(st.just("zh"), text)),
            "aliases": draw(st.lists(text, max_size=2)),
            "roles": draw(st.lists(st.sampled_from(list(Role)), max_size=2, unique=True)),
            "country": draw(_maybe(st.sampled_from(["CN", "US", "JP"]))),
            "identifiers": draw(st.dictionaries(st.just("uscc"), text, max_size=1)),
            "links": links, "note": draw(_maybe(text)), "sources": draw(cites),
        })))
    company = st.sampled_from(company_ids)

    products: dict[tuple[str, str], ProductModel] = {}
    for _ in range(draw(st.integers(1, max_size))):
        product = ProductModel.model_validate(_drop_none({
            "brand": draw(company), "model": draw(code),
            "names": draw(st.lists(text.filter(lambda t: ";" not in t), max_size=2)),
            "kind": draw(st.sampled_from(list(ProductKind))),
            "capacity_mah": draw(_maybe(st.integers(1, 100_000))),
            "voltage_v": draw(_maybe(st.sampled_from([3.6, 3.7, 3.85, 7.4]))),
            "energy_wh": draw(_maybe(st.floats(0.5, 500, allow_nan=False).map(lambda f: round(f, 2)))),
            "output_w": draw(_maybe(st.sampled_from([10.0, 22.5, 65.0]))),
            "sources": draw(cites),
        }))
        products.setdefault(product.key, product)  # type: ignore[arg-type]
    product_list = list(products.values())
    product = st.sampled_from(product_list)

    lots = {}
    for _ in range(draw(st.integers(0, max_size))):
        start, end = sorted(draw(st.lists(day, min_size=2, max_size=2)))
        lot = CellLot.model_validate(_drop_none({
            "lot": draw(code), "cell_maker": draw(company), "factory": draw(_maybe(company)),
            "cell_model": draw(_maybe(code)), "produced_from": start.isoformat(),
            "produced_to": draw(st.sampled_from([None, end.isoformat()])),
            "note": draw(_maybe(text)), "sources": draw(cites),
        }))
        lots.setdefault(lot.key, lot)

    batches = {}
    for _ in range(draw(st.integers(0, max_size * 2))):
        of = draw(product)
        lot = draw(_maybe(st.sampled_from(list(lots.values())))) if lots else None
        serial = draw(_maybe(st.integers(0, 5000)))
        batch = Batch.model_validate(_drop_none({
            "brand": of.brand, "model": of.model, "batch": draw(code),
            "produced_from": draw(_maybe(day.map(lambda d: d.isoformat()[:7]))),
            "serial_from": None if serial is None else f"SN{serial:05d}",
            "serial_to": None if serial is None else f"SN{serial + 99:05d}",
            "units": draw(_maybe(count)),
            "cell_maker": lot.cell_maker if lot else None, "cell_lot": lot.lot if lot else None,
            "note": draw(_maybe(text)), "sources": draw(cites),
        }))
        batches.setdefault(batch.key, batch)

    certificates = {}
    for index in range(draw(st.integers(0, max_size))):
        kind = draw(st.sampled_from(list(ProductKind)))
        holder = draw(company)
        published = draw(st.booleans())
        category = "0914" if kind is ProductKind.POWER_BANK else "0915"
        number = f"202401{category}{index:06d}" if published else f"unpublished-{index}"
        models = (
            [p.model for p in product_list if p.brand == holder][:2]
            if kind is ProductKind.POWER_BANK else draw(st.lists(code, max_size=2))
        )
        certificates[number] = Certificate.model_validate(_drop_none({
            "number": number, "scheme": "CCC", "holder": holder,
            "factory": draw(_maybe(company)), "product_kind": kind, "models": models,
            "standards": draw(st.lists(st.sampled_from(["GB 4943.1-2022", "GB 31241-2022"]),
                                       max_size=2, unique=True)),
            "issued": draw(_maybe(partial)), "number_published": published,
            "note": None if published else draw(text), "sources": draw(cites),
        }))
    changes = {}
    for number in certificates:
        for _ in range(draw(st.integers(0, 2))):
            change = StatusChange.model_validate(_drop_none({
                "number": number, "status": draw(st.sampled_from(list(CertificateStatus))),
                "date": draw(partial), "reason": draw(_maybe(text)),
                "reason_zh": draw(_maybe(text)), "sources": draw(cites),
            }))
            changes.setdefault(change.key, change)

    recalls = []
    for i in draw(st.lists(slug, max_size=max_size, unique=True)):
        entries = []
        for _ in range(draw(st.integers(1, 3))):
            of = draw(product)
            entries.append(_drop_none({
                "model": of.model, "brand": of.brand,
                "batches": draw(st.lists(code, max_size=3, unique=True)),
                "produced": [_window(draw) for _ in range(draw(st.integers(0, 2)))],
                "serials": draw(st.lists(code, max_size=2, unique=True)),
                "serial_ranges": [{"from": "AA00", "to": "AA99"}] if draw(st.booleans()) else [],
                "serial_patterns": draw(st.lists(st.sampled_from(["*[0-9D]", "57V???????????", "*000G21*"]),
                                                  max_size=2, unique=True)),
                "units": draw(_maybe(count)), "note": draw(_maybe(text)),
            }))
        recalls.append(Recall.model_validate(_drop_none({
            "id": i, "kind": draw(st.sampled_from(["recall", "warning"])), "issuer": draw(company),
            "authority": draw(st.sampled_from(["SAMR", "CPSC"])), "market": "CN",
            "announced": draw(partial), "title": draw(_maybe(bilingual)),
            "hazard": draw(_maybe(bilingual)), "cause": draw(_maybe(bilingual)),
            "remedies": draw(st.lists(st.sampled_from(list(Remedy)), max_size=2, unique=True)),
            "claim": draw(_maybe(bilingual)), "units": draw(_maybe(count)),
            "units_approximate": draw(st.booleans()), "incidents": draw(_maybe(count)),
            "injuries": draw(_maybe(count)), "sold": [_window(draw)] if draw(st.booleans()) else [],
            "contacts": draw(st.lists(text, max_size=2)),
            "revisions": [{"date": draw(partial), "summary": draw(bilingual),
                           "units": draw(_maybe(count)), "sources": draw(cites)}]
            if draw(st.booleans()) else [],
            "scope": entries, "note": draw(_maybe(text)), "sources": draw(cites),
        })))

    incidents = [
        Incident.model_validate(_drop_none({
            "id": i, "date": draw(partial), "mode": draw(st.sampled_from(list(Mode))),
            "place": draw(_maybe(text)), "flight": draw(_maybe(code)),
            "brand": draw(_maybe(company)), "model": draw(_maybe(code)),
            "serial": draw(_maybe(code)), "batch": draw(_maybe(code)),
            "severity": draw(_maybe(st.sampled_from(list(Severity)))),
            "injuries": draw(_maybe(st.integers(0, 20))), "damage": draw(_maybe(text)),
            "description": draw(_maybe(text)), "sources": draw(cites),
        }))
        for i in draw(st.lists(slug, max_size=max_size, unique=True))
    ]
    return RegistryData(
        sources=tuple(sources), companies=tuple(companies), products=tuple(product_list),
        cell_lots=tuple(lots.values()), batches=tuple(batches.values()),
        certificates=tuple(certificates.values()), certificate_status=tuple(changes.values()),
        recalls=tuple(recalls), incidents=tuple(incidents),
    )
