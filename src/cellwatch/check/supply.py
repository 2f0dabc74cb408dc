"""Step 5: what the supply chain says about the unit.

``cell_supplier_certificate_invalid``: the cell maker of this unit's batch (of any batch of
the model when the batch is unknown), under its current or any former name, holds a cell
certificate that is suspended or revoked at the date.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from cellwatch.domain.certificates import CertificateStatus
from cellwatch.domain.names import model_key
from cellwatch.domain.products import Batch, ProductKind, ProductModel
from cellwatch.domain.registry import Registry

INVALID = (CertificateStatus.SUSPENDED, CertificateStatus.REVOKED)


@dataclass(frozen=True)
class SupplierFinding:
    cell_maker: str  # current company id
    certificates: tuple[tuple[str, CertificateStatus], ...]
    batches: tuple[str, ...]  # the batches that used its cells
    this_batch: bool  # found through the unit's own batch


def _batches_by_model(registry: Registry) -> dict[tuple[str, str], tuple[Batch, ...]]:
    index: dict[tuple[str, str], list[Batch]] = defaultdict(list)
    for batch in registry.data.batches:
        index[(registry.current_id(batch.brand), model_key(batch.model))].append(batch)
    return {key: tuple(found) for key, found in index.items()}


def batches_of(registry: Registry, product: ProductModel) -> tuple[Batch, ...]:
    key = (registry.current_id(product.brand), model_key(product.model))
    return registry.derived(_batches_by_model).get(key, ())


def _cell_maker(registry: Registry, batch: Batch) -> str | None:
    if batch.cell_maker is not None:
        return registry.current_id(batch.cell_maker)
    if batch.cell_lot is not None:
        lot = registry.cell_lots.get(batch.cell_lot)
        return registry.current_id(lot.cell_maker) if lot else None
    return None


def supplier_findings(
    registry: Registry, product: ProductModel | None, batch: str | None, date: dt.date
) -> list[SupplierFinding]:
    if product is None:
        return []
    batches = batches_of(registry, product)
    own = [b for b in batches if batch is not None and model_key(b.batch) == model_key(batch)]
    chosen = own or batches
    makers: dict[str, list[str]] = defaultdict(list)
    for found in chosen:
        maker = _cell_maker(registry, found)
        if maker is not None:
            makers[maker].append(found.batch)
    findings = []
    for maker, used_by in sorted(makers.items()):
        invalid = tuple(
            (certificate.number, status)
            for certificate in registry.certificates_of(maker)
            if certificate.product_kind is ProductKind.CELL
            and (status := registry.certificate_status(certificate.number, date)) in INVALID
        )
        if invalid:
            findings.append(SupplierFinding(maker, invalid, tuple(used_by), bool(own)))
    return findings
