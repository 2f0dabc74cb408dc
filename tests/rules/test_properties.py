"""Properties that hold for every pack: a worse fact never gives a better verdict."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from cellwatch.rules.clauses import matches
from cellwatch.rules.engine import _evaluate, evaluate, get_packs, load_packs
from cellwatch.rules.facts import (
    Baggage,
    CertificateState,
    EnergyMethod,
    Facts,
    Mark,
    RecallStatus,
    Verdict,
    most_severe,
)

PACKS = sorted(load_packs())
pack_names = st.sampled_from(PACKS)
energy = st.floats(min_value=0, max_value=400, allow_nan=False, allow_infinity=False)

facts_strategy = st.builds(
    Facts,
    date=st.dates(min_value=dt.date(2013, 1, 1), max_value=dt.date(2027, 12, 31)),
    baggage=st.sampled_from(Baggage),
    count=st.integers(min_value=1, max_value=30),
    energy_wh=st.none() | energy,
    energy_method=st.sampled_from(EnergyMethod),
    ccc_mark=st.sampled_from(Mark),
    certificate=st.sampled_from(CertificateState),
    recall=st.sampled_from(RecallStatus),
    advisories=st.frozensets(st.sampled_from(["cell_supplier_certificate_invalid", "other"])),
)

MARK_ORDER = [Mark.PRESENT, Mark.UNKNOWN, Mark.ILLEGIBLE, Mark.ABSENT]
"""From best to worst: a mark seen, not looked at, unreadable, missing."""

CERTIFICATE_RANK = {
    CertificateState.VALID: 0,
    # the registry knows no certificate, or not this number: not evidence either way
    CertificateState.NONE: 1,
    CertificateState.UNKNOWN_CERTIFICATE: 1,
    # the certificate is known and does not stand for this unit on the date
    CertificateState.MISMATCH: 2,
    CertificateState.SUSPENDED: 2,
    CertificateState.REVOKED: 2,
    CertificateState.CANCELLED: 2,
    CertificateState.EXPIRED: 2,
}
RECALL_RANK = {
    RecallStatus.NOT_RECALLED: 0,
    RecallStatus.UNKNOWN_MODEL: 0,
    RecallStatus.POSSIBLY_RECALLED: 1,
    RecallStatus.RECALLED: 2,
}


def severity(packs: str, facts: Facts) -> int:
    return evaluate(get_packs(packs), facts).verdict.severity


@given(pack_names, facts_strategy, energy, energy)
def test_more_energy_is_never_less_severe(pack: str, facts: Facts, a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert severity(pack, dataclasses.replace(facts, energy_wh=low)) <= severity(
        pack, dataclasses.replace(facts, energy_wh=high)
    )


@given(pack_names, facts_strategy, st.integers(1, 30), st.integers(1, 30))
def test_more_power_banks_are_never_less_severe(pack: str, facts: Facts, a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert severity(pack, dataclasses.replace(facts, count=low)) <= severity(
        pack, dataclasses.replace(facts, count=high)
    )


@given(pack_names, facts_strategy)
def test_a_worse_mark_never_improves_the_verdict(pack: str, facts: Facts) -> None:
    verdicts = [severity(pack, dataclasses.replace(facts, ccc_mark=mark)) for mark in MARK_ORDER]
    assert verdicts == sorted(verdicts)


@given(pack_names, facts_strategy, st.sampled_from(CertificateState),
       st.sampled_from(CertificateState))
def test_a_worse_certificate_never_improves_the_verdict(
    pack: str, facts: Facts, a: CertificateState, b: CertificateState
) -> None:
    better, worse = sorted((a, b), key=CERTIFICATE_RANK.__getitem__)
    assert severity(pack, dataclasses.replace(facts, certificate=better)) <= severity(
        pack, dataclasses.replace(facts, certificate=worse)
    )


@given(pack_names, facts_strategy, st.sampled_from(RecallStatus), st.sampled_from(RecallStatus))
def test_a_worse_recall_status_never_improves_the_verdict(
    pack: str, facts: Facts, a: RecallStatus, b: RecallStatus
) -> None:
    better, worse = sorted((a, b), key=RECALL_RANK.__getitem__)
    assert severity(pack, dataclasses.replace(facts, recall=better)) <= severity(
        pack, dataclasses.replace(facts, recall=worse)
    )


@given(pack_names, facts_strategy)
def test_recalled_is_never_less_severe_than_not_recalled(pack: str, facts: Facts) -> None:
    assert severity(pack, dataclasses.replace(facts, recall=RecallStatus.RECALLED)) >= severity(
        pack, dataclasses.replace(facts, recall=RecallStatus.NOT_RECALLED)
    )


@given(pack_names, facts_strategy)
def test_an_unknown_model_is_judged_like_a_unit_not_recalled(pack: str, facts: Facts) -> None:
    packs = get_packs(pack)
    unknown = evaluate(packs, dataclasses.replace(facts, recall=RecallStatus.UNKNOWN_MODEL))
    clean = evaluate(packs, dataclasses.replace(facts, recall=RecallStatus.NOT_RECALLED))
    assert unknown == clean


@given(pack_names, facts_strategy)
def test_checked_baggage_is_never_less_severe(pack: str, facts: Facts) -> None:
    assert severity(pack, dataclasses.replace(facts, baggage=Baggage.CHECKED)) >= severity(
        pack, dataclasses.replace(facts, baggage=Baggage.CARRY_ON)
    )


@given(st.lists(pack_names, min_size=1, max_size=4), facts_strategy)
def test_combining_packs_gives_the_most_severe(names: list[str], facts: Facts) -> None:
    combined = evaluate(get_packs(names), facts)
    alone = [evaluate(get_packs(name), facts).verdict for name in names]
    assert combined.verdict is most_severe(alone)
    assert (combined.conditions == ()) or combined.verdict is not Verdict.FORBIDDEN


dates = st.dates(min_value=dt.date(2010, 1, 1), max_value=dt.date(2030, 12, 31))


@given(pack_names, dates)
def test_the_timeline_agrees_with_the_in_force_dates(pack: str, date: dt.date) -> None:
    rule_pack = load_packs()[pack]
    assert rule_pack.rules_at(date) == tuple(
        rule for rule in rule_pack.rules if rule.in_force.covers(date)
    )
    assert rule_pack.conditions_at(date) == tuple(
        condition for condition in rule_pack.conditions if condition.in_force.covers(date)
    )


@given(pack_names, facts_strategy)
def test_compiled_conditions_agree_with_the_clauses(pack: str, facts: Facts) -> None:
    for rule in load_packs()[pack].rules:
        assert rule.test(facts) is matches(rule.when, facts), rule.id


thresholds = st.sampled_from([0.0, 27.0, 100.0, 160.0, 99.99, 100.01, 160.0001])


@given(st.lists(pack_names, min_size=1, max_size=3, unique=True), facts_strategy,
       st.lists(st.none() | energy | thresholds, min_size=1, max_size=6))
def test_the_remembered_evaluation_equals_a_fresh_one(
    names: list[str], facts: Facts, energies: list[float | None]
) -> None:
    """The memo by energy band (rules fired per band, texts per exact value) never changes
    an answer: every evaluation equals one computed from scratch."""
    packs = get_packs(names)
    for energy_wh in energies:  # neighbours share a band and exercise the band memo
        exact = dataclasses.replace(facts, energy_wh=energy_wh)
        assert evaluate(packs, exact) == _evaluate(packs, exact)
