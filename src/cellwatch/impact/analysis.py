"""Impact analysis: which brands, models, batches and units a supply failure reaches.

:func:`impact` resolves the start (a company by any name, a cell lot, a certificate
number), walks the supply graph (:mod:`cellwatch.impact.graph`), judges every batch it
reaches against the recalls announced by the date (:mod:`cellwatch.impact.exposure`) and
reports per brand and model what is already recalled and what is not — the exposure gap —
with the path to every batch, and the start company's certificate state at the date.

Pure: a :class:`~cellwatch.domain.registry.Registry` snapshot in, an
:class:`~cellwatch.impact.report.ImpactReport` out; no database, no I/O.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from cellwatch.check.scopes import ScopeRow, scope_index
from cellwatch.domain.certificates import CertificateStatus
from cellwatch.domain.companies import Company
from cellwatch.domain.names import model_key
from cellwatch.domain.products import Batch, ProductKind
from cellwatch.domain.records import Text
from cellwatch.domain.registry import Registry
from cellwatch.errors import CertificateNotFound, CompanyNotFound, InputError, RecordNotFound
from cellwatch.impact import graph, texts
from cellwatch.impact.exposure import judge_batch, made_after
from cellwatch.impact.report import (
    BatchOut,
    CertificateRef,
    CertificateState,
    Exposure,
    ImpactReport,
    LotOut,
    ModelOut,
    Split,
    StartOut,
    Step,
    Totals,
    Units,
)

log = logging.getLogger(__name__)

_INVALID = (CertificateStatus.SUSPENDED, CertificateStatus.REVOKED)


def impact(
    registry: Registry, *, company: str | None = None, cell_lot: str | None = None,
    certificate: str | None = None, date: dt.date,
    what_if_suspended_from: dt.date | None = None,
) -> ImpactReport:
    """Walk from exactly one of ``company``, ``cell_lot``, ``certificate`` and report.

    With ``what_if_suspended_from`` the start company is treated as suspended from that
    date: its certificates valid at ``date`` count as suspended (marked ``what_if``).
    Raises :class:`CompanyNotFound`, :class:`RecordNotFound` or
    :class:`CertificateNotFound` when the start is not in the registry.
    """
    given = [value for value in (company, cell_lot, certificate) if value and value.strip()]
    if len(given) != 1:
        raise InputError("give exactly one start: a company, a cell lot or a certificate")
    walk = _walk(registry, company, cell_lot, certificate, date)
    state = certificate_state(registry, walk.company, date, what_if_suspended_from)
    models, lots = _exposures(registry, walk, date, state.suspended_since)
    totals = _totals(models)
    name = texts.start_name(walk.kind, walk.query, walk.company)
    report = ImpactReport(
        date=date,
        registry_version=registry.version,
        start=StartOut(
            kind=walk.kind, query=walk.query,
            company=walk.company.id if walk.company else None,
            name=texts.full_name(walk.company) if walk.company else None,
            identities=tuple(sorted(registry.identities(walk.company.id))) if walk.company else (),
            contract_factories=tuple(walk.contract_factories),
        ),
        certificates=state,
        headline=texts.headline(
            name, date, totals.brands, totals.models, totals.exposed, totals.recalled,
            totals.undecided, totals.not_recalled, what_if_suspended_from,
        ),
        totals=totals, models=tuple(models), lots=tuple(lots), related=tuple(walk.related),
    )
    log.debug("impact from %s %r: %s batches", walk.kind, walk.query, totals.exposed.batches)
    return report


def _walk(
    registry: Registry, company: str | None, cell_lot: str | None, certificate: str | None,
    date: dt.date,
) -> graph.Walk:
    if company:
        found = registry.resolve_company(company.strip())
        if found is None:
            raise CompanyNotFound(company)
        return graph.from_company(registry, found, company.strip())
    if cell_lot:
        lot = registry.cell_lots.get(cell_lot.strip())
        if lot is None:
            raise RecordNotFound("cell lot", cell_lot)
        return graph.from_lot(registry, lot, cell_lot.strip())
    assert certificate is not None
    number = certificate.strip()
    record = registry.certificates.get(number)
    if record is None:
        raise CertificateNotFound(number)
    status = registry.certificate_status(number, date)
    return graph.from_certificate(registry, record, status, number)


def certificate_state(
    registry: Registry, company: Company | None, date: dt.date, what_if: dt.date | None
) -> CertificateState:
    """The company's certificates at ``date``; with ``what_if``, suspended from then on."""
    if company is None:
        return CertificateState(company=None, what_if_suspended_from=what_if,
                                summary=texts.certificate_summary(None, date, {}, what_if, None))
    refs: list[CertificateRef] = []
    counts: dict[CertificateStatus, int] = defaultdict(int)
    since: dt.date | None = None
    pretend = what_if is not None and what_if <= date
    for record in registry.certificates_of(company.id):
        status = registry.certificate_status(record.number, date)
        imagined = pretend and status is CertificateStatus.VALID
        if imagined:
            status = CertificateStatus.SUSPENDED
        if record.product_kind is ProductKind.CELL and status is not None:
            counts[status] += 1
            if status in _INVALID and not imagined:
                began = _invalid_since(registry, record.number, date)
                since = began if since is None or (began and began < since) else since
        refs.append(CertificateRef(
            number=record.number, holder=record.holder, product_kind=record.product_kind.value,
            status=status.value if status else None, what_if=imagined,
            number_published=record.number_published,
        ))
    if what_if is not None:
        since = what_if
    return CertificateState(
        company=company.id,
        certificates=tuple(refs),
        cell_certificates_invalid=any(counts.get(s) for s in _INVALID),
        suspended_since=since,
        what_if_suspended_from=what_if,
        summary=texts.certificate_summary(texts.full_name(company), date, dict(counts), what_if,
                                          since),
    )


def _invalid_since(registry: Registry, number: str, date: dt.date) -> dt.date | None:
    """The first day of the unbroken run of suspended/revoked status ending at ``date``."""
    changes = sorted(
        (c for c in registry.status_changes.get(number, ()) if c.date.last_day() <= date),
        key=lambda c: (c.date.last_day(), c.date.precision),
    )
    began: dt.date | None = None
    for change in changes:
        invalid = change.status in _INVALID
        began = (began or change.date.last_day()) if invalid else None
    return began


def _exposures(
    registry: Registry, walk: graph.Walk, date: dt.date, since: dt.date | None
) -> tuple[list[ModelOut], list[LotOut]]:
    seen: set[int] = set()
    seen_lots: set[str] = set()
    names: dict[str, Text] = {}
    folded: dict[str, str] = {}  # model codes repeat: fold each once
    scopes = registry.derived(scope_index)
    by_model: dict[tuple[str, str], list[tuple[str, BatchOut]]] = defaultdict(list)
    lots: list[LotOut] = []
    for route in walk.routes:
        fresh = [b for b in route.batches if id(b) not in seen]
        seen.update(id(b) for b in fresh)
        if route.lot is not None and route.lot.lot not in seen_lots:
            seen_lots.add(route.lot.lot)
            lot = route.lot
            lots.append(LotOut(lot=lot.lot, cell_maker=registry.current_id(lot.cell_maker),
                               factory=lot.factory, batches=len(route.batches), path=route.path))
        for batch in fresh:
            brand = registry.current_id(batch.brand)
            if brand not in names:
                company = registry.companies.get(brand)
                names[brand] = texts.short_name(company) if company else Text(en=brand, zh=brand)
            model = folded.get(batch.model) or folded.setdefault(batch.model,
                                                                 model_key(batch.model))
            code = model_key(batch.batch)
            rows = scopes.get((brand, model), ())
            out = _batch_out(batch, (brand, model, code), rows, names[brand], route.path,
                             date, since)
            by_model[(brand, model)].append((code, out))
    models = [_model_out(key, names[key[0]], found) for key, found in by_model.items()]
    models.sort(key=lambda m: (-m.not_recalled.batches, -m.not_recalled.units.known,
                               -m.undecided.batches, m.brand_name.en.casefold(), m.model))
    return models, lots


def _batch_out(
    batch: Batch, key: tuple[str, str, str], rows: tuple[ScopeRow, ...], brand_name: Text,
    path: tuple[Step, ...], date: dt.date, since: dt.date | None,
) -> BatchOut:
    exposure, hits = judge_batch(batch, rows, date)
    return BatchOut(
        brand=key[0], model=batch.model, batch=batch.batch,
        produced_from=batch.produced_from, produced_to=batch.produced_to,
        units=batch.units, cell_lot=batch.cell_lot, exposure=exposure, recalls=hits,
        made_after_suspension=made_after(batch, since),
        path=(*path, texts.batch_step(brand_name, batch.model, batch.batch, "/".join(key))),
    )


def _splits(batches: list[BatchOut]) -> dict[Exposure, Split]:
    """Batches and units per exposure, in one pass."""
    counts = {exposure: [0, 0, 0] for exposure in Exposure}  # batches, known, unknown
    for batch in batches:
        found = counts[batch.exposure]
        found[0] += 1
        if batch.units is None:
            found[2] += 1
        else:
            found[1] += batch.units
    return {e: Split(batches=n, units=Units(known=k, unknown_batches=u))
            for e, (n, k, u) in counts.items()}


def _model_out(
    key: tuple[str, str], brand_name: Text,
    found: list[tuple[str, BatchOut]],
) -> ModelOut:
    found.sort(key=lambda item: item[0])
    batches = [batch for _, batch in found]
    splits = _splits(batches)
    return ModelOut(
        brand=key[0], brand_name=brand_name, model=batches[0].model,
        batches=tuple(batches),
        exposed=_sum(list(splits.values())), recalled=splits[Exposure.RECALLED],
        undecided=splits[Exposure.UNDECIDED], not_recalled=splits[Exposure.NOT_RECALLED],
        recalled_by=tuple(sorted({hit.id for b in batches for hit in b.recalls
                                  if hit.outcome == "matches"})),
    )


def _sum(splits: list[Split]) -> Split:
    units = Units()
    for split in splits:
        units = units + split.units
    return Split(batches=sum(s.batches for s in splits), units=units)


def _totals(models: list[ModelOut]) -> Totals:
    return Totals(
        brands=len({m.brand for m in models}), models=len(models),
        exposed=_sum([m.exposed for m in models]), recalled=_sum([m.recalled for m in models]),
        undecided=_sum([m.undecided for m in models]),
        not_recalled=_sum([m.not_recalled for m in models]),
        made_after_suspension=sum(
            1 for m in models for b in m.batches if b.made_after_suspension
        ),
    )
