"""The supply graph: from a company, a cell lot or a certificate to the batches it reaches.

Indexes are built once per registry snapshot (:meth:`Registry.derived`) over the raw
company ids the records carry; a walk asks them for every identity of a company (its
current id and each former id renamed to it), so renames are followed both ways.

From a company the walk reaches:

- the cell lots it made (``cell_maker``), wherever they were made;
- the cell lots it made as a factory for another maker (``factory``);
- the lots and lot-less batches recorded under its contract factories as their cell maker
  (companies with a ``contract_manufacturer_for`` link pointing at it);
- batches that name it as ``cell_maker`` but record no cell lot.

Subsidiaries and parents are *not* walked: a parent's suspension does not suspend its
subsidiaries' certificates (they are listed as related companies instead). From a cell lot:
its batches. From a certificate: everything its holder and, when it names one, its factory
reach (a lot does not record the certificate it was made under), and for a power-bank
certificate the batches of the models it covers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from cellwatch.domain.certificates import Certificate, CertificateStatus
from cellwatch.domain.companies import Company, LinkType
from cellwatch.domain.names import fold_name, model_key
from cellwatch.domain.products import Batch, CellLot
from cellwatch.domain.registry import Registry
from cellwatch.impact import texts
from cellwatch.impact.report import Related, Step


@dataclass(frozen=True, slots=True)
class SupplyIndex:
    """Lots and batches by the raw company ids and lot codes they name (read-only)."""

    lots_by_maker: dict[str, list[CellLot]]
    lots_by_factory: dict[str, list[CellLot]]
    batches_by_lot: dict[str, list[Batch]]
    batches_by_maker: dict[str, list[Batch]]  # batches naming a cell maker but no lot
    contract_factories: dict[str, list[Company]]  # client id → its contract factories
    subsidiaries: dict[str, list[Company]]  # parent id → subsidiaries


def supply_index(registry: Registry) -> SupplyIndex:
    """Build the walk's indexes in one pass over lots, batches and companies."""
    lots_by_maker: dict[str, list[CellLot]] = defaultdict(list)
    lots_by_factory: dict[str, list[CellLot]] = defaultdict(list)
    for lot in registry.data.cell_lots:
        lots_by_maker[lot.cell_maker].append(lot)
        if lot.factory is not None:
            lots_by_factory[lot.factory].append(lot)
    by_lot: dict[str, list[Batch]] = defaultdict(list)
    by_maker: dict[str, list[Batch]] = defaultdict(list)
    for batch in registry.data.batches:
        if batch.cell_lot is not None:
            by_lot[batch.cell_lot].append(batch)
        elif batch.cell_maker is not None:
            by_maker[batch.cell_maker].append(batch)
    factories: dict[str, list[Company]] = defaultdict(list)
    subsidiaries: dict[str, list[Company]] = defaultdict(list)
    for company in registry.data.companies:
        for link in company.links:
            if link.type is LinkType.CONTRACT_MANUFACTURER_FOR:
                factories[link.to].append(company)
            elif link.type is LinkType.SUBSIDIARY_OF:
                subsidiaries[link.to].append(company)
    return SupplyIndex(
        dict(lots_by_maker), dict(lots_by_factory), dict(by_lot), dict(by_maker),
        dict(factories), dict(subsidiaries),
    )


def batches_by_model(registry: Registry) -> dict[tuple[str, str], list[Batch]]:
    """Batches by (current brand id, model key); built only when a walk needs it."""
    index: dict[tuple[str, str], list[Batch]] = defaultdict(list)
    for batch in registry.data.batches:
        index[(registry.current_id(batch.brand), model_key(batch.model))].append(batch)
    return dict(index)


@dataclass(frozen=True, slots=True)
class Route:
    """Batches reached one way: the steps before each batch, and the lot if any."""

    path: tuple[Step, ...]
    batches: Sequence[Batch]
    lot: CellLot | None = None


@dataclass
class Walk:
    """Where a walk started, the company whose certificates count, and its routes."""

    kind: str
    query: str
    company: Company | None
    routes: list[Route] = field(default_factory=list)
    related: list[Related] = field(default_factory=list)
    contract_factories: list[str] = field(default_factory=list)


def _current(registry: Registry, company_id: str) -> Company | None:
    return registry.companies.get(registry.current_id(company_id))


def _former_named(registry: Registry, company: Company, query: str) -> Company | None:
    """The former company whose name the query used, when it was not the current one's."""
    folded = fold_name(query)
    if folded in {fold_name(n) for n in (company.id, *company.all_names())}:
        return None
    for identity in sorted(registry.identities(company.id) - {company.id}):
        former = registry.companies.get(identity)
        if former and folded in {fold_name(n) for n in (former.id, *former.all_names())}:
            return former
    return None


def company_routes(
    registry: Registry, company: Company, prefix: tuple[Step, ...], walk: Walk
) -> None:
    """Add every route from ``company`` (under each of its names) to ``walk``."""
    index = registry.derived(supply_index)
    ids = registry.identities(company.id)
    for identity in sorted(ids):
        named = prefix
        former = registry.companies.get(identity)
        if identity != company.id and former is not None:
            named = (*prefix, texts.former_name_step(former, company))
        for lot in index.lots_by_maker.get(identity, ()):
            made_at = lot.factory
            factory = _current(registry, made_at) if made_at and made_at not in ids else None
            step = texts.lot_step(lot.lot, None, factory)
            walk.routes.append(Route((*named, step), index.batches_by_lot.get(lot.lot, ()), lot))
        for lot in index.lots_by_factory.get(identity, ()):
            if lot.cell_maker not in ids:
                step = texts.lot_step(lot.lot, _current(registry, lot.cell_maker), company)
                walk.routes.append(
                    Route((*named, step), index.batches_by_lot.get(lot.lot, ()), lot)
                )
        if identity in index.batches_by_maker:
            walk.routes.append(Route(named, index.batches_by_maker[identity]))
    _factory_routes(registry, index, company, ids, prefix, walk)


def _factory_routes(
    registry: Registry, index: SupplyIndex, company: Company, ids: frozenset[str],
    prefix: tuple[Step, ...], walk: Walk,
) -> None:
    factories = {
        found.id: found
        for identity in sorted(ids)
        for raw in index.contract_factories.get(identity, ())
        if (found := _current(registry, raw.id)) is not None and found.id not in ids
    }
    for factory in factories.values():
        walk.contract_factories.append(factory.id)
        named = (*prefix, texts.contract_factory_step(factory, company))
        for identity in sorted(registry.identities(factory.id)):
            for lot in index.lots_by_maker.get(identity, ()):
                made_at = lot.factory
                other = _current(registry, made_at) if made_at and made_at != identity else None
                step = texts.lot_step(lot.lot, None, other)
                walk.routes.append(
                    Route((*named, step), index.batches_by_lot.get(lot.lot, ()), lot)
                )
            if identity in index.batches_by_maker:
                walk.routes.append(Route(named, index.batches_by_maker[identity]))


def related_companies(registry: Registry, company: Company) -> list[Related]:
    """Parents and subsidiaries of ``company``, which the walk does not follow."""
    index = registry.derived(supply_index)
    ids = registry.identities(company.id)
    found: dict[tuple[str, str], Related] = {}
    for identity in sorted(ids):
        for child in index.subsidiaries.get(identity, ()):
            current = registry.current_id(child.id)
            found[(current, "subsidiary")] = Related(
                company=current, relation="subsidiary", note=texts.SUBSIDIARY_NOTE
            )
        record = registry.companies.get(identity)
        for link in record.links if record else ():
            if link.type is LinkType.SUBSIDIARY_OF:
                parent = registry.current_id(link.to)
                found[(parent, "parent")] = Related(
                    company=parent, relation="parent", note=texts.PARENT_NOTE
                )
    return list(found.values())


def from_company(registry: Registry, company: Company, query: str) -> Walk:
    walk = Walk("company", query, company)
    first = texts.start_step(company, query, _former_named(registry, company, query))
    company_routes(registry, company, (first,), walk)
    walk.related = related_companies(registry, company)
    return walk


def from_lot(registry: Registry, lot: CellLot, query: str) -> Walk:
    maker = _current(registry, lot.cell_maker)
    factory = _current(registry, lot.factory) if lot.factory else None
    if factory is not None and maker is not None and factory.id == maker.id:
        factory = None
    walk = Walk("cell_lot", query, maker)
    index = registry.derived(supply_index)
    step = texts.lot_step(lot.lot, maker, factory)
    walk.routes.append(Route((step,), index.batches_by_lot.get(lot.lot, ()), lot))
    return walk


def from_certificate(
    registry: Registry, certificate: Certificate, status: CertificateStatus | None, query: str
) -> Walk:
    holder = _current(registry, certificate.holder)
    walk = Walk("certificate", query, holder)
    first = texts.certificate_step(certificate.number, holder, status)
    if holder is not None:
        company_routes(registry, holder, (first,), walk)
    factory = _current(registry, certificate.factory) if certificate.factory else None
    if factory is not None and (holder is None or factory.id != holder.id):
        company_routes(registry, factory, (first, texts.start_step(factory, None, None)), walk)
    if certificate.models and holder is not None:
        by_model = registry.derived(batches_by_model)
        brand = texts.short_name(holder)
        for model in certificate.models:
            key = model_key(model)
            step = texts.model_step(brand, model, f"{holder.id}/{key}")
            walk.routes.append(Route((first, step), by_model.get((holder.id, key), ())))
    return walk
