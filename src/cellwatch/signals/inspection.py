"""The ranked inspection list: which cell makers and models to inspect next, and why.

Each row's score is the sum of weighted *features*. A feature is a small pure function of
the subject and the evidence that returns a value (0 when it does not apply) and its
explanation in English and Chinese; the points are ``weight × value``. Rows with no point
are left out. The features and weights are the data below (:data:`FEATURES`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from cellwatch.check.scopes import rows_for
from cellwatch.domain.certificates import CertificateStatus
from cellwatch.domain.companies import Role
from cellwatch.domain.names import model_key
from cellwatch.domain.products import ProductKind, ProductModel
from cellwatch.domain.records import Text
from cellwatch.domain.registry import Registry
from cellwatch.signals.disproportion import Disproportion
from cellwatch.signals.exposure import Attribution, batch_maker, maker_batches, model_batches
from cellwatch.signals.rates import Rate

_NOT_VALID = frozenset(
    {CertificateStatus.SUSPENDED, CertificateStatus.REVOKED, CertificateStatus.CANCELLED}
)
#: Recall-reported incidents per million units at which a model earns 1 and 2 points.
RECALL_RATE_STEPS = (10.0, 100.0)
CAP = 3


@dataclass(frozen=True)
class Subject:
    kind: str  # "model" or "cell_maker"
    id: str  # "brand/model" or the company id
    name: Text
    product: ProductModel | None = None


@dataclass(frozen=True)
class Evidence:
    """Everything the features look at, computed once for the whole list."""

    registry: Registry
    date: dt.date
    incidents: dict[str, list[str]]  # subject id → incident ids attributed to it
    signals: dict[str, list[Disproportion]]  # subject id → flagged measures
    recall_rates: dict[str, Rate]  # recall id → recall-reported rate


@dataclass(frozen=True)
class Reason:
    feature: str
    points: float
    text: Text

    def as_json(self) -> dict[str, object]:
        return {"feature": self.feature, "points": self.points, "text": self.text.model_dump()}


@dataclass(frozen=True)
class Row:
    subject: Subject
    score: float
    reasons: tuple[Reason, ...] = field(default=())

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.subject.kind, "id": self.subject.id,
            "name": self.subject.name.model_dump(), "score": self.score,
            "reasons": [reason.as_json() for reason in self.reasons],
        }


Measure = Callable[[Subject, Evidence], tuple[float, Text] | None]


@dataclass(frozen=True)
class Feature:
    id: str
    weight: float
    kinds: frozenset[str]
    measure: Measure


# -- the features ------------------------------------------------------------------------


def _signals(subject: Subject, evidence: Evidence) -> tuple[float, Text] | None:
    found = evidence.signals.get(subject.id, [])
    if not found:
        return None
    events = ", ".join(sorted({m.event.value for m in found}))
    return len(found), Text(
        en=f"disproportionality signal for {events} (PRR ≥ 2, χ² ≥ 4, N ≥ 3)",
        zh=f"{events} 不成比例信号（PRR ≥ 2，χ² ≥ 4，N ≥ 3）",
    )


def _incidents(subject: Subject, evidence: Evidence) -> tuple[float, Text] | None:
    found = evidence.incidents.get(subject.id, [])
    if not found:
        return None
    return min(CAP, len(found)), Text(
        en=f"{len(found)} incident(s) in the registry: {', '.join(found)}",
        zh=f"登记库中有 {len(found)} 起事件：{', '.join(found)}",
    )


def _recalls_of(subject: Subject, registry: Registry) -> list[str]:
    product = subject.product
    if product is None:
        return []
    return registry.remember(
        _recalls_of, product.key,
        lambda: sorted({row.recall.id for row in rows_for(registry, product.brand,
                                                          product.key[1])}),
    )


def _recall_rate(subject: Subject, evidence: Evidence) -> tuple[float, Text] | None:
    rates = [evidence.recall_rates[r] for r in _recalls_of(subject, evidence.registry)
             if r in evidence.recall_rates and evidence.recall_rates[r].per_million]
    if not rates:
        return None
    top = max(rates, key=lambda r: r.per_million or 0.0)
    per_million = top.per_million or 0.0
    value = sum(per_million >= step for step in RECALL_RATE_STEPS)
    if not value:
        return None
    return value, Text(
        en=f"recall {top.group} reported {top.incidents} incidents in {top.units.count:,} units "
        f"({per_million:,.1f} per million)",
        zh=f"召回 {top.group} 公布 {top.units.count:,} 件中发生 {top.incidents} 起事件"
        f"（每百万 {per_million:,.1f} 起）",
    )


def _statuses(registry: Registry, numbers: Sequence[str], date: dt.date) -> list[str]:
    """``number: status`` of every certificate not valid at the date."""
    found = []
    for number in dict.fromkeys(numbers):
        if number not in registry.certificates:
            continue
        status = registry.certificate_status(number, date)
        if status in _NOT_VALID:
            found.append(f"{number}: {status}")
    return found


def _certificates_by_model(registry: Registry) -> dict[tuple[str, str], tuple[str, ...]]:
    """Certificate numbers by (current holder id, model key) of the models they name."""
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for certificate in registry.data.certificates:
        holder = registry.current_id(certificate.holder)
        for model in certificate.models:
            found[(holder, model_key(model))].append(certificate.number)
    return {key: tuple(numbers) for key, numbers in found.items()}


def _model_certificates(registry: Registry, product: ProductModel) -> list[str]:
    held = registry.derived(_certificates_by_model).get(
        (registry.current_id(product.brand), product.key[1]), ()
    )
    return [*product.certificates, *held]


def _certificate(subject: Subject, evidence: Evidence) -> tuple[float, Text] | None:
    registry = evidence.registry
    if subject.product is not None:
        numbers = _model_certificates(registry, subject.product)
        found = _statuses(registry, numbers, evidence.date)
    else:
        found = _maker_problems(registry, subject.id, evidence.date)
    if not found:
        return None
    return 1, Text(
        en=f"certificate(s) not valid on {evidence.date}: {'; '.join(found)}",
        zh=f"{evidence.date} 证书无效：{'；'.join(found)}",
    )


def _makers_of(subject: Subject, registry: Registry) -> list[str]:
    product = subject.product
    if product is None:
        return []

    def compute() -> list[str]:
        makers = {batch_maker(registry, b) for b in model_batches(registry, product)}
        return sorted(m for m in makers if m is not None)

    return registry.remember(_makers_of, product.key, compute)


def _maker_problems(registry: Registry, maker: str, date: dt.date) -> list[str]:
    """The maker's certificates not valid at the date (remembered per snapshot)."""
    return registry.remember(
        _maker_problems, (maker, date),
        lambda: _statuses(registry, [c.number for c in registry.certificates_of(maker)], date),
    )


def _suspended_makers(subject: Subject, evidence: Evidence) -> list[str]:
    return [maker for maker in _makers_of(subject, evidence.registry)
            if _maker_problems(evidence.registry, maker, evidence.date)]


def _supplier(subject: Subject, evidence: Evidence) -> tuple[float, Text] | None:
    makers = _suspended_makers(subject, evidence)
    if not makers:
        return None
    return 1, Text(
        en=f"its cells come from {', '.join(makers)}, whose certificates are not valid "
        f"on {evidence.date}",
        zh=f"其电芯来自 {'、'.join(makers)}，该电芯厂证书于 {evidence.date} 无效",
    )


def _gap(subject: Subject, evidence: Evidence) -> tuple[float, Text] | None:
    if not _suspended_makers(subject, evidence) or _recalls_of(subject, evidence.registry):
        return None
    return 1, Text(
        en="not recalled although its cell maker's certificates are not valid",
        zh="电芯厂证书无效，但该型号尚未召回",
    )


def _history(subject: Subject, evidence: Evidence) -> tuple[float, Text] | None:
    registry = evidence.registry
    if subject.product is not None:
        recalls = _recalls_of(subject, registry)
        if not recalls:
            return None
        return min(CAP, len(recalls)), Text(
            en=f"recalled {len(recalls)} time(s): {', '.join(recalls)}",
            zh=f"已召回 {len(recalls)} 次：{', '.join(recalls)}",
        )
    recalled = sorted({
        f"{b.brand}/{b.model}" for b in maker_batches(registry, subject.id)
        if rows_for(registry, b.brand, model_key(b.model))
    })
    if not recalled:
        return None
    return min(CAP, len(recalled)), Text(
        en=f"{len(recalled)} recalled model(s) used its cells: {', '.join(recalled)}",
        zh=f"{len(recalled)} 个被召回型号使用其电芯：{', '.join(recalled)}",
    )


_BOTH = frozenset({"model", "cell_maker"})
_MODEL = frozenset({"model"})

#: The features and their weights, in the order a row lists its reasons.
FEATURES: tuple[Feature, ...] = (
    Feature("signal", 3.0, _BOTH, _signals),
    Feature("certificate", 3.0, _BOTH, _certificate),
    Feature("supplier_certificate", 2.0, _MODEL, _supplier),
    Feature("exposure_gap", 2.0, _MODEL, _gap),
    Feature("incidents", 1.0, _BOTH, _incidents),
    Feature("recall_incident_rate", 1.0, _MODEL, _recall_rate),
    Feature("recall_history", 1.0, _BOTH, _history),
)


def subjects(registry: Registry) -> list[Subject]:
    """Every power-bank model and every cell maker (by role or by supplying a batch)."""
    found = [
        Subject("model", f"{p.brand}/{p.model}", _model_name(registry, p), p)
        for p in registry.data.products if p.kind is ProductKind.POWER_BANK
    ]
    makers = {registry.current_id(c.id) for c in registry.data.companies
              if Role.CELL_MAKER in c.roles}
    makers.update(registry.current_id(lot.cell_maker) for lot in registry.data.cell_lots)
    makers.update(registry.current_id(b.cell_maker) for b in registry.data.batches
                  if b.cell_maker)
    for maker in sorted(makers):
        company = registry.companies.get(maker)
        name = _text(maker, maker) if company is None else _name(company.name, company.names)
        found.append(Subject("cell_maker", maker, name))
    return found


def _model_name(registry: Registry, product: ProductModel) -> Text:
    company = registry.companies.get(registry.current_id(product.brand))
    if company is None:
        return _text(f"{product.brand} {product.model}", f"{product.brand} {product.model}")
    brand = _name(company.name, company.names)
    return _text(f"{brand.en} {product.model}", f"{brand.zh} {product.model}")


def _name(name: str, names: dict[str, str]) -> Text:
    return _text(name, names.get("zh") or name)


def _text(en: str, zh: str) -> Text:
    """A name from validated records: built without validating it again (many rows)."""
    return Text.model_construct(en=en, zh=zh)


def rank(
    registry: Registry,
    date: dt.date,
    attributions: Sequence[Attribution],
    measures: Sequence[Disproportion],
    recall_rates: Sequence[Rate],
) -> list[Row]:
    """The inspection list, highest score first."""
    incidents: dict[str, list[str]] = defaultdict(list)
    for attribution in attributions:
        for group in (attribution.model_id, attribution.cell_maker):
            if group is not None:
                incidents[group].append(attribution.incident.id)
    signals: dict[str, list[Disproportion]] = defaultdict(list)
    for measure in measures:
        if measure.signal:
            signals[measure.group].append(measure)
    evidence = Evidence(registry, date, dict(incidents), dict(signals),
                        {rate.group: rate for rate in recall_rates})
    rows = []
    for subject in subjects(registry):
        reasons = []
        for feature in FEATURES:
            if subject.kind not in feature.kinds:
                continue
            found = feature.measure(subject, evidence)
            if found is not None and found[0]:
                reasons.append(Reason(feature.id, feature.weight * found[0], found[1]))
        if reasons:
            rows.append(Row(subject, sum(r.points for r in reasons), tuple(reasons)))
    return sorted(rows, key=lambda row: (-row.score, row.subject.kind, row.subject.id))
