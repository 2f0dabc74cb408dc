from __future__ import annotations

from typing import Any

import pytest

from cellwatch.rules.clauses import Clause, Op, describe, evidence, matches, parse_when, unparse
from cellwatch.rules.facts import RecallStatus
from tests.rules.factories import facts


@pytest.mark.parametrize(
    ("when", "changes", "expected"),
    [
        ({}, {}, True),
        ({"baggage": "checked"}, {"baggage": "checked"}, True),
        ({"baggage": "checked"}, {}, False),
        ({"certificate": ["revoked", "expired"]}, {"certificate": "expired"}, True),
        ({"certificate": ["revoked", "expired"]}, {"certificate": "valid"}, False),
        ({"energy_wh": {"gt": 100}}, {"energy_wh": 100.0}, False),
        ({"energy_wh": {"gt": 100}}, {"energy_wh": 100.01}, True),
        ({"energy_wh": {"ge": 100}}, {"energy_wh": 100.0}, True),
        ({"energy_wh": {"lt": 100}}, {"energy_wh": 100.0}, False),
        ({"energy_wh": {"le": 100}}, {"energy_wh": 100.0}, True),
        ({"energy_wh": {"gt": 100, "le": 160}}, {"energy_wh": 160.0}, True),
        ({"energy_wh": {"gt": 100, "le": 160}}, {"energy_wh": 160.01}, False),
        # a comparison on an unknown value does not hold, whichever way it points
        ({"energy_wh": {"gt": 100}}, {"energy_wh": None}, False),
        ({"energy_wh": {"le": 100}}, {"energy_wh": None}, False),
        ({"energy_wh": "unknown"}, {"energy_wh": None}, True),
        ({"energy_wh": "unknown"}, {}, False),
        ({"count": {"gt": 2}}, {"count": 3}, True),
        ({"energy_wh": {"gt": 100}, "count": {"gt": 2}}, {"energy_wh": 150.0, "count": 2}, False),
        ({"advisories": "x"}, {"advisories": frozenset({"x", "y"})}, True),
        ({"advisories": ["x", "z"]}, {"advisories": frozenset({"y"})}, False),
    ],
)
def test_matches(when: dict[str, Any], changes: dict[str, Any], expected: bool) -> None:
    assert matches(parse_when(when), facts(**changes)) is expected


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ({"energy": {"gt": 100}}, "unknown fact 'energy'"),
        ({"ccc_mark": "absnet"}, "absnet not one of"),
        ({"recall": []}, "non-empty list"),
        ({"energy_wh": {"gte": 100}}, "unknown comparison 'gte'"),
        ({"energy_wh": {"gt": "100"}}, "needs a number"),
        ({"energy_wh": {"gt": True}}, "needs a number"),
        ({"energy_wh": 100}, "expected a comparison"),
        ({"energy_wh": {}}, "expected a comparison"),
        ({"count": "unknown"}, "expected a comparison"),
        ({"date": "2025-01-01"}, "unknown fact 'date'"),
        (["baggage"], "must be a mapping"),
    ],
)
def test_parse_errors(when: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_when(when)


def test_parse_shapes() -> None:
    assert parse_when({"energy_wh": {"le": 160, "gt": 100}}) == (
        Clause("energy_wh", Op.GT, 100.0),
        Clause("energy_wh", Op.LE, 160.0),
    )
    assert parse_when({"recall": "recalled"}) == (
        Clause("recall", Op.ANY_OF, frozenset({"recalled"})),
    )


@pytest.mark.parametrize(
    "when",
    [
        {},
        {"baggage": "checked"},
        {"certificate": ["expired", "revoked"]},
        {"energy_wh": {"gt": 100, "le": 160.5}, "count": {"gt": 2}},
        {"energy_wh": "unknown"},
        {"advisories": "cell_supplier_certificate_invalid"},
    ],
)
def test_unparse_round_trips(when: dict[str, Any]) -> None:
    assert parse_when(unparse(parse_when(when))) == parse_when(when)
    assert unparse(parse_when(when)) == when


@pytest.mark.parametrize(
    ("when", "en", "zh"),
    [
        ({}, "always", "始终适用"),
        ({"baggage": "checked"}, "baggage is checked", "携带方式：托运"),
        (
            {"energy_wh": {"gt": 100, "le": 160}, "count": {"gt": 2}},
            "energy > 100 Wh and ≤ 160 Wh and power banks carried > 2",
            "额定能量大于100 Wh且不超过160 Wh，且携带数量大于2",
        ),
        (
            {"certificate": ["expired", "suspended"]},
            "3C certificate is suspended or expired",
            "3C证书状态：暂停或过期",
        ),
        ({"energy_wh": "unknown"}, "energy is unknown", "额定能量未知"),
        ({"advisories": "a"}, "advisories include a", "提示包含a"),
    ],
)
def test_describe(when: dict[str, Any], en: str, zh: str) -> None:
    assert describe(parse_when(when)) == en
    assert describe(parse_when(when), "zh") == zh


def test_evidence_is_plain_json_values() -> None:
    clauses = parse_when({"recall": "recalled", "energy_wh": {"gt": 1}, "advisories": "b"})
    found = evidence(
        clauses,
        facts(recall=RecallStatus.RECALLED, energy_wh=12.5, advisories=frozenset({"b", "a"})),
    )
    assert found == {"recall": "recalled", "energy_wh": 12.5, "advisories": ["a", "b"]}
    assert type(found["recall"]) is str
