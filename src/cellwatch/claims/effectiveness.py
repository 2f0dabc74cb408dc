"""Recall effectiveness: claims and completions against the recalled units, over time.

From the claim events of one recall (each claim's steps with their dates), per month:
claims submitted and claims completed, and the running totals as a share of the recall's
``units``. Rejected claims are counted apart and are not in the claimed share. Figures an
authority published (:mod:`.reported`) stand beside them, never added to them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from cellwatch.claims.reported import ReportedFigure, reported_for
from cellwatch.claims.workflow import ClaimState
from cellwatch.domain.recalls import Recall
from cellwatch.domain.records import Text


@dataclass(frozen=True)
class ClaimEvent:
    """One step of one claim: it reached ``state`` at ``at``."""

    claim_id: str
    state: ClaimState
    at: dt.datetime


@dataclass(frozen=True)
class Month:
    month: str  # YYYY-MM
    submitted: int
    completed: int
    submitted_total: int
    completed_total: int
    claimed_share: float | None  # percent of units (rejected claims left out)
    completed_share: float | None


@dataclass(frozen=True)
class Effectiveness:
    recall_id: str
    units: int | None
    claims: int
    by_state: dict[str, int]
    completed_share: float | None
    claimed_share: float | None
    months: tuple[Month, ...]
    reported: tuple[ReportedFigure, ...]
    summary: Text

    def as_json(self) -> dict[str, object]:
        return {
            "recall_id": self.recall_id, "units": self.units, "claims": self.claims,
            "by_state": self.by_state, "claimed_share": self.claimed_share,
            "completed_share": self.completed_share,
            "months": [vars(m) for m in self.months],
            "reported": [r.as_json() for r in self.reported],
            "summary": self.summary.model_dump(),
        }


def _share(count: int, units: int | None) -> float | None:
    return None if not units else round(100 * count / units, 3)


def effectiveness(recall: Recall, events: Iterable[ClaimEvent]) -> Effectiveness:
    """Count one recall's claims from their events (any order)."""
    ordered = sorted(events, key=lambda e: (e.at, e.claim_id))
    latest: dict[str, ClaimState] = {}
    submitted: Counter[str] = Counter()
    completed: Counter[str] = Counter()
    rejected: set[str] = set()
    for event in ordered:
        latest[event.claim_id] = event.state
        month = event.at.strftime("%Y-%m")
        if event.state is ClaimState.SUBMITTED:
            submitted[month] += 1
        elif event.state is ClaimState.COMPLETED:
            completed[month] += 1
        elif event.state is ClaimState.REJECTED:
            rejected.add(event.claim_id)
    by_state = Counter(state.value for state in latest.values())
    units = recall.units
    months = []
    running_submitted = running_completed = 0
    for month in sorted(set(submitted) | set(completed)):
        running_submitted += submitted[month]
        running_completed += completed[month]
        months.append(Month(
            month, submitted[month], completed[month], running_submitted, running_completed,
            _share(running_submitted, units), _share(running_completed, units),
        ))
    claims = len(latest)
    valid = claims - len(rejected)
    done = by_state.get(ClaimState.COMPLETED.value, 0)
    completed_share = _share(done, units)
    units_text = f"{units:,}" if units else "?"
    summary = Text(
        en=f"{claims:,} claim(s) ({len(rejected):,} rejected) and {done:,} completed "
        f"against {units_text} recalled units"
        + (f" ({completed_share} % completed)" if completed_share is not None else ""),
        zh=f"共 {claims:,} 份申请（{len(rejected):,} 份被拒），已完成 {done:,} 份，"
        f"召回数量 {units_text} 件"
        + (f"（完成率 {completed_share}%）" if completed_share is not None else ""),
    )
    return Effectiveness(
        recall.id, units, claims, dict(sorted(by_state.items())), completed_share,
        _share(valid, units), tuple(months), tuple(reported_for(recall.id)), summary,
    )
