"""Text folded in SQL exactly as the check's Python folds it, for ASCII text.

The check strips every fact with ``str.strip()`` and compares codes after folding them
(:mod:`cellwatch.domain.names`). For ASCII text these folds are plain string operations
that DuckDB does alike: NFKC leaves ASCII as it is, ``upper()`` and ``casefold()`` change
only ``a-z``, and Python's whitespace (``\\s``) is ``\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f`` and the
space. Text beyond ASCII is left to Python (or, for spelling keys, left as it is).

- :func:`stripped`: ``str.strip()``, empty as NULL;
- :func:`code_key`: :func:`~cellwatch.domain.names.model_key` (batch codes),
  :func:`~cellwatch.domain.names.serial_key` and :func:`~cellwatch.domain.names.fold_serial`;
- :func:`model_spelling` and :func:`certificate_spelling`: keys under which different
  spellings of one model or certificate number fall together *only* when the check cannot
  tell them apart, so that the check's functions run once per key rather than once per
  spelling.
"""

from __future__ import annotations

#: Every character ``str.strip()`` and Python's ``\s`` treat as whitespace.
_WHITESPACE = "".join(
    f"\\x{{{ord(c):x}}}" for c in map(chr, range(0x3001)) if c.isspace()
)
#: Python's ``\s`` within ASCII.
ASCII_SPACE = r"\t\n\x0b\x0c\r\x1c-\x1f "
#: What :func:`~cellwatch.domain.names.model_key` removes (``[\s\-_.]``), within ASCII.
CODE_SEPARATORS = ASCII_SPACE + r"\-_."
#: What :func:`~cellwatch.domain.names.serial_key` removes (``[\s\-]``), within ASCII.
SERIAL_SEPARATORS = ASCII_SPACE + r"\-"


def stripped(value: str) -> str:
    """SQL for ``str.strip()``, empty as NULL."""
    return f"nullif(regexp_replace({value}, '^[{_WHITESPACE}]+|[{_WHITESPACE}]+$', '', 'g'), '')"


def is_ascii(value: str) -> str:
    """SQL: the text is ASCII (its bytes are its characters)."""
    return f"strlen({value}) = length({value})"


def code_key(column: str, separators: str, fold: bool = False) -> str:
    """SQL for ``model_key`` or ``serial_key`` (and ``fold_serial`` with ``fold``) of ASCII
    text: the separators removed, upper case, O/I/L/Z as 0/1/1/2 when folding."""
    folded = f"upper(regexp_replace({column}, '[{separators}]+', '', 'g'))"
    return f"translate({folded}, 'OILZ', '0112')" if fold else folded


def model_spelling(stripped: str) -> str:
    """SQL: the key of a stripped model value under which its spellings fall together.

    The check reads a model value through :func:`~cellwatch.domain.names.model_key` (codes)
    and :func:`~cellwatch.domain.names.fold_name` (marketing names) only, and whether it
    was given. For ASCII text the key is the upper-cased text with each run of
    ``model_key``'s separators made one space and none at either end: ``model_key`` is the
    key without its spaces, and ``fold_name`` splits the text into the same words (it
    lower-cases, and splits at every run of characters other than letters and digits,
    which the separators are). So ``pb-100``, ``PB 100`` and ``PB_100`` share a key, and
    ``PB100`` (one word, not two) has its own. Other text is its own key.
    """
    folded = f"trim(regexp_replace(upper({stripped}), '[{CODE_SEPARATORS}]+', ' ', 'g'))"
    return f"CASE WHEN {is_ascii(stripped)} THEN {folded} ELSE {stripped} END"


def certificate_spelling(stripped: str) -> str:
    """SQL: the key of a stripped certificate number: the number the check looks up (its
    whitespace removed, :func:`~cellwatch.check.certificate.certificate_status`) for ASCII
    text; other text is its own key."""
    printed = f"regexp_replace({stripped}, '[{ASCII_SPACE}]+', '', 'g')"
    return f"CASE WHEN {is_ascii(stripped)} THEN {printed} ELSE {stripped} END"
