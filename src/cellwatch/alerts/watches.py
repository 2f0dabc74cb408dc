"""Watches, and whether an event concerns one.

A watch names what someone wants to hear about: brands, models, companies, and/or a list
of units (an inventory). An event matches a watch when any of these holds, and each
reason is kept so the webhook can say *why*:

- **brand**: the event concerns a brand the watch names (under any of its names, renames
  followed both ways);
- **company**: the event names the company (issuer, certificate holder or factory), or
  the company's cells reach a model the event concerns — a cell maker counts for every
  product its cells reach, through its lots, the factories that made them and its
  contract factories (the impact walk);
- **model**: the event concerns the model;
- **unit**: a unit of the watch's inventory is reached: for a recall, the unit is judged
  against the recall's scope with the check's own matching (recalled, or possibly recalled
  with the facts to read off it); for a certificate or an incident, the unit is of a model
  the event concerns.

The models an event concerns are those it names, plus, for a certificate of cells, the
models its holder's cells reach. Matching is pure: it takes the event, the watch and a
registry snapshot.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

from cellwatch.check.scopes import Outcome, Unit, compile_row, judge
from cellwatch.domain.dates import PartialDate
from cellwatch.domain.events import EventType, Subject
from cellwatch.domain.names import fold_name, model_key
from cellwatch.domain.recalls import Recall
from cellwatch.domain.registry import Registry
from cellwatch.errors import InputError
from cellwatch.impact.graph import from_company

ModelRef = tuple[str, str]  # (current brand id, model key)


class EventLike(Protocol):
    """What matching reads of an event (a stored event has it)."""

    @property
    def type(self) -> EventType: ...

    @property
    def subjects(self) -> frozenset[Subject]: ...

    @property
    def record(self) -> dict[str, Any]: ...


@dataclass(frozen=True, slots=True)
class WatchUnit:
    """One unit of a watched inventory, as its owner described it."""

    line: int
    brand: str
    model: str
    label: str | None = None
    serial: str | None = None
    batch: str | None = None
    produced: PartialDate | None = None


@dataclass(frozen=True)
class Watch:
    """Who wants to hear about what, and where to send it."""

    id: int
    name: str
    owner: str
    url: str
    types: frozenset[EventType] = frozenset()  # empty: every type
    subjects: frozenset[Subject] = frozenset()  # brand, company and model subjects
    units: tuple[WatchUnit, ...] = field(default=(), repr=False)


def match(watch: Watch, event: EventLike, registry: Registry) -> list[dict[str, Any]]:
    """Why ``event`` concerns ``watch`` (JSON-ready reasons); empty when it does not."""
    if watch.types and event.type not in watch.types:
        return []
    models = event_models(event, registry)
    brands = {registry.current_id(v) for k, v in event.subjects if k == "brand"}
    companies = {registry.current_id(v) for k, v in event.subjects if k == "company"}
    reasons: list[dict[str, Any]] = []
    for kind, value in sorted(watch.subjects):
        current = registry.current_id(value.split("/", 1)[0])
        if kind == "brand" and (current in brands or any(b == current for b, _ in models)):
            reasons.append({"watched": "brand", "value": value})
        elif kind == "company":
            if current in companies:
                reasons.append({"watched": "company", "value": value})
            else:
                reached = sorted(models & company_reach(registry, current))
                if reached:
                    reasons.append({"watched": "company", "value": value,
                                    "via_models": [f"{b}/{m}" for b, m in reached]})
        elif kind == "model" and _model_ref(registry, value) in models:
            reasons.append({"watched": "model", "value": value})
    reasons.extend(_unit_reasons(watch.units, event, models, registry))
    return reasons


def event_models(event: EventLike, registry: Registry) -> frozenset[ModelRef]:
    """The models an event concerns: those it names, and those a cell maker's cells reach."""
    models = {_model_ref(registry, v) for k, v in event.subjects if k == "model"}
    if event.type is EventType.CERTIFICATE_STATUS_CHANGED and not models:
        for kind, value in event.subjects:
            if kind == "company":
                models |= company_reach(registry, registry.current_id(value))
    return frozenset(models)


def company_reach(registry: Registry, company_id: str) -> frozenset[ModelRef]:
    """The models a company's cells reach (impact walk), and its own models as a brand."""

    def compute() -> frozenset[ModelRef]:
        company = registry.companies.get(company_id)
        if company is None:
            return frozenset()
        walk = from_company(registry, company, company.id)
        reached = {
            (registry.current_id(batch.brand), model_key(batch.model))
            for route in walk.routes
            for batch in route.batches
        }
        identities = registry.identities(company_id)
        reached |= {
            (registry.current_id(p.brand), p.key[1])
            for p in registry.data.products
            if p.brand in identities
        }
        return frozenset(reached)

    return registry.remember(company_reach, company_id, compute)


def _model_ref(registry: Registry, value: str) -> ModelRef:
    brand, _, model = value.partition("/")
    return registry.current_id(brand), model_key(model)


def _unit_reasons(
    units: Iterable[WatchUnit], event: EventLike, models: frozenset[ModelRef],
    registry: Registry,
) -> list[dict[str, Any]]:
    units = list(units)
    if not units:
        return []
    recall = _recall(event.record) if event.type in _RECALL_TYPES else None
    reasons: list[dict[str, Any]] = []
    for unit in units:
        ref = (registry.current_id(_brand_id(registry, unit.brand)), model_key(unit.model))
        if recall is not None:
            found = _judge(recall, ref, unit, registry)
            if found is not None:
                reasons.append(_unit_reason(unit, found[0], found[1]))
        elif ref in models:
            reasons.append(_unit_reason(unit, "model", ()))
    return reasons


_RECALL_TYPES = frozenset({EventType.RECALL_PUBLISHED, EventType.RECALL_REVISED})


def _recall(record: Mapping[str, Any]) -> Recall | None:
    try:
        return Recall.model_validate(record)
    except ValueError:
        return None


def _brand_id(registry: Registry, brand: str) -> str:
    company = registry.resolve_company(brand)
    return company.id if company is not None else fold_name(brand)


def _judge(
    recall: Recall, ref: ModelRef, unit: WatchUnit, registry: Registry
) -> tuple[str, tuple[str, ...]] | None:
    """``("recalled", ())`` or ``("possibly_recalled", missing)`` for a unit in scope."""
    facts = Unit.of(unit.batch, unit.produced, unit.serial)
    missing: set[str] = set()
    for position, entry in enumerate(recall.scope):
        brand = registry.current_id(recall.entry_brand(entry))
        row = compile_row(recall, position, entry, brand)
        if (row.brand, row.model_key) != ref:
            continue
        judgement = judge(row, facts)
        if judgement.outcome is Outcome.MATCHES:
            return "recalled", ()
        if judgement.outcome is Outcome.UNDECIDED:
            missing.update(judgement.missing)
    if missing:
        return "possibly_recalled", tuple(sorted(missing))
    return None


def _unit_reason(unit: WatchUnit, status: str, missing: tuple[str, ...]) -> dict[str, Any]:
    reason: dict[str, Any] = {
        "watched": "unit", "line": unit.line, "brand": unit.brand, "model": unit.model,
        "status": status,
    }
    for name in ("label", "serial", "batch"):
        value = getattr(unit, name)
        if value is not None:
            reason[name] = value
    if unit.produced is not None:
        reason["produced"] = unit.produced.isoformat()
    if missing:
        reason["missing"] = list(missing)
    return reason


# -- making a watch ------------------------------------------------------------------------

#: The most units one watch may list (a larger inventory belongs in ``cellwatch screen``).
MAX_UNITS = 10_000


def watch_subjects(
    registry: Registry,
    brands: Iterable[str] = (),
    models: Iterable[str] = (),
    companies: Iterable[str] = (),
) -> frozenset[Subject]:
    """The subjects of a watch, each name resolved against the registry (any name, alias or
    former name). Models are ``brand/model`` (or ``brand:model``), kept as brand id and
    folded code (``romoss/PAC20272``), as events name them. An unknown name is an
    :class:`~cellwatch.errors.InputError`: a watch that can never match helps nobody."""
    subjects: set[Subject] = set()
    for brand in brands:
        subjects.add(("brand", _known(registry, brand, "brand")))
    for company in companies:
        subjects.add(("company", _known(registry, company, "company")))
    for ref in models:
        brand, sep, model = ref.replace(":", "/", 1).partition("/")
        if not sep or not brand.strip() or not model.strip():
            raise InputError(f"model {ref!r}: write it as brand/model, e.g. romoss/PAC20-272")
        subjects.add(("model", f"{_known(registry, brand, 'brand')}/{model_key(model)}"))
    return frozenset(subjects)


def _known(registry: Registry, name: str, what: str) -> str:
    company = registry.resolve_company(name.strip())
    if company is None:
        raise InputError(f"no {what} {name.strip()!r} in the registry (any name or alias works)")
    return company.id


def watch_unit(line: int, fields: Mapping[str, str | None]) -> WatchUnit:
    """One inventory unit from its fields (brand and model required; produced a date)."""
    values = {k: (v.strip() if isinstance(v, str) and v.strip() else None)
              for k, v in fields.items()}
    brand, model = values.get("brand"), values.get("model")
    if not brand or not model:
        raise InputError(f"unit on line {line}: brand and model are required")
    produced = values.get("produced")
    try:
        date = PartialDate.parse(produced) if produced else None
    except ValueError as error:
        raise InputError(f"unit on line {line}: produced: {error}") from None
    return WatchUnit(line=line, brand=brand, model=model, label=values.get("label"),
                     serial=values.get("serial"), batch=values.get("batch"), produced=date)


def webhook_url(url: str) -> str:
    """A webhook address: ``http`` or ``https`` with a host, at most 2,000 characters."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 2000:
        raise InputError(f"webhook URL {url!r}: give an http:// or https:// address with a host")
    return url.strip()
