"""Search and filter the registry's records, one convention for every kind.

Every listing takes free text (``search``), field filters, ``limit`` and ``skip``, and
returns a :class:`Page` with the ``total`` count before paging, in the manner of openFDA.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from cellwatch.domain.certificates import Certificate, CertificateStatus
from cellwatch.domain.companies import Company, Role
from cellwatch.domain.dates import PartialDate
from cellwatch.domain.incidents import Incident, Mode, Severity
from cellwatch.domain.names import fold_name, model_key
from cellwatch.domain.products import ProductKind, ProductModel
from cellwatch.domain.recalls import Recall
from cellwatch.domain.registry import Registry

T = TypeVar("T")

MAX_LIMIT = 1000


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    total: int
    limit: int
    skip: int


def paginate(records: Iterable[T], limit: int, skip: int) -> Page[T]:
    if not 0 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be between 0 and {MAX_LIMIT}")
    if skip < 0:
        raise ValueError("skip must not be negative")
    everything = list(records)
    return Page(everything[skip : skip + limit], len(everything), limit, skip)


def _matches_text(query: str | None, texts: Callable[[], Iterable[str | None]]) -> bool:
    if not query:
        return True
    wanted = fold_name(query)
    if not wanted:
        return True
    return any(text and (wanted in fold_name(text) or wanted in model_key(text).lower())
               for text in texts())


def _may_fall_within(date: PartialDate, start: dt.date | None, end: dt.date | None) -> bool:
    """Whether any day ``date`` may stand for lies in [start, end] (open ends unbounded)."""
    if start is not None and date.last_day() < start:
        return False
    return not (end is not None and date.first_day() > end)


def _brand_ids(registry: Registry, brand: str | None) -> frozenset[str] | None:
    """The ids a brand filter stands for (all its names); empty when it names nobody."""
    if brand is None:
        return None
    company = registry.resolve_company(brand)
    return registry.identities(company.id) if company else frozenset()


def recalls(
    registry: Registry,
    *,
    search: str | None = None,
    brand: str | None = None,
    model: str | None = None,
    market: str | None = None,
    authority: str | None = None,
    announced_from: dt.date | None = None,
    announced_to: dt.date | None = None,
    limit: int = 20,
    skip: int = 0,
) -> Page[Recall]:
    """Recalls, newest first."""
    brands = _brand_ids(registry, brand)

    def keep(recall: Recall) -> bool:
        entry_brands = {recall.entry_brand(e) for e in recall.scope} | {recall.issuer}
        if brands is not None and not brands & entry_brands:
            return False
        if model and not any(model_key(e.model) == model_key(model) for e in recall.scope):
            return False
        if market and recall.market.upper() != market.upper():
            return False
        if authority and recall.authority.upper() != authority.upper():
            return False
        if not _may_fall_within(recall.announced, announced_from, announced_to):
            return False
        return _matches_text(search, lambda: _recall_texts(registry, recall))

    found = sorted(
        (r for r in registry.data.recalls if keep(r)),
        key=lambda r: (r.announced.first_day(), r.id),
        reverse=True,
    )
    return paginate(found, limit, skip)


def _recall_texts(registry: Registry, recall: Recall) -> Iterable[str | None]:
    yield recall.id
    for text in (recall.title, recall.hazard, recall.cause):
        if text is not None:
            yield text.en
            yield text.zh
    issuer = registry.companies.get(recall.issuer)
    if issuer is not None:
        yield from issuer.all_names()
    for entry in recall.scope:
        yield entry.model
        product = registry.product(recall.entry_brand(entry), entry.model)
        if product is not None:
            yield from product.names


def companies(
    registry: Registry,
    *,
    search: str | None = None,
    role: Role | None = None,
    country: str | None = None,
    limit: int = 20,
    skip: int = 0,
) -> Page[Company]:
    def keep(company: Company) -> bool:
        if role is not None and role not in company.roles:
            return False
        if country and (company.country or "").upper() != country.upper():
            return False
        return _matches_text(search, lambda: (company.id, *company.all_names()))

    found = sorted((c for c in registry.data.companies if keep(c)), key=lambda c: c.id)
    return paginate(found, limit, skip)


def models(
    registry: Registry,
    *,
    search: str | None = None,
    brand: str | None = None,
    kind: ProductKind | None = None,
    limit: int = 20,
    skip: int = 0,
) -> Page[ProductModel]:
    brands = _brand_ids(registry, brand)

    def keep(product: ProductModel) -> bool:
        if brands is not None and product.brand not in brands:
            return False
        if kind is not None and product.kind is not kind:
            return False
        return _matches_text(search, lambda: (product.model, *product.names))

    found = sorted((p for p in registry.data.products if keep(p)), key=lambda p: p.key)
    return paginate(found, limit, skip)


def certificates(
    registry: Registry,
    *,
    search: str | None = None,
    holder: str | None = None,
    status: CertificateStatus | None = None,
    date: dt.date | None = None,
    limit: int = 20,
    skip: int = 0,
) -> Page[Certificate]:
    """Certificates; ``status`` filters on the status at ``date`` (default today)."""
    holders = _brand_ids(registry, holder)
    on = date or dt.date.today()

    def keep(certificate: Certificate) -> bool:
        if holders is not None and certificate.holder not in holders:
            return False
        if status is not None and registry.certificate_status(certificate.number, on) != status:
            return False
        return _matches_text(
            search, lambda: (certificate.number, certificate.note, *certificate.models)
        )

    found = sorted((c for c in registry.data.certificates if keep(c)), key=lambda c: c.number)
    return paginate(found, limit, skip)


def incidents(
    registry: Registry,
    *,
    search: str | None = None,
    brand: str | None = None,
    model: str | None = None,
    mode: Mode | None = None,
    severity: Severity | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    limit: int = 20,
    skip: int = 0,
) -> Page[Incident]:
    """Incidents, newest first; a date window keeps those that may fall inside it."""
    brands = _brand_ids(registry, brand)

    def keep(incident: Incident) -> bool:
        if brands is not None and incident.brand not in brands:
            return False
        if model and (incident.model is None or model_key(incident.model) != model_key(model)):
            return False
        if mode is not None and incident.mode is not mode:
            return False
        if severity is not None and incident.severity is not severity:
            return False
        if not _may_fall_within(incident.date, date_from, date_to):
            return False
        return _matches_text(
            search,
            lambda: (incident.id, incident.place, incident.flight, incident.model,
                     incident.damage, incident.description),
        )

    found = sorted(
        (i for i in registry.data.incidents if keep(i)),
        key=lambda i: (i.date.first_day(), i.id),
        reverse=True,
    )
    return paginate(found, limit, skip)
