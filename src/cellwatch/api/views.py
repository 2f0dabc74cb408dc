"""What the read endpoints answer, built from one registry snapshot as JSON values.

A listing is ``{"meta": {...}, "results": [...]}`` with every result a record as a bundle
holds it (:meth:`~cellwatch.domain.records.Record.canonical`). An item is the record with
its ``digest`` (also its ETag), the ``source_records`` it cites, and what belongs to it.
These are pure functions of the snapshot (the recall's history comes from the store and
is passed in).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from cellwatch.api.state import Snapshot
from cellwatch.check.identify import identify
from cellwatch.domain.names import fold_name, model_key
from cellwatch.domain.records import Record
from cellwatch.domain.registry import Registry
from cellwatch.domain.search import Page, paginate
from cellwatch.errors import (
    CertificateNotFound,
    CompanyNotFound,
    ModelNotFound,
    RecallNotFound,
    RecordNotFound,
)
from cellwatch.rules.clauses import describe
from cellwatch.rules.engine import get_pack, load_packs
from cellwatch.rules.packs import RulePack


def meta(page: Page[Any], snapshot: Snapshot, **extra: Any) -> dict[str, Any]:
    updated = snapshot.updated_at
    return {
        "total": page.total,
        "limit": page.limit,
        "skip": page.skip,
        "registry_version": snapshot.version,
        "last_updated": updated.isoformat().replace("+00:00", "Z") if updated else None,
        **extra,
    }


def listing(page: Page[Any], snapshot: Snapshot, **extra: Any) -> dict[str, Any]:
    return {
        "meta": meta(page, snapshot, **extra),
        "results": [record.canonical() for record in page.items],
    }


def _sources(registry: Registry, ids: Iterable[str]) -> list[dict[str, Any]]:
    return registry.source_records(ids)


def _item(record: Record, registry: Registry, extra_sources: Iterable[str] = ()) -> dict[str, Any]:
    value = record.canonical()
    value["digest"] = record.digest()
    value["source_records"] = _sources(
        registry, [*getattr(record, "sources", ()), *extra_sources]
    )
    return value


def recall(registry: Registry, recall_id: str, history: list[dict[str, Any]]) -> dict[str, Any]:
    found = registry.recalls.get(recall_id)
    if found is None:
        raise RecallNotFound(recall_id)
    value = _item(found, registry, (s for r in found.revisions for s in r.sources))
    value["history"] = history
    return value


def company(registry: Registry, name: str) -> dict[str, Any]:
    found = registry.resolve_company(name)
    if found is None:
        raise CompanyNotFound(name)
    identities = registry.identities(found.id)
    value = _item(found, registry)
    value["former_ids"] = sorted(identities - {found.id})
    value["certificates"] = [c.number for c in registry.certificates_of(found.id)]
    value["models"] = [p.model for p in registry.data.products if p.brand in identities]
    value["recalls"] = [r.id for r in registry.data.recalls if r.issuer in identities]
    return value


def model(registry: Registry, brand: str, code: str) -> dict[str, Any]:
    found = identify(registry, brand, code)
    if found.company is None or found.product is None:
        raise ModelNotFound(brand, code)
    product = found.product
    key = model_key(product.model)
    identities = registry.identities(found.company.id)
    value = _item(product, registry)
    value["batches"] = [
        b.canonical() for b in registry.data.batches
        if b.brand in identities and model_key(b.model) == key
    ]
    value["recalls"] = [
        r.id for r in registry.data.recalls
        if any(r.entry_brand(e) in identities and model_key(e.model) == key for e in r.scope)
    ]
    return value


def certificate(registry: Registry, number: str, date: dt.date) -> dict[str, Any]:
    found = registry.certificates.get(number.strip())
    if found is None:
        raise CertificateNotFound(number)
    status = registry.certificate_status(found.number, date)
    changes = sorted(
        registry.status_changes.get(found.number, ()), key=lambda c: c.date.sort_key()
    )
    value = _item(found, registry)
    value["status"] = {"date": date.isoformat(), "status": status.value if status else None}
    value["history"] = [change.canonical() for change in changes]
    return value


def certificate_listing(
    page: Page[Any], snapshot: Snapshot, date: dt.date
) -> dict[str, Any]:
    value = listing(page, snapshot, date=date.isoformat())
    registry = snapshot.registry
    for item, found in zip(value["results"], page.items, strict=True):
        status = registry.certificate_status(found.number, date)
        item["status"] = status.value if status else None
    return value


def incident(registry: Registry, incident_id: str) -> dict[str, Any]:
    for found in registry.data.incidents:
        if found.id == incident_id:
            return _item(found, registry)
    raise RecordNotFound("incident", incident_id)


# -- rule packs --------------------------------------------------------------------------


def rule_packs(
    snapshot: Snapshot, search: str | None, mode: str | None, limit: int, skip: int
) -> dict[str, Any]:
    wanted = fold_name(search) if search else ""

    def keep(pack: RulePack) -> bool:
        if mode and pack.mode.value != mode:
            return False
        texts = (pack.id, pack.title.en, pack.title.zh, pack.applies_to.en)
        return not wanted or any(wanted in fold_name(text or "") for text in texts)

    page = paginate([p for p in load_packs().values() if keep(p)], limit, skip)
    return {
        "meta": meta(page, snapshot),
        "results": [_pack_summary(pack) for pack in page.items],
    }


def _pack_summary(pack: RulePack) -> dict[str, Any]:
    return {
        "id": pack.id,
        "title": pack.title.model_dump(exclude_none=True),
        "mode": pack.mode.value,
        "applies_to": pack.applies_to.model_dump(exclude_none=True),
        "includes": list(pack.includes),
        "rules": len(pack.rules),
        "conditions": len(pack.conditions),
    }


def rule_pack(name: str) -> dict[str, Any]:
    """One pack as ``cellwatch rules show --json`` prints it."""
    if name.strip().lower() not in load_packs():
        raise RecordNotFound("rule pack", name)
    pack = get_pack(name)
    data: dict[str, Any] = pack.model_dump(mode="json", by_alias=True, exclude_none=True)
    for rule, dumped in zip(pack.rules, data["rules"], strict=True):
        dumped["when_text"] = {"en": describe(rule.when), "zh": describe(rule.when, "zh")}
    return data
