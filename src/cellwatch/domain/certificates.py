"""Certificates (3C / CCC and others) and their dated status history.

Status is always asked at a date: the latest recorded change on or before it; with none,
``valid`` from the issue date (or from the beginning when it is unknown) until the expiry
date, then ``expired``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from enum import StrEnum
from typing import ClassVar

from pydantic import model_validator

from cellwatch.domain.dates import PartialDate
from cellwatch.domain.products import ProductKind
from cellwatch.domain.records import NonBlank, Slug, Sourced, Text

CCC_NUMBER = re.compile(r"^\d{16}$")
CCC_CATEGORIES = {"0914": ProductKind.POWER_BANK, "0915": ProductKind.CELL}


class CertificateStatus(StrEnum):
    VALID = "valid"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


STATUS_WORDS: dict[str, CertificateStatus] = {
    "有效": CertificateStatus.VALID,
    "正常": CertificateStatus.VALID,
    "暂停": CertificateStatus.SUSPENDED,
    "撤销": CertificateStatus.REVOKED,
    "注销": CertificateStatus.CANCELLED,
    "过期": CertificateStatus.EXPIRED,
}

STATUS_TEXT: dict[CertificateStatus, Text] = {
    CertificateStatus.VALID: Text(en="valid", zh="有效"),
    CertificateStatus.SUSPENDED: Text(en="suspended", zh="暂停"),
    CertificateStatus.REVOKED: Text(en="revoked", zh="撤销"),
    CertificateStatus.CANCELLED: Text(en="cancelled", zh="注销"),
    CertificateStatus.EXPIRED: Text(en="expired", zh="过期"),
}


def parse_status(value: str) -> CertificateStatus:
    """Read a status in English or as the Chinese word a certification body prints."""
    word = value.strip()
    if word in STATUS_WORDS:
        return STATUS_WORDS[word]
    return CertificateStatus(word.lower())


class Certificate(Sourced):
    kind_name: ClassVar[str] = "certificate"

    number: NonBlank
    scheme: NonBlank
    holder: Slug
    factory: Slug | None = None
    product_kind: ProductKind
    models: tuple[NonBlank, ...] = ()
    standards: tuple[NonBlank, ...] = ()
    issued: PartialDate | None = None
    expires: PartialDate | None = None
    number_published: bool = True
    note: str | None = None

    @model_validator(mode="after")
    def _number(self) -> Certificate:
        looks_real = bool(CCC_NUMBER.match(self.number))
        if self.scheme.upper() == "CCC" and self.number_published:
            if not looks_real:
                raise ValueError(f"CCC number {self.number!r} must have 16 digits")
            category = CCC_CATEGORIES.get(self.number[6:10])
            if category is None:
                raise ValueError(
                    f"CCC number {self.number!r}: product category {self.number[6:10]} "
                    "is neither 0914 (power bank) nor 0915 (cells)"
                )
            if category != self.product_kind:
                raise ValueError(
                    f"CCC number {self.number!r} is for {category.value}, "
                    f"not {self.product_kind.value}"
                )
        if not self.number_published:
            if looks_real:
                raise ValueError("an unpublished number must not look like a real one")
            if not self.note:
                raise ValueError("a record with an unpublished number needs a note")
        if self.issued and self.expires and self.expires.last_day() < self.issued.first_day():
            raise ValueError("expires before it was issued")
        return self

    @property
    def key(self) -> tuple[str, ...]:
        return (self.number,)


class StatusChange(Sourced):
    kind_name: ClassVar[str] = "certificate_status"

    number: NonBlank
    status: CertificateStatus
    date: PartialDate
    reason: str | None = None
    reason_zh: str | None = None

    @property
    def key(self) -> tuple[str, ...]:
        return (self.number, self.date.isoformat(), self.status.value)


def status_at(
    certificate: Certificate, changes: Sequence[StatusChange], date: dt.date
) -> CertificateStatus | None:
    """The status of ``certificate`` on ``date``; ``None`` before it was issued.

    A change dated only to the month or year takes effect from its last day: before then
    it is not certain to have happened.
    """
    if changes:
        effective = [c for c in changes if c.date.last_day() <= date]
        if effective:
            return max(effective, key=lambda c: (c.date.last_day(), c.date.precision)).status
    if certificate.issued is not None and certificate.issued.first_day() > date:
        return None
    if certificate.expires is not None and certificate.expires.last_day() < date:
        return CertificateStatus.EXPIRED
    return CertificateStatus.VALID
