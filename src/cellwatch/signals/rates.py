"""Exposure-normalised incident rates: incidents per million units.

Two numerators, kept apart:

- *registry incidents*: incident records, each attributed (:func:`.exposure.attribute`) to
  a brand, model, batch and cell maker, counted per group and divided by the group's
  exposure (:mod:`.exposure`; each rate names its denominator);
- *recall-reported incidents*: the ``incidents`` count a recall notice published, divided
  by the recall's ``units``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from cellwatch.domain.recalls import Recall
from cellwatch.domain.registry import Registry
from cellwatch.signals.exposure import (
    BASIS_TEXT,
    NO_UNITS,
    Attribution,
    Basis,
    Units,
    batch_units,
    brand_units,
    maker_units,
    model_units,
)


@dataclass(frozen=True)
class Rate:
    """Incidents of one group per million of its units."""

    group_kind: str  # brand, model, batch, cell_maker, recall
    group: str
    incidents: int
    units: Units
    per_million: float | None
    incident_ids: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        return {
            "group_kind": self.group_kind,
            "group": self.group,
            "incidents": self.incidents,
            "units": self.units.count,
            "denominator": self.units.basis.value,
            "denominator_text": BASIS_TEXT[self.units.basis].model_dump(),
            "denominator_from": list(self.units.origin),
            "left_out": list(self.units.left_out),
            "per_million": None if self.per_million is None else round(self.per_million, 3),
            "incident_ids": list(self.incident_ids),
        }


def _grouped(
    kind: str,
    attributions: Iterable[Attribution],
    key: Callable[[Attribution], str | None],
    units: Callable[[Attribution], Units],
) -> list[Rate]:
    groups: dict[str, list[Attribution]] = defaultdict(list)
    for attribution in attributions:
        group = key(attribution)
        if group is not None:
            groups[group].append(attribution)
    rates = []
    for group, members in groups.items():
        exposure = units(members[0])
        rates.append(Rate(
            kind, group, len(members), exposure, exposure.per_million(len(members)),
            tuple(sorted(m.incident.id for m in members)),
        ))
    return _ordered(rates)


def _ordered(rates: list[Rate]) -> list[Rate]:
    return sorted(
        rates,
        key=lambda r: (-(r.per_million if r.per_million is not None else -1.0),
                       -r.incidents, r.group),
    )


def incident_rates(
    registry: Registry, attributions: Sequence[Attribution]
) -> dict[str, list[Rate]]:
    """Rates of registry incidents by brand, model, batch and cell maker."""
    return {
        "brand": _grouped(
            "brand", attributions, lambda a: a.brand,
            lambda a: brand_units(registry, a.brand or ""),
        ),
        "model": _grouped(
            "model", attributions, lambda a: a.model_id,
            lambda a: model_units(registry, a.product) if a.product else NO_UNITS,
        ),
        "batch": _grouped(
            "batch", attributions, lambda a: a.batch_id,
            lambda a: batch_units([a.batch]) if a.batch else NO_UNITS,
        ),
        "cell_maker": _grouped(
            "cell_maker", attributions, lambda a: a.cell_maker,
            lambda a: maker_units(registry, a.cell_maker or ""),
        ),
    }


def recall_rates(recalls: Iterable[Recall], since: dt.date | None = None) -> list[Rate]:
    """Incidents a recall notice reported per million of the units it recalled."""
    rates = []
    for recall in recalls:
        if recall.incidents is None:
            continue
        if since is not None and recall.announced.last_day() < since:
            continue
        units = Units(recall.units, Basis.RECALL_UNITS if recall.units else Basis.NONE,
                      (recall.id,))
        rates.append(Rate("recall", recall.id, recall.incidents, units,
                          units.per_million(recall.incidents)))
    return _ordered(rates)
