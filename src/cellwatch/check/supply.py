"""Step 5: what the supply chain says about the unit.

``cell_supplier_certificate_invalid``: the cell maker of this unit's batch (of any batch of
the model when the batch is unknown), under its current or any former name, holds a cell
certificate that is suspended or revoked at the date.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from cellwatch.domain.certificates import CertificateStatus
from cellwatch.domain.names import model_key
from cellwatch.domain.products import Batch, ProductKind, ProductModel
from cellwatch.domain.registry import Registry
from cellwatch.memo import keep

INVALID = (CertificateStatus.SUSPENDED, CertificateStatus.REVOKED)


@dataclass(frozen=True, slots=True)
class SupplierFinding:
    cell_maker: str  # current company id
    certificates: tuple[tuple[str, CertificateStatus], ...]
    batches: tuple[str, ...]  # the batches that used its cells
    this_batch: bool  # found through the unit's own batch


@dataclass(frozen=True, slots=True)
class _Sourcing:
    """Where one batch's cells came from, resolved once per snapshot."""

    batch_key: str
    batch: str
    cell_maker: str | None  # current company id


def _cell_maker(registry: Registry, batch: Batch) -> str | None:
    if batch.cell_maker is not None:
        return registry.current_id(batch.cell_maker)
    if batch.cell_lot is not None:
        lot = registry.cell_lots.get(batch.cell_lot)
        return registry.current_id(lot.cell_maker) if lot else None
    return None


@dataclass(frozen=True, slots=True)
class ModelSourcing:
    """One model's batches and their cell makers, grouped once per snapshot."""

    batches: tuple[_Sourcing, ...]
    makers: tuple[tuple[str, tuple[str, ...]], ...]  # (cell maker, its batches), by maker


def _grouped(batches: Iterable[_Sourcing]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    makers: dict[str, list[str]] = defaultdict(list)
    for found in batches:
        if found.cell_maker is not None:
            makers[found.cell_maker].append(found.batch)
    return tuple((maker, tuple(used_by)) for maker, used_by in sorted(makers.items()))


def _sourcing_by_model(registry: Registry) -> dict[tuple[str, str], ModelSourcing]:
    index: dict[tuple[str, str], list[_Sourcing]] = defaultdict(list)
    for batch in registry.data.batches:
        key = (registry.current_id(batch.brand), model_key(batch.model))
        index[key].append(
            _Sourcing(model_key(batch.batch), batch.batch, _cell_maker(registry, batch))
        )
    return {key: ModelSourcing(tuple(found), _grouped(found)) for key, found in index.items()}


def model_sourcing(registry: Registry, product: ProductModel) -> ModelSourcing | None:
    key = (registry.current_id(product.brand), product.key[1])
    return registry.derived(_sourcing_by_model).get(key)


_Invalid = tuple[tuple[str, CertificateStatus], ...]



def invalid_cell_certificates(registry: Registry, maker: str, date: dt.date) -> _Invalid:
    """The maker's cell certificates (under any of its names) suspended or revoked at ``date``.

    Remembered per snapshot, maker and date: a screen or a busy API asks the same often.
    """
    memo = registry.memory(invalid_cell_certificates)
    key = (maker, date)
    found = memo.get(key)
    if found is None:
        found = keep(memo, key, tuple(
            (certificate.number, status)
            for certificate in registry.certificates_of(maker)
            if certificate.product_kind is ProductKind.CELL
            and (status := registry.certificate_status(certificate.number, date)) in INVALID
        ))
    return found


def supplier_findings(
    registry: Registry, product: ProductModel | None, batch: str | None, date: dt.date
) -> tuple[SupplierFinding, ...]:
    if product is None:
        return ()
    sourcing = model_sourcing(registry, product)
    if sourcing is None:
        return ()
    found = of_batch(registry, sourcing, model_key(batch) if batch else None, date)
    return of_makers(registry, sourcing.makers, date, own=False) if found is None else found


def of_batch(
    registry: Registry, sourcing: ModelSourcing, batch: str | None, date: dt.date
) -> tuple[SupplierFinding, ...] | None:
    """The findings for the unit's own batch (its code folded by :func:`model_key`);
    ``None`` when the batch is unknown or not one the registry lists for the model (then
    every batch of the model counts)."""
    own = [b for b in sourcing.batches if b.batch_key == batch] if batch else None
    if not own:
        return None
    makers: tuple[tuple[str, tuple[str, ...]], ...]
    if len(own) == 1:  # the common case: one batch of that code
        found = own[0]
        makers = ((found.cell_maker, (found.batch,)),) if found.cell_maker else ()
    else:
        makers = _grouped(own)
    return of_makers(registry, makers, date, own=True)


def of_makers(
    registry: Registry,
    makers: tuple[tuple[str, tuple[str, ...]], ...],
    date: dt.date,
    *,
    own: bool,
) -> tuple[SupplierFinding, ...]:
    """A finding for each of ``makers`` (cell maker, the batches with its cells) whose
    cell certificates are invalid at ``date``."""
    findings = []
    for maker, used_by in makers:
        invalid = invalid_cell_certificates(registry, maker, date)
        if invalid:
            findings.append(SupplierFinding(maker, invalid, used_by, own))
    return tuple(findings)
