"""Step 3: the unit's certificate status at the trip date.

From the number printed on the unit when given (``unknown_certificate`` when the registry
has no such number, ``mismatch`` when it does not cover this model); else from the
certificates that cover the model (``valid`` when any is valid); ``none`` when the
registry knows of none.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass

from cellwatch.domain.certificates import Certificate, CertificateStatus
from cellwatch.domain.names import model_key
from cellwatch.domain.products import ProductKind, ProductModel
from cellwatch.domain.registry import Registry
from cellwatch.rules.facts import CertificateState

# when several certificates cover a model and none is valid, the most severe one speaks
_SEVERITY = {
    CertificateStatus.REVOKED: 4,
    CertificateStatus.CANCELLED: 3,
    CertificateStatus.SUSPENDED: 2,
    CertificateStatus.EXPIRED: 1,
    CertificateStatus.VALID: 0,
}


@dataclass(frozen=True, slots=True)
class CertificateFinding:
    state: CertificateState
    number: str | None = None  # the certificate the state comes from
    considered: tuple[tuple[Certificate, CertificateStatus | None], ...] = ()


def _by_model(registry: Registry) -> dict[tuple[str, str], tuple[Certificate, ...]]:
    index: dict[tuple[str, str], list[Certificate]] = defaultdict(list)
    for certificate in registry.data.certificates:
        if certificate.product_kind is ProductKind.POWER_BANK:
            holder = registry.current_id(certificate.holder)
            for model in certificate.models:
                index[(holder, model_key(model))].append(certificate)
    return {
        key: tuple(sorted(found, key=lambda c: c.number)) for key, found in index.items()
    }


def covering(registry: Registry, product: ProductModel) -> tuple[Certificate, ...]:
    """Power-bank certificates that cover the model: listed on it, or listing it."""
    key = (registry.current_id(product.brand), product.key[1])
    listing = registry.derived(_by_model).get(key, ())
    if not product.certificates:
        return listing
    known = registry.certificates
    found = {n: known[n] for n in product.certificates if n in known}
    for certificate in listing:
        found[certificate.number] = certificate
    return tuple(found[n] for n in sorted(found))


def _covers(registry: Registry, certificate: Certificate, product: ProductModel) -> bool:
    return any(c.number == certificate.number for c in covering(registry, product))


def _state(status: CertificateStatus | None) -> CertificateState:
    return CertificateState.NONE if status is None else CertificateState(status.value)


def certificate_status(
    registry: Registry, product: ProductModel | None, number: str | None, date: dt.date
) -> CertificateFinding:
    if number:
        printed = re.sub(r"\s+", "", number)
        certificate = registry.certificates.get(printed)
        if certificate is None or not certificate.number_published:
            return CertificateFinding(CertificateState.UNKNOWN_CERTIFICATE, printed)
        status = registry.certificate_status(certificate.number, date)
        if product is not None and not _covers(registry, certificate, product):
            return CertificateFinding(
                CertificateState.MISMATCH, printed, ((certificate, status),)
            )
        return CertificateFinding(_state(status), printed, ((certificate, status),))
    if product is None:
        return CertificateFinding(CertificateState.NONE)
    # keyed by the product object's id (cheaper than its key); the entry holds the product,
    # so the id is not reused while it lives, and a hit is checked to be the same object
    held, finding = registry.remember(
        _with_product, (id(product), date), lambda: _with_product(registry, product, date)
    )
    return finding if held is product else of_model(registry, product, date)


def _with_product(
    registry: Registry, product: ProductModel, date: dt.date
) -> tuple[ProductModel, CertificateFinding]:
    return product, of_model(registry, product, date)


def of_model(registry: Registry, product: ProductModel, date: dt.date) -> CertificateFinding:
    """The model's status at ``date`` from the certificates covering it: valid if one is
    (the first), else the most severe status (the first of equals); ``none`` when no
    certificate has a status at the date. One pass: a screen asks it of every model."""
    considered: list[tuple[Certificate, CertificateStatus | None]] = []
    valid: Certificate | None = None
    worst: tuple[Certificate, CertificateStatus] | None = None
    for certificate in covering(registry, product):
        status = registry.certificate_status(certificate.number, date)
        considered.append((certificate, status))
        if status is None:
            continue
        if status is CertificateStatus.VALID:
            if valid is None:
                valid = certificate
        elif worst is None or _SEVERITY[status] > _SEVERITY[worst[1]]:
            worst = (certificate, status)
    if valid is not None:
        return CertificateFinding(CertificateState.VALID, valid.number, tuple(considered))
    if worst is None:
        return CertificateFinding(CertificateState.NONE, considered=tuple(considered))
    return CertificateFinding(_state(worst[1]), worst[0].number, tuple(considered))
