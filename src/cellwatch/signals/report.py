"""The signals report: attributions, rates, disproportionality and the inspection list."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from cellwatch.domain.incidents import Incident
from cellwatch.domain.registry import Registry
from cellwatch.signals.disproportion import (
    CHI2_THRESHOLD,
    N_THRESHOLD,
    PRR_THRESHOLD,
    Disproportion,
    disproportionality,
)
from cellwatch.signals.exposure import Attribution, attribute
from cellwatch.signals.inspection import Row, rank
from cellwatch.signals.rates import Rate, incident_rates, recall_rates


@dataclass(frozen=True)
class SignalReport:
    as_of: dt.date
    since: dt.date | None
    registry_version: int
    attributions: tuple[Attribution, ...]
    rates: dict[str, list[Rate]]
    recall_rates: tuple[Rate, ...]
    disproportionality: tuple[Disproportion, ...]
    inspection: tuple[Row, ...]

    @property
    def signals(self) -> tuple[Disproportion, ...]:
        return tuple(m for m in self.disproportionality if m.signal)

    def as_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "since": None if self.since is None else self.since.isoformat(),
            "registry_version": self.registry_version,
            "method": {
                "thresholds": {"prr": PRR_THRESHOLD, "chi2": CHI2_THRESHOLD, "n": N_THRESHOLD},
                "chi2": "Pearson, with Yates' continuity correction",
                "ci": "95 %, log-normal",
            },
            "incidents": [
                {
                    "id": a.incident.id, "date": str(a.incident.date),
                    "mode": a.incident.mode.value,
                    "severity": None if a.incident.severity is None else a.incident.severity.value,
                    "brand": a.brand, "model": a.model_id, "batch": a.batch_id,
                    "cell_maker": a.cell_maker, "counted": a.explain().model_dump(),
                }
                for a in self.attributions
            ],
            "rates": {kind: [r.as_json() for r in rates] for kind, rates in self.rates.items()},
            "recall_rates": [r.as_json() for r in self.recall_rates],
            "disproportionality": [m.as_json() for m in self.disproportionality],
            "inspection": [row.as_json() for row in self.inspection],
        }


def _in_window(incident: Incident, since: dt.date | None, as_of: dt.date) -> bool:
    if since is not None and incident.date.last_day() < since:
        return False
    return incident.date.first_day() <= as_of


def signals(
    registry: Registry, *, since: dt.date | None = None, as_of: dt.date | None = None
) -> SignalReport:
    """Every signal of the registry's incidents (those that may fall on or after ``since``,
    up to ``as_of``, default today); certificate status is taken at ``as_of``."""
    as_of = as_of or dt.date.today()
    incidents = sorted(
        (i for i in registry.data.incidents if _in_window(i, since, as_of)),
        key=lambda i: (i.date.first_day(), i.id), reverse=True,
    )
    attributions = tuple(attribute(registry, incident) for incident in incidents)
    typed = [a for a in attributions if a.incident.severity is not None]
    measures = [
        *disproportionality(((a.cell_maker, a.incident.severity) for a in typed
                             if a.incident.severity is not None), "cell_maker"),
        *disproportionality(((a.model_id, a.incident.severity) for a in typed
                             if a.incident.severity is not None), "model"),
    ]
    reported = recall_rates(registry.data.recalls, since)
    return SignalReport(
        as_of=as_of,
        since=since,
        registry_version=registry.version,
        attributions=attributions,
        rates=incident_rates(registry, attributions),
        recall_rates=tuple(reported),
        disproportionality=tuple(measures),
        inspection=tuple(rank(registry, as_of, attributions, measures, reported)),
    )


#: How many reports a snapshot remembers (each distinct ``since`` and ``as_of``).
REMEMBERED = 16


class _Reports:
    """The last few reports of one snapshot, for the API and the pages."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reports: OrderedDict[tuple[dt.date | None, dt.date], SignalReport] = OrderedDict()


def _reports(registry: Registry) -> _Reports:
    return _Reports()


def remembered_signals(
    registry: Registry, *, since: dt.date | None = None, as_of: dt.date | None = None
) -> SignalReport:
    """:func:`signals`, remembered for the snapshot (the registry cannot change under it):
    the same question is answered once per registry version, at most :data:`REMEMBERED`
    questions at a time (the least recently asked is forgotten first)."""
    key = (since, as_of or dt.date.today())
    memory = registry.derived(_reports)
    with memory.lock:
        found = memory.reports.get(key)
        if found is not None:
            memory.reports.move_to_end(key)
            return found
    report = signals(registry, since=key[0], as_of=key[1])
    with memory.lock:
        memory.reports[key] = report
        while len(memory.reports) > REMEMBERED:
            memory.reports.popitem(last=False)
    return report
