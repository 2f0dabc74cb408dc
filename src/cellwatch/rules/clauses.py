"""The ``when`` language: a rule's condition, written as data in a pack file.

A condition maps fact names (the fields of :class:`~cellwatch.rules.facts.Facts`) to tests,
and holds when every test holds::

    when:
      baggage: checked                     # the fact has this value
      certificate: [suspended, revoked]    # ... or any of these values
      energy_wh: {gt: 100, le: 160}        # comparisons, all of which must hold
      energy_wh: unknown                   # the fact is not known (None)
      advisories: cell_supplier_certificate_invalid   # the set holds this code (or any of a list)

``when: {}`` always holds. A comparison on an unknown value does not hold. A misspelt
fact, value or comparison fails when the pack is loaded.

Each test is a :class:`Clause`; three small functions read it: :func:`holds` tests it
against the facts, :func:`describe` says it in words and :func:`evidence` reports the facts
it looked at.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from cellwatch.rules.facts import (
    ENUM_FACTS,
    FACT_NAMES,
    NUMBER_FACTS,
    Facts,
    fact_label,
    value_label,
)


class Op(StrEnum):
    ANY_OF = "any_of"
    UNKNOWN = "unknown"
    CONTAINS = "contains"
    GT = "gt"
    GE = "ge"
    LT = "lt"
    LE = "le"


UNKNOWN = "unknown"
"""The word that tests a number fact for being unknown: ``energy_wh: unknown``."""

_COMPARE = (Op.GT, Op.GE, Op.LT, Op.LE)
COMPARISONS = frozenset(_COMPARE)  # the operators that compare a number with a threshold
_TESTS: dict[Op, Callable[[Any, Any], bool]] = {
    Op.ANY_OF: lambda value, values: value in values,
    Op.UNKNOWN: lambda value, _: value is None,
    Op.CONTAINS: lambda value, codes: not codes.isdisjoint(value),
    Op.GT: lambda value, number: value is not None and value > number,
    Op.GE: lambda value, number: value is not None and value >= number,
    Op.LT: lambda value, number: value is not None and value < number,
    Op.LE: lambda value, number: value is not None and value <= number,
}
_SYMBOLS = {Op.GT: ">", Op.GE: "≥", Op.LT: "<", Op.LE: "≤"}
_ZH_COMPARE = {Op.GT: "大于", Op.GE: "不小于", Op.LT: "小于", Op.LE: "不超过"}
_NULLABLE = frozenset({"energy_wh"})  # the number facts that may be unknown


@dataclass(frozen=True, slots=True)
class Clause:
    """One test on one fact: ``energy_wh gt 100``, ``recall any_of {recalled}``."""

    fact: str
    op: Op
    operand: float | frozenset[str] | None = None


# -- parsing -------------------------------------------------------------------------------


def parse_when(raw: Mapping[str, Any]) -> tuple[Clause, ...]:
    """Turn the ``when`` mapping of a pack file into clauses; ``ValueError`` on any mistake."""
    if not isinstance(raw, Mapping):
        raise ValueError("'when' must be a mapping of fact name to test")
    clauses: list[Clause] = []
    for fact, test in raw.items():
        if fact not in FACT_NAMES:
            raise ValueError(f"unknown fact {fact!r}; the facts are: {', '.join(FACT_NAMES)}")
        if fact in ENUM_FACTS:
            clauses.append(_parse_enum(fact, test))
        elif fact in NUMBER_FACTS:
            clauses.extend(_parse_number(fact, test))
        else:
            clauses.append(Clause(fact, Op.CONTAINS, _strings(fact, test)))
    return tuple(clauses)


def _strings(fact: str, test: Any) -> frozenset[str]:
    values = test if isinstance(test, list) else [test]
    if not values or not all(isinstance(value, str) and value for value in values):
        raise ValueError(f"{fact}: expected a value or a non-empty list of values, got {test!r}")
    return frozenset(values)


def _parse_enum(fact: str, test: Any) -> Clause:
    values = _strings(fact, test)
    allowed = [member.value for member in ENUM_FACTS[fact]]
    wrong = sorted(values.difference(allowed))
    if wrong:
        raise ValueError(f"{fact}: {', '.join(wrong)} not one of: {', '.join(allowed)}")
    return Clause(fact, Op.ANY_OF, values)


def _parse_number(fact: str, test: Any) -> list[Clause]:
    if test == UNKNOWN and fact in _NULLABLE:
        return [Clause(fact, Op.UNKNOWN)]
    if not isinstance(test, Mapping) or not test:
        expected = "a comparison such as {gt: 100}"
        expected += " or 'unknown'" if fact in _NULLABLE else ""
        raise ValueError(f"{fact}: expected {expected}, got {test!r}")
    clauses = []
    for key, number in test.items():
        if key not in _COMPARE:
            raise ValueError(f"{fact}: unknown comparison {key!r}; use gt, ge, lt or le")
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise ValueError(f"{fact}: {key} needs a number, got {number!r}")
        clauses.append(Clause(fact, Op(key), float(number)))
    return sorted(clauses, key=lambda clause: _COMPARE.index(clause.op))


def unparse(clauses: Sequence[Clause]) -> dict[str, Any]:
    """The clauses back as the ``when`` mapping of a pack file (for JSON output)."""
    raw: dict[str, Any] = {}
    for clause in clauses:
        if clause.op is Op.UNKNOWN:
            raw[clause.fact] = UNKNOWN
        elif isinstance(clause.operand, frozenset):
            values = sorted(clause.operand)
            raw[clause.fact] = values[0] if len(values) == 1 else values
        elif isinstance(clause.operand, float):
            number = int(clause.operand) if clause.operand.is_integer() else clause.operand
            raw.setdefault(clause.fact, {})[clause.op.value] = number
    return raw


# -- reading -------------------------------------------------------------------------------


def holds(clause: Clause, facts: Facts) -> bool:
    """Whether ``clause`` holds for ``facts``; a comparison on an unknown value does not."""
    return _TESTS[clause.op](getattr(facts, clause.fact), clause.operand)


def matches(clauses: Sequence[Clause], facts: Facts) -> bool:
    """Whether every clause holds (so an empty condition always holds)."""
    return all(holds(clause, facts) for clause in clauses)


def compile_when(clauses: Sequence[Clause]) -> Callable[[Facts], bool]:
    """The condition as one function of the facts (what :func:`matches` does, faster)."""
    tests = tuple((clause.fact, _TESTS[clause.op], clause.operand) for clause in clauses)
    if len(tests) == 1:
        ((fact, test, operand),) = tests
        return lambda facts: test(getattr(facts, fact), operand)

    def check(facts: Facts) -> bool:
        return all(each(getattr(facts, name), value) for name, each, value in tests)

    return check


def evidence(clauses: Sequence[Clause], facts: Facts) -> dict[str, Any]:
    """The facts ``clauses`` look at, with their values as plain JSON values."""
    found: dict[str, Any] = {}
    for clause in clauses:
        value = getattr(facts, clause.fact)
        if isinstance(value, frozenset):
            value = sorted(value)
        elif isinstance(value, StrEnum):
            value = value.value
        found[clause.fact] = value
    return found


def describe(clauses: Sequence[Clause], lang: str = "en") -> str:
    """The condition in words: ``energy > 100 Wh and ≤ 160 Wh and power banks carried > 2``."""
    zh = lang == "zh"
    if not clauses:
        return "始终适用" if zh else "always"
    by_fact: dict[str, list[str]] = {}
    for clause in clauses:
        by_fact.setdefault(clause.fact, []).append(_words(clause, lang))
    if zh:
        return "，且".join(fact_label(f, lang) + "且".join(w) for f, w in by_fact.items())
    return " and ".join(f"{fact_label(f)} {' and '.join(w)}" for f, w in by_fact.items())


def _words(clause: Clause, lang: str) -> str:
    zh = lang == "zh"
    if clause.op is Op.UNKNOWN:
        return "未知" if zh else "is unknown"
    if clause.op in _COMPARE:
        assert isinstance(clause.operand, float)
        number = f"{clause.operand:g}{NUMBER_FACTS[clause.fact]}"
        return f"{_ZH_COMPARE[clause.op]}{number}" if zh else f"{_SYMBOLS[clause.op]} {number}"
    assert isinstance(clause.operand, frozenset)
    members = ENUM_FACTS.get(clause.fact)
    order = [member.value for member in members] if members else sorted(clause.operand)
    labels = [value_label(clause.fact, value, lang) for value in order if value in clause.operand]
    if zh:
        joined = labels[0] if len(labels) == 1 else "、".join(labels[:-1]) + "或" + labels[-1]
        return ("包含" if clause.op is Op.CONTAINS else "：") + joined
    joined = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]
    return ("include " if clause.op is Op.CONTAINS else "is ") + joined
