"""Serial-number constraints of recall scopes: exact lists, ranges and glob patterns.

A glob has ``*`` (any run of characters), ``?`` (one character) and ``[...]`` (one
character of a set, with ranges such as ``0-9``; ``[!...]`` negates). Serials and patterns
compare after :func:`~cellwatch.domain.names.serial_key` (case, spaces and hyphens
ignored).
"""

from __future__ import annotations

import re
from functools import lru_cache

from cellwatch.domain.names import serial_key


class GlobError(ValueError):
    """A serial pattern that is not a valid glob."""


def _translate(pattern: str) -> str:
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
            escaped = "".join("\\" + c if c in "\\^]" else c for c in body)
            out.append(f"[{'^' if negate else ''}{escaped}]")
            i = end
        elif char == "]":
            raise GlobError(f"pattern {pattern!r}: ']' at position {i + 1} has no '['")
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


@lru_cache(maxsize=4096)
def compile_glob(pattern: str) -> re.Pattern[str]:
    """Compile a serial glob to an anchored regular expression; raise :class:`GlobError`."""
    if not pattern.strip():
        raise GlobError("empty pattern")
    return re.compile(f"^{_translate(serial_key(pattern))}$")


def in_range(serial: str, low: str, high: str) -> bool:
    """Whether ``serial`` lies between ``low`` and ``high``: same length, compared as text."""
    s, lo, hi = serial_key(serial), serial_key(low), serial_key(high)
    return len(s) == len(lo) == len(hi) and lo <= s <= hi
