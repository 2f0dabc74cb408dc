import pytest

from cellwatch.domain.names import fold_name, fold_serial, model_key, serial_key
from cellwatch.domain.serials import GlobError, compile_glob, in_range


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Amprius (Wuxi) Co., Ltd.", "AMPRIUS WUXI"),
        ("Anker Innovations Limited", "anker-innovations"),
        ("深圳罗马仕科技有限公司", "深圳罗马仕科技"),
        ("ＲＯＭＯＳＳ", "romoss"),
    ],
)
def test_fold_name_ignores_case_punctuation_and_legal_form(left: str, right: str) -> None:
    assert fold_name(left) == fold_name(right)


def test_fold_name_keeps_words_that_only_look_like_legal_forms() -> None:
    assert fold_name("Costco") == "costco"
    assert fold_name("Co") == "co"


@pytest.mark.parametrize("typed", ["pac20 272", "PAC20_272", "pac20.272", "PAC20-272", "ＰＡＣ２０－２７２"])
def test_model_key(typed: str) -> None:
    assert model_key(typed) == "PAC20272"


def test_serial_folding() -> None:
    assert serial_key("ab-12 cd") == "AB12CD"
    assert fold_serial("O1IL Z") == fold_serial("0111 2") == "01112"


@pytest.mark.parametrize(
    ("pattern", "serial", "matches"),
    [
        ("*[0-9D]", "AB1234", True),
        ("*[0-9D]", "ab123d", True),
        ("*[0-9D]", "AB123A", False),
        ("57V???????????", "57V12345678901", True),
        ("57V???????????", "57V1234567890", False),
        ("*000G21*", "X000G21Y", True),
        ("????????????????", "A" * 16, True),
        ("????????????????", "A" * 15, False),
        ("[!A]*", "B1", True),
        ("[!A]*", "A1", False),
    ],
)
def test_globs(pattern: str, serial: str, matches: bool) -> None:
    assert bool(compile_glob(pattern).match(serial_key(serial))) is matches


@pytest.mark.parametrize("pattern", ["*[0-9", "a]b", "[]", "[9-0]", "  "])
def test_bad_globs_are_refused(pattern: str) -> None:
    with pytest.raises(GlobError):
        compile_glob(pattern)


def test_serial_ranges_compare_same_length_text() -> None:
    assert in_range("AB0150", "AB0100", "AB0199")
    assert not in_range("AB0200", "AB0100", "AB0199")
    assert not in_range("AB01500", "AB0100", "AB0199")
