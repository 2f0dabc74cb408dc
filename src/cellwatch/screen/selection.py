"""Which rows the output keeps: every good row, or ``--only`` those that need looking at.

An inventory of millions of rows holds a few thousand that need action, and a file of more
than 1,048,576 rows does not open in a spreadsheet. ``--only CODE`` (repeated, or
separated by commas) keeps the rows whose recall status, certificate status or one of
whose advisory codes is one of the codes given: ``--only recalled,possibly_recalled,
suspended,revoked,cell_supplier_certificate_invalid`` keeps every row a retailer has to
act on. The codes are the output's own (:class:`~cellwatch.rules.facts.RecallStatus`,
:class:`~cellwatch.rules.facts.CertificateState`, the check's advisory codes); the
summary and the errors file still count and list every row.
"""

from __future__ import annotations

from collections.abc import Iterable

from cellwatch.check.words import ADVISORY_WORDS
from cellwatch.errors import InputError
from cellwatch.rules.facts import CertificateState, RecallStatus
from cellwatch.screen.source import literal

RECALL_CODES = tuple(status.value for status in RecallStatus)
CERTIFICATE_CODES = tuple(state.value for state in CertificateState)
#: Advisory codes that are not also a recall status (``unknown_model`` is both)
ADVISORY_CODES = tuple(code for code in ADVISORY_WORDS if code not in RECALL_CODES)
CODES = (*RECALL_CODES, *CERTIFICATE_CODES, *ADVISORY_CODES)
#: Each kind of code, with its codes
KINDS = (("recall", RECALL_CODES), ("certificate", CERTIFICATE_CODES),
         ("advisory", ADVISORY_CODES))
#: Each kind's values in a row of ``results`` (as ``{row}``), as a list of text
_VALUES = {
    "recall": "[{row}.recall_status::VARCHAR]",
    "certificate": "[{row}.certificate_status::VARCHAR]",
    "advisory": "string_split(coalesce({row}.advisory_codes::VARCHAR, ''), ';')",
}


def kind_of_code(code: str) -> str:
    """``recall``, ``certificate`` or ``advisory``: which of :data:`KINDS` ``code`` is."""
    return next(kind for kind, codes in KINDS if code in codes)


def parse_only(values: Iterable[str]) -> tuple[str, ...]:
    """The codes of ``--only`` (each value one code or several separated by commas), in
    :data:`CODES` order, each once; :class:`InputError` naming any code that is not one."""
    given = {code.strip().lower() for value in values for code in value.split(",")} - {""}
    unknown = sorted(given - set(CODES))
    if unknown:
        raise InputError(
            f"--only: unknown code(s) {', '.join(repr(c) for c in unknown)}; give recall "
            f"statuses ({', '.join(RECALL_CODES)}), certificate statuses "
            f"({', '.join(CERTIFICATE_CODES)}) or advisory codes ({', '.join(ADVISORY_CODES)})"
        )
    return tuple(code for code in CODES if code in given)


def _listed(codes: list[str]) -> str:
    return "[" + ", ".join(literal(code) for code in codes) + "]"


def kept_sql(only: tuple[str, ...], row: str = "s") -> str | None:
    """The condition on the screen's columns of ``results`` (as ``row``) that keeps a row
    for ``only``; ``None`` keeps every row."""
    if not only:
        return None
    tests = [f"list_has_any({_listed(chosen)}, {_VALUES[kind].format(row=row)})"
             for kind, codes in KINDS if (chosen := [code for code in only if code in codes])]
    return "(" + " OR ".join(f"coalesce({test}, false)" for test in tests) + ")"


def written_sql(kept: str | None, row: str = "s") -> str:
    """The condition on ``results`` (as ``row``) of the rows the output holds: the good
    ones (not in the errors file) that meet ``kept`` (:func:`kept_sql`) when it is given."""
    good = f"NOT {row}.bad"
    return f"{good} AND {kept}" if kept else good
