"""Tiny factories for registry records: minimal valid fields, any of them overridable.

>>> batch(batch="B2", units=10).units
10

Every record cites the source ``src`` (see :func:`source`) and the brand ``acme``
(see :func:`company`), so that a registry built from the defaults is consistent.
"""

from __future__ import annotations

from typing import Any

from cellwatch.domain.certificates import Certificate, StatusChange
from cellwatch.domain.companies import Company
from cellwatch.domain.incidents import Incident
from cellwatch.domain.products import Batch, CellLot, ProductModel
from cellwatch.domain.recalls import Recall
from cellwatch.domain.registry import RegistryData
from cellwatch.domain.sources import Source

SOURCE = "src"
BRAND = "acme"
CELL_MAKER = "cellco"
MODEL = "PB-100"
CERTIFICATE = "2024010914000001"


def source(**fields: Any) -> Source:
    values: dict[str, Any] = {"id": SOURCE, "title": "A notice", "url": "https://example.org/n"}
    return Source.model_validate(values | fields)


def company(**fields: Any) -> Company:
    values: dict[str, Any] = {"id": BRAND, "name": "Acme", "sources": [SOURCE]}
    return Company.model_validate(values | fields)


def product(**fields: Any) -> ProductModel:
    values: dict[str, Any] = {
        "brand": BRAND,
        "model": MODEL,
        "kind": "power_bank",
        "sources": [SOURCE],
    }
    return ProductModel.model_validate(values | fields)


def cell_lot(**fields: Any) -> CellLot:
    values: dict[str, Any] = {"lot": "LOT-1", "cell_maker": CELL_MAKER, "sources": [SOURCE]}
    return CellLot.model_validate(values | fields)


def batch(**fields: Any) -> Batch:
    values: dict[str, Any] = {"brand": BRAND, "model": MODEL, "batch": "B1", "sources": [SOURCE]}
    return Batch.model_validate(values | fields)


def certificate(**fields: Any) -> Certificate:
    values: dict[str, Any] = {
        "number": CERTIFICATE,
        "scheme": "CCC",
        "holder": BRAND,
        "product_kind": "power_bank",
        "sources": [SOURCE],
    }
    return Certificate.model_validate(values | fields)


def status_change(**fields: Any) -> StatusChange:
    values: dict[str, Any] = {
        "number": CERTIFICATE,
        "status": "suspended",
        "date": "2025-06-20",
        "sources": [SOURCE],
    }
    return StatusChange.model_validate(values | fields)


def recall(**fields: Any) -> Recall:
    values: dict[str, Any] = {
        "id": "acme-2025",
        "issuer": BRAND,
        "authority": "SAMR",
        "market": "CN",
        "announced": "2025-06-16",
        "scope": [{"model": MODEL}],
        "sources": [SOURCE],
    }
    return Recall.model_validate(values | fields)


def incident(**fields: Any) -> Incident:
    values: dict[str, Any] = {
        "id": "fire-1",
        "date": "2025-03",
        "mode": "air",
        "sources": [SOURCE],
    }
    return Incident.model_validate(values | fields)


def full_registry() -> RegistryData:
    """A small registry with every kind of record and every optional field filled."""
    sources = (
        source(publisher="SAMR", published="2025-06", language="zh"),
        source(id="src-2", title="另一则通告", url="https://example.org/2", published=2024),
    )
    companies = (
        company(
            names={"zh": "爱克米", "ja": "アクメ"},
            aliases=["ACME Power", "Acme Tech"],
            roles=["brand", "pack_maker"],
            country="cn",
            identifiers={"uscc": "91440300MA5XXXXXX1"},
            links=[
                {"type": "contract_manufacturer_for", "to": "bigbrand", "since": "2021-03"},
                {"type": "subsidiary_of", "to": "bigbrand", "note": "majority owned"},
            ],
            note="Reported as Acme Tech",
            sources=[SOURCE, "src-2"],
        ),
        company(id=CELL_MAKER, name="Cell Co", roles=["cell_maker", "cell_factory"]),
        company(
            id="bigbrand",
            name="Big Brand",
            links=[{"type": "renamed_to", "to": BRAND, "since": "2023-01-05", "note": "x"}],
        ),
    )
    products = (
        product(
            names=["PowerMax 10000", "PM10K"],
            capacity_mah=10000,
            voltage_v=3.85,
            energy_wh=38.5,
            output_w=22.5,
            certificates=[CERTIFICATE],
            sources=[SOURCE, "src-2"],
        ),
        product(model="pb 200", kind="cell", capacity_mah=5000, voltage_v=3.7, energy_wh=18),
    )
    cell_lots = (
        cell_lot(
            factory=CELL_MAKER,
            cell_model="126280",
            produced_from="2023-08",
            produced_to="2024-01-15",
            note="identified by teardown",
        ),
    )
    batches = (
        batch(
            produced_from="2024",
            produced_to="2024-06",
            serial_from="AB-0001",
            serial_to="AB-0999",
            units=5000,
            cell_maker=CELL_MAKER,
            cell_lot="LOT-1",
            note="first run",
        ),
        batch(batch="b-2", model="pb-100"),
    )
    certificates = (
        certificate(
            factory=CELL_MAKER,
            models=[MODEL],
            standards=["GB 4943.1-2022", "GB 31241-2022"],
            issued="2024-01-10",
            expires="2029-01-09",
            note="first certificate",
        ),
        certificate(
            number="ACME-CELLS-1",
            product_kind="cell",
            number_published=False,
            note="stands for the cell certificates reported suspended",
        ),
    )
    statuses = (
        status_change(reason="failed a spot check", reason_zh="抽查不合格"),
        status_change(status="revoked", date="2025-07"),
    )
    recalls = (
        recall(
            kind="warning",
            title={"en": "Acme recalls power banks", "zh": "爱克米召回移动电源"},
            hazard={"en": "Cells may overheat"},
            cause={"en": "Cell separator", "zh": "隔膜"},
            remedies=["replacement", "refund"],
            claim={"en": "Call the hotline"},
            units=42000,
            units_approximate=True,
            incidents=3,
            injuries=1,
            sold=[{"from": "2024-01", "to": "2024-12-31"}, {"to": "2025"}],
            contacts=["https://acme.example/recall", "+86 400 000 0000"],
            revisions=[
                {
                    "date": "2025-07-01",
                    "summary": {"en": "Widened", "zh": "扩大"},
                    "units": 50000,
                    "sources": ["src-2"],
                },
            ],
            scope=[
                {
                    "model": MODEL,
                    "brand": BRAND,
                    "batches": ["B1", "b-2"],
                    "produced": [{"from": "2024-01", "to": "2024-06-30"}],
                    "serials": ["AB0005"],
                    "serial_ranges": [{"from": "AB0100", "to": "AB0200"}],
                    "serial_patterns": ["AB*[0-9D]", "57V???"],
                    "units": 40000,
                    "note": "all of it",
                },
                {"model": "PB 200"},
            ],
            note="see the revision",
        ),
    )
    incidents = (
        incident(
            place="Shanghai Hongqiao",
            flight="MU5000",
            brand=BRAND,
            model=MODEL,
            serial="AB0005",
            batch="B1",
            severity="fire",
            injuries=0,
            damage="seat burnt",
            description="Smoke from an overhead bin",
        ),
    )
    return RegistryData(
        sources=sources,
        companies=companies,
        products=products,
        cell_lots=cell_lots,
        batches=batches,
        certificates=certificates,
        certificate_status=statuses,
        recalls=recalls,
        incidents=incidents,
    )
