"""Tiny factories for rule tests: facts where nothing fires unless a test says so."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cellwatch.rules.engine import Evaluation, evaluate, get_packs
from cellwatch.rules.facts import CertificateState, EnergyMethod, Facts, Mark, RecallStatus

CLEAN: dict[str, Any] = {
    "energy_wh": 50.0,
    "energy_method": EnergyMethod.MARKED,
    "ccc_mark": Mark.PRESENT,
    "certificate": CertificateState.VALID,
    "recall": RecallStatus.NOT_RECALLED,
}


def facts(date: str = "2026-06-01", **changes: Any) -> Facts:
    """A marked 50 Wh unit with a valid 3C certificate, not recalled, carried on, one of it."""
    return Facts(date=dt.date.fromisoformat(date), **{**CLEAN, **changes})


def run(packs: str, date: str = "2026-06-01", **changes: Any) -> Evaluation:
    return evaluate(get_packs(packs), facts(date, **changes))


def fired_ids(result: Evaluation) -> set[str]:
    return {rule.rule_id for rule in result.fired}
