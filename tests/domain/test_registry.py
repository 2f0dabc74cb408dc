"""The registry snapshot: names resolve, renames are followed, status is asked at a date."""

import datetime as dt

import pytest

from cellwatch.domain.certificates import CertificateStatus
from cellwatch.domain.registry import Registry, RegistryData
from tests import factories as f


def renamed_registry() -> Registry:
    old = f.company(id="amprius-wuxi", name="Amprius (Wuxi) Co., Ltd.",
                    names={"zh": "安普瑞斯(无锡)有限公司"}, aliases=["Amprius Wuxi"],
                    links=[{"type": "renamed_to", "to": "apex-wuxi", "since": "2025-07"}])
    new = f.company(id="apex-wuxi", name="APEX (Wuxi) Co., Ltd.")
    cell_certificate = f.certificate(number="2023010915000001", holder="amprius-wuxi",
                                     product_kind="cell", issued="2023-03-01",
                                     expires="2028-02-29")
    new_certificate = f.certificate(number="2025010915000002", holder="apex-wuxi",
                                    product_kind="cell", issued="2025-08-01")
    changes = (
        f.status_change(number="2023010915000001", status="suspended", date="2025-06-10"),
        f.status_change(number="2023010915000001", status="revoked", date="2025-08"),
    )
    return Registry(RegistryData(
        sources=(f.source(),), companies=(old, new),
        certificates=(cell_certificate, new_certificate), certificate_status=changes,
    ))


@pytest.mark.parametrize(
    "name",
    ["apex-wuxi", "APEX (Wuxi)", "amprius-wuxi", "Amprius (Wuxi) Co., Ltd.", "AMPRIUS WUXI",
     "安普瑞斯(无锡)有限公司", "安普瑞斯（无锡）", "amprius wuxi co ltd"],
)
def test_every_name_ever_used_resolves_to_the_current_company(name: str) -> None:
    company = renamed_registry().resolve_company(name)
    assert company is not None and company.id == "apex-wuxi"


def test_unknown_names_resolve_to_nothing() -> None:
    assert renamed_registry().resolve_company("Amprius") is None


def test_certificates_include_those_held_under_a_former_name() -> None:
    registry = renamed_registry()
    numbers = {c.number for c in registry.certificates_of("apex-wuxi")}
    assert numbers == {"2023010915000001", "2025010915000002"}
    assert {c.number for c in registry.certificates_of("amprius-wuxi")} == numbers


@pytest.mark.parametrize(
    ("day", "status"),
    [
        ("2023-02-28", None),  # before it was issued
        ("2023-03-01", CertificateStatus.VALID),
        ("2025-06-09", CertificateStatus.VALID),
        ("2025-06-10", CertificateStatus.SUSPENDED),
        ("2025-08-30", CertificateStatus.SUSPENDED),  # "2025-08" counts from its last day
        ("2025-08-31", CertificateStatus.REVOKED),
        ("2030-01-01", CertificateStatus.REVOKED),
    ],
)
def test_status_is_asked_at_a_date(day: str, status: CertificateStatus | None) -> None:
    registry = renamed_registry()
    assert registry.certificate_status("2023010915000001", dt.date.fromisoformat(day)) == status


def test_a_certificate_expires_without_a_recorded_change() -> None:
    registry = Registry(RegistryData(
        sources=(f.source(),), companies=(f.company(),),
        certificates=(f.certificate(issued="2020-01-01", expires="2024-12-31"),),
    ))
    assert registry.certificate_status(f.CERTIFICATE, dt.date(2024, 12, 31)) is CertificateStatus.VALID
    assert registry.certificate_status(f.CERTIFICATE, dt.date(2025, 1, 1)) is CertificateStatus.EXPIRED


def test_a_rename_cycle_in_the_data_does_not_hang() -> None:
    a = f.company(id="a", links=[{"type": "renamed_to", "to": "b"}])
    b = f.company(id="b", name="B", links=[{"type": "renamed_to", "to": "a"}])
    registry = Registry(RegistryData(sources=(f.source(),), companies=(a, b)))
    assert registry.current_id("a") in {"a", "b"}
