"""Scope semantics: every constraint kind, alone and together (DESIGN.md, step 2)."""

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cellwatch.check.scopes import Outcome, Unit, compile_row, judge
from cellwatch.domain.dates import PartialDate
from cellwatch.domain.recalls import Recall


def row(**entry: Any) -> Any:
    recall = Recall.model_validate({
        "id": "r", "issuer": "brand", "authority": "SAMR", "market": "CN",
        "announced": "2025-06-16", "scope": [{"model": "M-1", **entry}], "sources": ["s"],
    })
    return compile_row(recall, 0, recall.scope[0], "brand")


def unit(batch: str | None = None, produced: str | None = None, serial: str | None = None) -> Unit:
    return Unit.of(batch, PartialDate.parse(produced) if produced else None, serial)


ROMOSS = {"batches": ["C14-P6", "M20-Q1"], "produced": [{"from": "2023-06-05", "to": "2023-07-28"},
                                                        {"from": "2024-01-05", "to": "2024-02-08"}]}


@pytest.mark.parametrize(
    ("entry", "facts", "outcome", "missing"),
    [
        ({}, {}, Outcome.MATCHES, ()),
        ({}, {"serial": "anything"}, Outcome.MATCHES, ()),
        ({"batches": ["C14-P6"]}, {"batch": "c14 p6"}, Outcome.MATCHES, ()),
        ({"batches": ["C14-P6"]}, {"batch": "C14-P7"}, Outcome.FAILS, ()),
        ({"batches": ["C14-P6"]}, {}, Outcome.UNDECIDED, ("batch",)),
        ({"batches": ["C14-P6"]}, {"serial": "X1"}, Outcome.UNDECIDED, ("batch",)),
        (ROMOSS, {"batch": "C14-P6"}, Outcome.MATCHES, ()),
        (ROMOSS, {"batch": "C14-P6", "produced": "2023-06-30"}, Outcome.MATCHES, ()),
        (ROMOSS, {"batch": "C14-P6", "produced": "2023-09-01"}, Outcome.FAILS, ()),
        (ROMOSS, {"produced": "2024-01-20"}, Outcome.MATCHES, ()),  # second window
        (ROMOSS, {"produced": "2023-07"}, Outcome.UNDECIDED, ("produced", "batch")),  # partly inside
        (ROMOSS, {"produced": "2023-08"}, Outcome.FAILS, ()),
        (ROMOSS, {}, Outcome.UNDECIDED, ("batch", "produced")),
        ({"produced": [{"from": "2023-08", "to": "2024-01"}]}, {"produced": "2023-08"}, Outcome.MATCHES, ()),
        ({"produced": [{"from": "2023-08", "to": "2024-01"}]}, {"produced": "2024-01-31"}, Outcome.MATCHES, ()),
        ({"produced": [{"from": "2023-08", "to": "2024-01"}]}, {"produced": "2024-02-01"}, Outcome.FAILS, ()),
        ({"produced": [{"from": "2023-04"}]}, {"produced": "2030-01"}, Outcome.MATCHES, ()),
        ({"produced": [{"from": "2023-04"}]}, {"produced": "2023-03-31"}, Outcome.FAILS, ()),
        ({"serials": ["AB123"]}, {"serial": "ab-123"}, Outcome.MATCHES, ()),
        ({"serials": ["AB123"]}, {"serial": "AB124"}, Outcome.FAILS, ()),
        ({"serial_ranges": [{"from": "AA0100", "to": "AA0199"}]}, {"serial": "AA0150"}, Outcome.MATCHES, ()),
        ({"serial_ranges": [{"from": "AA0100", "to": "AA0199"}]}, {"serial": "AA01500"}, Outcome.FAILS, ()),
        ({"serial_patterns": ["*[0-9D]"]}, {"serial": "XYZ12D"}, Outcome.MATCHES, ()),
        ({"serial_patterns": ["*[0-9D]"]}, {"serial": "XYZ12A"}, Outcome.FAILS, ()),
        ({"serial_patterns": ["57V???????????"]}, {"serial": "57V12345678901"}, Outcome.MATCHES, ()),
        ({"serial_patterns": ["57V???????????"]}, {"serial": "57V123456789012"}, Outcome.FAILS, ()),
        # serial alternatives: list, range or pattern
        ({"serials": ["Q1"], "serial_patterns": ["*000G21*"]}, {"serial": "X000G21Y"}, Outcome.MATCHES, ()),
        ({"serials": ["Q1"], "serial_patterns": ["*000G21*"]}, {"serial": "Q1"}, Outcome.MATCHES, ()),
        # every given fact must hold
        ({"batches": ["B1"], "serial_patterns": ["*D"]}, {"batch": "B1", "serial": "XA"}, Outcome.FAILS, ()),
        ({"batches": ["B1"], "serial_patterns": ["*D"]}, {"batch": "B1"}, Outcome.MATCHES, ()),
    ],
)
def test_entry_judgement(entry: dict[str, Any], facts: dict[str, str], outcome: Outcome,
                         missing: tuple[str, ...]) -> None:
    found = judge(row(**entry), unit(**facts))
    assert found.outcome is outcome
    assert found.missing == missing


def test_folding_does_not_confuse_other_characters() -> None:
    assert judge(row(serials=["AB10Z2"]), unit(serial="A8-1O22")).outcome is Outcome.FAILS


def test_patterns_match_after_folding() -> None:
    found = judge(row(serial_patterns=["*000I21*"]), unit(serial="X000121Y"))
    assert found.outcome is Outcome.MATCHES and found.folded


def test_folded_match_is_reported_and_plain_match_is_not() -> None:
    entry = row(serials=["AB1O2Z"])
    assert judge(entry, unit(serial="AB1O2Z")).folded is False
    folded = judge(entry, unit(serial="AB1022"))
    assert folded.outcome is Outcome.MATCHES and folded.folded is True


serial_text = st.text(st.sampled_from("ABDO0I1L2Z9"), min_size=1, max_size=8)


@given(serial_text, serial_text, st.sampled_from(["C14-P6", "X"]))
def test_a_contradicting_fact_never_makes_a_unit_match(listed: str, given_serial: str,
                                                       batch: str) -> None:
    """Adding a fact that contradicts the scope can only turn a match into a fail."""
    entry = row(batches=["C14-P6"], serials=[listed])
    with_batch = judge(entry, unit(batch=batch))
    both = judge(entry, unit(batch=batch, serial=given_serial))
    if batch != "C14-P6":
        assert with_batch.outcome is Outcome.FAILS and both.outcome is Outcome.FAILS
    if both.outcome is Outcome.MATCHES:
        assert with_batch.outcome is Outcome.MATCHES
