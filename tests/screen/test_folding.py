"""Folding in SQL: spellings fall together only when the check cannot tell them apart."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from cellwatch.domain.names import fold_name, model_key
from cellwatch.screen import folding

#: Pieces of model codes and names as people type them: case, separators, legal words
#: (which ``fold_name`` drops at the end of a name), other punctuation, non-ASCII text.
_PIECES = st.sampled_from([
    "pb", "PB", "100", "co", "CO", "Ltd", "x", "-", " ", "_", ".", "/", "\t", "\x1c", " - ",
    "é", "Ｐ", "有限公司", "\u3000",
])
_TEXTS = st.lists(_PIECES, max_size=6).map("".join)


def _keyed(key: Callable[[str], str], values: list[str]) -> list[tuple[str, Any, Any]]:
    """Each value, stripped in SQL, and the SQL ``key`` of the stripped value."""
    con = duckdb.connect()
    try:
        return con.execute(
            f"SELECT v, s, {key('s')} FROM (SELECT v, {folding.stripped('v')} AS s "
            "FROM unnest(?::VARCHAR[]) AS t(v))", [values]
        ).fetchall()
    finally:
        con.close()


@settings(max_examples=200, deadline=None)
@given(st.lists(_TEXTS, min_size=1, max_size=40))
def test_model_spellings_with_one_key_are_read_alike_by_the_check(values: list[str]) -> None:
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for value, stripped, key in _keyed(folding.model_spelling, values):
        assert stripped == (value.strip() or None)
        if stripped is None:
            assert key is None
            continue
        assert key is not None
        found[key].add((model_key(stripped), fold_name(stripped)))
    assert all(len(readings) == 1 for readings in found.values()), dict(found)


@settings(max_examples=100, deadline=None)
@given(st.lists(_TEXTS, min_size=1, max_size=40))
def test_certificate_spellings_with_one_key_are_one_number(values: list[str]) -> None:
    found: dict[str, set[str]] = defaultdict(set)
    for _, stripped, key in _keyed(folding.certificate_spelling, values):
        if stripped is not None:
            assert key is not None
            found[key].add(re.sub(r"\s+", "", stripped))
    assert all(len(numbers) == 1 for numbers in found.values()), dict(found)


def test_spellings_of_one_code_share_a_key_and_different_words_do_not() -> None:
    values = ["PB-100", "pb 100", " pb_100 ", "Pb.100", "PB - 100", "PB100", "PB100 Co", "PB100CO"]
    keys = {v: k for v, _, k in _keyed(folding.model_spelling, values)}
    assert keys["PB-100"] == keys["pb 100"] == keys[" pb_100 "] == keys["Pb.100"]
    assert keys["PB-100"] == keys["PB - 100"]
    # one word and two, or a legal word apart or not, may be read differently by fold_name
    assert len({keys["PB-100"], keys["PB100"], keys["PB100 Co"], keys["PB100CO"]}) == 4
