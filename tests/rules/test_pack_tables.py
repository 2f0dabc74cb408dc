"""Each pack as a table: facts on a date → verdict and the rule that decides it.

The facts start from a marked 50 Wh unit with a valid 3C certificate, not recalled,
carried on, one of it (``factories.CLEAN``); each row changes only what it tests.
``expected_rule`` must be among the fired rules; ``None`` means no rule fires.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.rules.factories import fired_ids, run

Row = tuple[str, str, dict[str, Any], str, str | None]


def _cases(rows: list[Row]) -> pytest.MarkDecorator:
    return pytest.mark.parametrize(
        ("packs", "date", "changes", "verdict", "expected_rule"),
        [pytest.param(*row, id=f"{row[0]}|{row[1]}|{row[2]}") for row in rows],
    )


def _check(packs: str, date: str, changes: dict[str, Any], verdict: str,
           expected_rule: str | None) -> None:
    result = run(packs, date, **changes)
    assert result.verdict == verdict, [rule.rule_id for rule in result.fired]
    if expected_rule is None:
        assert result.fired == ()
    else:
        assert expected_rule in fired_ids(result)


CN_CAAC: list[Row] = [
    ("cn-caac", "2025-07-01", {}, "allowed", None),
    ("cn-caac", "2025-07-01", {"energy_wh": 100.0}, "allowed", None),
    ("cn-caac", "2025-07-01", {"energy_wh": 100.01}, "conditional", "cn-caac.100-to-160-wh"),
    ("cn-caac", "2025-07-01", {"energy_wh": 160.0}, "conditional", "cn-caac.100-to-160-wh"),
    ("cn-caac", "2025-07-01", {"energy_wh": 160.01}, "forbidden", "cn-caac.over-160-wh"),
    ("cn-caac", "2025-07-01", {"energy_wh": 150.0, "count": 2}, "conditional",
     "cn-caac.100-to-160-wh"),
    ("cn-caac", "2025-07-01", {"energy_wh": 150.0, "count": 3}, "forbidden",
     "cn-caac.100-to-160-wh-more-than-two"),
    # the limit of two is for the 100–160 Wh class only
    ("cn-caac", "2025-07-01", {"energy_wh": 100.0, "count": 3}, "allowed", None),
    ("cn-caac", "2025-07-01", {"baggage": "checked"}, "forbidden", "cn-caac.checked-baggage"),
    ("cn-caac", "2014-08-06", {"baggage": "checked"}, "allowed", None),
    ("cn-caac", "2014-08-07", {"baggage": "checked"}, "forbidden", "cn-caac.checked-baggage"),
    ("cn-caac", "2025-07-01", {"energy_wh": None}, "needs_info", "cn-caac.energy-unknown"),
    # the 2025 urgent notice, in force 2025-06-28
    ("cn-caac", "2025-06-27", {"ccc_mark": "absent"}, "allowed", None),
    ("cn-caac", "2025-06-28", {"ccc_mark": "absent"}, "forbidden", "cn-caac.no-ccc-mark"),
    ("cn-caac", "2025-06-27", {"ccc_mark": "illegible"}, "allowed", None),
    ("cn-caac", "2025-06-28", {"ccc_mark": "illegible"}, "forbidden",
     "cn-caac.ccc-mark-unclear"),
    ("cn-caac", "2025-06-27", {"ccc_mark": "unknown"}, "allowed", None),
    ("cn-caac", "2025-06-28", {"ccc_mark": "unknown"}, "needs_info", "cn-caac.ccc-mark-unknown"),
    ("cn-caac", "2025-06-27", {"certificate": "suspended"}, "allowed", None),
    ("cn-caac", "2025-06-28", {"certificate": "suspended"}, "forbidden",
     "cn-caac.ccc-certificate-invalid"),
    ("cn-caac", "2025-06-28", {"certificate": "revoked"}, "forbidden",
     "cn-caac.ccc-certificate-invalid"),
    ("cn-caac", "2025-06-28", {"certificate": "cancelled"}, "forbidden",
     "cn-caac.ccc-certificate-invalid"),
    ("cn-caac", "2025-06-28", {"certificate": "expired"}, "forbidden",
     "cn-caac.ccc-certificate-invalid"),
    ("cn-caac", "2025-06-28", {"certificate": "mismatch"}, "forbidden",
     "cn-caac.ccc-certificate-mismatch"),
    ("cn-caac", "2025-06-28", {"certificate": "none"}, "allowed", None),
    ("cn-caac", "2025-06-28", {"certificate": "unknown_certificate"}, "allowed", None),
    ("cn-caac", "2025-06-27", {"recall": "recalled"}, "allowed", None),
    ("cn-caac", "2025-06-28", {"recall": "recalled"}, "forbidden", "cn-caac.recalled"),
    ("cn-caac", "2025-06-27", {"recall": "possibly_recalled"}, "allowed", None),
    ("cn-caac", "2025-06-28", {"recall": "possibly_recalled"}, "needs_info",
     "cn-caac.possibly-recalled"),
    ("cn-caac", "2025-06-28", {"recall": "unknown_model"}, "allowed", None),
]

ICAO: list[Row] = [
    ("icao", "2026-06-01", {}, "allowed", None),
    ("icao", "2026-06-01", {"energy_wh": 100.0}, "allowed", None),
    ("icao", "2026-06-01", {"energy_wh": 100.01}, "conditional", "icao.100-to-160-wh"),
    ("icao", "2026-06-01", {"energy_wh": 160.0}, "conditional", "icao.100-to-160-wh"),
    ("icao", "2026-06-01", {"energy_wh": 160.01}, "forbidden", "icao.over-160-wh"),
    ("icao", "2025-06-01", {"energy_wh": 150.0, "count": 2}, "conditional", "icao.100-to-160-wh"),
    ("icao", "2025-06-01", {"energy_wh": 150.0, "count": 3}, "forbidden",
     "icao.100-to-160-wh-more-than-two"),
    ("icao", "2026-06-01", {"baggage": "checked"}, "forbidden", "icao.checked-baggage"),
    ("icao", "2026-06-01", {"energy_wh": None}, "needs_info", "icao.energy-unknown"),
    ("icao", "2026-06-01", {"recall": "recalled"}, "forbidden", "icao.recalled"),
    ("icao", "2026-06-01", {"recall": "possibly_recalled"}, "needs_info",
     "icao.possibly-recalled"),
    ("icao", "2026-06-01", {"recall": "unknown_model"}, "allowed", None),
    # ICAO does not look at the 3C mark
    ("icao", "2026-06-01", {"ccc_mark": "absent", "certificate": "revoked"}, "allowed", None),
    # up to 20 spares until Addendum No. 1, then at most two power banks
    ("icao", "2026-03-26", {"count": 20}, "allowed", None),
    ("icao", "2026-03-26", {"count": 21}, "conditional", "icao.more-than-20-spares"),
    ("icao", "2026-03-26", {"count": 3}, "allowed", None),
    ("icao", "2026-03-27", {"count": 2}, "allowed", None),
    ("icao", "2026-03-27", {"count": 3}, "forbidden", "icao.more-than-two-power-banks"),
]

US_FAA: list[Row] = [
    ("us-faa", "2026-06-01", {}, "allowed", None),
    ("us-faa", "2026-06-01", {"energy_wh": 100.0}, "allowed", None),
    ("us-faa", "2026-06-01", {"energy_wh": 100.01}, "conditional", "us-faa.100-to-160-wh"),
    ("us-faa", "2026-06-01", {"energy_wh": 160.0}, "conditional", "us-faa.100-to-160-wh"),
    ("us-faa", "2026-06-01", {"energy_wh": 160.01}, "forbidden", "us-faa.over-160-wh"),
    ("us-faa", "2026-06-01", {"energy_wh": 150.0, "count": 2}, "conditional",
     "us-faa.100-to-160-wh"),
    ("us-faa", "2026-06-01", {"energy_wh": 150.0, "count": 3}, "forbidden",
     "us-faa.100-to-160-wh-more-than-two"),
    ("us-faa", "2026-06-01", {"count": 3}, "allowed", None),
    ("us-faa", "2026-06-01", {"baggage": "checked"}, "forbidden", "us-faa.checked-baggage"),
    ("us-faa", "2026-06-01", {"energy_wh": None}, "needs_info", "us-faa.energy-unknown"),
    ("us-faa", "2026-06-01", {"recall": "recalled"}, "forbidden", "us-faa.recalled"),
    ("us-faa", "2026-06-01", {"recall": "possibly_recalled"}, "needs_info",
     "us-faa.possibly-recalled"),
    ("us-faa", "2026-06-01", {"recall": "unknown_model"}, "allowed", None),
]

CN_RAIL: list[Row] = [
    ("cn-rail", "2022-06-30", {"energy_wh": 150.0}, "allowed", None),
    ("cn-rail", "2022-07-01", {"energy_wh": 150.0}, "forbidden", "cn-rail.over-100-wh"),
    ("cn-rail", "2025-07-01", {"energy_wh": 100.0}, "allowed", None),
    ("cn-rail", "2025-07-01", {"energy_wh": 100.01}, "forbidden", "cn-rail.over-100-wh"),
    ("cn-rail", "2025-07-01", {"energy_wh": None}, "needs_info", "cn-rail.energy-unknown"),
    ("cn-rail", "2025-07-01", {"count": 10}, "allowed", None),
    # rail checks neither the 3C mark nor recalls, and has no checked-baggage rule
    ("cn-rail", "2025-07-01", {"ccc_mark": "absent", "certificate": "revoked"}, "allowed", None),
    ("cn-rail", "2025-07-01", {"recall": "recalled"}, "allowed", None),
    ("cn-rail", "2025-07-01", {"baggage": "checked"}, "allowed", None),
]

CN_COURIER: list[Row] = [
    ("cn-courier", "2025-06-22", {}, "allowed", None),
    ("cn-courier", "2025-06-23", {}, "conditional", "cn-courier.courier-acceptance"),
    ("cn-courier", "2025-07-01", {"recall": "recalled"}, "forbidden", "cn-courier.recalled"),
    ("cn-courier", "2025-07-01", {"recall": "possibly_recalled"}, "needs_info",
     "cn-courier.possibly-recalled"),
    ("cn-courier", "2025-07-01", {"recall": "unknown_model"}, "conditional",
     "cn-courier.courier-acceptance"),
    ("cn-courier", "2025-07-01", {"energy_wh": None, "ccc_mark": "absent"}, "conditional",
     "cn-courier.courier-acceptance"),
]

OVERLAYS: list[Row] = [
    # every overlay brings its base: checked baggage and recalls are forbidden everywhere
    *[(name, "2026-06-01", {"baggage": "checked"}, "forbidden", f"{base}.checked-baggage")
      for name, base in [("emirates", "icao"), ("etihad", "icao"), ("hk-cad", "icao"),
                         ("singapore-airlines", "icao"), ("kr-molit", "icao"),
                         ("qantas", "icao"), ("lufthansa", "icao"),
                         ("american", "us-faa"), ("southwest", "us-faa")]],
    ("southwest", "2026-06-01", {"recall": "recalled"}, "forbidden", "us-faa.recalled"),
    ("hk-cad", "2026-06-01", {"energy_wh": None}, "needs_info", "icao.energy-unknown"),
    ("singapore-airlines", "2026-06-01", {"energy_wh": 150.0}, "conditional",
     "icao.100-to-160-wh"),
    # Emirates from 2025-10-01: one power bank, strictly below 100 Wh
    ("emirates", "2025-09-30", {"energy_wh": 100.0}, "allowed", None),
    ("emirates", "2025-10-01", {"energy_wh": 100.0}, "forbidden", "emirates.100-wh-or-more"),
    ("emirates", "2025-10-01", {"energy_wh": 99.99}, "allowed", None),
    ("emirates", "2025-09-30", {"energy_wh": 150.0}, "conditional", "icao.100-to-160-wh"),
    ("emirates", "2025-09-30", {"count": 2}, "allowed", None),
    ("emirates", "2025-10-01", {"count": 2}, "forbidden", "emirates.more-than-one"),
    # Etihad: one power bank of at most 100 Wh
    ("etihad", "2025-01-01", {"energy_wh": 100.0}, "allowed", None),
    ("etihad", "2025-01-01", {"energy_wh": 100.01}, "forbidden", "etihad.over-100-wh"),
    ("etihad", "2025-01-01", {"count": 2}, "forbidden", "etihad.more-than-one"),
    # Korea from 2025-03-01: up to five
    ("kr-molit", "2025-02-28", {"count": 6}, "allowed", None),
    ("kr-molit", "2025-03-01", {"count": 5}, "allowed", None),
    ("kr-molit", "2025-03-01", {"count": 6}, "forbidden", "kr-molit.more-than-five"),
    ("qantas", "2025-12-14", {"count": 3}, "allowed", None),
    ("qantas", "2025-12-15", {"count": 3}, "forbidden", "qantas.more-than-two"),
    ("qantas", "2025-12-15", {"count": 2}, "allowed", None),
    ("lufthansa", "2026-01-14", {"count": 3}, "allowed", None),
    ("lufthansa", "2026-01-15", {"count": 3}, "forbidden", "lufthansa.more-than-two"),
    # American from 2026-05-01: at most two, each at most 100 Wh
    ("american", "2026-04-30", {"energy_wh": 150.0}, "conditional", "us-faa.100-to-160-wh"),
    ("american", "2026-05-01", {"energy_wh": 150.0}, "forbidden", "american.over-100-wh"),
    ("american", "2026-05-01", {"energy_wh": 100.0}, "allowed", None),
    ("american", "2026-04-30", {"count": 3}, "allowed", None),
    ("american", "2026-05-01", {"count": 3}, "forbidden", "american.more-than-two"),
    ("american", "2026-05-01", {"count": 2}, "allowed", None),
]

COMBINED: list[Row] = [
    # the most severe verdict of every pack wins
    ("cn-caac,icao", "2025-07-01", {"ccc_mark": "absent"}, "forbidden", "cn-caac.no-ccc-mark"),
    ("icao,cn-caac", "2025-07-01", {"energy_wh": 150.0}, "conditional", "icao.100-to-160-wh"),
    ("icao,emirates", "2025-10-01", {"energy_wh": 100.0}, "forbidden",
     "emirates.100-wh-or-more"),
    ("cn-rail,cn-caac", "2025-07-01", {"energy_wh": 120.0}, "forbidden", "cn-rail.over-100-wh"),
    ("cn-courier,cn-rail", "2025-07-01", {"energy_wh": None}, "needs_info",
     "cn-rail.energy-unknown"),
]


@_cases(CN_CAAC)
def test_cn_caac(packs: str, date: str, changes: dict[str, Any], verdict: str,
                 expected_rule: str | None) -> None:
    _check(packs, date, changes, verdict, expected_rule)


@_cases(ICAO)
def test_icao(packs: str, date: str, changes: dict[str, Any], verdict: str,
              expected_rule: str | None) -> None:
    _check(packs, date, changes, verdict, expected_rule)


@_cases(US_FAA)
def test_us_faa(packs: str, date: str, changes: dict[str, Any], verdict: str,
                expected_rule: str | None) -> None:
    _check(packs, date, changes, verdict, expected_rule)


@_cases(CN_RAIL)
def test_cn_rail(packs: str, date: str, changes: dict[str, Any], verdict: str,
                 expected_rule: str | None) -> None:
    _check(packs, date, changes, verdict, expected_rule)


@_cases(CN_COURIER)
def test_cn_courier(packs: str, date: str, changes: dict[str, Any], verdict: str,
                    expected_rule: str | None) -> None:
    _check(packs, date, changes, verdict, expected_rule)


@_cases(OVERLAYS)
def test_overlays(packs: str, date: str, changes: dict[str, Any], verdict: str,
                  expected_rule: str | None) -> None:
    _check(packs, date, changes, verdict, expected_rule)


@_cases(COMBINED)
def test_combined(packs: str, date: str, changes: dict[str, Any], verdict: str,
                  expected_rule: str | None) -> None:
    _check(packs, date, changes, verdict, expected_rule)


CONDITIONS: list[tuple[str, str, dict[str, Any], str, bool]] = [
    ("cn-caac", "2014-08-06", {}, "cn-caac.no-charging-devices", False),
    ("cn-caac", "2014-08-07", {}, "cn-caac.no-charging-devices", True),
    ("cn-caac", "2025-07-01", {}, "cn-caac.switch-off", True),
    ("icao", "2026-03-26", {}, "icao.no-recharging-on-board", False),
    ("icao", "2026-03-27", {}, "icao.no-recharging-on-board", True),
    ("icao", "2026-03-27", {}, "icao.avoid-charging-devices", True),
    ("icao", "2020-01-01", {}, "icao.terminals-protected", True),
    # a month-precision start counts from the last day of the month
    ("us-faa", "2025-09-29", {}, "us-faa.keep-visible", False),
    ("us-faa", "2025-09-30", {}, "us-faa.keep-visible", True),
    ("hk-cad", "2025-04-06", {}, "hk-cad.no-use-or-recharging", False),
    ("hk-cad", "2025-04-07", {}, "hk-cad.no-use-or-recharging", True),
    ("singapore-airlines", "2025-03-31", {}, "singapore-airlines.no-use-or-recharging", False),
    ("singapore-airlines", "2025-04-01", {}, "singapore-airlines.no-use-or-recharging", True),
    ("southwest", "2025-05-27", {}, "southwest.plain-sight", False),
    ("southwest", "2025-05-28", {}, "southwest.plain-sight", True),
    ("southwest", "2025-05-28", {}, "us-faa.gate-checked-bag", True),
    ("emirates", "2025-10-01", {}, "emirates.capacity-marked", True),
    ("kr-molit", "2026-01-25", {}, "kr-molit.korean-air-no-use", False),
    ("kr-molit", "2026-01-26", {}, "kr-molit.korean-air-no-use", True),
    ("cn-rail", "2025-07-01", {}, "cn-rail.clearly-marked", True),
    # listed with a conditional or needs_info verdict, never with forbidden
    ("icao", "2026-06-01", {"energy_wh": 150.0}, "icao.terminals-protected", True),
    ("icao", "2026-06-01", {"energy_wh": None}, "icao.terminals-protected", True),
    ("icao", "2026-06-01", {"baggage": "checked"}, "icao.terminals-protected", False),
    ("cn-caac", "2025-07-01", {"ccc_mark": "absent"}, "cn-caac.switch-off", False),
]


@pytest.mark.parametrize(("packs", "date", "changes", "condition", "listed"), CONDITIONS)
def test_conditions(packs: str, date: str, changes: dict[str, Any], condition: str,
                    listed: bool) -> None:
    result = run(packs, date, **changes)
    assert (condition in {c.condition_id for c in result.conditions}) is listed


def test_conditions_are_never_verdicts() -> None:
    result = run("hk-cad", "2026-06-01")
    assert result.verdict == "allowed"
    assert result.fired == ()
    assert result.conditions


def test_the_same_condition_is_listed_once() -> None:
    result = run("hk-cad,lufthansa,qantas,singapore-airlines,emirates,kr-molit", "2026-06-01")
    texts = [condition.text.en for condition in result.conditions]
    assert len(texts) == len(set(texts))
    assert texts.count("Do not use the power bank or recharge it during the flight.") == 1
    assert "hk-cad.no-use-or-recharging" in {c.condition_id for c in result.conditions}
