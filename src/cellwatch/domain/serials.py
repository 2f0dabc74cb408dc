"""Serial-number constraints of recall scopes: exact lists, ranges and glob patterns.

A glob has ``*`` (any run of characters), ``?`` (one character) and ``[...]`` (one
character of a set, with ranges such as ``0-9``; ``[!...]`` negates). Serials and patterns
compare after :func:`~cellwatch.domain.names.serial_key` (case, spaces and hyphens
ignored).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from cellwatch.domain.names import serial_key

_IGNORED = frozenset(" -")  # as serial_key ignores them outside a set


class GlobError(ValueError):
    """A serial pattern that is not a valid glob."""


_CONFUSABLE = {"O": "0", "I": "1", "L": "1", "Z": "2"}


def _set_members(body: str) -> list[str]:
    members: list[str] = []
    i = 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            members.extend(chr(c) for c in range(ord(body[i]), ord(body[i + 2]) + 1))
            i += 3
        else:
            members.append(body[i])
            i += 1
    return members


def _set_class(body: str, negate: bool, folded: bool) -> str:
    """A regex character class for a glob set; folded sets list members explicitly."""
    if folded and not negate:
        members = sorted({_CONFUSABLE.get(c, c) for c in _set_members(body.upper())})
        return "[" + "".join(re.escape(c) for c in members) + "]"
    escaped = "".join("\\" + c if c in "\\^[]" else c for c in body.upper())
    return f"[{'^' if negate else ''}{escaped}]"


def _translate(pattern: str, folded: bool = False) -> str:
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "*":
            out.append(".*")
        elif char == "?":
            out.append(".")
        elif char == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                raise GlobError(f"pattern {pattern!r}: '[' at position {i + 1} is never closed")
            body = pattern[i + 1 : end]
            negate = body.startswith("!")
            if negate:
                body = body[1:]
            if not body:
                raise GlobError(f"pattern {pattern!r}: empty set '[]'")
            for low, high in re.findall(r"(.)-(.)", body):
                if low > high:
                    raise GlobError(f"pattern {pattern!r}: range {low}-{high} is reversed")
            out.append(_set_class(body, negate, folded))
            i = end
        elif char == "]":
            raise GlobError(f"pattern {pattern!r}: ']' at position {i + 1} has no '['")
        elif char not in _IGNORED:
            literal = char.upper()
            out.append(re.escape(_CONFUSABLE.get(literal, literal) if folded else literal))
        i += 1
    return "".join(out)


@lru_cache(maxsize=4096)
def compile_glob(pattern: str, folded: bool = False) -> re.Pattern[str]:
    """Compile a serial glob to an anchored regular expression; raise :class:`GlobError`.

    With ``folded``, the expression matches serials folded by
    :func:`~cellwatch.domain.names.fold_serial` (O→0, I and L→1, Z→2).
    """
    if not pattern.strip():
        raise GlobError("empty pattern")
    text = unicodedata.normalize("NFKC", pattern.strip())
    return re.compile(f"^{_translate(text, folded)}$")


def in_range(serial: str, low: str, high: str) -> bool:
    """Whether ``serial`` lies between ``low`` and ``high``: same length, compared as text."""
    s, lo, hi = serial_key(serial), serial_key(low), serial_key(high)
    return len(s) == len(lo) == len(hi) and lo <= s <= hi
