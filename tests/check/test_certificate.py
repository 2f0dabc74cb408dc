"""A model's certificate status from the certificates covering it (``of_model``): valid
if any is (the first by number), else the most severe status (the first of equals), else
none; every covering certificate is listed as considered."""

from __future__ import annotations

import datetime as dt

import pytest

from cellwatch.check.certificate import of_model
from cellwatch.domain.registry import Registry, RegistryData
from cellwatch.rules.facts import CertificateState
from tests import factories as f

DATE = dt.date(2025, 7, 1)


def _number(n: int) -> str:
    return f"20240109140000{n:02d}"


@pytest.mark.parametrize(("statuses", "state", "number"), [
    ([], CertificateState.NONE, None),
    ([None], CertificateState.NONE, None),  # issued after the date
    (["valid"], CertificateState.VALID, 1),
    (["suspended", "valid", "valid"], CertificateState.VALID, 2),
    (["expired", "suspended", "revoked", "cancelled"], CertificateState.REVOKED, 3),
    (["expired", "cancelled", "suspended", "cancelled"], CertificateState.CANCELLED, 2),
    ([None, "suspended", "suspended"], CertificateState.SUSPENDED, 2),
    (["expired", None], CertificateState.EXPIRED, 1),
])
def test_the_model_status_from_its_certificates(
    statuses: list[str | None], state: CertificateState, number: int | None
) -> None:
    certificates, changes = [], []
    for n, status in enumerate(statuses, start=1):
        issued = "2026-01-01" if status is None else "2024-01-01"
        certificates.append(f.certificate(number=_number(n), models=[f.MODEL], issued=issued))
        if status not in (None, "valid"):
            changes.append(f.status_change(number=_number(n), status=status,
                                           date="2025-06-20"))
    registry = Registry(RegistryData(
        sources=(f.source(),), companies=(f.company(),), products=(f.product(),),
        certificates=tuple(certificates), certificate_status=tuple(changes),
    ), 1)
    found = of_model(registry, registry.data.products[0], DATE)
    assert found.state is state
    assert found.number == (None if number is None else _number(number))
    assert [c.number for c, _ in found.considered] == [_number(n) for n in
                                                       range(1, len(statuses) + 1)]
